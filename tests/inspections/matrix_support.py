"""Targets and bodies of the inspection endpoints for tests/test_authorization_matrix.py.

Each target is built inside the matrix case's savepoint from the shared cast; the team is the
玄武区 section head and the 玄武区 archivist (both hold valid certificates). Photos go to a
temporary MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

_MEDIA: override_settings | None = None


def _media() -> None:
    global _MEDIA
    if _MEDIA is None:
        _MEDIA = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="anjian-matrix-media-"))
        _MEDIA.enable()


def item_list(cast: Any) -> Any:
    from anjian.inspections import services

    return services.publish_packaged_item_list(actor=None)


def team(cast: Any) -> list[Any]:
    return [cast.xuanwu.officer, cast.xuanwu_viewer.officer]


def enterprise(cast: Any) -> Any:
    item_list(cast)
    return cast.enterprises["xuanwu"]


def task(cast: Any) -> Any:
    from anjian.planning import services as planning_services

    item_list(cast)
    return planning_services.create_task(
        actor=None,
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["xuanwu"],
        month=timezone.localdate().replace(day=1),
        officers=team(cast),
    )


def draft(cast: Any) -> Any:
    from anjian.inspections import services

    _media()
    item_list(cast)
    return services.start_inspection(
        actor=cast.xuanwu,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="planned",
        officers=team(cast),
    )


def filled_draft(cast: Any, *, hazard_level: str = "ordinary") -> Any:
    from anjian.inspections import services
    from tests.inspections.conftest import filled

    record = draft(cast)
    data = filled(item_list(cast), officers=team(cast))
    data.findings[0].hazard_level = hazard_level
    services.save_draft(actor=cast.xuanwu, inspection=record, data=data)
    return record


def major_draft(cast: Any) -> Any:
    return filled_draft(cast, hazard_level="major")


def submitted(cast: Any) -> Any:
    from anjian.inspections import services

    return services.submit_inspection(actor=cast.xuanwu, inspection=filled_draft(cast))


def order(cast: Any) -> Any:
    from anjian.inspections.models import Finding, RectificationOrder

    record = submitted(cast)
    past = timezone.localdate() - dt.timedelta(days=1)
    found = RectificationOrder.objects.get(inspection=record)
    Finding.objects.filter(order=found).update(deadline=past)
    RectificationOrder.objects.filter(pk=found.pk).update(
        deadline=past, issued_on=past - dt.timedelta(days=5)
    )
    return RectificationOrder.objects.get(pk=found.pk)


def measure(cast: Any) -> Any:
    from anjian.inspections import services

    record = major_draft(cast)
    return services.decide_onsite_measure(
        actor=cast.xuanwu,
        inspection=record,
        finding=record.findings.get(),
        kind="withdraw_workers",
        target="一号车间",
    )


def attachment(cast: Any) -> Any:
    from anjian.inspections import services
    from tests.inspections.conftest import photo

    record = filled_draft(cast)
    return services.add_attachment(
        actor=cast.xuanwu, inspection=record, upload=photo(), finding=record.findings.get()
    )


def _scheme(cast: Any, *, submit: bool) -> Any:
    from anjian.inspections import services

    items = item_list(cast).items.filter(code__in=["GEN-24", "HC-01"])
    today = timezone.localdate()
    scheme = services.create_scheme(
        actor=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        data=services.SchemeInput(
            title="危险化学品专项检查方案",
            kind="special",
            period_start=today,
            period_end=today + dt.timedelta(days=30),
            enterprises=[cast.enterprises["xuanwu"]],
            items=list(items),
            officers=team(cast),
        ),
    )
    return services.submit_scheme(actor=cast.xuanwu, scheme=scheme) if submit else scheme


def scheme(cast: Any) -> Any:
    return _scheme(cast, submit=False)


def submitted_scheme(cast: Any) -> Any:
    return _scheme(cast, submit=True)


TARGETS = {
    "insp_enterprise": enterprise,
    "insp_task": task,
    "insp_draft": draft,
    "insp_filled_draft": filled_draft,
    "insp_major_draft": major_draft,
    "insp_submitted": submitted,
    "insp_order": order,
    "insp_measure": measure,
    "insp_attachment": attachment,
    "insp_scheme": scheme,
    "insp_submitted_scheme": submitted_scheme,
    "insp_item_list": item_list,
}


# Bodies: built after the target (so they may name what the target created).


def _latest_major_finding() -> int:
    from anjian.inspections.models import Finding

    return Finding.objects.filter(hazard_level="major").latest("id").pk


def _open_order_finding() -> int:
    from anjian.inspections.models import Finding

    return Finding.objects.filter(order__isnull=False, status="open").latest("id").pk


def _scheme_form(cast: Any) -> dict[str, Any]:
    items = item_list(cast).items.filter(code__in=["GEN-24", "HC-01"])
    today = timezone.localdate()
    return {
        "title": "危险化学品专项检查方案",
        "kind": "special",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=30)).isoformat(),
        "enterprise_codes": cast.enterprises["xuanwu"].uscc,
        "items": [str(i.pk) for i in items],
        "officers": [str(o.pk) for o in team(cast)],
    }


def _scheme_json(cast: Any) -> dict[str, Any]:
    form = _scheme_form(cast)
    return {
        "title": form["title"],
        "kind": form["kind"],
        "period_start": form["period_start"],
        "period_end": form["period_end"],
        "enterprise_ids": [cast.enterprises["xuanwu"].pk],
        "item_ids": [int(i) for i in form["items"]],
        "officer_ids": [o.pk for o in team(cast)],
    }


def _reinspection(cast: Any) -> dict[str, Any]:
    return {
        "performed_on": timezone.localdate().isoformat(),
        "officers": [str(o.pk) for o in team(cast)],
        f"o-{_open_order_finding()}": "rectified",
    }


def _reinspection_json(cast: Any) -> dict[str, Any]:
    return {
        "performed_on": timezone.localdate().isoformat(),
        "officer_ids": [o.pk for o in team(cast)],
        "outcomes": [{"finding_id": _open_order_finding(), "outcome": "rectified"}],
    }


def _start_json(cast: Any) -> dict[str, Any]:
    item_list(cast)
    return {"enterprise_id": cast.enterprises["xuanwu"].pk, "kind": "planned"}


BODIES = {
    "insp_start_form": lambda cast: {"kind": "planned"},
    "insp_save_form": lambda cast: {"action": "save", "place": "二号仓库"},
    "insp_measure_form": lambda cast: {
        "finding": _latest_major_finding(),
        "kind": "withdraw_workers",
        "target": "一号车间",
    },
    "insp_lift_form": lambda cast: {"reason": "隐患已排除，经审查同意恢复"},
    "insp_reinspection_form": _reinspection,
    "insp_scheme_form": _scheme_form,
    "insp_approve_form": lambda cast: {"action": "approve", "note": "同意"},
    "insp_start_json": _start_json,
    "insp_save_json": lambda cast: {"place": "二号仓库"},
    "insp_measure_json": lambda cast: {
        "finding_id": _latest_major_finding(),
        "kind": "withdraw_workers",
        "target": "一号车间",
    },
    "insp_lift_json": lambda cast: {"reason": "隐患已排除，经审查同意恢复"},
    "insp_reinspection_json": _reinspection_json,
    "insp_scheme_json": _scheme_json,
    "insp_decision_json": lambda cast: {"approve": True, "note": "同意"},
    "insp_upload_form": lambda cast: {"kind": "photo"},
}

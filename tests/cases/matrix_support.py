"""Targets and bodies of the case and evidence endpoints for tests/test_authorization_matrix.py.

Each target is built inside the matrix case's savepoint from the shared cast: a 玄武区 case (in
``proposed``, handled by the 玄武区 section head and the 玄武区 archivist, both certified), 玄武区
evidence, its file, a preservation. Files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from tests.inspections.conftest import png_bytes

_MEDIA: override_settings | None = None
CODE = "WSL2021-097-01a"


def _media() -> None:
    global _MEDIA
    if _MEDIA is None:
        _MEDIA = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="anjian-matrix-cases-"))
        _MEDIA.enable()


def _officer_ids(cast: Any) -> list[int]:
    return [cast.xuanwu.officer.pk, cast.xuanwu_viewer.officer.pk]


def _propose_payload(cast: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "parties": [
            {"kind": "unit", "role": "unit", "enterprise_id": cast.enterprises["xuanwu"].pk}
        ],
        "violations": [
            {
                "party": 0,
                "violation_code": CODE,
                "act_date": (today - dt.timedelta(days=10)).isoformat(),
                "facts": "未设置安全生产管理机构。",
            }
        ],
        "officer_ids": _officer_ids(cast),
        "on": today.isoformat(),
    }


def case(cast: Any) -> Any:
    from anjian.cases import services

    return services.create_case(
        actor=cast.xuanwu, agency=cast.agencies["xuanwu"], payload=_propose_payload(cast)
    )


def case_action(cast: Any) -> tuple[Any, str]:
    return case(cast), "approve_filing"


MISTAKEN_PARTY = "误录人员（矩阵）"


def case_party_removal(cast: Any) -> tuple[Any, str]:
    """A proposed 玄武区 case with a person entered by mistake (no violations) beside the unit."""
    from anjian.cases import services

    payload = _propose_payload(cast)
    payload["parties"].append(
        {"kind": "person", "role": "principal_person", "name": MISTAKEN_PARTY}
    )
    created = services.create_case(
        actor=cast.xuanwu, agency=cast.agencies["xuanwu"], payload=payload
    )
    return created, "remove_party"


def _mistaken_party_id() -> int:
    from anjian.cases.models import CaseParty

    return CaseParty.objects.filter(name=MISTAKEN_PARTY).latest("id").pk


def evidence(cast: Any) -> Any:
    from anjian.evidence import services

    return services.register_evidence(
        actor=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["xuanwu"],
        kind="documentary",
        title="安全管理制度复印件",
        collected_at=timezone.now() - dt.timedelta(hours=2),
        place="玄武化工有限公司",
        source="单位提供",
        method="copy",
        collectors=[cast.xuanwu.officer, cast.xuanwu_viewer.officer],
    )


def evidence_file(cast: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.evidence import services

    _media()
    return services.attach_file(
        actor=cast.xuanwu,
        evidence=evidence(cast),
        upload=SimpleUploadedFile("照片.png", png_bytes(8, 6)),
    )


def preservation(cast: Any) -> Any:
    from anjian.core.permissions import Role
    from anjian.evidence import services
    from tests.conftest import make_officer

    head = make_officer("matrix_juzhang", cast.agencies["xuanwu"], [Role.BUREAU_HEAD])
    today = timezone.localdate()
    return services.start_preservation(
        actor=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        evidence=[evidence(cast)],
        items="灭火器3具",
        place="区局证物室",
        approved_by=head.officer,
        approved_on=today,
        started_on=today,
    )


def _notice_content() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "recipient": "玄武化工有限公司",
        "appointment_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT09:00"),
        "place": "玄武区应急管理局询问室",
        "materials": "营业执照副本复印件\n安全生产管理机构设置文件",
        "contact_name": "张执法",
        "contact_phone": "025-84000001",
        "issued_on": today.isoformat(),
    }


def case_record(cast: Any) -> Any:
    from anjian.cases import services

    return services.add_record(
        actor=cast.xuanwu, case=case(cast), kind="inquiry_notice", content=_notice_content()
    )


def case_record_kind(cast: Any) -> tuple[Any, str]:
    return case(cast), "inquiry_notice"


TARGETS = {
    "case": case,
    "case_record": case_record,
    "case_record_kind": case_record_kind,
    "case_action": case_action,
    "case_party_removal": case_party_removal,
    "evidence": evidence,
    "evidence_file": evidence_file,
    "preservation": preservation,
}


def _new_case_form(cast: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "enterprise_id": cast.enterprises["xuanwu"].pk,
        "violation_code": CODE,
        "act_date": (today - dt.timedelta(days=10)).isoformat(),
        "facts": "未设置安全生产管理机构。",
        "discovered_on": today.isoformat(),
        "on": today.isoformat(),
        "officer_ids": _officer_ids(cast),
        "source_kind": "inspection_finding",
    }


def _spot_evidence_id(cast: Any) -> int:
    return int(evidence(cast).pk)


def _spot_form(cast: Any) -> dict[str, Any]:
    form = _new_case_form(cast)
    form.update(
        violation_code="WSL2021-099-01",
        circumstances="first_offence",
        penalty_kind="fine",
        amount="2000",
        evidence_id=_spot_evidence_id(cast),
        proves_all="on",
        delivery_recipient="张三",
    )
    return form


def _spot_json(cast: Any) -> dict[str, Any]:
    from anjian.cases.guards import elements_for

    payload = _propose_payload(cast)
    payload["violations"][0]["violation_code"] = "WSL2021-099-01"
    payload["violations"][0]["circumstances"] = ["first_offence"]
    evidence_id = _spot_evidence_id(cast)
    payload["penalties"] = [{"violation": 0, "kind": "fine", "amount": "2000"}]
    payload["proofs"] = [
        {"violation": 0, "element_index": i, "evidence_id": evidence_id}
        for i, _ in enumerate(elements_for("WSL2021-099-01"))
    ]
    payload["delivery_recipient"] = "张三"
    return {"payload": payload}


def _upload(cast: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _media()
    return {"file": SimpleUploadedFile("照片.png", png_bytes(8, 6))}


def _evidence_json(cast: Any) -> dict[str, Any]:
    return {
        "kind": "documentary",
        "title": "安全培训记录复印件",
        "collected_at": (timezone.localtime() - dt.timedelta(hours=1)).isoformat(),
        "place": "玄武化工有限公司",
        "source": "单位提供",
        "method": "copy",
        "collector_ids": _officer_ids(cast),
        "enterprise_id": cast.enterprises["xuanwu"].pk,
    }


BODIES = {
    "case_record_form": lambda cast: _notice_content(),
    "case_record_json": lambda cast: {"kind": "inquiry_notice", "content": _notice_content()},
    "case_record_revision_json": lambda cast: {"content": _notice_content()},
    "case_new_form": _new_case_form,
    "case_spot_form": _spot_form,
    "case_create_json": lambda cast: {"payload": _propose_payload(cast)},
    "case_spot_json": _spot_json,
    "case_act_form": lambda cast: {"version": 1, "on": timezone.localdate().isoformat()},
    "case_act_json": lambda cast: {
        "version": 1,
        "payload": {"on": timezone.localdate().isoformat()},
    },
    "case_remove_party_form": lambda cast: {
        "version": 1,
        "party_id": _mistaken_party_id(),
        "reason": "立案时误录",
    },
    "case_remove_party_json": lambda cast: {
        "version": 1,
        "reason": "立案时误录",
        "payload": {"party_id": _mistaken_party_id()},
    },
    "evidence_upload": _upload,
    "evidence_json": _evidence_json,
    "custody_form": lambda cast: {
        "action": "sealed",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "to_holder": "区局证物室",
    },
    "custody_json": lambda cast: {
        "action": "sealed",
        "occurred_at": timezone.localtime().isoformat(),
        "to_holder": "区局证物室",
    },
    "exclude_form": lambda cast: {"reason": "未出示执法证件取得"},
    "preservation_form": lambda cast: {
        "decision": "record_and_return",
        "decided_on": timezone.localdate().isoformat(),
    },
    "preservation_json": lambda cast: {
        "decision": "record_and_return",
        "decided_on": timezone.localdate().isoformat(),
    },
}

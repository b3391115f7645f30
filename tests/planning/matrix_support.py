"""Targets and bodies of the planning endpoints for tests/test_authorization_matrix.py.

Planning records take a world to stand on (ten more 玄武区 enterprises, four inspectors in a team, a
solver-built plan, draws at each step of their protocol, an operation, a published notice). Building
it for every case would run the solver hundreds of times, so ``prepare`` builds it once, inside the
matrix module's transaction, and each case (in its own savepoint) finds its record here.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

TODAY = timezone.localdate()
YEAR = TODAY.year + 1

_WORLD: dict[str, Any] = {}


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))


def prepare(cast: Any) -> dict[str, Any]:
    """Build the planning world for the matrix; returns the extra actors it needs."""
    from anjian.core.permissions import Role
    from anjian.planning import clock, services
    from anjian.registry.models import Officer
    from tests.conftest import make_officer
    from tests.planning.conftest import GRADES, add_enterprise

    xuanwu = cast.agencies["xuanwu"]
    enterprises = [
        add_enterprise(cast, f"矩阵测试{i:02d}有限公司", 300 + i, grade)
        for i, grade in enumerate(GRADES[::3])
    ]
    inspectors = [
        Officer.objects.get(user=make_officer(f"matrix_inspector{i}", xuanwu, [Role.INSPECTOR]))
        for i in range(4)
    ]
    services.create_team(actor=None, agency=xuanwu, name="一中队", officers=inspectors[:2])
    bureau_head = make_officer("matrix_bureau_head", xuanwu, [Role.BUREAU_HEAD])
    plan = services.build_plan(
        actor=None, plan=services.create_plan(actor=None, agency=xuanwu, year=YEAR)
    )
    task = services.create_task(
        actor=None, agency=xuanwu, enterprise=enterprises[0], month=dt.date(YEAR, 2, 1)
    )
    strata = [{"name": "all", "select": "*", "count": 2, "weighting": "uniform"}]

    def new_draw(month: int) -> Any:
        return services.create_draw(
            actor=None, agency=xuanwu, title="", month=dt.date(YEAR, month, 1), strata=strata
        )

    def committed(month: int) -> Any:
        draw = new_draw(month)
        with clock.at(_at(TODAY - dt.timedelta(days=20))):
            return services.commit_draw(
                actor=None,
                draw=draw,
                seed_description="上证综指收盘价",
                seed_value_date=TODAY - dt.timedelta(days=15),
            )

    def drawn(month: int, seed: str) -> Any:
        return services.perform_draw(actor=None, draw=committed(month), seed_value=seed)

    published = services.publish_draw(actor=None, draw=drawn(4, "3000.02"))
    _WORLD.clear()
    _WORLD.update(
        enterprises=enterprises,
        inspectors=inspectors,
        plan=plan,
        task=task,
        draft_draw=new_draw(1),
        committed_draw=committed(2),
        drawn_draw=drawn(3, "3000.01"),
        published_draw=published,
        void_requested_draw=services.request_void(
            actor=cast.xuanwu, draw=drawn(5, "3000.03"), reason="测试作废"
        ),
        commit_action=(new_draw(6), "commit"),
        operation=services.create_operation(
            actor=None,
            kind="special",
            title="矩阵专项",
            lead_agency=xuanwu,
            region=cast.regions["320102"],
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=30),
            enterprises=enterprises[:2],
            officers=inspectors[:2],
        ),
        notice=published.notices.get(kind="result"),
    )
    # The requester of a void may not approve it: a bureau head of 玄武区 plays the right holder.
    return {"planning_bureau_head": bureau_head}


def _target(name: str) -> Any:
    return lambda cast: _WORLD[name]


TARGETS = {
    f"planning_{name}": _target(name)
    for name in (
        "plan",
        "task",
        "draft_draw",
        "committed_draw",
        "drawn_draw",
        "published_draw",
        "void_requested_draw",
        "commit_action",
        "operation",
        "notice",
    )
}


def _upload(data: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "draw.json", json.dumps(data, ensure_ascii=False).encode(), "application/json"
    )


def _draw_file() -> Any:
    from anjian.planning import services

    return services.draw_file(_WORLD["published_draw"])


def _operation(ids: Any) -> dict[str, Any]:
    enterprises, inspectors = _WORLD["enterprises"], _WORLD["inspectors"]
    return {
        "kind": "special",
        "title": "矩阵专项二",
        "region_code": "320102",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=5)).isoformat(),
        "enterprise_ids": ids([enterprises[1].pk]),
        "officer_ids": ids([inspectors[2].pk, inspectors[3].pk]),
    }


def _as_text(values: list[int]) -> str:
    return ",".join(str(v) for v in values)


def _as_list(values: list[int]) -> list[int]:
    return values


_COMMIT = {
    "seed_description": "上证综指收盘价",
    "seed_value_date": (TODAY + dt.timedelta(days=3)).isoformat(),
}

BODIES = {
    "planning_plan_form": lambda cast: {"year": YEAR + 1},
    "planning_plan_json": lambda cast: {"year": YEAR + 1},
    "planning_parameters_form": lambda cast: {"officers": "8"},
    "planning_parameters_json": lambda cast: {"parameters": {"officers": 8}},
    "planning_submit": lambda cast: {"action": "submit"},
    "planning_adjust_form": lambda cast: {
        "enterprise": _WORLD["enterprises"][0].pk,
        "months": "2,8",
        "reason": "群众反映",
    },
    "planning_adjust_json": lambda cast: {
        "enterprise_id": _WORLD["enterprises"][0].pk,
        "months": [2, 8],
        "reason": "群众反映",
    },
    "planning_draw_form": lambda cast: {
        "month": f"{YEAR}-09-01",
        "team_size": 2,
        "strata": json.dumps([{"name": "all", "select": "*", "count": 1}]),
    },
    "planning_draw_json": lambda cast: {
        "month": f"{YEAR}-09-01",
        "strata": [{"name": "all", "select": "*", "count": 1}],
    },
    "planning_commit": lambda cast: dict(_COMMIT),
    "planning_seed_json": lambda cast: {"seed_value": "3100.55"},
    "planning_reason_form": lambda cast: {"reason": "行动结束"},
    "planning_reason_json": lambda cast: {"reason": "测试理由"},
    "planning_void_json": lambda cast: {"document_number": "玄应急〔2027〕1号"},
    "planning_operation_form": lambda cast: _operation(_as_text),
    "planning_operation_json": lambda cast: _operation(_as_list),
    "planning_conflict_form": lambda cast: {
        "officer": cast.xuanwu_viewer.officer.pk,
        "enterprise": _WORLD["enterprises"][0].pk,
        "kind": "relation",
    },
    "planning_conflict_json": lambda cast: {
        "officer_id": cast.xuanwu_viewer.officer.pk,
        "enterprise_id": _WORLD["enterprises"][0].pk,
        "kind": "relation",
    },
    "planning_team_form": lambda cast: {
        "name": "三中队",
        "officer_ids": _as_text([i.pk for i in _WORLD["inspectors"][2:]]),
    },
    "planning_team_json": lambda cast: {
        "name": "三中队",
        "officer_ids": [i.pk for i in _WORLD["inspectors"][2:]],
    },
    "planning_verify_upload": lambda cast: {"file": _upload(_draw_file())},
    "planning_draw_file_json": lambda cast: _draw_file(),
}

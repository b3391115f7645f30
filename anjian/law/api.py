"""Law endpoints under /api/v1/law: the catalog, due dates, accident grades, calendar overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema

from anjian.law import interface, selectors, services
from anjian.law.calendar import current_calendar
from anjian.law.core.accidents import grade_accident

router = Router(tags=["law"])


class ViolationQuery(Schema):
    q: str = ""
    article: int | None = Field(None, ge=1, le=300)
    on: dt.date | None = None


@router.get("/violations", response=list[dict[str, Any]])
def list_violations(request: HttpRequest, query: Query[ViolationQuery]) -> list[dict[str, Any]]:
    selectors.require(request.user, "law.view")
    return [
        interface.violation_dict(v) for v in interface.violations(query.q, query.article, query.on)
    ]


@router.get("/violations/{code}", response=dict[str, Any])
def get_violation(request: HttpRequest, code: str) -> dict[str, Any]:
    selectors.require(request.user, "law.view")
    return interface.violation_dict(interface.violation(code), full=True)


class DeadlinesIn(Schema):
    events: dict[str, str] = Field(
        ..., description="event name → ISO date (or ISO time with offset for hour rules)"
    )


@router.post("/deadlines", response=dict[str, Any])
def deadlines(request: HttpRequest, payload: DeadlinesIn) -> dict[str, Any]:
    selectors.require(request.user, "law.view")
    return interface.deadlines(payload.dict(), calendar=current_calendar())


class AccidentIn(Schema):
    deaths: int = Field(..., ge=0)
    serious_injuries: int = Field(..., ge=0)
    direct_loss_yuan: int = Field(..., ge=0)


@router.post("/accident-grade", response=dict[str, Any])
def accident_grade(request: HttpRequest, payload: AccidentIn) -> dict[str, Any]:
    selectors.require(request.user, "law.view")
    grade = grade_accident(payload.deaths, payload.serious_injuries, payload.direct_loss_yuan)
    return {
        "grade": grade.value,
        "label_zh": grade.label_zh,
        "basis": "《生产安全事故报告和调查处理条例》第三条",
    }


class OverrideIn(Schema):
    day: dt.date
    is_working_day: bool
    note: str = Field(..., min_length=1, max_length=200)
    declares_year: bool = False


class OverrideOut(Schema):
    day: dt.date
    is_working_day: bool
    note: str
    declares_year: bool


@router.get("/calendar/overrides", response=list[OverrideOut])
def list_overrides(request: HttpRequest) -> Any:
    return list(selectors.calendar_overrides(request.user))


@router.post("/calendar/overrides", response={201: OverrideOut})
def add_override(request: HttpRequest, payload: OverrideIn) -> tuple[int, Any]:
    selectors.require(request.user, "law.manage_calendar")
    override = services.set_calendar_override(
        actor=request.user,
        day=payload.day,
        is_working_day=payload.is_working_day,
        note=payload.note,
        declares_year=payload.declares_year,
    )
    return 201, override


@router.post("/discretion", response=dict[str, Any])
def discretion(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """The discretion engine: a fact sheet (docs/law/discretion.md) → tier, ranges, amount, reasoning."""
    selectors.require(request.user, "law.view")
    return interface.discretion(payload)


class ConsistencyQuery(Schema):
    violation_code: str = ""
    median_share: float = Field(0.5, ge=0, le=10)
    min_group_size: int = Field(3, ge=1, le=1000)


@router.get("/consistency", response=dict[str, Any])
def consistency(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    """Like cases alike: decided cases outside the engine's range or far from the median of like cases."""
    records = selectors.consistency_records(request.user, violation_code=query.violation_code)
    return interface.consistency_report(
        records, median_share=str(query.median_share), min_group_size=query.min_group_size
    )

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from anjian.core.errors import PermissionDenied
from anjian.core.permissions import user_can
from anjian.law.models import CalendarOverride, DecisionRecord


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def calendar_overrides(user: Any) -> QuerySet[CalendarOverride]:
    require(user, "law.view")
    return CalendarOverride.objects.order_by("day")


def decision_records(user: Any) -> QuerySet[DecisionRecord]:
    require(user, "law.consistency_report")
    return DecisionRecord.objects.visible_to(user)


RECORD_FIELDS = [
    "reference",
    "violation_code",
    "party",
    "stage",
    "circumstances",
    "act_date",
    "decision_date",
    "amount",
    "accident_grade",
    "illegal_gains",
    "last_year_income",
]


def consistency_records(user: Any, *, violation_code: str = "") -> Iterator[dict[str, Any]]:
    """Decided cases as mappings for the consistency report, streamed in chunks (constant memory)."""
    queryset = decision_records(user)
    if violation_code:
        queryset = queryset.filter(violation_code=violation_code)
    for row in queryset.order_by("id").values(*RECORD_FIELDS).iterator(chunk_size=5000):
        yield {
            "case_id": row["reference"],
            "violation_code": row["violation_code"],
            "party": row["party"],
            "stage": row["stage"],
            "circumstances": row["circumstances"] or [],
            "act_date": row["act_date"],
            "decision_date": row["decision_date"],
            "amount": row["amount"],
            "accident_grade": row["accident_grade"] or None,
            "illegal_gains": row["illegal_gains"],
            "last_year_income": row["last_year_income"],
        }

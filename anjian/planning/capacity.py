"""Inspection capacity of an agency, month by month (plain Python, no Django).

Capacity = officers × working days, minus training and leave; of what is left, the share spent on
planned field inspections; of that, a reserve for complaints, accidents and assigned work
(安监总政法〔2017〕150号's principle 留有余地, unverified). Units: officer-days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class CapacityInput:
    officers: int
    working_days: tuple[int, ...]  # per month, January first
    training_days_per_officer: float
    training_months: tuple[int, ...]
    leave_days_per_officer: float
    inspection_share: float
    reserve_share: float


@dataclass(frozen=True)
class MonthCapacity:
    month: int
    working_days: int
    officer_days: float
    training: float
    leave: float
    available: float
    inspection: float
    reserve: float
    plannable: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def working_days_by_month(year: int, is_working_day: Callable[[dt.date], bool]) -> tuple[int, ...]:
    counts = []
    for month in range(1, 13):
        days = calendar.monthrange(year, month)[1]
        counts.append(
            sum(1 for day in range(1, days + 1) if is_working_day(dt.date(year, month, day)))
        )
    return tuple(counts)


def weekday_working_days(year: int) -> tuple[int, ...]:
    """Fallback when the holiday calendar does not know the year: Monday to Friday."""
    return working_days_by_month(year, lambda day: day.weekday() < 5)


def monthly_capacity(data: CapacityInput) -> list[MonthCapacity]:
    if len(data.working_days) != 12:
        raise ValueError("working_days must have 12 months")
    total_working = sum(data.working_days) or 1
    training_months = [m for m in data.training_months if 1 <= m <= 12] or list(range(1, 13))
    training_total = data.officers * data.training_days_per_officer
    leave_total = data.officers * data.leave_days_per_officer
    months = []
    for index, working in enumerate(data.working_days):
        month = index + 1
        officer_days = float(data.officers * working)
        training = training_total / len(training_months) if month in training_months else 0.0
        leave = leave_total * working / total_working
        available = max(0.0, officer_days - training - leave)
        inspection = available * data.inspection_share
        reserve = inspection * data.reserve_share
        months.append(
            MonthCapacity(
                month=month,
                working_days=working,
                officer_days=round(officer_days, 2),
                training=round(training, 2),
                leave=round(leave, 2),
                available=round(available, 2),
                inspection=round(inspection, 2),
                reserve=round(reserve, 2),
                plannable=round(inspection - reserve, 2),
            )
        )
    return months


def plannable(months: Sequence[MonthCapacity | dict[str, Any]]) -> list[float]:
    return [float(m["plannable"] if isinstance(m, dict) else m.plannable) for m in months]

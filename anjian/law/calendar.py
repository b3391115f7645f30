"""The working calendar used by the application: the library's calendar plus the administrators' overrides."""

from __future__ import annotations

from anjian.law.core.workcalendar import WorkingCalendar
from anjian.law.models import CalendarOverride


def current_calendar() -> WorkingCalendar:
    """Read the override table on each call (cheap: a handful of rows), so every process sees edits at once."""
    rows = list(CalendarOverride.objects.values_list("day", "is_working_day", "declares_year"))
    overrides = {day: working for day, working, _ in rows}
    declared = {day.year for day, _, declares in rows if declares}
    return WorkingCalendar(overrides, declared_years=declared)

"""Writes on the law layer: calendar overrides (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.law.models import CalendarOverride


def set_calendar_override(
    *, actor: Any, day: dt.date, is_working_day: bool, note: str, declares_year: bool = False
) -> CalendarOverride:
    if not note.strip():
        raise DomainError(
            "override_note_required",
            "请注明依据（如国务院办公厅放假安排通知）。",
            "Name the source of the arrangement.",
        )
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(day=day).first()
        before = audit.snapshot(existing) if existing else None
        override, _ = CalendarOverride.objects.update_or_create(
            day=day,
            defaults={
                "is_working_day": is_working_day,
                "note": note,
                "declares_year": declares_year,
            },
        )
        audit.record(
            actor=actor,
            action="law.set_calendar_override",
            obj=override,
            before=before,
            after=audit.snapshot(override),
        )
        return override


def remove_calendar_override(*, actor: Any, override: CalendarOverride) -> None:
    with transaction.atomic():
        before = audit.snapshot(override)
        pk = override.pk
        override.delete()
        audit.record(
            actor=actor,
            action="law.remove_calendar_override",
            object_type="law.calendaroverride",
            object_id=pk,
            before=before,
        )

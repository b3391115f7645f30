"""Writes on planning. Every write is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from anjian.audit import services as audit
from anjian.core.errors import Conflict, DomainError
from anjian.planning.models import InspectionTask, TaskKind, TaskStatus
from anjian.registry.models import Agency, Enterprise, Officer
from anjian.registry.services import require_certified


def create_task(*, actor: Any, agency: Agency, enterprise: Enterprise, month: dt.date, kind: str = TaskKind.PLANNED,
                officers: Sequence[Officer] = (), title: str = "", due_date: dt.date | None = None,
                source_reference: str = "") -> InspectionTask:
    if kind not in TaskKind.values:
        raise DomainError("task_kind", "任务类型无效。", "Unknown task kind.")
    if officers:
        require_certified(list(officers), on=month, minimum=2)
    with transaction.atomic():
        task = InspectionTask.objects.create(
            agency=agency, enterprise=enterprise, month=month.replace(day=1), kind=kind, title=title,
            due_date=due_date, source_reference=source_reference,
        )
        if officers:
            task.officers.set(officers)
        audit.record(actor=actor, action="planning.create_task", obj=task,
                     after={**audit.snapshot(task), "officers": [o.pk for o in officers]})
        return task


def complete_task(*, actor: Any, task: InspectionTask, completed_on: dt.date, record_reference: str) -> InspectionTask:
    """Called by the inspections layer when an inspection record for this task is submitted."""
    with transaction.atomic():
        # A conditional update claims the task: two records submitted at once cannot both complete it.
        claimed = InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, completed_on=completed_on, completed_by_reference=record_reference)
        if not claimed:
            raise Conflict("task_not_open", "该检查任务已完成或已取消。", "The task is already done or cancelled.")
        task.refresh_from_db()
        audit.record(actor=actor, action="planning.complete_task", obj=task,
                     after={"completed_on": completed_on, "record": record_reference})
        return task

"""Writes on cases: ONE function, :func:`perform`, changes a case.

It locks the case row (``select_for_update``), checks the version the client saw (a stale version
is a 409 Conflict: someone else acted first), finds the (state, action) row of the transitions
table (an illegal step is a 409 with the allowed next steps), checks the permission, parses the
form, runs the row's legal guards, applies the action, recomputes the next legal deadline, and
writes the ``CaseEvent`` row and the audit entry, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from anjian.audit import services as audit
from anjian.cases import deadlines, records
from anjian.cases.effects import HANDLERS
from anjian.cases.guards import (
    QUIET_GUARDS,
    Ctx,
    GuardFailure,
    bad_input,
    dry_run_failures,
    run_guards,
)
from anjian.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseRecord,
    CaseStatus,
    ReviewFlag,
)
from anjian.cases.transitions import Transition, step_order, transition_for, transitions_from
from anjian.core.errors import Conflict, DomainError, PermissionDenied
from anjian.core.i18n import chinese, chinese_labels
from anjian.core.permissions import user_can
from anjian.evidence import services as evidence_services
from anjian.evidence.models import Evidence, EvidenceFile
from anjian.law.calendar import current_calendar
from anjian.registry.models import Agency


def allowed_steps(state: str | None, user: Any = None) -> list[dict[str, str]]:
    """The actions the table allows from ``state`` (those the user may take, when a user is given)."""
    return [
        {"action": t.action, "label_zh": t.label_zh, "to": t.target}
        for t in transitions_from(state)
        if user is None or user_can(user, t.permission)
    ]


def _illegal(state: str, action: str, user: Any) -> Conflict:
    label = chinese_labels(CaseStatus).get(state, state)
    steps = allowed_steps(state, user)
    listed = "、".join(s["label_zh"] for s in steps) or "（无）"
    return Conflict(
        "illegal_transition",
        f"案件当前处于“{label}”，不能进行“{action}”。可以进行：{listed}。",
        f"Action {action!r} is not allowed in state {state!r}.",
        details={"status": state, "action": action, "allowed": steps},
    )


def _event(ctx: Ctx, old_status: str) -> CaseEvent:
    case = ctx.case
    event = CaseEvent.objects.create(
        case=case,
        sequence=case.version,
        action=ctx.transition.action,
        from_status=old_status,
        to_status=case.status,
        actor=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        actor_label=(
            getattr(ctx.actor, "display_name", "") or getattr(ctx.actor, "username", "") or "system"
        )[:150],
        reason=ctx.reason,
        legal_basis=ctx.transition.basis[:300],
        occurred_on=ctx.on,
        payload=audit.normalise(ctx.event) or {},
    )
    for flag in ctx.flags:
        ReviewFlag.objects.create(
            case=case, event=event, kind=flag.kind, message=flag.message, reason=flag.reason
        )
    return event


def _finish(ctx: Ctx, old_status: str, old_version: int) -> Case:
    case = ctx.case
    case.status = ctx.transition.target
    case.is_open = case.status in OPEN_STATUSES
    case.version = old_version + 1
    for key, value in deadlines.next_deadline(case, ctx.calendar).as_fields().items():
        setattr(case, key, value)
    case.save()
    event = _event(ctx, old_status)
    audit.record(
        actor=ctx.actor,
        action=f"cases.{ctx.transition.action}",
        obj=case,
        before={"status": old_status, "version": old_version} if old_status else None,
        after={
            "status": case.status,
            "version": case.version,
            "event": event.pk,
            "reason": ctx.reason,
            "payload": event.payload,
            "flags": [f.kind for f in ctx.flags],
        },
    )
    return case


def _prepare(ctx: Ctx) -> None:
    transition = ctx.transition
    if not user_can(ctx.actor, transition.permission):
        raise PermissionDenied(transition.permission)
    if transition.reason_required and not ctx.reason:
        raise bad_input(
            "reason_required",
            f"“{transition.label_zh}”须写明理由。",
            f"{transition.action} needs a reason.",
            field="reason",
        )
    parse, _ = HANDLERS[transition.action]
    parse(ctx)
    run_guards(ctx)


def perform(
    *,
    case: Case,
    action: str,
    actor: Any,
    version: int | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    **fields: Any,
) -> Case:
    """Take ``action`` on ``case`` as ``actor``. ``version`` is the version the client saw."""
    data = {**(payload or {}), **fields}
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update()
            .select_related("agency__region", "place_region")
            .get(pk=case.pk)
        )
        if version is not None and int(version) != locked.version:
            raise Conflict(
                "stale_version",
                f"案件已被他人更新（您看到的是第{version}版，现为第{locked.version}版，状态“{chinese(locked.get_status_display())}”），"
                "请刷新页面查看最新情况后再操作。",
                "The case was changed by someone else; reload and try again.",
                details={
                    "expected_version": int(version),
                    "current_version": locked.version,
                    "status": locked.status,
                    "allowed": allowed_steps(locked.status, actor),
                },
            )
        transition = transition_for(locked.status, action)
        if transition is None:
            raise _illegal(locked.status, action, actor)
        ctx = Ctx(
            case=locked,
            actor=actor,
            transition=transition,
            payload=data,
            on=timezone.localdate(),
            reason=(reason or str(data.get("reason") or "")).strip(),
        )
        old_status, old_version = locked.status, locked.version
        try:
            _prepare(ctx)
        except GuardFailure as failure:
            failure.details = {
                **(failure.details or {}),
                "allowed": allowed_steps(locked.status, actor),
            }
            raise
        _, apply = HANDLERS[transition.action]
        apply(ctx)
        return _finish(ctx, old_status, old_version)


def add_evidence(
    *,
    case: Case,
    actor: Any,
    version: int | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    upload: Any = None,
) -> tuple[Case, EvidenceFile | None]:
    """``add_evidence`` with its file (optional): the file is checked before anything is written
    (a refused type or size saves no evidence), and the evidence, its links and the stored file
    are one transaction, so a file that fails to store leaves no evidence without it."""
    if upload is not None:
        evidence_services.check_file(upload)
    with transaction.atomic():
        updated = perform(
            case=case,
            action="add_evidence",
            actor=actor,
            version=version,
            reason=reason,
            payload=payload,
        )
        if upload is None:
            return updated, None
        event = updated.events.get(sequence=updated.version)
        evidence = Evidence.objects.visible_to(actor).get(pk=event.payload["evidence"])
        return updated, evidence_services.attach_file(actor=actor, evidence=evidence, upload=upload)


def create_case(
    *,
    actor: Any,
    agency: Agency,
    action: str = "propose",
    reason: str = "",
    payload: dict[str, Any] | None = None,
    **fields: Any,
) -> Case:
    """File a case (``propose``) or decide on the spot (``decide_on_the_spot``, 行政处罚法第五十一条)."""
    transition = transition_for(None, action)
    if transition is None:
        raise _illegal("", action, actor)
    data = {**(payload or {}), **fields}
    with transaction.atomic():
        ctx = Ctx(
            case=Case(),
            actor=actor,
            transition=transition,
            payload=data,
            on=timezone.localdate(),
            reason=(reason or str(data.get("reason") or "")).strip(),
        )
        ctx.data["agency"] = agency
        _prepare(ctx)
        _, apply = HANDLERS[transition.action]
        apply(ctx)
        return _finish(ctx, "", 0)


def recompute_deadlines(*, actor: Any, cases: Any = None, batch_size: int = 500) -> int:
    """Recompute the stored next deadline of open cases (after the calendar changed: a new year's
    holidays entered by an administrator). Returns how many rows changed."""
    queryset = cases if cases is not None else Case.objects.filter(is_open=True)
    calendar = current_calendar()
    changed = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            fields = deadlines.next_deadline(case, calendar).as_fields()
            if any(getattr(case, k) != v for k, v in fields.items()):
                before = {k: getattr(case, k) for k in fields}
                Case.objects.filter(pk=pk).update(**fields)
                audit.record(
                    actor=actor,
                    action="cases.recompute_deadline",
                    obj=case,
                    before=before,
                    after=fields,
                )
                changed += 1
    return changed


# ------------------------------------------------------------------------------ written records

#: A case in these states takes no new or changed record (its file is closed).
RECORDS_CLOSED = frozenset({CaseStatus.ARCHIVED})


def _record_view(record: CaseRecord) -> dict[str, Any]:
    return {
        "case": record.case_id,
        "kind": record.kind,
        "held_at": record.held_at,
        "place": record.place,
        "content": record.content,
    }


def _writable(case: Case, actor: Any) -> Case:
    if not user_can(actor, "cases.handle"):
        raise PermissionDenied("cases.handle")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status in RECORDS_CLOSED:
        raise Conflict(
            "case_file_closed",
            f"案件已{chinese(locked.get_status_display())}，不能再增加或修改笔录。",
            "The case file is closed: records can no longer be added or changed.",
        )
    return locked


def _record_event(case: Case, actor: Any, action: str, record: CaseRecord) -> CaseEvent:
    """A written record is part of the case's history (its timeline, 行政处罚法第四十七条: the
    whole procedure on record): one ``CaseEvent`` in the same state, raising the version like any
    change, so ``count(events) == version`` still holds and an officer acting on the page they
    loaded before the record was written is told (``stale_version``) instead of acting blind."""
    spec = records.SPECS[record.kind]
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    held_on = timezone.localtime(record.held_at).date()
    return CaseEvent.objects.create(
        case=case,
        sequence=case.version,
        action=action,
        from_status=case.status,
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(
            getattr(actor, "display_name", "") or getattr(actor, "username", "") or "system"
        )[:150],
        legal_basis=spec.basis[:300],
        occurred_on=min(held_on, timezone.localdate()),
        payload={"record_id": record.pk, "record_kind": record.kind, "record_label": spec.label},
    )


def add_record(*, actor: Any, case: Case, kind: str, content: dict[str, Any]) -> CaseRecord:
    """Keep one written record of the case (询问笔录, 勘验笔录, 听证笔录, …; ``records.SPECS``).

    Every field is checked first (``records.clean``): a bad submission raises one 422 naming each
    field and saves nothing. The record does not move the procedure (that is ``perform``'s work).
    """
    with transaction.atomic():
        locked = _writable(case, actor)
        held_at, place, cleaned = records.clean(locked, kind, content)
        record = CaseRecord.objects.create(
            case=locked,
            kind=kind,
            held_at=held_at,
            place=place[:300],
            content=cleaned,
            created_by=actor,
        )
        event = _record_event(locked, actor, "add_record", record)
        audit.record(
            actor=actor,
            action="cases.add_record",
            obj=record,
            after={**_record_view(record), "event": event.pk, "version": locked.version},
        )
        return record


def revise_record(*, actor: Any, record: CaseRecord, content: dict[str, Any]) -> CaseRecord:
    """Correct a record (the whole content is given again). An issued document keeps what it
    printed; a new draft prints the corrected record."""
    with transaction.atomic():
        locked_case = _writable(record.case, actor)
        locked = CaseRecord.objects.select_for_update().get(pk=record.pk)
        before = _record_view(locked)
        held_at, place, cleaned = records.clean(locked_case, locked.kind, content)
        locked.held_at, locked.place, locked.content = held_at, place[:300], cleaned
        locked.save(update_fields=["held_at", "place", "content", "updated_at"])
        event = _record_event(locked_case, actor, "revise_record", locked)
        audit.record(
            actor=actor,
            action="cases.revise_record",
            obj=locked,
            before=before,
            after={**_record_view(locked), "event": event.pk, "version": locked_case.version},
        )
        return locked


# ------------------------------------------------------------------------------ the case page


@dataclass
class ActionState:
    transition: Transition
    permitted: bool
    failures: list[GuardFailure]

    @property
    def possible(self) -> bool:
        return self.permitted and not self.failures

    @property
    def idle(self) -> bool:
        """Blocked only because there is nothing to act on (no open flag, no open order...)."""
        return bool(self.failures) and all(f.guard in QUIET_GUARDS for f in self.failures)

    @property
    def action(self) -> str:
        return self.transition.action


def action_states(case: Case, user: Any, *, on: dt.date | None = None) -> list[ActionState]:
    """Every step the table allows from the case's state, with whether this user may take it now
    and, if not, why (each reason cites its article)."""
    out = []
    calendar = current_calendar()
    shared: dict[str, Any] = {}  # the facts the guards read, once for all the steps
    ordered = sorted(
        transitions_from(case.status), key=lambda t: step_order(case.status, t.action, t.kind)
    )
    for transition in ordered:
        permitted = user_can(user, transition.permission)
        ctx = Ctx(
            case=case,
            actor=user,
            transition=transition,
            payload={},
            on=on or timezone.localdate(),
            dry_run=True,
            _calendar=calendar,
            shared=shared,
        )
        failures = dry_run_failures(ctx) if permitted else []
        out.append(ActionState(transition, permitted, failures))
    return out


def check_agency_for(actor: Any, agency: Agency) -> None:
    """The acting user must belong to the agency or to one above it."""
    from anjian.registry.scope import scope_for

    scope = scope_for(actor)
    region = agency.region
    if not scope.contains_codes(
        province_code=region.province_code,
        city_code=region.city_code,
        county_code=region.county_code,
        region_id=region.pk,
    ):
        raise DomainError(
            "outside_jurisdiction",
            "该执法机构不在您的管辖范围内。",
            "The agency is outside your jurisdiction.",
            status=403,
        )

"""Writes on evidence. Each service is one transaction that records its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from anjian.audit import services as audit
from anjian.core.errors import Conflict, DomainError
from anjian.core.i18n import chinese, chinese_labels
from anjian.core.permissions import user_can
from anjian.evidence.files import FileType, HashingFile, check_upload, hash_stored
from anjian.evidence.models import (
    CollectionMethod,
    CustodyAction,
    CustodyEvent,
    CustodyStatus,
    Evidence,
    EvidenceFile,
    EvidenceKind,
    Preservation,
    PreservationDecision,
)
from anjian.law.calendar import current_calendar
from anjian.law.core.timelimits import compute_due
from anjian.registry.models import Agency, Enterprise, Officer
from anjian.registry.services import region_codes, require_certified

BASIS_KINDS = "《中华人民共和国行政处罚法》第四十六条"
BASIS_PRESERVATION = "《中华人民共和国行政处罚法》第五十六条"


def _codes(agency: Agency) -> dict[str, Any]:
    return {"region": agency.region, **region_codes(agency.region)}


def check_not_future(value: dt.date | dt.datetime, field_zh: str, field: str) -> None:
    """Refuse a date (or time) in the future: a record states what happened."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise DomainError(
                "naive_datetime",
                f"{field_zh}须带时区。",
                f"{field} needs a time zone.",
                details={"field": field},
                status=422,
            )
        future = value > timezone.now() + dt.timedelta(minutes=5)
    else:
        future = value > timezone.localdate()
    if future:
        raise DomainError(
            "date_in_future",
            f"{field_zh}不能晚于今天（{timezone.localdate():%Y年%m月%d日}）。",
            f"{field} cannot be in the future.",
            details={"field": field},
            status=422,
        )


# ------------------------------------------------------------------------------------ evidence


def register_evidence(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    title: str,
    collected_at: dt.datetime,
    place: str,
    source: str,
    method: str,
    collectors: Sequence[Officer],
    enterprise: Enterprise | None = None,
    description: str = "",
    method_note: str = "",
    holder: str = "",
) -> Evidence:
    """Record one piece of evidence with its first custody event (collected).

    行政处罚法第四十六条 (the lawful kinds), 第四十二条 and 第五十五条 (at least two certified officers
    collect it)."""
    if kind not in EvidenceKind.values:
        raise DomainError(
            "evidence_kind",
            f"证据种类“{kind}”不属于法定证据种类（{BASIS_KINDS}）：{'、'.join(chinese_labels(EvidenceKind).values())}。",
            f"{kind!r} is not one of the eight lawful kinds of evidence (APL Art 46).",
            details={"allowed": EvidenceKind.values},
            status=422,
        )
    if method not in CollectionMethod.values:
        raise DomainError(
            "evidence_method",
            f"未知的收集方式“{method}”。",
            f"Unknown collection method {method!r}.",
            details={"allowed": CollectionMethod.values},
            status=422,
        )
    missing = [
        label
        for label, value in (("名称", title), ("收集地点", place), ("来源", source))
        if not value.strip()
    ]
    if missing:
        raise DomainError(
            "evidence_incomplete",
            f"请填写：{'、'.join(missing)}。",
            "Title, place and source are required.",
            status=422,
        )
    check_not_future(collected_at, "收集时间", "collected_at")
    require_certified(list(collectors), on=timezone.localtime(collected_at).date(), minimum=2)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            agency=agency,
            enterprise=enterprise,
            kind=kind,
            title=title.strip(),
            description=description,
            collected_at=collected_at,
            place=place.strip(),
            source=source.strip(),
            method=method,
            method_note=method_note,
            holder=holder,
            created_by=actor,
            **_codes(agency),
        )
        evidence.collectors.set(collectors)
        CustodyEvent.objects.create(
            evidence=evidence,
            action=CustodyAction.COLLECTED,
            occurred_at=collected_at,
            to_holder=holder,
            place=place,
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="evidence.register",
            obj=evidence,
            after={**audit.snapshot(evidence), "collectors": [o.pk for o in collectors]},
        )
        return evidence


def check_file(upload: Any) -> FileType:
    """Refuse an upload of a type not allowed, too large, empty or whose content is not its type
    (a 422 ``DomainError``), before anything is written: a caller that saves a record with the
    file checks it first, so a refused file saves nothing."""
    name = getattr(upload, "name", "") or ""
    size = int(getattr(upload, "size", 0) or 0)
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    return check_upload(name, size, head)


def attach_file(*, actor: Any, evidence: Evidence, upload: Any) -> EvidenceFile:
    """Store an uploaded file under MEDIA_ROOT, hashing it as it is written (SHA-256)."""
    name = getattr(upload, "name", "") or ""
    file_type = check_file(upload)
    wrapped = HashingFile(upload, name)
    record = EvidenceFile(
        evidence=evidence,
        original_name=name[:255],
        content_type=file_type.content_type,
        size=0,
        sha256="",
        uploaded_by=actor,
    )
    record.file.save(name, wrapped, save=False)
    try:
        with transaction.atomic():
            record.sha256 = wrapped.digest.hexdigest()
            record.size = wrapped.written
            record.save()
            audit.record(
                actor=actor,
                action="evidence.attach_file",
                obj=record,
                after={
                    "evidence_id": evidence.pk,
                    "original_name": record.original_name,
                    "size": record.size,
                    "sha256": record.sha256,
                    "stored_as": record.file.name,
                },
            )
    except Exception:
        default_storage.delete(record.file.name)
        raise
    return record


class FileIntegrityError(DomainError):
    status = 409


def verify_for_download(*, actor: Any, evidence_file: EvidenceFile) -> EvidenceFile:
    """Re-hash the stored file; refuse (and audit the refusal) when it no longer matches.

    The refusal's audit entry is committed even though the download fails."""
    name = evidence_file.file.name
    try:
        digest, size = hash_stored(default_storage, name)
    except FileNotFoundError:
        digest, size = "", -1
    if digest != evidence_file.sha256:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="evidence.file_integrity_failed",
                obj=evidence_file,
                after={
                    "evidence_id": evidence_file.evidence_id,
                    "expected_sha256": evidence_file.sha256,
                    "found_sha256": digest or None,
                    "found_size": size,
                    "stored_as": name,
                },
            )
        raise FileIntegrityError(
            "evidence_file_tampered",
            f"证据文件“{evidence_file.original_name}”的校验值与登记时不一致（文件可能被改动或缺失），"
            "已拒绝下载并记入审计日志，请报告系统管理员。",
            "The evidence file no longer matches its recorded SHA-256; the download was refused "
            "and audited.",
            details={"expected_sha256": evidence_file.sha256, "found_sha256": digest or None},
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="evidence.download_file",
            obj=evidence_file,
            after={"evidence_id": evidence_file.evidence_id, "sha256": digest},
        )
    return evidence_file


# ------------------------------------------------------------------------------------- custody

#: Which custody action may follow the current status.
CUSTODY_NEXT: dict[str, frozenset[str]] = {
    CustodyStatus.COLLECTED: frozenset(
        {
            CustodyAction.SEALED,
            CustodyAction.TRANSFERRED,
            CustodyAction.RETURNED,
            CustodyAction.DESTROYED,
        }
    ),
    CustodyStatus.SEALED: frozenset(
        {CustodyAction.TRANSFERRED, CustodyAction.RETURNED, CustodyAction.DESTROYED}
    ),
    CustodyStatus.TRANSFERRED: frozenset(
        {
            CustodyAction.SEALED,
            CustodyAction.TRANSFERRED,
            CustodyAction.RETURNED,
            CustodyAction.DESTROYED,
        }
    ),
    CustodyStatus.RETURNED: frozenset(),
    CustodyStatus.DESTROYED: frozenset(),
}

_STATUS_AFTER: dict[str, str] = {
    CustodyAction.SEALED: CustodyStatus.SEALED,
    CustodyAction.TRANSFERRED: CustodyStatus.TRANSFERRED,
    CustodyAction.RETURNED: CustodyStatus.RETURNED,
    CustodyAction.DESTROYED: CustodyStatus.DESTROYED,
}


def record_custody(
    *,
    actor: Any,
    evidence: Evidence,
    action: str,
    occurred_at: dt.datetime,
    to_holder: str = "",
    place: str = "",
    note: str = "",
) -> CustodyEvent:
    if action not in _STATUS_AFTER:
        raise DomainError(
            "custody_action",
            f"未知的保管动作“{action}”。",
            f"Unknown custody action {action!r}.",
            details={"allowed": sorted(_STATUS_AFTER)},
            status=422,
        )
    check_not_future(occurred_at, "发生时间", "occurred_at")
    if action in {CustodyAction.TRANSFERRED} and not to_holder.strip():
        raise DomainError(
            "custody_holder_required",
            "移交须写明接收人或保管地点。",
            "A transfer names the receiving holder.",
            status=422,
        )
    if action == CustodyAction.DESTROYED and not note.strip():
        raise DomainError(
            "custody_note_required",
            "销毁须写明依据和经手人。",
            "A destruction states its basis.",
            status=422,
        )
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        allowed = CUSTODY_NEXT[locked.custody_status]
        if action not in allowed:
            raise Conflict(
                "custody_transition",
                f"证据当前状态为“{chinese(locked.get_custody_status_display())}”，不能再"
                f"“{chinese(CustodyAction(action).label)}”。",
                f"Custody status {locked.custody_status} does not allow {action}.",
                details={"allowed": sorted(allowed)},
            )
        last = locked.custody_events.order_by("-occurred_at").first()
        if occurred_at < locked.collected_at or (
            last is not None and occurred_at < last.occurred_at
        ):
            raise DomainError(
                "custody_time_order",
                "保管记录的时间不能早于收集时间或上一条保管记录。",
                "A custody event cannot precede the collection or the previous event.",
                status=422,
            )
        before = {"custody_status": locked.custody_status, "holder": locked.holder}
        event = CustodyEvent.objects.create(
            evidence=locked,
            action=action,
            occurred_at=occurred_at,
            from_holder=locked.holder,
            to_holder=to_holder,
            place=place,
            note=note,
            actor=actor,
        )
        locked.custody_status = _STATUS_AFTER[action]
        if to_holder:
            locked.holder = to_holder
        locked.save(update_fields=["custody_status", "holder"])
        audit.record(
            actor=actor,
            action="evidence.record_custody",
            obj=locked,
            before=before,
            after={
                "custody_status": locked.custody_status,
                "holder": locked.holder,
                "event": audit.snapshot(event),
            },
        )
        return event


def exclude_evidence(*, actor: Any, evidence: Evidence, reason: str) -> Evidence:
    """以非法手段取得的证据，不得作为认定案件事实的根据 (行政处罚法第四十六条第三款)."""
    if not reason.strip():
        raise DomainError(
            "reason_required", "请写明排除理由。", "Give the reason for the exclusion.", status=422
        )
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        locked.is_excluded = True
        locked.exclusion_reason = reason.strip()[:300]
        locked.save(update_fields=["is_excluded", "exclusion_reason"])
        audit.record(
            actor=actor,
            action="evidence.exclude",
            obj=locked,
            after={"reason": locked.exclusion_reason},
        )
        return locked


# ---------------------------------------------------------------------------------- preservation


def start_preservation(
    *,
    actor: Any,
    agency: Agency,
    evidence: Sequence[Evidence],
    items: str,
    place: str,
    approved_by: Officer,
    approved_on: dt.date,
    started_on: dt.date,
    enterprise: Enterprise | None = None,
) -> Preservation:
    """先行登记保存 (行政处罚法第五十六条): approved by the head of the agency; the handling decision
    is due within seven working days (第八十五条), computed with the working calendar."""
    if not items.strip() or not place.strip():
        raise DomainError(
            "preservation_incomplete",
            "请填写保存物品清单和保存地点。",
            "Items and place are required.",
            status=422,
        )
    if approved_by.agency_id != agency.pk or not user_can(
        approved_by.user, "evidence.approve_preservation"
    ):
        raise DomainError(
            "preservation_approver",
            f"先行登记保存须经行政机关负责人批准（{BASIS_PRESERVATION}）；{approved_by.name}"
            "不是本机关负责人。",
            "Evidence preservation needs the approval of the head of the agency (APL Art 56).",
            status=422,
        )
    check_not_future(started_on, "保存日期", "started_on")
    if started_on < approved_on:
        raise DomainError(
            "preservation_before_approval",
            f"先行登记保存须先经批准（{BASIS_PRESERVATION}）：保存日期早于批准日期。",
            "Preservation cannot start before its approval (APL Art 56).",
            status=422,
        )
    due = compute_due("evidence_preservation_decision", started_on, calendar=current_calendar())
    with transaction.atomic():
        preservation = Preservation.objects.create(
            agency=agency,
            enterprise=enterprise,
            items=items.strip(),
            place=place.strip(),
            approved_by=approved_by,
            approved_on=approved_on,
            started_on=started_on,
            due_on=due.due if isinstance(due.due, dt.date) else None,
            due_rule=due.rule_id,
            due_flags=list(due.flags),
            created_by=actor,
            **_codes(agency),
        )
        preservation.evidence.set(evidence)
        audit.record(
            actor=actor,
            action="evidence.start_preservation",
            obj=preservation,
            after={**audit.snapshot(preservation), "evidence": [e.pk for e in evidence]},
        )
        return preservation


def decide_preservation(
    *,
    actor: Any,
    preservation: Preservation,
    decision: str,
    decided_on: dt.date,
    note: str = "",
    late_reason: str = "",
) -> Preservation:
    if decision not in PreservationDecision.values:
        raise DomainError(
            "preservation_decision",
            f"未知的处理决定“{decision}”。",
            f"Unknown decision {decision!r}.",
            details={"allowed": PreservationDecision.values},
            status=422,
        )
    check_not_future(decided_on, "处理决定日期", "decided_on")
    with transaction.atomic():
        locked = Preservation.objects.select_for_update().get(pk=preservation.pk)
        if locked.decided_on is not None:
            raise Conflict(
                "preservation_decided",
                "该先行登记保存已作出处理决定。",
                "A decision was already made.",
            )
        if decided_on < locked.started_on:
            raise DomainError(
                "date_before_start",
                "处理决定日期不能早于保存日期。",
                "The decision cannot precede the preservation.",
                status=422,
            )
        if locked.due_on is not None and decided_on > locked.due_on and not late_reason.strip():
            raise DomainError(
                "preservation_late",
                f"应当在七日内（工作日）作出处理决定，期限至{locked.due_on:%Y年%m月%d日}"
                f"（{BASIS_PRESERVATION}、第八十五条）；逾期作出须写明理由，并将提交审查。",
                "The decision is due within seven working days (APL Art 56, 85); a late decision "
                "needs a written reason and is flagged for review.",
                details={"due_on": locked.due_on.isoformat()},
                status=422,
            )
        before = audit.snapshot(locked)
        locked.decision = decision
        locked.decided_on = decided_on
        locked.decision_note = note
        locked.late_reason = late_reason.strip()
        locked.decided_by = actor
        locked.save()
        audit.record(
            actor=actor,
            action="evidence.decide_preservation",
            obj=locked,
            before=before,
            after=audit.snapshot(locked),
        )
        return locked

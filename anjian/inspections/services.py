"""Writes on field inspections. Each service is one transaction that records its audit entry.

Legal checks live here, with the reason in Chinese: a team of at least two certified officers
(行政处罚法第四十二条, 安全生产法第六十七条), only published items (清单之外无检查), the
representative's signature or the refusal on record with a witness (安全生产法第六十八条), on-site
measures only for a major hazard (安全生产法第六十五条第一款第（三）项), a re-inspection before the
deadline only with a stated reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anjian.audit import services as audit
from anjian.core.errors import Conflict, DomainError
from anjian.documents import services as document_services
from anjian.inspections.itemlist import ItemListData, load_item_list
from anjian.inspections.models import (
    Acknowledgement,
    Attachment,
    AttachmentKind,
    CaseProposal,
    Finding,
    FindingStatus,
    HazardLevel,
    Inspection,
    InspectionKind,
    InspectionScheme,
    InspectionStatus,
    Item,
    ItemList,
    ItemListStatus,
    ItemResult,
    ItemResultValue,
    Measure,
    OnSiteMeasure,
    OnSiteMeasureKind,
    OrderOfficer,
    OrderStatus,
    ProposalSource,
    RectificationOrder,
    Reinspection,
    ReinspectionOutcome,
    SchemeStatus,
)
from anjian.law.core.catalog import Citation, default_catalog
from anjian.planning import services as planning_services
from anjian.planning.models import InspectionTask, TaskStatus
from anjian.registry.models import Agency, Enterprise, Officer
from anjian.registry.services import region_codes, require_certified

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}

LEGAL_TEAM = "《中华人民共和国行政处罚法》第四十二条、《中华人民共和国安全生产法》第六十七条"
LEGAL_RECORD = "《中华人民共和国安全生产法》第六十八条"
LEGAL_MEASURE = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"
# 国办发〔2024〕54号《关于严格规范涉企行政检查的意见》: no text of it under ../shared/law, so the
# citation is marked unverified (LEGAL-FACTS.md §2.9, confidence M). 行政处罚法第三十九条 (public
# disclosure of the penalty's basis and procedure) is not this rule.
LEGAL_LIST = "清单之外无检查：检查事项须经公布（国办发〔2024〕54号，未经核实）"

# The documents an inspection numbers, as catalogue types (anjian/documents/data/catalogue.yaml):
# the catalogue gives each its code in the number, （苏宁玄）应急现记〔2026〕12号 (LEGAL-FACTS §2.8 C).
DOC_RECORD = "inspection_record"  # 现记
DOC_ORDER = "rectification_order"  # 责改
DOC_MEASURE = "onsite_measure_decision"  # 现决
DOC_REINSPECTION = "reinspection_opinion"  # 复查


def _error(code: str, message: str, message_en: str, **kwargs: Any) -> DomainError:
    return DomainError(code, message, message_en, **kwargs)


def next_document_number(*, agency: Agency, type_id: str, on: dt.date) -> str:
    """The next number of a document type for an agency in ``on``'s year, from the documents
    app's counter (one gapless counter per agency, code and year, shared with the documents it
    issues). Call inside the record's transaction: the counter row stays locked until it ends, and
    a rolled-back record gives its number back."""
    return document_services.allocate_number(agency=agency, type_id=type_id, on=on).text


# ---------------------------------------------------------------------------------------------
# The item list


def current_item_list() -> ItemList | None:
    return ItemList.objects.filter(status=ItemListStatus.PUBLISHED).first()


def import_item_list(*, actor: Any, data: ItemListData) -> ItemList:
    """Store a validated item list as a new draft version (not yet usable in inspections)."""
    with transaction.atomic():
        # The unique version refuses a concurrent import of the same number.
        last = ItemList.objects.aggregate(v=Max("version"))["v"] or 0
        item_list = ItemList.objects.create(
            version=last + 1,
            title=data.title,
            edition=data.edition,
            notes=data.notes,
            source_name=data.source_name,
            source_sha256=data.source_sha256,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        Item.objects.bulk_create(
            [
                Item(
                    item_list=item_list,
                    code=item.code,
                    title=item.title,
                    domain=item.domain,
                    category=item.category,
                    check_points=item.check_points,
                    basis=[b.as_dict() for b in item.basis],
                    violation_codes=list(item.violation_codes),
                    industries=list(item.industries),
                    tags=list(item.tags),
                    executing_body=item.executing_body,
                    responsibility=item.responsibility,
                    note=item.note,
                    position=item.position,
                )
                for item in data.items
            ]
        )
        audit.record(
            actor=actor,
            action="inspections.import_item_list",
            obj=item_list,
            after={
                "version": item_list.version,
                "title": item_list.title,
                "items": len(data.items),
                "source_sha256": data.source_sha256,
            },
        )
        return item_list


def publish_item_list(*, actor: Any, item_list: ItemList) -> ItemList:
    """Publish a draft version: it becomes the list in use and is frozen; the previous one is superseded."""
    with transaction.atomic():
        item_list = ItemList.objects.select_for_update().get(pk=item_list.pk)
        if item_list.status != ItemListStatus.DRAFT:
            raise Conflict(
                "item_list_not_draft",
                f"第{item_list.version}版检查事项清单已公布，不能再次公布或修改；请导入新版本。",
                "This version was published already; import a new version instead.",
            )
        if not item_list.items.exists():
            raise _error("item_list_empty", "检查事项清单没有事项。", "The item list is empty.")
        now = timezone.now()
        previous = ItemList.objects.select_for_update().filter(status=ItemListStatus.PUBLISHED)
        superseded = [p.version for p in previous]
        previous.update(status=ItemListStatus.SUPERSEDED, superseded_at=now)
        item_list.status = ItemListStatus.PUBLISHED
        item_list.published_at = now
        item_list.published_by = actor if getattr(actor, "pk", None) else None
        item_list.save(update_fields=["status", "published_at", "published_by"])
        audit.record(
            actor=actor,
            action="inspections.publish_item_list",
            obj=item_list,
            after={"version": item_list.version, "supersedes": superseded},
        )
        return item_list


def publish_packaged_item_list(*, actor: Any, path: Any = None) -> ItemList:
    """Import and publish the item list shipped with the product (idempotent: same file, same version)."""
    data = load_item_list(path)
    current = current_item_list()
    if current is not None and current.source_sha256 == data.source_sha256:
        return current
    with transaction.atomic():
        return publish_item_list(actor=actor, item_list=import_item_list(actor=actor, data=data))


def _require_published_items(
    items: Iterable[Item], *, scheme: InspectionScheme | None = None
) -> None:
    allowed_in_scheme: set[int] | None = None
    if scheme is not None:
        allowed_in_scheme = set(scheme.items.values_list("pk", flat=True))
    for item in items:
        if not item.item_list.was_published:
            raise _error(
                "item_not_published",
                f"检查事项“{item.code} {item.title}”不在已公布的检查事项清单内，不得据此检查（{LEGAL_LIST}）。",
                f"Item {item.code} is not on a published item list: no inspection outside the list.",
                details={"item": item.code},
            )
        if allowed_in_scheme is not None and item.pk not in allowed_in_scheme:
            raise _error(
                "item_outside_scheme",
                f"检查事项“{item.code} {item.title}”不在检查方案确定的检查内容内。",
                f"Item {item.code} is not among the scheme's items.",
                details={"item": item.code},
            )


# ---------------------------------------------------------------------------------------------
# Inspection schemes (检查方案)


@dataclass
class SchemeInput:
    title: str
    kind: str
    period_start: dt.date
    period_end: dt.date
    scope_note: str = ""
    enterprises: Sequence[Enterprise] = ()
    selection: dict[str, str] = field(default_factory=dict)
    items: Sequence[Item] = ()
    officers: Sequence[Officer] = ()


def _validate_scheme(data: SchemeInput) -> None:
    if not data.title.strip():
        raise _error("scheme_title", "请填写方案名称。", "A title is required.")
    if data.kind not in InspectionKind.values:
        raise _error("scheme_kind", "检查方式无效。", "Unknown kind.")
    if data.period_end < data.period_start:
        raise _error(
            "scheme_period", "检查期间止不能早于检查期间起。", "The period ends before it starts."
        )
    selection = {k: v for k, v in (data.selection or {}).items() if v}
    if not data.enterprises and not selection:
        raise _error(
            "scheme_scope",
            "请确定检查范围：点名检查对象，或者填写筛选条件（行业、重点监管类别）。",
            "Name enterprises or give a selection.",
        )
    if not data.items:
        raise _error(
            "scheme_items", "请从检查事项清单中选择检查内容。", "Choose items from the list."
        )
    _require_published_items(data.items)
    require_certified(list(data.officers), on=data.period_start, minimum=2)


def create_scheme(*, actor: Any, agency: Agency, data: SchemeInput) -> InspectionScheme:
    _validate_scheme(data)
    with transaction.atomic():
        scheme = InspectionScheme.objects.create(
            agency=agency,
            title=data.title.strip(),
            kind=data.kind,
            period_start=data.period_start,
            period_end=data.period_end,
            scope_note=data.scope_note.strip(),
            selection={k: v for k, v in (data.selection or {}).items() if v},
            created_by=actor,
            region=agency.region,
            **region_codes(agency.region),
        )
        scheme.enterprises.set(data.enterprises)
        scheme.items.set(data.items)
        scheme.officers.set(data.officers)
        audit.record(
            actor=actor,
            action="inspections.create_scheme",
            obj=scheme,
            after={
                **audit.snapshot(scheme),
                "enterprises": [e.pk for e in data.enterprises],
                "items": [i.code for i in data.items],
                "officers": [o.pk for o in data.officers],
            },
        )
        return scheme


def submit_scheme(*, actor: Any, scheme: InspectionScheme) -> InspectionScheme:
    with transaction.atomic():
        scheme = InspectionScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.status not in {SchemeStatus.DRAFT, SchemeStatus.REJECTED}:
            raise Conflict(
                "scheme_not_draft", "方案已报批或已批准。", "The scheme was submitted already."
            )
        before = scheme.status
        scheme.status = SchemeStatus.SUBMITTED
        scheme.submitted_at = timezone.now()
        scheme.save(update_fields=["status", "submitted_at"])
        audit.record(
            actor=actor,
            action="inspections.submit_scheme",
            obj=scheme,
            before={"status": before},
            after={"status": scheme.status},
        )
        return scheme


def decide_scheme(
    *, actor: Any, scheme: InspectionScheme, approve: bool, note: str = ""
) -> InspectionScheme:
    """Approve or return a submitted scheme (检查方案须经审批后实施)."""
    if not approve and not note.strip():
        raise _error(
            "scheme_reject_reason", "退回方案须写明理由。", "Give a reason to return the scheme."
        )
    with transaction.atomic():
        scheme = InspectionScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.status != SchemeStatus.SUBMITTED:
            raise Conflict(
                "scheme_not_submitted", "只能审批待审批的方案。", "Only a submitted scheme."
            )
        scheme.status = SchemeStatus.APPROVED if approve else SchemeStatus.REJECTED
        scheme.decided_by = actor
        scheme.decided_at = timezone.now()
        scheme.decision_note = note.strip()
        scheme.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(
            actor=actor,
            action="inspections.approve_scheme" if approve else "inspections.reject_scheme",
            obj=scheme,
            before={"status": SchemeStatus.SUBMITTED},
            after={"status": scheme.status, "note": scheme.decision_note},
        )
        return scheme


def scheme_covers(scheme: InspectionScheme, enterprise: Enterprise) -> bool:
    if scheme.enterprises.filter(pk=enterprise.pk).exists():
        return True
    selection = scheme.selection or {}
    if not selection:
        return False
    industry = selection.get("industry", "")
    tag = selection.get("tag", "")
    if industry and not enterprise.industry.code.startswith(industry):
        return False
    return not tag or enterprise.tags.filter(tag=tag).exists()


# ---------------------------------------------------------------------------------------------
# Inspection records


def start_inspection(
    *,
    actor: Any,
    enterprise: Enterprise,
    agency: Agency,
    kind: str,
    started_at: dt.datetime | None = None,
    task: InspectionTask | None = None,
    scheme: InspectionScheme | None = None,
    officers: Sequence[Officer] = (),
    place: str = "",
) -> Inspection:
    """Open a draft record for an enterprise (from a task, a scheme or on the spot)."""
    item_list = current_item_list()
    if item_list is None:
        raise _error(
            "no_item_list",
            f"尚未公布检查事项清单，不能开展检查（{LEGAL_LIST}）。",
            "No item list is published: no inspection outside the list.",
        )
    if task is not None:
        if task.enterprise_id != enterprise.pk:
            raise _error(
                "task_enterprise", "任务的检查对象不符。", "The task is for another enterprise."
            )
        existing = Inspection.objects.filter(task=task, status=InspectionStatus.DRAFT).first()
        if existing is not None:
            return existing
        if task.status != TaskStatus.OPEN:
            raise Conflict("task_not_open", "该检查任务已完成或已取消。", "The task is not open.")
        kind = task.kind if task.kind in InspectionKind.values else InspectionKind.PLANNED
        officers = officers or list(task.officers.all())
        team = getattr(task, "team", None)
        if not officers and team is not None:
            officers = list(team.officers.filter(is_active=True))
    if kind not in InspectionKind.values:
        raise _error("inspection_kind", "检查方式无效。", "Unknown inspection kind.")
    started = started_at or timezone.now()
    if scheme is not None:
        if scheme.status != SchemeStatus.APPROVED:
            raise _error(
                "scheme_not_approved",
                "检查方案尚未批准，不能据此检查。",
                "The scheme is not approved.",
            )
        day = timezone.localdate(started)
        if not scheme.period_start <= day <= scheme.period_end:
            raise _error(
                "scheme_period",
                "检查日期不在方案确定的检查期间内。",
                "Outside the scheme's period.",
            )
        if not scheme_covers(scheme, enterprise):
            raise _error(
                "scheme_scope", "该单位不在检查方案的检查范围内。", "Outside the scheme's scope."
            )
    with transaction.atomic():
        inspection = Inspection.objects.create(
            agency=agency,
            enterprise=enterprise,
            task=task,
            scheme=scheme,
            item_list=item_list,
            kind=kind,
            started_at=started,
            place=place or enterprise.address,
            created_by=actor,
            region=enterprise.region,
            **region_codes(enterprise.region),
        )
        if officers:
            inspection.officers.set(officers)
        audit.record(
            actor=actor,
            action="inspections.start_inspection",
            obj=inspection,
            after={**audit.snapshot(inspection), "officers": [o.pk for o in officers]},
        )
        return inspection


@dataclass
class ResultInput:
    item_id: int
    result: str
    note: str = ""


@dataclass
class FindingInput:
    item_id: int
    description: str
    location: str = ""
    hazard_level: str = HazardLevel.ORDINARY
    violation_code: str = ""
    measure: str = Measure.RECTIFICATION
    deadline: dt.date | None = None
    propose_case: bool = False
    id: int | None = None


@dataclass
class RecordInput:
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    place: str = ""
    officers: Sequence[Officer] | None = None
    summary: str = ""
    results: Sequence[ResultInput] = ()
    findings: Sequence[FindingInput] = ()
    representative_name: str = ""
    representative_title: str = ""
    acknowledgement: str = ""
    refusal_note: str = ""
    witness_name: str = ""


def _provision_for(item: Item, violation_code: str) -> str:
    if violation_code:
        violation = default_catalog().violation(violation_code)
        if violation.violated_provisions:
            return violation.violated_provisions[0].short()
        return violation.penalty_provision.short()
    return item.basis[0]["citation"] if item.basis else ""


def _check_record_input(inspection: Inspection, data: RecordInput) -> dict[int, Item]:
    item_ids = {r.item_id for r in data.results} | {f.item_id for f in data.findings}
    items = {i.pk: i for i in Item.objects.select_related("item_list").filter(pk__in=item_ids)}
    for item_id in item_ids:
        item = items.get(item_id)
        if item is None:
            raise _error(
                "item_unknown",
                f"检查事项（编号{item_id}）不存在（{LEGAL_LIST}）。",
                f"Unknown item {item_id}.",
            )
        if item.item_list_id != inspection.item_list_id:
            raise _error(
                "item_not_published",
                f"检查事项“{item.code} {item.title}”不属于本次检查使用的已公布清单（第"
                f"{inspection.item_list.version}版），不得据此检查（{LEGAL_LIST}）。",
                f"Item {item.code} is not on the published list this inspection uses.",
                details={"item": item.code},
            )
    _require_published_items(items.values(), scheme=inspection.scheme)
    for result in data.results:
        if result.result not in ItemResultValue.values:
            raise _error(
                "result_value",
                "检查结果只能是“符合”“发现问题”或“不适用”。",
                "A result is compliant, finding or not applicable.",
            )
    catalog = default_catalog()
    for finding in data.findings:
        if finding.hazard_level not in HazardLevel.values:
            raise _error("hazard_level", "隐患等级无效。", "Unknown hazard level.")
        if finding.measure not in Measure.values:
            raise _error("measure", "处理方式无效。", "Unknown measure.")
        if finding.violation_code:
            try:
                catalog.violation(finding.violation_code)
            except KeyError:
                raise _error(
                    "violation_code",
                    f"违法行为代码“{finding.violation_code}”不在法规库中。",
                    f"Unknown violation code {finding.violation_code}.",
                ) from None
    if data.acknowledgement not in Acknowledgement.values:
        raise _error("acknowledgement", "签字情况无效。", "Unknown acknowledgement.")
    return items


def save_draft(*, actor: Any, inspection: Inspection, data: RecordInput) -> Inspection:
    """Keep everything typed so far (no legal completeness check: that is ``submit_inspection``)."""
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("item_list")
            .get(pk=inspection.pk)
        )
        if not inspection.is_draft:
            raise Conflict(
                "inspection_submitted",
                "检查记录已提交，不能再修改。",
                "The record was submitted and cannot change.",
            )
        items = _check_record_input(inspection, data)
        if data.started_at is not None:
            inspection.started_at = data.started_at
        inspection.ended_at = data.ended_at
        if inspection.ended_at is not None and inspection.ended_at < inspection.started_at:
            raise _error(
                "record_times", "检查结束时间不能早于开始时间。", "The end is before the start."
            )
        inspection.place = data.place.strip()[:300]
        inspection.summary = data.summary.strip()
        inspection.representative_name = data.representative_name.strip()[:50]
        inspection.representative_title = data.representative_title.strip()[:50]
        inspection.acknowledgement = data.acknowledgement
        inspection.refusal_note = data.refusal_note.strip()
        inspection.witness_name = data.witness_name.strip()[:100]
        inspection.save()
        if data.officers is not None:
            inspection.officers.set(data.officers)
        ItemResult.objects.filter(inspection=inspection).delete()
        ItemResult.objects.bulk_create(
            [
                ItemResult(
                    inspection=inspection, item_id=r.item_id, result=r.result, note=r.note[:500]
                )
                for r in {r.item_id: r for r in data.results}.values()
            ]
        )
        existing = {f.pk: f for f in inspection.findings.all()}
        kept: set[int] = set()
        for position, finding_input in enumerate(data.findings, start=1):
            finding = existing.get(finding_input.id) if finding_input.id else None
            if finding is None:
                finding = Finding(inspection=inspection)
            finding.item = items[finding_input.item_id]
            finding.description = finding_input.description.strip()
            finding.location = finding_input.location.strip()[:200]
            finding.hazard_level = finding_input.hazard_level
            finding.violation_code = finding_input.violation_code
            finding.provision = _provision_for(finding.item, finding_input.violation_code)
            finding.measure = finding_input.measure
            finding.deadline = (
                finding_input.deadline if finding_input.measure == Measure.RECTIFICATION else None
            )
            finding.propose_case = finding_input.propose_case
            finding.position = position
            finding.save()
            kept.add(finding.pk)
        removed = [pk for pk in existing if pk not in kept]
        if removed:
            Attachment.objects.filter(finding_id__in=removed).update(finding=None)
            OnSiteMeasure.objects.filter(finding_id__in=removed).delete()
            Finding.objects.filter(pk__in=removed).delete()
        audit.record(
            actor=actor,
            action="inspections.save_draft",
            obj=inspection,
            after={
                "results": len(data.results),
                "findings": sorted(kept),
                "removed_findings": removed,
                "officers": [o.pk for o in data.officers] if data.officers is not None else None,
                "acknowledgement": inspection.acknowledgement,
            },
        )
        return inspection


def _team_snapshot(officers: Sequence[Officer], on: dt.date) -> list[dict[str, Any]]:
    snapshot = []
    for officer in officers:
        certificate = officer.valid_certificate(on)
        snapshot.append(
            {
                "officer_id": officer.pk,
                "name": officer.name,
                "certificate": certificate.number if certificate else "",
            }
        )
    return snapshot


def submit_inspection(*, actor: Any, inspection: Inspection) -> Inspection:
    """Check the record against the law and submit it; issue the rectification order; complete the task."""
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("item_list", "agency", "enterprise", "task", "scheme")
            .get(pk=inspection.pk)
        )
        if not inspection.is_draft:
            raise Conflict(
                "inspection_submitted", "检查记录已提交。", "The record was submitted already."
            )
        day = inspection.inspected_on
        officers = list(inspection.officers.prefetch_related("certificates"))
        try:
            require_certified(officers, on=day, minimum=2)
        except DomainError as error:
            raise _error(
                error.code,
                f"{error.message.rstrip('。')}；执行监督检查任务时须出示有效的执法证件（{LEGAL_TEAM}）。",
                error.message_en,
                details=error.details,
            ) from None
        results = list(inspection.results.select_related("item__item_list"))
        if not results:
            raise _error(
                "record_empty",
                "尚未记录任何检查事项的结果。",
                "No item was recorded.",
            )
        _require_published_items([r.item for r in results], scheme=inspection.scheme)
        findings = list(inspection.findings.select_related("item"))
        findings_by_item: dict[int, list[Finding]] = {}
        for finding in findings:
            findings_by_item.setdefault(finding.item_id, []).append(finding)
        result_by_item = {r.item_id: r for r in results}
        for result in results:
            if result.result == ItemResultValue.FINDING and not findings_by_item.get(
                result.item_id
            ):
                raise _error(
                    "finding_missing",
                    f"事项“{result.item.code} {result.item.title}”标记为发现问题，请填写问题描述。",
                    f"Item {result.item.code} is marked as a finding: describe it.",
                    details={"item": result.item.code},
                )
        for finding in findings:
            where = f"事项“{finding.item.code} {finding.item.title}”"
            found = result_by_item.get(finding.item_id)
            if found is None or found.result != ItemResultValue.FINDING:
                raise _error(
                    "finding_without_result",
                    f"{where}有问题记录，但检查结果不是“发现问题”。",
                    f"Item {finding.item.code} has a finding but is not marked as one.",
                )
            if not finding.description:
                raise _error(
                    "finding_description",
                    f"{where}：请填写问题描述。",
                    "Describe the finding.",
                    details={"item": finding.item.code},
                )
            if finding.measure == Measure.RECTIFICATION:
                if finding.deadline is None:
                    raise _error(
                        "finding_deadline",
                        f"{where}：责令限期整改须写明整改期限。",
                        "A rectification order needs a deadline.",
                        details={"item": finding.item.code},
                    )
                if finding.deadline <= day:
                    raise _error(
                        "finding_deadline",
                        f"{where}：整改期限须晚于检查日期（{day:%Y年%m月%d日}）；能当场改正的，选择“当场纠正”。",
                        "The deadline must be after the inspection day.",
                        details={"item": finding.item.code},
                    )
        if inspection.ended_at is None:
            inspection.ended_at = max(timezone.now(), inspection.started_at)
        if inspection.acknowledgement == Acknowledgement.SIGNED:
            if not inspection.representative_name:
                raise _error(
                    "representative_missing",
                    f"请填写签字的被检查单位负责人姓名（{LEGAL_RECORD}）。",
                    "Name the representative who signed.",
                )
            if not inspection.attachments.filter(kind=AttachmentKind.SIGNATURE).exists():
                raise _error(
                    "signature_missing",
                    f"被检查单位负责人签字后，请上传签字图像（{LEGAL_RECORD}）。",
                    "Upload the signature image.",
                )
        elif inspection.acknowledgement == Acknowledgement.REFUSED:
            if not inspection.refusal_note or not inspection.witness_name:
                raise _error(
                    "refusal_incomplete",
                    f"负责人拒绝签字的，检查人员应当将情况记录在案，并注明见证人（{LEGAL_RECORD}）。",
                    "A refusal to sign is recorded with a witness.",
                )
        else:
            raise _error(
                "acknowledgement_missing",
                f"检查记录须由被检查单位负责人签字；拒绝签字的，应当记录在案并注明见证人（{LEGAL_RECORD}）。",
                "The representative signs, or the refusal is recorded with a witness.",
            )
        inspection.team_snapshot = _team_snapshot(officers, day)
        inspection.number = next_document_number(
            agency=inspection.agency, type_id=DOC_RECORD, on=day
        )
        inspection.status = InspectionStatus.SUBMITTED
        inspection.submitted_at = timezone.now()
        inspection.submitted_by = actor
        inspection.save()
        rectification = [f for f in findings if f.measure == Measure.RECTIFICATION]
        on_spot = [f.pk for f in findings if f.measure == Measure.ON_SPOT]
        Finding.objects.filter(pk__in=on_spot).update(status=FindingStatus.CORRECTED)
        order = None
        if rectification:
            order = RectificationOrder.objects.create(
                inspection=inspection,
                number=next_document_number(agency=inspection.agency, type_id=DOC_ORDER, on=day),
                issued_on=day,
                deadline=max(f.deadline for f in rectification if f.deadline),
            )
            Finding.objects.filter(pk__in=[f.pk for f in rectification]).update(
                order=order, status=FindingStatus.OPEN
            )
            # The team's "orders to re-inspect" read this copy (one index range per officer).
            OrderOfficer.objects.bulk_create(
                [OrderOfficer(order=order, officer=o, deadline=order.deadline) for o in officers]
            )
        proposed = [f for f in findings if f.propose_case]
        proposal = None
        if proposed:
            proposal = _propose_case(
                actor=actor,
                inspection=inspection,
                findings=proposed,
                source=ProposalSource.VIOLATION_FOUND,
                reason="现场检查发现违法行为，建议立案查处："
                + "；".join(f"{f.item.code} {f.description}" for f in proposed),
                extra_codes=(),
                on=day,
            )
        if inspection.task is not None and inspection.task.status == TaskStatus.OPEN:
            planning_services.complete_task(
                actor=actor,
                task=inspection.task,
                completed_on=day,
                record_reference=inspection.number,
            )
        audit.record(
            actor=actor,
            action="inspections.submit_inspection",
            obj=inspection,
            before={"status": InspectionStatus.DRAFT},
            after={
                "status": inspection.status,
                "number": inspection.number,
                "team": inspection.team_snapshot,
                "results": len(results),
                "findings": [f.pk for f in findings],
                "rectification_order": order.number if order else None,
                "case_proposal": proposal.pk if proposal else None,
            },
        )
        return inspection


def _propose_case(
    *,
    actor: Any,
    inspection: Inspection,
    findings: Sequence[Finding],
    source: str,
    reason: str,
    extra_codes: Sequence[str],
    on: dt.date,
    reinspection: Reinspection | None = None,
) -> CaseProposal:
    codes: list[str] = []
    for code in [*(f.violation_code for f in findings), *extra_codes]:
        if code and code not in codes:
            codes.append(code)
    enterprise = inspection.enterprise
    proposal = CaseProposal.objects.create(
        agency=inspection.agency,
        enterprise=enterprise,
        inspection=inspection,
        reinspection=reinspection,
        violation_codes=codes,
        reason=reason,
        source=source,
        created_by=actor,
        region=enterprise.region,
        **region_codes(enterprise.region),
    )
    proposal.findings.set(findings)
    audit.record(
        actor=actor,
        action="inspections.propose_case",
        obj=proposal,
        after={
            "source": source,
            "inspection": inspection.pk,
            "findings": [f.pk for f in findings],
            "violation_codes": codes,
            "on": on,
        },
    )
    return proposal


# ---------------------------------------------------------------------------------------------
# Photos and signatures


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def add_attachment(
    *,
    actor: Any,
    inspection: Inspection,
    upload: Any,
    kind: str = AttachmentKind.PHOTO,
    finding: Finding | None = None,
) -> Attachment:
    """Store a photo (or the signature image): type checked by content, size limited, SHA-256 kept."""
    name = str(getattr(upload, "name", "") or "photo")[:200]
    if kind not in AttachmentKind.values:
        raise _error("attachment_kind", "附件类别无效。", "Unknown attachment kind.")
    if finding is not None and finding.inspection_id != inspection.pk:
        raise _error("finding_elsewhere", "该问题不属于本检查记录。", "Finding of another record.")
    if not inspection.is_draft:
        raise Conflict(
            "inspection_submitted",
            "检查记录已提交，不能再添加照片。",
            "The record was submitted; no more photos.",
        )
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_PHOTO_BYTES:
        raise _error(
            "photo_too_large",
            f"照片“{name}”大小为 {_megabytes(declared)}，超过 {_megabytes(MAX_PHOTO_BYTES)} 的上限，请压缩后重新上传。",
            f"The photo {name} is {declared} bytes, above the limit of {MAX_PHOTO_BYTES}.",
            details={"file": name, "size": declared, "limit": MAX_PHOTO_BYTES},
            status=413,
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    content_type: str | None = None
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter([upload.read()]):
        if not head:
            head = chunk[:16]
            content_type = _sniff(head)
            if content_type is None:
                break
        size += len(chunk)
        if size > MAX_PHOTO_BYTES:
            raise _error(
                "photo_too_large",
                f"照片“{name}”超过 {_megabytes(MAX_PHOTO_BYTES)} 的上限，请压缩后重新上传。",
                f"The photo {name} is above the limit of {MAX_PHOTO_BYTES} bytes.",
                details={"file": name, "limit": MAX_PHOTO_BYTES},
                status=413,
            )
        digest.update(chunk)
    if not head:
        raise _error("photo_empty", f"文件“{name}”是空文件。", f"The file {name} is empty.")
    if content_type is None:
        raise _error(
            "photo_type",
            f"文件“{name}”不是 JPEG、PNG 或 WebP 格式的图片（按文件内容识别），请拍照或选择照片后重新上传。",
            f"The file {name} is not a JPEG, PNG or WebP image (checked by content).",
            details={"file": name, "allowed": sorted(PHOTO_TYPES)},
            status=415,
        )
    sha256 = digest.hexdigest()
    upload.seek(0)
    stored = default_storage.save(
        f"inspections/{inspection.pk}/{uuid.uuid4().hex}.{PHOTO_TYPES[content_type]}", File(upload)
    )
    try:
        with transaction.atomic():
            locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
            if not locked.is_draft:
                raise Conflict(
                    "inspection_submitted",
                    "检查记录已提交，不能再添加照片。",
                    "The record was submitted; no more photos.",
                )
            attachment = Attachment.objects.create(
                inspection=locked,
                finding=finding,
                kind=kind,
                file=stored,
                sha256=sha256,
                size=size,
                content_type=content_type,
                original_name=name,
                uploaded_by=actor,
            )
            audit.record(
                actor=actor,
                action="inspections.add_attachment",
                obj=attachment,
                after={
                    "inspection": inspection.pk,
                    "finding": finding.pk if finding else None,
                    "kind": kind,
                    "sha256": sha256,
                    "size": size,
                    "content_type": content_type,
                    "file": stored,
                },
            )
            return attachment
    except Exception:
        default_storage.delete(stored)
        raise


def read_verified_attachment(*, actor: Any, attachment: Attachment) -> bytes:
    """The stored bytes, after re-computing their SHA-256; a mismatch is refused and audited."""
    problem = ""
    content = b""
    try:
        with default_storage.open(attachment.file.name, "rb") as handle:
            content = handle.read(MAX_PHOTO_BYTES + 1)
    except OSError:
        problem = "missing"
    if not problem and hashlib.sha256(content).hexdigest() != attachment.sha256:
        problem = "sha256_mismatch"
    if problem:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="inspections.attachment_integrity_failed",
                obj=attachment,
                after={
                    "problem": problem,
                    "expected_sha256": attachment.sha256,
                    "actual_sha256": hashlib.sha256(content).hexdigest() if content else None,
                    "file": attachment.file.name,
                },
            )
        raise _error(
            "attachment_integrity",
            "该照片文件与登记时的SHA-256校验值不一致（或文件缺失），可能已被篡改，拒绝提供；已记入审计日志。",
            "The file does not match its recorded SHA-256 (or is missing); refused and audited.",
            status=409,
        )
    return content


# ---------------------------------------------------------------------------------------------
# On-site measures (现场处理措施)


def decide_onsite_measure(
    *,
    actor: Any,
    inspection: Inspection,
    finding: Finding,
    kind: str,
    target: str,
    decided_on: dt.date | None = None,
) -> OnSiteMeasure:
    if finding.inspection_id != inspection.pk:
        raise _error("finding_elsewhere", "该问题不属于本检查记录。", "Finding of another record.")
    if kind not in OnSiteMeasureKind.values:
        raise _error("measure_kind", "现场处理措施无效。", "Unknown on-site measure.")
    if finding.hazard_level != HazardLevel.MAJOR:
        raise _error(
            "measure_needs_major_hazard",
            "撤出作业人员、暂时停产停业、停止使用相关设施设备，只适用于重大事故隐患排除前或者排除过程中"
            f"无法保证安全的情形（{LEGAL_MEASURE}）；一般事故隐患应责令立即排除或者限期整改。",
            "On-site measures apply only to a major hazard that cannot be kept safe (WSL Art 65).",
        )
    if not target.strip():
        raise _error(
            "measure_target", "请写明涉及的设施、设备或者区域。", "Name the equipment or area."
        )
    day = decided_on or timezone.localdate()
    require_certified(list(inspection.officers.prefetch_related("certificates")), on=day, minimum=2)
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=inspection.pk)
        )
        measure = OnSiteMeasure.objects.create(
            inspection=inspection,
            finding=finding,
            kind=kind,
            target=target.strip()[:300],
            number=next_document_number(agency=inspection.agency, type_id=DOC_MEASURE, on=day),
            decided_on=day,
            decided_by=actor,
        )
        audit.record(
            actor=actor,
            action="inspections.decide_onsite_measure",
            obj=measure,
            after=audit.snapshot(measure),
        )
        return measure


def lift_onsite_measure(
    *, actor: Any, measure: OnSiteMeasure, lifted_on: dt.date, reason: str
) -> OnSiteMeasure:
    """重大事故隐患排除后，经审查同意，方可恢复生产经营和使用."""
    if not reason.strip():
        raise _error(
            "lift_reason",
            f"解除现场处理措施须写明重大事故隐患已排除并经审查同意的情况（{LEGAL_MEASURE}）。",
            "State that the hazard was removed and the review agreed.",
        )
    with transaction.atomic():
        measure = OnSiteMeasure.objects.select_for_update().get(pk=measure.pk)
        if measure.lifted_on is not None:
            raise Conflict("measure_lifted", "该措施已解除。", "Already lifted.")
        if lifted_on < measure.decided_on:
            raise _error("lift_date", "解除日期不能早于决定日期。", "Lifted before decided.")
        measure.lifted_on = lifted_on
        measure.lifted_reason = reason.strip()[:300]
        measure.save(update_fields=["lifted_on", "lifted_reason"])
        audit.record(
            actor=actor,
            action="inspections.lift_onsite_measure",
            obj=measure,
            after={"lifted_on": lifted_on, "reason": measure.lifted_reason},
        )
        return measure


# ---------------------------------------------------------------------------------------------
# Re-inspection (整改复查)


@dataclass
class OutcomeInput:
    finding_id: int
    outcome: str
    note: str = ""


def reinspect(
    *,
    actor: Any,
    order: RectificationOrder,
    performed_on: dt.date,
    officers: Sequence[Officer],
    outcomes: Sequence[OutcomeInput],
    early_reason: str = "",
    notes: str = "",
) -> Reinspection:
    """Re-inspect the findings of a rectification order; not rectified → a case is proposed."""
    today = timezone.localdate()
    if performed_on > today:
        raise _error("reinspection_future", "复查日期不能晚于今天。", "The date is in the future.")
    require_certified(list(officers), on=performed_on, minimum=2)
    with transaction.atomic():
        order = (
            RectificationOrder.objects.select_for_update(of=("self",))
            .select_related("inspection__agency", "inspection__enterprise__region")
            .get(pk=order.pk)
        )
        if order.status != OrderStatus.OPEN:
            raise Conflict(
                "order_closed", "该整改指令已复查完毕。", "The order was re-inspected already."
            )
        if performed_on < order.issued_on:
            raise _error(
                "reinspection_date",
                "复查日期不能早于指令下达日期。",
                "Before the order was issued.",
            )
        findings = list(order.findings.select_related("item").filter(status=FindingStatus.OPEN))
        given = {o.finding_id: o for o in outcomes}
        missing = [f for f in findings if f.pk not in given]
        if missing:
            raise _error(
                "outcome_missing",
                "请对每一项整改内容给出复查结论：" + "；".join(f.description[:30] for f in missing),
                "Give an outcome for every finding of the order.",
            )
        unknown = set(given) - {f.pk for f in findings}
        if unknown:
            raise _error("outcome_unknown", "复查结论对应的问题不属于该指令。", "Unknown finding.")
        for outcome in given.values():
            if outcome.outcome not in ReinspectionOutcome.values:
                raise _error("outcome_value", "复查结论只能是已整改或未整改。", "Unknown outcome.")
        early = [f for f in findings if f.deadline and performed_on < f.deadline]
        if early and not early_reason.strip():
            latest = max(f.deadline for f in early if f.deadline)
            raise _error(
                "reinspection_early_reason",
                f"整改期限（{latest:%Y年%m月%d日}）届满前复查，须写明理由（如单位申请提前复查、整改已完成）。",
                "A re-inspection before the deadline needs a stated reason.",
                details={"deadline": latest.isoformat()},
            )
        not_rectified = [
            f for f in findings if given[f.pk].outcome == ReinspectionOutcome.NOT_RECTIFIED
        ]
        reinspection = Reinspection.objects.create(
            order=order,
            number=next_document_number(
                agency=order.inspection.agency, type_id=DOC_REINSPECTION, on=performed_on
            ),
            performed_on=performed_on,
            team_snapshot=_team_snapshot(officers, performed_on),
            outcome=ReinspectionOutcome.NOT_RECTIFIED
            if not_rectified
            else ReinspectionOutcome.RECTIFIED,
            early_reason=early_reason.strip() if early else "",
            notes=notes.strip(),
            created_by=actor,
        )
        reinspection.officers.set(officers)
        for finding in findings:
            outcome = given[finding.pk]
            finding.status = (
                FindingStatus.RECTIFIED
                if outcome.outcome == ReinspectionOutcome.RECTIFIED
                else FindingStatus.NOT_RECTIFIED
            )
            finding.reinspection = reinspection
            finding.review_note = outcome.note.strip()[:500]
            finding.save(update_fields=["status", "reinspection", "review_note"])
        order.status = OrderStatus.NOT_RECTIFIED if not_rectified else OrderStatus.RECTIFIED
        order.closed_on = performed_on
        order.save(update_fields=["status", "closed_on"])
        OrderOfficer.objects.filter(order=order).update(is_open=False)
        proposal = None
        if not_rectified:
            extra: list[str] = []
            try:
                unremoved = default_catalog().violation("WSL2021-102")
                if unremoved.is_in_force(performed_on):
                    extra.append(unremoved.code)
            except KeyError:
                pass
            proposal = _propose_case(
                actor=actor,
                inspection=order.inspection,
                findings=not_rectified,
                source=ProposalSource.NOT_RECTIFIED,
                reason=f"责令限期整改（{order.number}）复查发现未整改，建议立案查处"
                "（《中华人民共和国安全生产法》第一百零二条）："
                + "；".join(f.description for f in not_rectified),
                extra_codes=extra,
                on=performed_on,
                reinspection=reinspection,
            )
        audit.record(
            actor=actor,
            action="inspections.reinspect",
            obj=reinspection,
            after={
                "order": order.number,
                "outcome": reinspection.outcome,
                "early_reason": reinspection.early_reason,
                "not_rectified": [f.pk for f in not_rectified],
                "case_proposal": proposal.pk if proposal else None,
                "team": reinspection.team_snapshot,
            },
        )
        return reinspection


def citation_label(short: str) -> str:
    """Chinese label of a catalog citation short form (blank when it does not parse)."""
    try:
        return Citation.model_validate(short).label_zh()
    except ValueError:
        return short

"""Inspection endpoints under /api/v1/inspections, for pages and mobile terminals alike.

Thin: authorize through the selectors (scope + role), call one service, shape JSON. A record is
built as a draft (``PUT /records/{id}`` keeps everything sent), then submitted
(``POST /records/{id}/submit``); a refused submit leaves the draft as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from anjian.core.errors import DomainError
from anjian.core.pagination import MAX_PAGE_NUMBER, paginate
from anjian.inspections import selectors, services
from anjian.inspections.models import (
    Attachment,
    AttachmentKind,
    CaseProposal,
    Finding,
    Inspection,
    InspectionKind,
    InspectionScheme,
    Item,
    RectificationOrder,
)
from anjian.planning.models import InspectionTask
from anjian.registry import selectors as registry_selectors
from anjian.registry.models import Officer

router = Router(tags=["inspections"])


def _officers(request: HttpRequest, ids: list[int]) -> list[Officer]:
    officers = list(Officer.objects.visible_to(request.user).filter(pk__in=ids, is_active=True))
    unknown = set(ids) - {o.pk for o in officers}
    if unknown:
        raise DomainError(
            "officer_unknown",
            "执法人员不存在或不在您的管辖范围内。",
            "Unknown officer or outside your jurisdiction.",
            details={"officer_ids": sorted(unknown)},
            status=422,
        )
    return officers


# ---------------------------------------------------------------------------------------------
# Item list


class ItemOut(Schema):
    id: int
    code: str
    title: str
    domain: str
    category: str
    check_points: str
    basis: list[dict[str, Any]]
    violation_codes: list[str]
    industries: list[str]
    tags: list[str]
    executing_body: str
    responsibility: str


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "code": item.code,
        "title": item.title,
        "domain": item.domain,
        "category": item.category,
        "check_points": item.check_points,
        "basis": item.basis,
        "violation_codes": item.violation_codes,
        "industries": item.industries,
        "tags": item.tags,
        "executing_body": item.executing_body,
        "responsibility": item.responsibility,
    }


class ItemListOut(Schema):
    id: int
    version: int
    title: str
    edition: str
    status: str
    published_at: dt.datetime | None
    source_sha256: str
    item_count: int


def _item_list(item_list: Any) -> dict[str, Any]:
    return {
        "id": item_list.pk,
        "version": item_list.version,
        "title": item_list.title,
        "edition": item_list.edition,
        "status": item_list.status,
        "published_at": item_list.published_at,
        "source_sha256": item_list.source_sha256,
        "item_count": getattr(item_list, "item_count", None) or item_list.items.count(),
    }


@router.get("/item-lists", response=list[ItemListOut])
def list_item_lists(request: HttpRequest) -> list[dict[str, Any]]:
    return [_item_list(item_list) for item_list in selectors.item_lists(request.user)]


@router.post("/item-lists/publish-packaged", response={201: ItemListOut})
def publish_packaged(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "inspections.manage_items")
    return 201, _item_list(services.publish_packaged_item_list(actor=request.user))


class ItemQuery(Schema):
    enterprise_id: int | None = Field(
        None, description="only the items that apply to this enterprise"
    )


@router.get("/items", response=list[ItemOut])
def list_items(request: HttpRequest, query: Query[ItemQuery]) -> list[dict[str, Any]]:
    """The items of the published list (清单之外无检查), filtered by industry and key tags."""
    item_list = selectors.current_item_list(request.user)
    if item_list is None:
        return []
    items = selectors.items_of(item_list)
    if query.enterprise_id is not None:
        enterprise = registry_selectors.enterprise_for(request.user, query.enterprise_id)
        items = selectors.applicable_items(items, enterprise)
    return [_item(i) for i in items]


# ---------------------------------------------------------------------------------------------
# My tasks and an enterprise's history


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    month: dt.date
    due_date: dt.date | None
    enterprise_id: int
    enterprise_name: str
    enterprise_address: str


class DraftOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    started_at: dt.datetime


class OrderRow(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    issued_on: dt.date
    deadline: dt.date
    status: str
    is_overdue: bool


class MyTasksOut(Schema):
    today: dt.date
    tasks: list[TaskOut]
    drafts: list[DraftOut]
    orders: list[OrderRow]


def _order_row(order: RectificationOrder, today: dt.date) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "enterprise_id": order.inspection.enterprise_id,
        "enterprise_name": order.inspection.enterprise.name,
        "issued_on": order.issued_on,
        "deadline": order.deadline,
        "status": order.status,
        "is_overdue": order.status == "open" and order.deadline < today,
    }


def _json(data: dict[str, Any]) -> JsonResponse:
    """Rows already shaped as the response schema documents them, serialised once (no per-row
    schema validation on these hot reads)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


_TASK_KEYS = (
    "id",
    "kind",
    "title",
    "month",
    "due_date",
    "enterprise_id",
    "enterprise_name",
    "enterprise_address",
)
_ORDER_KEYS = (
    "id",
    "number",
    "enterprise_id",
    "enterprise_name",
    "issued_on",
    "deadline",
    "status",
    "is_overdue",
)


@router.get("/my-tasks", response=MyTasksOut)
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Open tasks, drafts and orders to re-inspect of the user (three indexed queries)."""
    data = selectors.my_tasks(request.user)
    return _json(
        {
            "today": data.today,
            "tasks": [{key: t[key] for key in _TASK_KEYS} for t in data.tasks],
            "drafts": data.drafts,
            "orders": [{key: o[key] for key in _ORDER_KEYS} for o in data.orders],
        }
    )


class HistoryRow(Schema):
    id: int
    number: str
    kind: str
    started_at: dt.datetime
    agency: str
    finding_count: int
    major_count: int
    open_count: int
    order_id: int | None
    order_status: str | None
    team: list[dict[str, Any]]


class HistoryOut(Schema):
    enterprise_id: int
    enterprise_name: str
    items: list[HistoryRow]
    page: int
    page_size: int
    has_next: bool


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(20, ge=1, le=100)


_HISTORY_KEYS = (
    "id",
    "number",
    "kind",
    "started_at",
    "agency",
    "finding_count",
    "major_count",
    "open_count",
    "order_id",
    "order_status",
    "team",
)


@router.get("/enterprises/{enterprise_id}/history", response=HistoryOut)
def enterprise_history(
    request: HttpRequest, enterprise_id: int, query: Query[PageQuery]
) -> HttpResponse:
    page = selectors.enterprise_history(
        request.user, enterprise_id, page=query.page, size=query.page_size
    )
    return _json(
        {
            "enterprise_id": page.enterprise.pk,
            "enterprise_name": page.enterprise.name,
            "items": [{key: r[key] for key in _HISTORY_KEYS} for r in page.items],
            "page": page.number,
            "page_size": page.size,
            "has_next": page.has_next,
        }
    )


# ---------------------------------------------------------------------------------------------
# Record list


class RecordListQuery(Schema):
    status: str | None = Field(None, description="submitted (default) | draft (my drafts) | all")
    kind: str = Field("", description="an inspection kind; empty for all")
    date_from: str = Field("", description="inspected on or after (YYYY-MM-DD)")
    date_to: str = Field("", description="inspected on or before (YYYY-MM-DD)")
    q: str = Field("", description="enterprise name fragment, credit-code prefix or number prefix")
    mine: bool = False
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(50, ge=1, le=200)


class RecordListRow(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    started_at: dt.datetime
    enterprise_id: int
    enterprise_name: str
    enterprise_uscc: str
    agency: str
    finding_count: int
    order_id: int | None
    order_number: str | None


class RecordListPage(Schema):
    items: list[RecordListRow]
    page: int
    page_size: int
    has_next: bool


@router.get("/records", response=RecordListPage)
def list_records(request: HttpRequest, query: Query[RecordListQuery]) -> HttpResponse:
    """Inspection records in scope, newest first (one query; the same filters as the page and
    its Excel export). A bad filter is a 422 naming it."""
    filters = selectors.record_filters(query.dict(exclude={"page", "page_size"}))
    page = paginate(selectors.records(request.user, filters), query.page, query.page_size)
    return _json(page.body([selectors.record_row(row) for row in page.items]))


# ---------------------------------------------------------------------------------------------
# Records


class StartIn(Schema):
    enterprise_id: int | None = None
    task_id: int | None = None
    scheme_id: int | None = None
    kind: str = InspectionKind.PLANNED
    officer_ids: list[int] = []
    started_at: dt.datetime | None = None
    place: str = ""


class ResultIn(Schema):
    item_id: int
    result: str = Field(..., description="compliant | finding | not_applicable")
    note: str = Field("", max_length=500)


class FindingIn(Schema):
    id: int | None = Field(None, description="an existing finding to update; omit to add one")
    item_id: int
    description: str = ""
    location: str = Field("", max_length=200)
    hazard_level: str = "ordinary"
    violation_code: str = ""
    measure: str = Field("rectification", description="on_spot | rectification")
    deadline: dt.date | None = None
    propose_case: bool = False


class RecordIn(Schema):
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    place: str = Field("", max_length=300)
    officer_ids: list[int] | None = None
    summary: str = ""
    results: list[ResultIn] = []
    findings: list[FindingIn] = []
    representative_name: str = Field("", max_length=50)
    representative_title: str = Field("", max_length=50)
    acknowledgement: str = Field("", description="'' | signed | refused")
    refusal_note: str = ""
    witness_name: str = Field("", max_length=100)


class AttachmentOut(Schema):
    id: int
    kind: str
    finding_id: int | None
    sha256: str
    size: int
    content_type: str
    url: str


class FindingOut(Schema):
    id: int
    item_id: int
    item_code: str
    description: str
    location: str
    hazard_level: str
    violation_code: str
    provision: str
    measure: str
    deadline: dt.date | None
    status: str
    propose_case: bool
    order_id: int | None


class MeasureOut(Schema):
    id: int
    finding_id: int
    kind: str
    target: str
    number: str
    decided_on: dt.date
    lifted_on: dt.date | None


class RecordOut(Schema):
    id: int
    number: str
    status: str
    kind: str
    agency_id: int
    enterprise_id: int
    enterprise_name: str
    task_id: int | None
    scheme_id: int | None
    item_list_version: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    place: str
    officer_ids: list[int]
    team: list[dict[str, Any]]
    summary: str
    results: list[ResultIn]
    findings: list[FindingOut]
    attachments: list[AttachmentOut]
    onsite_measures: list[MeasureOut]
    representative_name: str
    representative_title: str
    acknowledgement: str
    refusal_note: str
    witness_name: str
    rectification_order_id: int | None
    case_proposal_ids: list[int]


def _attachment(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "finding_id": a.finding_id,
        "sha256": a.sha256,
        "size": a.size,
        "content_type": a.content_type,
        "url": f"/api/v1/inspections/attachments/{a.pk}",
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "item_id": f.item_id,
        "item_code": f.item.code,
        "description": f.description,
        "location": f.location,
        "hazard_level": f.hazard_level,
        "violation_code": f.violation_code,
        "provision": f.provision,
        "measure": f.measure,
        "deadline": f.deadline,
        "status": f.status,
        "propose_case": f.propose_case,
        "order_id": f.order_id,
    }


def _record(inspection: Inspection) -> dict[str, Any]:
    order = RectificationOrder.objects.filter(inspection=inspection).only("pk").first()
    return {
        "id": inspection.pk,
        "number": inspection.number,
        "status": inspection.status,
        "kind": inspection.kind,
        "agency_id": inspection.agency_id,
        "enterprise_id": inspection.enterprise_id,
        "enterprise_name": inspection.enterprise.name,
        "task_id": inspection.task_id,
        "scheme_id": inspection.scheme_id,
        "item_list_version": inspection.item_list.version,
        "started_at": inspection.started_at,
        "ended_at": inspection.ended_at,
        "place": inspection.place,
        "officer_ids": [o.pk for o in inspection.officers.all()],
        "team": inspection.team_snapshot,
        "summary": inspection.summary,
        "results": [
            {"item_id": r.item_id, "result": r.result, "note": r.note}
            for r in inspection.results.all()
        ],
        "findings": [_finding(f) for f in inspection.findings.all()],
        "attachments": [_attachment(a) for a in inspection.attachments.all()],
        "onsite_measures": [
            {
                "id": m.pk,
                "finding_id": m.finding_id,
                "kind": m.kind,
                "target": m.target,
                "number": m.number,
                "decided_on": m.decided_on,
                "lifted_on": m.lifted_on,
            }
            for m in inspection.onsite_measures.all()
        ],
        "representative_name": inspection.representative_name,
        "representative_title": inspection.representative_title,
        "acknowledgement": inspection.acknowledgement,
        "refusal_note": inspection.refusal_note,
        "witness_name": inspection.witness_name,
        "rectification_order_id": order.pk if order else None,
        "case_proposal_ids": list(inspection.case_proposals.values_list("pk", flat=True)),
    }


@router.post("/records", response={201: RecordOut})
def start_record(request: HttpRequest, payload: StartIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "inspections.record")
    officer = selectors.officer_of(request.user)
    if officer is None:
        raise DomainError(
            "not_an_officer", "只有执法人员可以开展现场检查。", "Only officers inspect.", status=403
        )
    task = None
    if payload.task_id is not None:
        task = selectors._get_visible(
            InspectionTask.objects.select_related("enterprise__region", "agency"),
            request.user,
            payload.task_id,
        )
        enterprise = task.enterprise
    elif payload.enterprise_id is not None:
        enterprise = registry_selectors.enterprise_for(request.user, payload.enterprise_id)
    else:
        raise DomainError(
            "enterprise_required",
            "请指定被检查单位或检查任务。",
            "Give an enterprise or a task.",
            status=422,
        )
    scheme = selectors.scheme_for(request.user, payload.scheme_id) if payload.scheme_id else None
    officers = _officers(request, payload.officer_ids) if payload.officer_ids else []
    inspection = services.start_inspection(
        actor=request.user,
        enterprise=enterprise,
        agency=task.agency if task is not None else officer.agency,
        kind=payload.kind,
        started_at=payload.started_at,
        task=task,
        scheme=scheme,
        officers=officers or ([] if task is not None else [officer]),
        place=payload.place,
    )
    return 201, _record(selectors.inspection_for(request.user, inspection.pk))


@router.get("/records/{record_id}", response=RecordOut)
def get_record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    return _record(selectors.inspection_for(request.user, record_id))


@router.put("/records/{record_id}", response=RecordOut)
def save_record(request: HttpRequest, record_id: int, payload: RecordIn) -> dict[str, Any]:
    """Save the draft: everything sent is kept, complete or not."""
    inspection = selectors.inspection_for_update(request.user, record_id)
    services.save_draft(
        actor=request.user,
        inspection=inspection,
        data=services.RecordInput(
            started_at=payload.started_at,
            ended_at=payload.ended_at,
            place=payload.place,
            officers=_officers(request, payload.officer_ids)
            if payload.officer_ids is not None
            else None,
            summary=payload.summary,
            results=[services.ResultInput(**r.dict()) for r in payload.results],
            findings=[services.FindingInput(**f.dict()) for f in payload.findings],
            representative_name=payload.representative_name,
            representative_title=payload.representative_title,
            acknowledgement=payload.acknowledgement,
            refusal_note=payload.refusal_note,
            witness_name=payload.witness_name,
        ),
    )
    return _record(selectors.inspection_for(request.user, record_id))


@router.post("/records/{record_id}/submit", response=RecordOut)
def submit_record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    inspection = selectors.inspection_for_update(request.user, record_id)
    services.submit_inspection(actor=request.user, inspection=inspection)
    return _record(selectors.inspection_for(request.user, record_id))


@router.post("/records/{record_id}/attachments", response={201: AttachmentOut})
def upload_attachment(
    request: HttpRequest,
    record_id: int,
    file: File[UploadedFile],
    kind: Form[str] = AttachmentKind.PHOTO,
    finding_id: Form[int | None] = None,
) -> tuple[int, dict[str, Any]]:
    """A photo of a finding (JPEG/PNG/WebP by content, at most 10 MB) or the signature image."""
    inspection = selectors.inspection_for_update(request.user, record_id)
    finding = selectors.finding_for(request.user, finding_id) if finding_id else None
    attachment = services.add_attachment(
        actor=request.user, inspection=inspection, upload=file, kind=kind, finding=finding
    )
    return 201, _attachment(attachment)


@router.get("/attachments/{attachment_id}")
def download_attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The stored file, after its SHA-256 was re-verified (a mismatch is refused and audited)."""
    attachment = selectors.attachment_for(request.user, attachment_id)
    content = services.read_verified_attachment(actor=request.user, attachment=attachment)
    response = HttpResponse(content, content_type=attachment.content_type)
    response["ETag"] = f'"{attachment.sha256}"'
    response["X-Content-SHA256"] = attachment.sha256
    return response


class MeasureIn(Schema):
    finding_id: int
    kind: str = Field(..., description="stop_using | withdraw_workers | suspend_production")
    target: str
    decided_on: dt.date | None = None


@router.post("/records/{record_id}/measures", response={201: MeasureOut})
def decide_measure(
    request: HttpRequest, record_id: int, payload: MeasureIn
) -> tuple[int, dict[str, Any]]:
    inspection = selectors.inspection_for_update(request.user, record_id)
    finding = selectors.finding_for(request.user, payload.finding_id)
    measure = services.decide_onsite_measure(
        actor=request.user,
        inspection=inspection,
        finding=finding,
        kind=payload.kind,
        target=payload.target,
        decided_on=payload.decided_on,
    )
    return 201, {
        "id": measure.pk,
        "finding_id": measure.finding_id,
        "kind": measure.kind,
        "target": measure.target,
        "number": measure.number,
        "decided_on": measure.decided_on,
        "lifted_on": measure.lifted_on,
    }


class LiftIn(Schema):
    reason: str
    lifted_on: dt.date | None = None


@router.post("/measures/{measure_id}/lift", response=MeasureOut)
def lift_measure(request: HttpRequest, measure_id: int, payload: LiftIn) -> dict[str, Any]:
    selectors.require(request.user, "inspections.record")
    measure = selectors.onsite_measure_for(request.user, measure_id)
    measure = services.lift_onsite_measure(
        actor=request.user,
        measure=measure,
        lifted_on=payload.lifted_on or timezone.localdate(),
        reason=payload.reason,
    )
    return {
        "id": measure.pk,
        "finding_id": measure.finding_id,
        "kind": measure.kind,
        "target": measure.target,
        "number": measure.number,
        "decided_on": measure.decided_on,
        "lifted_on": measure.lifted_on,
    }


# ---------------------------------------------------------------------------------------------
# Rectification orders and re-inspection


class OrderQuery(Schema):
    overdue: bool = Field(False, description="only orders with a deadline passed and no outcome")
    mine: bool = Field(False, description="only orders of inspections I took part in")


class ScheduleOut(Schema):
    scheduled_on: dt.date
    legal_due: dt.date | None
    legal_basis: str | None
    legal_confidence: str | None
    legal_text: str
    is_overdue: bool


class OrderOut(OrderRow):
    inspection_id: int
    closed_on: dt.date | None
    schedule: ScheduleOut
    findings: list[FindingOut]
    reinspections: list[dict[str, Any]]


@router.get("/orders", response=list[OrderRow])
def list_orders(request: HttpRequest, query: Query[OrderQuery]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    if query.overdue:
        orders = selectors.overdue_orders(request.user, mine=query.mine)
    else:
        selectors.require(request.user, "inspections.view")
        queryset = RectificationOrder.objects.visible_to(request.user).select_related(
            "inspection__enterprise"
        )
        if query.mine:
            user: Any = request.user
            queryset = queryset.filter(inspection__officers__user=user)
        orders = list(queryset.order_by("deadline", "id")[:200])
    return [_order_row(o, today) for o in orders]


@router.get("/orders/{order_id}", response=OrderOut)
def get_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    order = selectors.order_for(request.user, order_id)
    schedule = selectors.reinspection_schedule(order)
    today = timezone.localdate()
    return {
        **_order_row(order, today),
        "inspection_id": order.inspection_id,
        "closed_on": order.closed_on,
        "schedule": schedule.__dict__,
        "findings": [_finding(f) for f in order.findings.all()],
        "reinspections": [
            {
                "id": r.pk,
                "number": r.number,
                "performed_on": r.performed_on.isoformat(),
                "outcome": r.outcome,
                "early_reason": r.early_reason,
                "team": r.team_snapshot,
            }
            for r in order.reinspections.all()
        ],
    }


class OutcomeIn(Schema):
    finding_id: int
    outcome: str = Field(..., description="rectified | not_rectified")
    note: str = Field("", max_length=500)


class ReinspectionIn(Schema):
    performed_on: dt.date
    officer_ids: list[int]
    outcomes: list[OutcomeIn]
    early_reason: str = ""
    notes: str = ""


class ReinspectionOut(Schema):
    id: int
    number: str
    outcome: str
    performed_on: dt.date
    early_reason: str
    order_status: str
    case_proposal_id: int | None


@router.post("/orders/{order_id}/reinspections", response={201: ReinspectionOut})
def reinspect(
    request: HttpRequest, order_id: int, payload: ReinspectionIn
) -> tuple[int, dict[str, Any]]:
    order = selectors.order_for(request.user, order_id)
    selectors.require(request.user, "inspections.record")
    reinspection = services.reinspect(
        actor=request.user,
        order=order,
        performed_on=payload.performed_on,
        officers=_officers(request, payload.officer_ids),
        outcomes=[services.OutcomeInput(**o.dict()) for o in payload.outcomes],
        early_reason=payload.early_reason,
        notes=payload.notes,
    )
    proposal = CaseProposal.objects.filter(reinspection=reinspection).first()
    return 201, {
        "id": reinspection.pk,
        "number": reinspection.number,
        "outcome": reinspection.outcome,
        "performed_on": reinspection.performed_on,
        "early_reason": reinspection.early_reason,
        "order_status": RectificationOrder.objects.get(pk=order.pk).status,
        "case_proposal_id": proposal.pk if proposal else None,
    }


# ---------------------------------------------------------------------------------------------
# Schemes


class SchemeIn(Schema):
    title: str = Field(..., max_length=200)
    kind: str = InspectionKind.PLANNED
    period_start: dt.date
    period_end: dt.date
    scope_note: str = ""
    enterprise_ids: list[int] = []
    selection: dict[str, str] = {}
    item_ids: list[int]
    officer_ids: list[int]


class SchemeOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    agency_id: int
    period_start: dt.date
    period_end: dt.date
    scope_note: str
    selection: dict[str, Any]
    enterprise_ids: list[int]
    item_ids: list[int]
    officer_ids: list[int]
    decision_note: str


def _scheme(scheme: InspectionScheme) -> dict[str, Any]:
    return {
        "id": scheme.pk,
        "title": scheme.title,
        "kind": scheme.kind,
        "status": scheme.status,
        "agency_id": scheme.agency_id,
        "period_start": scheme.period_start,
        "period_end": scheme.period_end,
        "scope_note": scheme.scope_note,
        "selection": scheme.selection,
        "enterprise_ids": [e.pk for e in scheme.enterprises.all()],
        "item_ids": [i.pk for i in scheme.items.all()],
        "officer_ids": [o.pk for o in scheme.officers.all()],
        "decision_note": scheme.decision_note,
    }


@router.get("/schemes", response=list[SchemeOut])
def list_schemes(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _scheme(s)
        for s in selectors.schemes(request.user).prefetch_related(
            "enterprises", "items", "officers"
        )[:200]
    ]


@router.post("/schemes", response={201: SchemeOut})
def create_scheme(request: HttpRequest, payload: SchemeIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "inspections.draft_scheme")
    officer = selectors.officer_of(request.user)
    if officer is None:
        raise DomainError(
            "not_an_officer", "只有执法人员可以编制方案。", "Officers only.", status=403
        )
    enterprises = [
        registry_selectors.enterprise_for(request.user, pk) for pk in payload.enterprise_ids
    ]
    items = list(Item.objects.select_related("item_list").filter(pk__in=payload.item_ids))
    if len(items) != len(set(payload.item_ids)):
        raise DomainError("item_unknown", "检查事项不存在。", "Unknown item.", status=422)
    scheme = services.create_scheme(
        actor=request.user,
        agency=officer.agency,
        data=services.SchemeInput(
            title=payload.title,
            kind=payload.kind,
            period_start=payload.period_start,
            period_end=payload.period_end,
            scope_note=payload.scope_note,
            enterprises=enterprises,
            selection=payload.selection,
            items=items,
            officers=_officers(request, payload.officer_ids),
        ),
    )
    return 201, _scheme(selectors.scheme_for(request.user, scheme.pk))


@router.get("/schemes/{scheme_id}", response=SchemeOut)
def get_scheme(request: HttpRequest, scheme_id: int) -> dict[str, Any]:
    return _scheme(selectors.scheme_for(request.user, scheme_id))


@router.post("/schemes/{scheme_id}/submit", response=SchemeOut)
def submit_scheme(request: HttpRequest, scheme_id: int) -> dict[str, Any]:
    scheme = selectors.scheme_for(request.user, scheme_id)
    selectors.require(request.user, "inspections.draft_scheme")
    services.submit_scheme(actor=request.user, scheme=scheme)
    return _scheme(selectors.scheme_for(request.user, scheme_id))


class DecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post("/schemes/{scheme_id}/decision", response=SchemeOut)
def decide_scheme(request: HttpRequest, scheme_id: int, payload: DecisionIn) -> dict[str, Any]:
    scheme = selectors.scheme_for(request.user, scheme_id)
    selectors.require(request.user, "inspections.approve_scheme")
    services.decide_scheme(
        actor=request.user, scheme=scheme, approve=payload.approve, note=payload.note
    )
    return _scheme(selectors.scheme_for(request.user, scheme_id))


# ---------------------------------------------------------------------------------------------
# Case proposals and figures


class ProposalOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    inspection_id: int
    reinspection_id: int | None
    finding_ids: list[int]
    violation_codes: list[str]
    reason: str
    source: str
    status: str
    created_at: dt.datetime


@router.get("/case-proposals", response=list[ProposalOut])
def list_case_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "enterprise_id": p.enterprise_id,
            "enterprise_name": p.enterprise.name,
            "inspection_id": p.inspection_id,
            "reinspection_id": p.reinspection_id,
            "finding_ids": [f.pk for f in p.findings.all()],
            "violation_codes": p.violation_codes,
            "reason": p.reason,
            "source": p.source,
            "status": p.status,
            "created_at": p.created_at,
        }
        for p in selectors.case_proposals(request.user).prefetch_related("findings")[:200]
    ]


class FiguresQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    agency_id: int | None = None


@router.get("/figures", response=dict[str, Any])
def figures(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    """Per agency and month: inspections by kind, findings by item and domain, hazards."""
    return selectors.figures(
        request.user, year=query.year or timezone.localdate().year, agency_id=query.agency_id
    )

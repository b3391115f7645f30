"""Case endpoints under /api/v1/cases. Thin: authorize, call one selector or ``services.perform``.

Every change is ``POST /api/v1/cases/{id}/actions/{action}`` with ``{"version", "reason",
"payload"}``: an illegal step or a stale version answers 409 with the allowed next steps; a blocked
legal guard answers 409 with the article; bad input answers 422; another jurisdiction's case 404.
The payload of each action is listed in docs/cases/README.md.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from anjian.cases import presenters, selectors, services
from anjian.cases.selectors import CaseFilters
from anjian.core.errors import DomainError
from anjian.core.i18n import chinese
from anjian.core.pagination import MAX_PAGE_NUMBER
from anjian.registry.models import Agency

router = Router(tags=["cases"])


class CaseListQuery(Schema):
    status: str = ""
    open: bool = True
    mine: bool = False
    agency_id: int | None = None
    officer_id: int | None = None
    overdue: bool = False
    q: str = ""
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(50, ge=1, le=200)


class DeadlineOut(Schema):
    due_on: str | None
    days_left: int | None
    overdue: bool
    label: str
    rule: str
    basis: str
    flag: str | None
    flag_label: str | None


class CaseRow(Schema):
    id: int
    reference: str
    title: str
    party_name: str
    status: str
    status_label: str
    version: int
    procedure: str
    is_accident_case: bool
    agency_id: int
    filed_on: str | None
    next_deadline: DeadlineOut


class CasePage(Schema):
    items: list[CaseRow]
    page: int
    page_size: int
    has_next: bool


@router.get("", response=CasePage)
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> HttpResponse:
    """Cases with their next legal deadline, soonest first (overdue first); ``days_left`` < 0 is
    overdue. One indexed query; the rows are plain values, serialised once (the schema above
    documents them)."""
    queryset = selectors.cases(
        request.user,
        CaseFilters(
            status=query.status,
            open_only=query.open,
            mine=query.mine,
            agency_id=query.agency_id,
            officer_id=query.officer_id,
            overdue=query.overdue,
            q=query.q,
        ),
    ).values(*selectors.LIST_FIELDS)
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size + 1])
    today = timezone.localdate()
    return JsonResponse(
        {
            "items": [presenters.row_values(row, today) for row in rows[: query.page_size]],
            "page": query.page,
            "page_size": query.page_size,
            "has_next": len(rows) > query.page_size,
        },
        json_dumps_params={"ensure_ascii": False},
    )


class DeadlineSummary(Schema):
    key: int
    name: str
    open_cases: int
    overdue: int
    due_within_7_days: int
    undeterminable: int


@router.get("/deadlines/by-agency", response=list[DeadlineSummary])
def deadlines_by_agency(request: HttpRequest) -> list[dict[str, Any]]:
    """Per agency: open cases, overdue, due within 7 days, deadlines that cannot be computed."""
    return selectors.deadline_summary(request.user, "agency")


@router.get("/deadlines/by-officer", response=list[DeadlineSummary])
def deadlines_by_officer(request: HttpRequest) -> list[dict[str, Any]]:
    """Per handling officer (each case counts for each of its officers)."""
    return selectors.deadline_summary(request.user, "officer")


@router.get("/transitions", response=list[dict[str, Any]])
def transitions(request: HttpRequest) -> list[dict[str, Any]]:
    """The transitions table: state, action, next state, permission, guards, legal basis."""
    selectors.require(request.user, "cases.view")
    return presenters.transitions_table()


class CreateIn(Schema):
    agency_id: int | None = Field(None, description="默认：当前用户所在机构")
    reason: str = ""
    payload: dict[str, Any] = Field(
        ...,
        description="parties, violations, officer_ids, source_kind, discovered_on, on, ... (docs/cases/README.md)",
    )


def _agency(request: HttpRequest, agency_id: int | None) -> Agency:
    if agency_id is None and selectors.officer_of(request.user) is None:
        raise DomainError(
            "not_an_officer", "只有执法机构的执法人员可以立案。", "Officers only.", status=403
        )
    if agency_id is not None:
        agency = (
            Agency.objects.visible_to(request.user)
            .select_related("region")
            .filter(pk=agency_id)
            .first()
        )
    else:
        officer = selectors.officer_of(request.user)
        agency = officer.agency if officer else None
    if agency is None:
        raise DomainError(
            "unknown_agency", "执法机构不存在或不在您的管辖范围内。", "Unknown agency.", status=422
        )
    services.check_agency_for(request.user, agency)
    return agency


@router.post("", response={201: dict[str, Any]})
def create_case(request: HttpRequest, body: CreateIn) -> tuple[int, dict[str, Any]]:
    """立案申请 (propose). From an inspection's proposal: ``payload.source_proposal_id``."""
    selectors.require(request.user, "cases.propose")
    case = services.create_case(
        actor=request.user,
        agency=_agency(request, body.agency_id),
        reason=body.reason,
        payload=body.payload,
    )
    return 201, presenters.detail_dict(selectors.case_for(request.user, case.pk), request.user)


@router.post("/on-the-spot", response={201: dict[str, Any]})
def on_the_spot(request: HttpRequest, body: CreateIn) -> tuple[int, dict[str, Any]]:
    """当场处罚 (行政处罚法第五十一条): warning or a fine within the limits, decided and delivered at once."""
    selectors.require(request.user, "cases.handle")
    case = services.create_case(
        actor=request.user,
        agency=_agency(request, body.agency_id),
        action="decide_on_the_spot",
        reason=body.reason,
        payload=body.payload,
    )
    return 201, presenters.detail_dict(selectors.case_for(request.user, case.pk), request.user)


@router.get("/{int:case_id}", response=dict[str, Any])
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The case with its next deadline, what the law requires next, and each possible step with
    the reasons a blocked step is blocked."""
    return presenters.detail_dict(selectors.case_for(request.user, case_id), request.user)


@router.get("/{int:case_id}/timeline", response=list[dict[str, Any]])
def timeline(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for(request.user, case_id)
    return [presenters.event_dict(e) for e in selectors.timeline(case)]


class ActionIn(Schema):
    version: int = Field(..., ge=0, description="the case version the client saw (409 if stale)")
    reason: str = ""
    payload: dict[str, Any] = {}


@router.post("/{int:case_id}/actions/{action}", response=dict[str, Any])
def perform(request: HttpRequest, case_id: int, action: str, body: ActionIn) -> dict[str, Any]:
    case = selectors.case_for(request.user, case_id)
    services.perform(
        case=case,
        action=action,
        actor=request.user,
        version=body.version,
        reason=body.reason,
        payload=body.payload,
    )
    return presenters.detail_dict(selectors.case_for(request.user, case_id), request.user)


# ------------------------------------------------------------------------------ written records


def record_dict(record: Any) -> dict[str, Any]:
    from anjian.cases.documents import record_subject_type
    from anjian.cases.records import SPECS

    return {
        "id": record.pk,
        "case_id": record.case_id,
        "kind": record.kind,
        "kind_label": chinese(record.get_kind_display()),
        "document_type": SPECS[record.kind].document_type,
        "subject_type": record_subject_type(record.kind),
        "held_at": timezone.localtime(record.held_at).isoformat(),
        "place": record.place,
        "content": record.content,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }


@router.get("/record-kinds", response=list[dict[str, Any]])
def record_kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of written record (询问笔录, 勘验笔录, …), each with its fields and document type."""
    from anjian.cases.records import spec_dicts

    selectors.require(request.user, "cases.view")
    return spec_dicts()


class RecordIn(Schema):
    kind: str = Field(..., description="inquiry_notice, inquiry, survey, statement, ...")
    content: dict[str, Any] = Field(..., description="the kind's fields (GET /record-kinds)")


class RecordRevision(Schema):
    content: dict[str, Any] = Field(..., description="the whole content again")


@router.get("/{int:case_id}/records", response=list[dict[str, Any]])
def list_records(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for(request.user, case_id)
    return [record_dict(r) for r in selectors.case_records(case)]


@router.post("/{int:case_id}/records", response={201: dict[str, Any]})
def add_record(request: HttpRequest, case_id: int, body: RecordIn) -> tuple[int, dict[str, Any]]:
    """Keep a written record of the case; a bad field answers 422 naming each field (nothing saved).
    Its document: ``POST /api/v1/documents`` with the record's ``subject_type`` and id."""
    case = selectors.case_for(request.user, case_id)
    record = services.add_record(
        actor=request.user, case=case, kind=body.kind, content=body.content
    )
    return 201, record_dict(record)


@router.get("/records/{int:record_id}", response=dict[str, Any])
def get_record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    return record_dict(selectors.record_for(request.user, record_id))


@router.post("/records/{int:record_id}", response=dict[str, Any])
def revise_record(request: HttpRequest, record_id: int, body: RecordRevision) -> dict[str, Any]:
    record = selectors.record_for(request.user, record_id)
    return record_dict(
        services.revise_record(actor=request.user, record=record, content=body.content)
    )

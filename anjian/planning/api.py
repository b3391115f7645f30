"""Planning endpoints under /api/v1/planning. Thin: authorize, call one selector or service, shape JSON.

Public (no authentication): ``/public/...`` — published notices, the item list and draw files are
public by law once published. Everything else needs a session or a bearer token.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from anjian.core.errors import DomainError
from anjian.core.i18n import chinese
from anjian.core.pagination import MAX_PAGE_NUMBER
from anjian.planning import draw as drawing
from anjian.planning import rules, selectors, services
from anjian.planning.models import AnnualPlan, Draw, InspectionTask, Operation, PublicNotice
from anjian.registry import selectors as registry_selectors

router = Router(tags=["planning"])


def _agency_of(request: HttpRequest) -> Any:
    agency = selectors.own_agency(request.user)
    if agency is None:
        raise DomainError(
            "no_agency", "您不属于任何执法机构。", "You belong to no agency.", status=403
        )
    return agency


# ---------------------------------------------------------------------------------------------
# Plans


def plan_dict(plan: AnnualPlan, *, full: bool = False) -> dict[str, Any]:
    solution = plan.solution or {}
    data: dict[str, Any] = {
        "id": plan.pk,
        "agency_id": plan.agency_id,
        "agency": plan.agency.name,
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "status_title": chinese(plan.get_status_display()),
        "version": plan.version,
        "is_stale": plan.is_stale,
        "solver_status": solution.get("status"),
        "gap": solution.get("gap"),
        "shortfall": [
            {
                "code": c["code"],
                "title": c.get("title_zh", ""),
                "shortfall": c["shortfall"],
                "enterprises_short": c.get("enterprises_short", 0),
                "required": c["required"],
            }
            for c in solution.get("classes", [])
            if c.get("shortfall", 0) > 0
        ],
        "approval_document": plan.approval_document,
        "approved_by": plan.approved_by,
        "approved_on": plan.approved_on,
        "filing_document": plan.filing_document,
        "filed_on": plan.filed_on,
        "allowed_actions": [t.action for t in services.allowed_plan_actions(plan)],
    }
    if full:
        data.update(
            {
                "parameters": plan.parameters,
                "capacity": plan.capacity,
                "solution": solution,
                "events": [
                    {
                        "action": e.action,
                        "old_status": e.old_status,
                        "new_status": e.new_status,
                        "version": e.version,
                        "actor": e.actor.username if e.actor else None,
                        "reason": e.reason,
                        "basis": e.basis,
                        "document_number": e.document_number,
                        "at": e.at,
                    }
                    for e in plan.events.select_related("actor").all()
                ],
            }
        )
    return data


class PlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: str = ""
    parameters: dict[str, Any] = {}


class ParametersIn(Schema):
    parameters: dict[str, Any]


class TransitionIn(Schema):
    action: str
    reason: str = ""
    document_number: str = ""
    approved_by: str = ""
    decided_on: dt.date | None = None


class AdjustIn(Schema):
    enterprise_id: int
    months: list[int]
    reason: str


@router.get("/plans", response=list[dict[str, Any]])
def list_plans(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    return [plan_dict(p) for p in selectors.plans(request.user, year)]


@router.post("/plans", response={201: dict[str, Any]})
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "planning.edit_plan")
    plan = services.create_plan(
        actor=request.user,
        agency=_agency_of(request),
        year=payload.year,
        title=payload.title,
        parameters=payload.parameters,
    )
    return 201, plan_dict(selectors.plan_for(request.user, plan.pk), full=True)


@router.get("/plans/{plan_id}", response=dict[str, Any])
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_dict(selectors.plan_for(request.user, plan_id), full=True)


@router.put("/plans/{plan_id}/parameters", response=dict[str, Any])
def update_parameters(request: HttpRequest, plan_id: int, payload: ParametersIn) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    services.update_plan_parameters(actor=request.user, plan=plan, parameters=payload.parameters)
    return plan_dict(selectors.plan_for(request.user, plan_id), full=True)


@router.post("/plans/{plan_id}/build", response=dict[str, Any])
def build_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    services.build_plan(actor=request.user, plan=plan)
    return plan_dict(selectors.plan_for(request.user, plan_id), full=True)


@router.post("/plans/{plan_id}/adjust", response=dict[str, Any])
def adjust_plan(request: HttpRequest, plan_id: int, payload: AdjustIn) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    enterprise = registry_selectors.enterprise_for(request.user, payload.enterprise_id)
    entry = services.adjust_plan_enterprise(
        actor=request.user,
        plan=plan,
        enterprise=enterprise,
        months=payload.months,
        reason=payload.reason,
    )
    return {
        "enterprise_id": entry.enterprise_id,
        "months": entry.months,
        "named_visits": entry.named_visits,
    }


@router.post("/plans/{plan_id}/transitions", response=dict[str, Any])
def transition_plan(request: HttpRequest, plan_id: int, payload: TransitionIn) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    services.transition_plan(
        actor=request.user,
        plan=plan,
        action=payload.action,
        reason=payload.reason,
        document_number=payload.document_number,
        approved_by=payload.approved_by,
        decided_on=payload.decided_on,
    )
    return plan_dict(selectors.plan_for(request.user, plan_id), full=True)


class PlanEnterpriseQuery(Schema):
    class_code: str = ""
    month: int | None = Field(None, ge=1, le=12)
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(100, ge=1, le=500)


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


@router.get("/plans/{plan_id}/enterprises", response=dict[str, Any])
def plan_enterprises(
    request: HttpRequest, plan_id: int, query: Query[PlanEnterpriseQuery]
) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    queryset = selectors.plan_enterprises(
        request.user, plan, class_code=query.class_code, month=query.month
    )
    page, page_size = query.page, query.page_size
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size + 1])
    return {
        "items": [
            {
                "enterprise_id": e.enterprise_id,
                "enterprise": e.enterprise.name,
                "class_code": e.class_code,
                "risk_weight": e.risk_weight,
                "named_visits": e.named_visits,
                "months": e.months,
                "in_random_pool": e.in_random_pool,
                "is_manual": e.is_manual,
            }
            for e in rows[:page_size]
        ],
        "page": page,
        "page_size": page_size,
        "has_next": len(rows) > page_size,
    }


def completion_dict(completion: selectors.PlanCompletion) -> dict[str, Any]:
    plan = completion.plan
    return {
        "plan_id": plan.pk,
        "agency": plan.agency.name,
        "year": plan.year,
        "planned": completion.planned,
        "done": completion.done,
        "rate": completion.rate,
        "months": [
            {
                "month": m.month,
                "planned": m.planned,
                "planned_named": m.planned_named,
                "planned_random": m.planned_random,
                "tasks": m.tasks,
                "done": m.done,
                "open": m.open,
                "cancelled": m.cancelled,
                "rate": m.rate,
                "records": f"/api/v1/planning/tasks?plan_id={plan.pk}&month={plan.year}-{m.month:02d}-01&status=done",
            }
            for m in completion.months
        ],
    }


@router.get("/plans/{plan_id}/completion", response=dict[str, Any])
def plan_completion(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = selectors.plan_for(request.user, plan_id)
    return completion_dict(selectors.plan_completion(request.user, plan))


@router.get("/completion", response=list[dict[str, Any]])
def completion(request: HttpRequest, query: Query[YearQuery]) -> list[dict[str, Any]]:
    return [completion_dict(c) for c in selectors.completion_by_agency(request.user, query.year)]


@router.get("/overlap", response=dict[str, Any])
def overlap(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    year = query.year
    report = selectors.overlap_report(request.user, year)
    return {
        "year": year,
        "is_clean": report.is_clean,
        "in_two_plans": [
            {
                "enterprise_id": r["enterprise"].pk,
                "enterprise": r["enterprise"].name,
                "agencies": r["agencies"],
                "supervising_agency": r["supervising_agency"].name
                if r["supervising_agency"]
                else None,
            }
            for r in report.in_two_plans
        ],
        "wrong_agency": [
            {
                "enterprise_id": r["enterprise"].pk,
                "enterprise": r["enterprise"].name,
                "plan_agency": r["plan"].agency.name,
                "supervising_agency": r["supervising_agency"].name
                if r["supervising_agency"]
                else None,
            }
            for r in report.wrong_agency
        ],
        "not_in_plan": [
            {
                "enterprise_id": r["enterprise"].pk,
                "enterprise": r["enterprise"].name,
                "agency": r["agency"].name if r["agency"] else None,
            }
            for r in report.not_in_plan
        ],
        "duplicate_tasks": [{**r, "month": r["month"].isoformat()} for r in report.duplicate_tasks],
    }


# ---------------------------------------------------------------------------------------------
# Tasks


def task_dict(task: InspectionTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "agency": task.agency.name,
        "enterprise_id": task.enterprise_id,
        "enterprise": task.enterprise.name,
        "kind": task.kind,
        "month": task.month,
        "due_date": task.due_date,
        "status": task.status,
        "title": task.title,
        "team": task.team.name if task.team_id and task.team else None,
        "officers": [o.name for o in task.officers.all()],
        "source_reference": task.source_reference,
        "plan_id": task.plan_id,
        "draw_id": task.draw_id,
        "operation_id": task.operation_id,
        "is_covert": task.is_covert,
        "completed_on": task.completed_on,
        "completed_by_reference": task.completed_by_reference,
        "cancel_reason": task.cancel_reason,
    }


class TaskQuery(Schema):
    plan_id: int | None = None
    agency_id: int | None = None
    month: dt.date | None = None
    status: str = ""
    kind: str = ""
    draw_id: int | None = None
    operation_id: int | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(100, ge=1, le=500)


@router.get("/tasks", response=dict[str, Any])
def list_tasks(request: HttpRequest, query: Query[TaskQuery]) -> dict[str, Any]:
    queryset = selectors.tasks(
        request.user,
        selectors.TaskFilters(
            plan_id=query.plan_id,
            agency_id=query.agency_id,
            month=query.month,
            status=query.status,
            kind=query.kind,
            draw_id=query.draw_id,
            operation_id=query.operation_id,
        ),
    )
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size + 1])
    return {
        "items": [task_dict(t) for t in rows[: query.page_size]],
        "page": query.page,
        "page_size": query.page_size,
        "has_next": len(rows) > query.page_size,
    }


@router.get("/tasks/{task_id}", response=dict[str, Any])
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return task_dict(selectors.task_for(request.user, task_id))


class CancelIn(Schema):
    reason: str


@router.post("/tasks/{task_id}/cancel", response=dict[str, Any])
def cancel_task(request: HttpRequest, task_id: int, payload: CancelIn) -> dict[str, Any]:
    task = selectors.task_for(request.user, task_id)
    selectors.require(request.user, "planning.manage_tasks")
    services.cancel_task(actor=request.user, task=task, reason=payload.reason)
    return task_dict(selectors.task_for(request.user, task_id))


# ---------------------------------------------------------------------------------------------
# Draws


def draw_dict(draw: Draw, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": draw.pk,
        "number": draw.number,
        "title": draw.title,
        "agency": draw.agency.name,
        "plan_id": draw.plan_id,
        "month": draw.month,
        "due_date": draw.due_date,
        "status": draw.status,
        "status_title": chinese(draw.get_status_display()),
        "strata": draw.strata,
        "team_size": draw.team_size,
        "exclude_same_grid": draw.exclude_same_grid,
        "commit_sha256": draw.commit_sha256 or None,
        "seed_description": draw.seed_description or None,
        "seed_value_date": draw.seed_value_date,
        "seed_value": draw.seed_value or None,
        "result_sha256": draw.result_sha256 or None,
        "replaces": draw.replaces_id,
    }
    if full:
        data.update(
            {
                "filters": draw.filters,
                "items": draw.items,
                "directory_sha256": draw.directory_sha256 or None,
                "pool_sha256": draw.pool_sha256 or None,
                "parameters_sha256": draw.parameters_sha256 or None,
                "seed_commitment_sha256": draw.seed_commitment_sha256 or None,
                "committed_at": draw.committed_at,
                "drawn_at": draw.drawn_at,
                "published_at": draw.published_at,
                "void_reason": draw.void_reason or None,
                "void_document": draw.void_document or None,
                "events": [
                    {
                        "action": e.action,
                        "old_status": e.old_status,
                        "new_status": e.new_status,
                        "actor": e.actor.username if e.actor else None,
                        "reason": e.reason,
                        "document_number": e.document_number,
                        "at": e.at,
                    }
                    for e in draw.events.select_related("actor").all()
                ],
            }
        )
    return data


class DrawIn(Schema):
    title: str = ""
    month: dt.date
    due_date: dt.date | None = None
    plan_id: int | None = None
    filters: dict[str, Any] = {}
    strata: list[dict[str, Any]] | None = None
    team_size: int = Field(2, ge=1, le=10)
    exclude_same_grid: bool = False
    items: list[str] = []
    replaces_id: int | None = None


class CommitIn(Schema):
    seed_description: str = Field(..., max_length=300)
    seed_value_date: dt.date


class SeedIn(Schema):
    seed_value: str = Field(..., max_length=100)


class ReasonIn(Schema):
    reason: str


class VoidApprovalIn(Schema):
    document_number: str


@router.get("/draws", response=list[dict[str, Any]])
def list_draws(request: HttpRequest) -> list[dict[str, Any]]:
    return [draw_dict(d) for d in selectors.draws(request.user)[:500]]


@router.post("/draws", response={201: dict[str, Any]})
def create_draw(request: HttpRequest, payload: DrawIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "planning.draw")
    plan = selectors.plan_for(request.user, payload.plan_id) if payload.plan_id else None
    replaces = (
        selectors.draw_for(request.user, payload.replaces_id) if payload.replaces_id else None
    )
    draw = services.create_draw(
        actor=request.user,
        agency=_agency_of(request),
        title=payload.title,
        month=payload.month,
        due_date=payload.due_date,
        plan=plan,
        filters=payload.filters,
        strata=payload.strata,
        team_size=payload.team_size,
        exclude_same_grid=payload.exclude_same_grid,
        items=payload.items,
        replaces=replaces,
    )
    return 201, draw_dict(selectors.draw_for(request.user, draw.pk), full=True)


@router.get("/draws/{draw_id}", response=dict[str, Any])
def get_draw(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/commit", response=dict[str, Any])
def commit_draw(request: HttpRequest, draw_id: int, payload: CommitIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.commit_draw(
        actor=request.user,
        draw=draw,
        seed_description=payload.seed_description,
        seed_value_date=payload.seed_value_date,
    )
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/draw", response=dict[str, Any])
def perform_draw(request: HttpRequest, draw_id: int, payload: SeedIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.perform_draw(actor=request.user, draw=draw, seed_value=payload.seed_value)
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/publish", response=dict[str, Any])
def publish_draw(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.publish_draw(actor=request.user, draw=draw)
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/void-request", response=dict[str, Any])
def request_void(request: HttpRequest, draw_id: int, payload: ReasonIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.request_void(actor=request.user, draw=draw, reason=payload.reason)
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/void-approval", response=dict[str, Any])
def approve_void(request: HttpRequest, draw_id: int, payload: VoidApprovalIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.approve_void(actor=request.user, draw=draw, document_number=payload.document_number)
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.post("/draws/{draw_id}/void-rejection", response=dict[str, Any])
def reject_void(request: HttpRequest, draw_id: int, payload: ReasonIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.user, draw_id)
    services.reject_void(actor=request.user, draw=draw, reason=payload.reason)
    return draw_dict(selectors.draw_for(request.user, draw_id), full=True)


@router.get("/draws/{draw_id}/file", response=dict[str, Any])
def draw_file(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    return services.draw_file(selectors.draw_for(request.user, draw_id))


@router.post(
    "/public/verify",
    response=dict[str, Any],
    auth=None,
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "a published draw file (format anjian.draw/1)",
            "required": True,
        }
    },
)
def verify_draw(request: HttpRequest) -> dict[str, Any]:
    """Anyone may check a draw file (public material); the verdict names the first difference."""
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DomainError(
            "unreadable",
            "请求内容不是 UTF-8 编码的 JSON。",
            "The body is not UTF-8 JSON.",
            status=422,
        ) from None
    try:
        return selectors.verify_draw_file(data).as_dict()
    except drawing.Unreadable as error:
        raise DomainError(error.code, error.message, error.message_en, status=422) from None


# ---------------------------------------------------------------------------------------------
# Operations, conflicts, teams


def operation_dict(operation: Operation) -> dict[str, Any]:
    """An operation read with ``selectors.operations(..., details=True)``: no query of its own."""
    scheme = getattr(operation, "scheme", None)
    return {
        "id": operation.pk,
        "number": operation.number,
        "kind": operation.kind,
        "kind_title": chinese(operation.get_kind_display()),
        "title": operation.title,
        "lead_agency": operation.lead_agency.name,
        "region": operation.region.code,
        "starts_on": operation.starts_on,
        "ends_on": operation.ends_on,
        "is_covert": operation.is_covert,
        "status": operation.status,
        "participants": [p.agency.name for p in operation.participants.all()],
        "scheme": {
            "title": scheme.title,
            "scope": scheme.scope,
            "items": scheme.items,
            "method": scheme.method,
            "officer_requirement": scheme.officer_requirement,
        }
        if scheme
        else None,
        "tasks": operation.task_count,  # type: ignore[attr-defined]  # annotated by the selector
    }


class OperationIn(Schema):
    kind: str
    title: str = ""
    region_code: str
    starts_on: dt.date
    ends_on: dt.date
    enterprise_ids: list[int] = Field(..., min_length=1, max_length=5000)
    officer_ids: list[int] = Field(..., min_length=2, max_length=500)
    participant_ids: list[int] = []
    acting_agency_id: int | None = None
    basis_document: str = ""
    scope_text: str = ""
    items: list[str] = []
    method: str = ""
    team_size: int = Field(2, ge=2, le=10)


@router.get("/operations", response=list[dict[str, Any]])
def list_operations(request: HttpRequest) -> list[dict[str, Any]]:
    return [operation_dict(o) for o in selectors.operations(request.user, details=True)[:500]]


@router.post("/operations", response={201: dict[str, Any]})
def create_operation(request: HttpRequest, payload: OperationIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "planning.manage_operations")
    inputs = selectors.operation_inputs(
        request.user,
        region_code=payload.region_code,
        enterprise_ids=payload.enterprise_ids,
        officer_ids=payload.officer_ids,
        participant_ids=payload.participant_ids,
        acting_agency_id=payload.acting_agency_id,
    )
    operation = services.create_operation(
        actor=request.user,
        kind=payload.kind,
        title=payload.title,
        lead_agency=_agency_of(request),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        basis_document=payload.basis_document,
        scope_text=payload.scope_text,
        items=payload.items,
        method=payload.method,
        team_size=payload.team_size,
        **inputs,
    )
    return 201, operation_dict(selectors.operation_for(request.user, operation.pk, details=True))


@router.get("/operations/{operation_id}", response=dict[str, Any])
def get_operation(request: HttpRequest, operation_id: int) -> dict[str, Any]:
    return operation_dict(selectors.operation_for(request.user, operation_id, details=True))


@router.post("/operations/{operation_id}/close", response=dict[str, Any])
def close_operation(request: HttpRequest, operation_id: int, payload: ReasonIn) -> dict[str, Any]:
    operation = selectors.operation_for(request.user, operation_id)
    services.close_operation(actor=request.user, operation=operation, reason=payload.reason)
    return operation_dict(selectors.operation_for(request.user, operation_id, details=True))


class ConflictIn(Schema):
    officer_id: int
    enterprise_id: int
    kind: str
    note: str = ""
    valid_to: dt.date | None = None


@router.get("/conflicts", response=list[dict[str, Any]])
def list_conflicts(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "officer_id": c.officer_id,
            "officer": c.officer.name,
            "enterprise_id": c.enterprise_id,
            "enterprise": c.enterprise.name,
            "kind": c.kind,
            "declared_on": c.declared_on,
            "valid_to": c.valid_to,
        }
        for c in selectors.conflicts(request.user)[:1000]
    ]


@router.post("/conflicts", response={201: dict[str, Any]})
def declare_conflict(request: HttpRequest, payload: ConflictIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "planning.declare_conflict")
    officer = selectors.numbered_officer(request.user, payload.officer_id)
    enterprise = selectors.numbered_enterprise(request.user, payload.enterprise_id)
    declaration = services.declare_conflict(
        actor=request.user,
        officer=officer,
        enterprise=enterprise,
        kind=payload.kind,
        note=payload.note,
        valid_to=payload.valid_to,
    )
    return 201, {
        "id": declaration.pk,
        "officer_id": officer.pk,
        "enterprise_id": enterprise.pk,
        "kind": declaration.kind,
    }


class TeamIn(Schema):
    name: str
    officer_ids: list[int] = Field(..., min_length=2, max_length=50)


@router.get("/teams", response=list[dict[str, Any]])
def list_teams(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "agency": t.agency.name,
            "name": t.name,
            "officers": [o.name for o in t.officers.all()],
            "is_active": t.is_active,
        }
        for t in selectors.teams(request.user)
    ]


@router.post("/teams", response={201: dict[str, Any]})
def create_team(request: HttpRequest, payload: TeamIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "planning.edit_plan")
    officers = selectors.numbered_officers(request.user, payload.officer_ids)
    team = services.create_team(
        actor=request.user, agency=_agency_of(request), name=payload.name, officers=officers
    )
    return 201, {"id": team.pk, "name": team.name, "officers": [o.name for o in officers]}


# ---------------------------------------------------------------------------------------------
# Public (no login)


def notice_dict(notice: PublicNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "kind_title": chinese(notice.get_kind_display()),
        "agency": notice.agency.name,
        "title": notice.title,
        "reference": notice.reference,
        "published_at": notice.published_at,
        "body": notice.body,
    }


@router.get("/public/notices", response=list[dict[str, Any]], auth=None)
def public_notices(request: HttpRequest, kind: str = "") -> list[dict[str, Any]]:
    return [notice_dict(n) for n in selectors.public_notices(kind)[:500]]


@router.get("/public/notices/{notice_id}", response=dict[str, Any], auth=None)
def public_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return notice_dict(selectors.public_notice(notice_id))


@router.get("/public/items", response=dict[str, Any], auth=None)
def public_items(request: HttpRequest) -> dict[str, Any]:
    items = rules.item_list()
    return {
        "version": items.version,
        "confidence": items.confidence,
        "items": [i.model_dump() for i in items.items],
    }


@router.get("/public/draws/{draw_id}/file", response=dict[str, Any], auth=None)
def public_draw_file(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    return services.draw_file(selectors.public_draw(draw_id))

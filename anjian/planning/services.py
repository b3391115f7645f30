"""Writes on planning. Every write is one transaction with its audit entry.

Plans: create → set parameters → build (the solver) → transition (the status pipeline in
``data/workflow.yaml``; ``transition_plan`` is the only writer of ``AnnualPlan.status``) → tasks.
Draws: create → commit (freeze and publish snapshots and the seed commitment) → draw (with the
public seed value) → publish (result notice and tasks); a redraw only after an approved void.
Operations: joint, cross-region (with temporary scope grants), covert, special: a scheme and tasks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from anjian.audit import services as audit
from anjian.core.errors import Conflict, DomainError, PermissionDenied
from anjian.core.i18n import chinese
from anjian.core.permissions import user_can
from anjian.planning import builder, clock, rules
from anjian.planning import draw as drawing
from anjian.planning.capacity import (
    CapacityInput,
    monthly_capacity,
    weekday_working_days,
    working_days_by_month,
)
from anjian.planning.models import (
    AnnualPlan,
    ConflictDeclaration,
    ConflictKind,
    Draw,
    DrawEvent,
    DrawStatus,
    InspectionScheme,
    InspectionTask,
    NoticeKind,
    Operation,
    OperationKind,
    OperationParticipant,
    PlanEnterprise,
    PlanEvent,
    PlanStatus,
    PublicNotice,
    TaskKind,
    TaskStatus,
    Team,
)
from anjian.registry import services as registry_services
from anjian.registry.models import (
    Agency,
    AgencyLevel,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    Grid,
    Officer,
    Region,
    ScopeGrant,
)
from anjian.registry.services import require_certified

ACTIVE_STATUSES = [EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED]
CONTROL_STRATUM = "control"  # the purely random control stratum of a draw


def _require(actor: Any, action: str) -> None:
    if actor is not None and not user_can(actor, action):
        raise PermissionDenied(action)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def max_length_of(model: Any, name: str) -> int:
    limit = model._meta.get_field(name).max_length
    assert isinstance(limit, int), f"{model.__name__}.{name} has no max_length"
    return limit


def _refuse_too_long(*fields: tuple[Any, ...]) -> None:
    """Refuse text longer than its column (``(model, field name, text)``, or with a fourth element,
    a smaller limit for text that other columns take up with more added): the pages' maxlength does
    not bind the API, and PostgreSQL would refuse the row with an error. 422, the limit named."""
    problems = []
    for model, name, text, *smaller in fields:
        limit = smaller[0] if smaller else max_length_of(model, name)
        if len(text.strip()) > limit:
            label = str(model._meta.get_field(name).verbose_name)
            problems.append({"field": name, "max_length": limit, "label": label})
    if problems:
        raise DomainError(
            "text_too_long",
            "；".join(f"{p['label']}不得超过{p['max_length']}字" for p in problems) + "。",
            "Too long: "
            + "; ".join(f"{p['field']} (at most {p['max_length']} characters)" for p in problems)
            + ".",
            details=problems,
            status=422,
        )


# Titles that other titles are made of leave room for what those add: a draw's notices append their
# kind; an operation's scheme appends 检查方案, its tasks the operation's number in brackets and a
# cross-region grant's reason prefixes 交叉执法：.
DRAW_NOTICE_SUFFIX = {
    "commit": "：抽查任务公告（名录库、人员库冻结及种子承诺）",
    "result": "：抽查结果公告",
    "void": "：抽查作废公告",
}
DRAW_TITLE_MAX = max_length_of(PublicNotice, "title") - max(map(len, DRAW_NOTICE_SUFFIX.values()))
SCHEME_SUFFIX = "检查方案"
GRANT_REASON_PREFIX = "交叉执法："
OPERATION_TITLE_MAX = min(
    max_length_of(InspectionScheme, "title") - len(SCHEME_SUFFIX),
    max_length_of(InspectionTask, "title") - len("（）") - max_length_of(Operation, "number"),
    max_length_of(ScopeGrant, "reason") - len(GRANT_REASON_PREFIX),
)
# A stratum's name goes into its tasks' titles ("{number} 第{position}号（{name}）").
STRATUM_NAME_MAX = 50


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# ---------------------------------------------------------------------------------------------
# Tasks (the unit of work shared with the inspections layer)


def create_task(
    *,
    actor: Any,
    agency: Agency,
    enterprise: Enterprise,
    month: dt.date,
    kind: str = TaskKind.PLANNED,
    officers: Sequence[Officer] = (),
    title: str = "",
    due_date: dt.date | None = None,
    source_reference: str = "",
    plan: AnnualPlan | None = None,
    team: Team | None = None,
    is_covert: bool = False,
) -> InspectionTask:
    if kind not in TaskKind.values:
        raise DomainError("task_kind", "任务类型无效。", "Unknown task kind.")
    if officers:
        require_certified(list(officers), on=max(month, clock.today()), minimum=2)
    with transaction.atomic():
        task = InspectionTask.objects.create(
            agency=agency,
            enterprise=enterprise,
            month=month.replace(day=1),
            kind=kind,
            title=title,
            due_date=due_date,
            source_reference=source_reference,
            plan=plan,
            team=team,
            is_covert=is_covert or kind == TaskKind.COVERT,
        )
        if officers:
            task.officers.set(officers)
        audit.record(
            actor=actor,
            action="planning.create_task",
            obj=task,
            after={**audit.snapshot(task), "officers": [o.pk for o in officers]},
        )
        return task


def complete_task(
    *, actor: Any, task: InspectionTask, completed_on: dt.date, record_reference: str
) -> InspectionTask:
    """Called by the inspections layer when an inspection record for this task is submitted."""
    with transaction.atomic():
        # A conditional update claims the task: two records submitted at once cannot both complete it.
        claimed = InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE,
            completed_on=completed_on,
            completed_by_reference=record_reference,
        )
        if not claimed:
            raise Conflict(
                "task_not_open",
                "该检查任务已完成或已取消。",
                "The task is already done or cancelled.",
            )
        task.refresh_from_db()
        audit.record(
            actor=actor,
            action="planning.complete_task",
            obj=task,
            after={"completed_on": completed_on, "record": record_reference},
        )
        return task


def cancel_task(*, actor: Any, task: InspectionTask, reason: str) -> InspectionTask:
    if not reason.strip():
        raise DomainError("reason_required", "请填写取消理由。", "Give the reason.")
    _refuse_too_long((InspectionTask, "cancel_reason", reason))
    with transaction.atomic():
        claimed = InspectionTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, cancel_reason=reason.strip()
        )
        if not claimed:
            raise Conflict(
                "task_not_open",
                "该检查任务已完成或已取消。",
                "The task is already done or cancelled.",
            )
        task.refresh_from_db()
        audit.record(actor=actor, action="planning.cancel_task", obj=task, after={"reason": reason})
        return task


# ---------------------------------------------------------------------------------------------
# Teams


def create_team(*, actor: Any, agency: Agency, name: str, officers: Sequence[Officer]) -> Team:
    if not name.strip():
        raise DomainError("team_name", "请填写检查组名称。", "Name the team.")
    _refuse_too_long((Team, "name", name))
    strangers = [o.name for o in officers if o.agency_id != agency.pk]
    if strangers:
        raise DomainError(
            "team_outside_agency",
            f"{'、'.join(strangers)}不属于{agency.name}。",
            "Team members must belong to the agency.",
        )
    require_certified(list(officers), on=clock.today(), minimum=2)
    with transaction.atomic():
        try:
            with transaction.atomic():
                team = Team.objects.create(agency=agency, name=name.strip())
        except IntegrityError:
            raise DomainError(
                "team_duplicate", f"检查组“{name}”已存在。", "The team exists."
            ) from None
        team.officers.set(officers)
        audit.record(
            actor=actor,
            action="planning.create_team",
            obj=team,
            after={"agency": agency.pk, "name": team.name, "officers": [o.pk for o in officers]},
        )
        return team


# ---------------------------------------------------------------------------------------------
# Annual plans: parameters and capacity


def certified_officers(agency: Agency, on: dt.date) -> list[Officer]:
    officers = (
        Officer.objects.filter(agency=agency, is_active=True)
        .prefetch_related("certificates")
        .order_by("id")
    )
    return [o for o in officers if o.valid_certificate(on) is not None]


def _working_days(year: int) -> tuple[tuple[int, ...], str]:
    from anjian.law.calendar import current_calendar

    calendar_ = current_calendar()
    if calendar_.knows_year(year):
        return working_days_by_month(year, calendar_.is_working_day), "法定节假日日历"
    return weekday_working_days(year), "日历未收录该年节假日安排，按周一至周五计（待更新）"


def default_parameters(agency: Agency, year: int) -> dict[str, Any]:
    table = rules.frequency_table()
    on = max(clock.today(), dt.date(year, 1, 1))
    return {
        "officers": len(certified_officers(agency, on)),
        "training_days_per_officer": table.capacity.training_days_per_officer,
        "training_months": list(table.capacity.training_months),
        "leave_days_per_officer": table.capacity.leave_days_per_officer,
        "inspection_share": table.capacity.inspection_share,
        "reserve_share": table.capacity.reserve_share,
        "random_share": table.random_share.value,
        "yearly_cap": int(table.yearly_cap.value),
        "visit_decay": table.capacity.visit_decay,
        "time_limit": 60.0,
        "mip_rel_gap": 1e-3,
    }


PARAMETER_LIMITS: dict[str, tuple[float, float]] = {
    "officers": (0, 100_000),
    "training_days_per_officer": (0, 200),
    "leave_days_per_officer": (0, 200),
    "inspection_share": (0.01, 1),
    "reserve_share": (0, 0.9),
    "random_share": (0, 1),
    "yearly_cap": (1, 12),
    "visit_decay": (0.01, 1),
    "time_limit": (1, 600),
    "mip_rel_gap": (0, 0.2),
}


def _clean_parameters(values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(base)
    problems = []
    for key, value in values.items():
        if value is None or value == "":
            continue
        if key == "training_months":
            try:
                months = sorted({int(m) for m in value})
            except (TypeError, ValueError):
                problems.append("培训月份应为1至12的整数")
                continue
            if any(m < 1 or m > 12 for m in months):
                problems.append("培训月份应为1至12的整数")
                continue
            cleaned[key] = months
            continue
        if key not in PARAMETER_LIMITS:
            problems.append(f"未知参数 {key}")
            continue
        low, high = PARAMETER_LIMITS[key]
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"{key} 应为数字")
            continue
        if not math.isfinite(number) or number < low or number > high:
            problems.append(f"{key} 应在 {low} 至 {high} 之间")
            continue
        cleaned[key] = int(number) if key in {"officers", "yearly_cap"} else number
    if problems:
        raise DomainError(
            "plan_parameters",
            "计划参数有误：" + "；".join(problems) + "。",
            "Invalid plan parameters.",
            details=problems,
        )
    return cleaned


def _capacity(year: int, parameters: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    working, source = _working_days(year)
    months = monthly_capacity(
        CapacityInput(
            officers=int(parameters["officers"]),
            working_days=working,
            training_days_per_officer=float(parameters["training_days_per_officer"]),
            training_months=tuple(parameters["training_months"]),
            leave_days_per_officer=float(parameters["leave_days_per_officer"]),
            inspection_share=float(parameters["inspection_share"]),
            reserve_share=float(parameters["reserve_share"]),
        )
    )
    return [m.as_dict() for m in months], source


def create_plan(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    title: str = "",
    parameters: dict[str, Any] | None = None,
) -> AnnualPlan:
    _require(actor, "planning.edit_plan")
    _refuse_too_long((AnnualPlan, "title", title))
    if agency.level not in {AgencyLevel.CITY, AgencyLevel.COUNTY, AgencyLevel.PROVINCE} and (
        agency.delegation_in_force(dt.date(year, 1, 1)) is None
    ):
        raise DomainError(
            "plan_agency",
            f"{agency.name}无执法权限，不编制年度执法计划（实施意见第（五）条：乡镇、开发区须有授权或委托）。",
            "Only agencies with enforcement power make annual plans.",
        )
    if year < 2000 or year > 2100:
        raise DomainError("plan_year", "年度无效。", "Invalid year.")
    cleaned = _clean_parameters(parameters or {}, default_parameters(agency, year))
    capacity, source = _capacity(year, cleaned)
    with transaction.atomic():
        if AnnualPlan.objects.filter(agency=agency, year=year).exists():
            raise Conflict(
                "plan_exists",
                f"{agency.name}{year}年度执法计划已存在；请修订现有计划。",
                "A plan for this agency and year exists; revise it.",
            )
        plan = AnnualPlan.objects.create(
            agency=agency,
            year=year,
            title=title.strip() or f"{agency.name}{year}年度安全生产监督检查计划",
            parameters={**cleaned, "calendar": source},
            capacity=capacity,
            created_by=_user(actor),
            rules_version=rules.frequency_table().version,
        )
        _event(plan, actor, "create", "", PlanStatus.DRAFT, reason="", basis="安全生产法第六十二条")
        audit.record(
            actor=actor, action="planning.create_plan", obj=plan, after=audit.snapshot(plan)
        )
        return plan


def update_plan_parameters(
    *, actor: Any, plan: AnnualPlan, parameters: dict[str, Any]
) -> AnnualPlan:
    _require(actor, "planning.edit_plan")
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _require_draft(locked, "修改参数")
        base = {k: v for k, v in locked.parameters.items() if k != "calendar"}
        cleaned = _clean_parameters(parameters, base)
        capacity, source = _capacity(locked.year, cleaned)
        before = {"parameters": locked.parameters}
        locked.parameters = {**cleaned, "calendar": source}
        locked.capacity = capacity
        locked.is_stale = True
        locked.save(update_fields=["parameters", "capacity", "is_stale"])
        audit.record(
            actor=actor,
            action="planning.update_plan_parameters",
            obj=locked,
            before=before,
            after={"parameters": locked.parameters},
        )
        return locked


def _require_draft(plan: AnnualPlan, what: str) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(
            "plan_not_draft",
            f"计划处于“{chinese(plan.get_status_display())}”状态，不能{what}；请先“修订计划”。",
            f"The plan is {plan.status}; revise it first.",
        )


# ---------------------------------------------------------------------------------------------
# Annual plans: the builder


def _enterprise_rows(agency: Agency, year: int) -> list[builder.EnterpriseRow]:
    year_start = dt.date(year, 1, 1)
    enterprises = list(
        Enterprise.objects.filter(supervising_agency=agency, status__in=ACTIVE_STATUSES)
        .order_by("id")
        .values_list("id", "risk_grade")
    )
    ids = [e[0] for e in enterprises]
    tags: dict[int, list[str]] = defaultdict(list)
    last: dict[int, dt.date] = {}
    for start in range(0, len(ids), 20_000):
        chunk = ids[start : start + 20_000]
        for enterprise_id, tag in (
            EnterpriseTag.objects.filter(enterprise_id__in=chunk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year_start))
            .values_list("enterprise_id", "tag")
        ):
            tags[enterprise_id].append(tag)
        for enterprise_id, completed in (
            InspectionTask.objects.filter(enterprise_id__in=chunk, status=TaskStatus.DONE)
            .values("enterprise_id")
            .annotate(last=Max("completed_on"))
            .values_list("enterprise_id", "last")
        ):
            if completed:
                last[enterprise_id] = completed
    return [
        builder.EnterpriseRow(
            enterprise_id=enterprise_id,
            risk_grade=risk_grade,
            tags=tuple(sorted(tags.get(enterprise_id, []))),
            last_inspected=last.get(enterprise_id),
        )
        for enterprise_id, risk_grade in enterprises
    ]


def build_plan(*, actor: Any, plan: AnnualPlan) -> AnnualPlan:
    """Run the solver over the agency's enterprises and store the allocation (draft plans only)."""
    _require(actor, "planning.edit_plan")
    if plan.status != PlanStatus.DRAFT:
        _require_draft(plan, "重新编制")
    table = rules.frequency_table()
    parameters = plan.parameters
    settings = builder.PlanSettings(
        year=plan.year,
        capacity=tuple(float(m["plannable"]) for m in plan.capacity),
        yearly_cap=int(parameters["yearly_cap"]),
        random_share=float(parameters["random_share"]),
        visit_decay=float(parameters["visit_decay"]),
        time_limit=float(parameters.get("time_limit", 60.0)),
        mip_rel_gap=float(parameters.get("mip_rel_gap", 1e-3)),
    )
    rows = _enterprise_rows(plan.agency, plan.year)
    result = builder.build(rows, table, settings)
    summary = result.summary(table, settings)
    summary.pop("group_patterns", None)
    if result.solution.status not in {"optimal", "time_limit"}:
        raise DomainError(
            "solver_failed",
            f"求解器未得到可行方案（状态：{result.solution.status}）。",
            f"The solver found no plan ({result.solution.status}).",
        )
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _require_draft(locked, "重新编制")
        PlanEnterprise.objects.filter(plan=locked).delete()
        PlanEnterprise.objects.bulk_create(
            (
                PlanEnterprise(
                    plan=locked,
                    enterprise_id=p.enterprise_id,
                    class_code=p.class_code,
                    group_key=p.group_key,
                    risk_weight=p.risk_weight,
                    named_visits=p.visits,
                    months=list(p.months),
                    in_random_pool=p.in_random_pool,
                )
                for p in result.placements
            ),
            batch_size=2000,
        )
        locked.solution = summary
        locked.is_stale = False
        locked.built_at = clock.now()
        locked.rules_version = table.version
        locked.save(update_fields=["solution", "is_stale", "built_at", "rules_version"])
        audit.record(
            actor=actor,
            action="planning.build_plan",
            obj=locked,
            after={
                "enterprises": len(result.placements),
                "status": summary["status"],
                "gap": summary["gap"],
                "load": summary["load"],
                "shortfall": {c["code"]: c["shortfall"] for c in summary["classes"]},
                "rules_version": table.version,
            },
        )
        return locked


def _officer_days() -> dict[str, float]:
    return {c.code: c.officer_days for c in rules.frequency_table().classes}


def _quotas(plan: AnnualPlan) -> dict[str, list[int]]:
    return {c["code"]: list(c.get("quotas", [0] * 12)) for c in plan.solution.get("classes", [])}


def plan_load(plan: AnnualPlan) -> list[float]:
    rows = PlanEnterprise.objects.filter(plan=plan, named_visits__gt=0).values_list(
        "class_code", "months"
    )
    return builder.monthly_load(list(rows), _quotas(plan), _officer_days())


def over_capacity(plan: AnnualPlan, load: Sequence[float] | None = None) -> list[dict[str, Any]]:
    load = plan_load(plan) if load is None else load
    return [
        {"month": m["month"], "load": round(load[i], 2), "capacity": m["plannable"]}
        for i, m in enumerate(plan.capacity)
        if load[i] > float(m["plannable"]) + 1e-6
    ]


def _over_capacity_error(months: list[dict[str, Any]]) -> DomainError:
    text = "；".join(
        f"{m['month']}月安排 {m['load']} 人·日，超过可计划能力 {m['capacity']} 人·日"
        for m in months
    )
    return DomainError(
        "plan_over_capacity",
        f"计划超出检查能力：{text}。请减少安排或调整能力参数。",
        "The plan exceeds the inspection capacity in: "
        + ", ".join(f"month {m['month']} ({m['load']} > {m['capacity']})" for m in months),
        details=months,
    )


def adjust_plan_enterprise(
    *,
    actor: Any,
    plan: AnnualPlan,
    enterprise: Enterprise,
    months: Sequence[int],
    reason: str,
) -> PlanEnterprise:
    """Set one enterprise's named inspection months by hand; refused if the plan goes over capacity."""
    _require(actor, "planning.edit_plan")
    if not reason.strip():
        raise DomainError("reason_required", "请说明调整理由。", "Give the reason.")
    try:
        month_list = sorted({int(m) for m in months})
    except (TypeError, ValueError):
        raise DomainError("plan_months", "月份应为1至12的整数。", "Months are 1–12.") from None
    if any(m < 1 or m > 12 for m in month_list):
        raise DomainError("plan_months", "月份应为1至12的整数。", "Months are 1–12.")
    cap = int(plan.parameters["yearly_cap"])
    if len(month_list) > cap:
        raise DomainError(
            "plan_yearly_cap",
            f"每家单位每年计划检查不超过 {cap} 次（年度检查频次上限，国办发〔2024〕54号要求设定；数值为本系统默认值）。",
            f"At most {cap} planned inspections per enterprise a year.",
        )
    with transaction.atomic():
        locked = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        _require_draft(locked, "调整")
        if locked.is_stale or not locked.solution:
            raise Conflict("plan_not_built", "请先按当前参数编制计划。", "Build the plan first.")
        entry = PlanEnterprise.objects.filter(plan=locked, enterprise=enterprise).first()
        if entry is None:
            raise DomainError(
                "plan_enterprise_outside",
                f"“{enterprise.name}”不在本计划的监管范围内（属地管辖以监管机构为准）。",
                "The enterprise is not in this plan's jurisdiction.",
            )
        before = {"months": entry.months, "named_visits": entry.named_visits}
        entry.months = month_list
        entry.named_visits = len(month_list)
        entry.in_random_pool = False if month_list else entry.in_random_pool
        entry.is_manual = True
        entry.save(update_fields=["months", "named_visits", "in_random_pool", "is_manual"])
        load = plan_load(locked)
        months_over = over_capacity(locked, load)
        if months_over:
            raise _over_capacity_error(months_over)  # rolls the change back
        solution = dict(locked.solution)
        solution["load"] = load
        solution["manual_changes"] = solution.get("manual_changes", 0) + 1
        locked.solution = solution
        locked.save(update_fields=["solution"])
        audit.record(
            actor=actor,
            action="planning.adjust_plan_enterprise",
            obj=entry,
            before=before,
            after={"months": month_list, "reason": reason},
        )
        return entry


# ---------------------------------------------------------------------------------------------
# Annual plans: the status pipeline


def _event(
    plan: AnnualPlan,
    actor: Any,
    action: str,
    old: str,
    new: str,
    *,
    reason: str = "",
    basis: str = "",
    document_number: str = "",
    details: dict[str, Any] | None = None,
) -> PlanEvent:
    return PlanEvent.objects.create(
        plan=plan,
        version=plan.version,
        action=action,
        old_status=old,
        new_status=new,
        actor=_user(actor),
        reason=reason,
        basis=basis,
        document_number=document_number,
        details=details or {},
        at=clock.now(),
    )


def allowed_plan_actions(plan: AnnualPlan) -> list[rules.Transition]:
    return rules.workflows().plan.allowed_from(plan.status)


def _refuse_transition(pipeline: rules.Pipeline, state: str, action: str, noun: str) -> DomainError:
    allowed = pipeline.allowed_from(state)
    state_title = pipeline.states[state].title_zh if state in pipeline.states else state
    options = "、".join(f"“{t.title_zh}”" for t in allowed) or "无"
    return Conflict(
        "transition_not_allowed",
        f"{noun}处于“{state_title}”状态，不能执行“{action}”。可执行的下一步：{options}。",
        f"Action {action!r} is not allowed in state {state!r}; allowed: "
        + (", ".join(t.action for t in allowed) or "none"),
        details={"state": state, "action": action, "allowed": [t.action for t in allowed]},
    )


def transition_plan(
    *,
    actor: Any,
    plan: AnnualPlan,
    action: str,
    reason: str = "",
    document_number: str = "",
    approved_by: str = "",
    decided_on: dt.date | None = None,
) -> AnnualPlan:
    """The only writer of ``AnnualPlan.status``: checks the table, the role and the guards."""
    pipeline = rules.workflows().plan
    transition = pipeline.transition(action)
    if transition is None:
        raise DomainError(
            "unknown_action",
            f"未知操作“{action}”。可用操作：{'、'.join(pipeline.actions())}。",
            f"Unknown action {action!r}.",
        )
    _refuse_too_long(
        (PlanEvent, "document_number", document_number), (AnnualPlan, "approved_by", approved_by)
    )
    with transaction.atomic():
        locked = (
            AnnualPlan.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=plan.pk)
        )
        if locked.status not in transition.from_states:
            raise _refuse_transition(pipeline, locked.status, transition.title_zh, "计划")
        _require(actor, transition.permission)
        given: dict[str, Any] = {
            "reason": reason.strip(),
            "document_number": document_number.strip(),
            "approved_by": approved_by.strip(),
            "decided_on": decided_on,
        }
        missing = [field for field in transition.requires if not given.get(field)]
        if missing:
            labels = {
                "reason": "理由",
                "document_number": "文号",
                "approved_by": "批准机关",
                "decided_on": "日期",
            }
            raise DomainError(
                "transition_incomplete",
                f"“{transition.title_zh}”须填写：{'、'.join(labels[f] for f in missing)}。",
                f"{action} needs: {', '.join(missing)}.",
                details={"missing": missing},
            )
        old = locked.status
        details: dict[str, Any] = {}
        update = ["status"]
        if action == "submit":
            _check_submittable(locked)
        elif action == "approve":
            locked.approval_document = given["document_number"]
            locked.approved_by = given["approved_by"]
            locked.approved_on = decided_on
            update += ["approval_document", "approved_by", "approved_on"]
        elif action == "file":
            if locked.agency.parent_id is None and locked.agency.level != AgencyLevel.PROVINCE:
                raise DomainError(
                    "no_upper_level", "本机构没有上级机构，无法备案。", "No upper-level agency."
                )
            locked.filing_document = given["document_number"]
            locked.filed_with_id = locked.agency.parent_id
            locked.filed_on = decided_on
            update += ["filing_document", "filed_with", "filed_on"]
        elif action == "enact":
            locked.in_force_on = clock.today()
            update.append("in_force_on")
        elif action == "revise":
            locked.version += 1
            update.append("version")
        locked.status = transition.to
        locked.save(update_fields=update)
        if action == "enact":
            details = _generate_plan_tasks(locked, actor)
            _publish_plan_notice(locked)
        _event(
            locked,
            actor,
            action,
            old,
            locked.status,
            reason=given["reason"],
            basis=transition.basis,
            document_number=given["document_number"],
            details={
                **details,
                **({"approved_by": given["approved_by"]} if given["approved_by"] else {}),
                **({"decided_on": decided_on.isoformat()} if decided_on else {}),
            },
        )
        audit.record(
            actor=actor,
            action=f"planning.plan_{action}",
            obj=locked,
            before={"status": old},
            after={
                "status": locked.status,
                "version": locked.version,
                "reason": given["reason"],
                "document_number": given["document_number"],
                **details,
            },
        )
        return locked


def _check_submittable(plan: AnnualPlan) -> None:
    if plan.is_stale or not plan.solution:
        raise DomainError(
            "plan_not_built",
            "计划参数已修改或尚未编制：请先按当前参数编制（求解）后再报批。",
            "Build the plan with the current parameters before submitting.",
        )
    months_over = over_capacity(plan)
    if months_over:
        raise _over_capacity_error(months_over)
    foreign = list(
        PlanEnterprise.objects.filter(plan=plan)
        .exclude(enterprise__supervising_agency=plan.agency)
        .select_related("enterprise")[:20]
    )
    if foreign:
        names = "、".join(e.enterprise.name for e in foreign)
        raise DomainError(
            "plan_outside_jurisdiction",
            f"以下单位已不由{plan.agency.name}监管（属地管辖），不能列入本计划：{names}。请重新编制。",
            "Some enterprises are no longer under this agency's jurisdiction; rebuild the plan.",
            details=[e.enterprise_id for e in foreign],
        )
    # An enterprise this agency rightly supervises may still sit in another agency's older plan:
    # that plan is the one to revise (it is refused above when submitted); the overlap report
    # (selectors.overlap_report) lists both until it is.


def _team_rotation(agency: Agency, on: dt.date) -> list[tuple[Team, list[Officer]]]:
    rotation = []
    for team in Team.objects.filter(agency=agency, is_active=True).prefetch_related(
        "officers__certificates"
    ):
        members = [
            o for o in team.officers.all() if o.is_active and o.valid_certificate(on) is not None
        ]
        rotation.append((team, members))
    return rotation


def _bulk_tasks(specs: list[dict[str, Any]], officers: list[list[Officer]]) -> list[InspectionTask]:
    tasks = InspectionTask.objects.bulk_create(
        [InspectionTask(**spec) for spec in specs], batch_size=2000
    )
    through = InspectionTask.officers.through
    links = [
        through(inspectiontask_id=task.pk, officer_id=officer.pk)
        for task, members in zip(tasks, officers, strict=True)
        for officer in members
    ]
    through.objects.bulk_create(links, batch_size=5000)
    return tasks


def _generate_plan_tasks(plan: AnnualPlan, actor: Any) -> dict[str, Any]:
    """Named inspections become monthly tasks for the teams; a revision keeps what still fits."""
    wanted: dict[tuple[int, int], PlanEnterprise] = {}
    for entry in PlanEnterprise.objects.filter(plan=plan, named_visits__gt=0).order_by(
        "enterprise_id"
    ):
        for month in entry.months:
            wanted[(entry.enterprise_id, int(month))] = entry
    existing = {
        (t.enterprise_id, t.month.month): t
        for t in InspectionTask.objects.filter(
            plan=plan, kind=TaskKind.PLANNED, status=TaskStatus.OPEN
        )
    }
    done = set(
        InspectionTask.objects.filter(
            plan=plan, kind=TaskKind.PLANNED, status=TaskStatus.DONE
        ).values_list("enterprise_id", "month__month")
    )
    stale = [t.pk for key, t in existing.items() if key not in wanted]
    cancelled = InspectionTask.objects.filter(pk__in=stale).update(
        status=TaskStatus.CANCELLED, cancel_reason=f"计划修订（第{plan.version}版）不再安排"
    )
    rotation = _team_rotation(plan.agency, max(clock.today(), dt.date(plan.year, 1, 1)))
    specs: list[dict[str, Any]] = []
    members: list[list[Officer]] = []
    index = 0
    for (enterprise_id, month), _entry in sorted(wanted.items(), key=lambda x: (x[0][1], x[0][0])):
        if (enterprise_id, month) in existing or (enterprise_id, month) in done:
            continue
        team, officers = rotation[index % len(rotation)] if rotation else (None, [])
        index += 1
        start = month_start(plan.year, month)
        specs.append(
            {
                "agency": plan.agency,
                "enterprise_id": enterprise_id,
                "kind": TaskKind.PLANNED,
                "month": start,
                "due_date": month_end(start),
                "title": f"{plan.year}年{month}月计划检查",
                "source_reference": plan.reference,
                "plan": plan,
                "team": team,
            }
        )
        members.append(officers if len(officers) >= 2 else [])
    created = _bulk_tasks(specs, members)
    return {
        "tasks_created": len(created),
        "tasks_cancelled": cancelled,
        "tasks_kept": len(existing) - len(stale),
    }


def _publish_plan_notice(plan: AnnualPlan) -> None:
    classes = plan.solution.get("classes", [])
    body = {
        "agency": plan.agency.name,
        "year": plan.year,
        "version": plan.version,
        "approval_document": plan.approval_document,
        "approved_by": plan.approved_by,
        "filing_document": plan.filing_document,
        "random_share_target": plan.parameters.get("random_share"),
        "random_share_planned": plan.solution.get("random_share"),
        "yearly_cap": plan.parameters.get("yearly_cap"),
        "classes": [
            {
                "code": c["code"],
                "title": c.get("title_zh", c["code"]),
                "enterprises": c["count"],
                "min_visits_per_year": c.get("min_visits_per_year"),
                "named_inspections": c["named_visits"],
                "random_inspections": c["random_visits"],
                "quotas": c.get("quotas", []),
                "shortfall": c["shortfall"],
            }
            for c in classes
        ],
        "items": [i.code for i in rules.item_list().items],
    }
    PublicNotice.objects.update_or_create(
        kind=NoticeKind.PLAN,
        reference=f"PLAN-{plan.year}-{plan.agency_id}",
        defaults={
            "agency": plan.agency,
            "title": f"{plan.agency.name}{plan.year}年度随机抽查计划公告",
            "body": body,
            "published_at": clock.now(),
            "plan": plan,
        },
    )


# ---------------------------------------------------------------------------------------------
# Conflicts of interest


def declare_conflict(
    *,
    actor: Any,
    officer: Officer,
    enterprise: Enterprise,
    kind: str,
    note: str = "",
    valid_to: dt.date | None = None,
) -> ConflictDeclaration:
    own = getattr(actor, "pk", None) is not None and officer.user_id == actor.pk
    if actor is not None and not (
        (own and user_can(actor, "planning.declare_conflict"))
        or user_can(actor, "planning.manage_conflicts")
    ):
        raise PermissionDenied("planning.manage_conflicts")
    if kind not in ConflictKind.values:
        raise DomainError("conflict_kind", "回避关系类型无效。", "Unknown conflict kind.")
    _refuse_too_long((ConflictDeclaration, "note", note))
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            officer=officer,
            enterprise=enterprise,
            kind=kind,
            defaults={
                "note": note.strip(),
                "declared_on": clock.today(),
                "valid_to": valid_to,
                "declared_by": _user(actor),
            },
        )
        if created:
            audit.record(
                actor=actor,
                action="planning.declare_conflict",
                obj=declaration,
                after=audit.snapshot(declaration),
            )
        return declaration


# ---------------------------------------------------------------------------------------------
# Random draws


def _draw_event(
    draw: Draw,
    actor: Any,
    action: str,
    old: str,
    new: str,
    *,
    reason: str = "",
    basis: str = "",
    document_number: str = "",
    details: dict[str, Any] | None = None,
) -> DrawEvent:
    return DrawEvent.objects.create(
        draw=draw,
        action=action,
        old_status=old,
        new_status=new,
        actor=_user(actor),
        reason=reason,
        basis=basis,
        document_number=document_number,
        details=details or {},
        at=clock.now(),
    )


def _move_draw(draw: Draw, actor: Any, action: str, **given: Any) -> tuple[str, rules.Transition]:
    """Check the draw pipeline's table for ``action`` from the draw's state (caller holds the lock)."""
    pipeline = rules.workflows().draw
    transition = pipeline.transition(action)
    assert transition is not None
    if draw.status not in transition.from_states:
        if action == "draw" and draw.status == DrawStatus.DRAFT:
            raise Conflict(
                "draw_without_commitment",
                "尚未冻结名录库、人员库并公示种子承诺，不能抽取：请先“冻结并公示”，待种子数值公开后再抽取。",
                "No committed seed: commit the snapshots and the seed source first.",
                details={"state": draw.status, "allowed": ["commit"]},
            )
        raise _refuse_transition(pipeline, draw.status, transition.title_zh, "抽查")
    _require(actor, transition.permission)
    missing = [field for field in transition.requires if not given.get(field)]
    if missing:
        labels = {
            "reason": "理由",
            "document_number": "批准文号",
            "seed_description": "种子来源",
            "seed_value_date": "种子公开日期",
            "seed_value": "种子数值",
        }
        raise DomainError(
            "transition_incomplete",
            f"“{transition.title_zh}”须填写：{'、'.join(labels.get(f, f) for f in missing)}。",
            f"{action} needs: {', '.join(missing)}.",
            details={"missing": missing},
        )
    return draw.status, transition


def _next_number(
    model: Any, prefix: str, year: int, *, agency: Agency, field: str = "number"
) -> str:
    """The next number of the agency's series. Called inside the caller's transaction: the agency
    row stays locked until it commits, so two numbers of one series are never counted at once."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    count = model.objects.filter(**{f"{field}__startswith": f"{prefix}〔{year}〕"}).count()
    return f"{prefix}〔{year}〕{count + 1}号"


def default_strata(
    plan: AnnualPlan, month: int, control_share: float = 0.1
) -> list[dict[str, Any]]:
    strata = []
    total = 0
    for row in plan.solution.get("classes", []):
        quota = int(row.get("quotas", [0] * 12)[month - 1])
        if quota > 0:
            strata.append(
                {
                    "name": row["code"],
                    "select": [row["code"]],
                    "count": quota,
                    "weighting": "weighted",
                }
            )
            total += quota
    if total:
        strata.append(
            {
                "name": CONTROL_STRATUM,
                "select": "*",
                "count": max(1, round(total * control_share)),
                "weighting": "uniform",
            }
        )
    return strata


def create_draw(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    month: dt.date,
    due_date: dt.date | None = None,
    plan: AnnualPlan | None = None,
    filters: dict[str, Any] | None = None,
    strata: list[dict[str, Any]] | None = None,
    team_size: int = 2,
    exclude_same_grid: bool = False,
    items: Sequence[str] = (),
    replaces: Draw | None = None,
) -> Draw:
    _require(actor, "planning.draw")
    _refuse_too_long((Draw, "title", title, DRAW_TITLE_MAX))
    month = month.replace(day=1)
    due = due_date or month_end(month)
    if due < month:
        raise DomainError("draw_due", "最迟完成日期不能早于检查月份。", "Due date before month.")
    if plan is not None:
        if plan.agency_id != agency.pk:
            raise DomainError("draw_plan", "计划不属于本机构。", "The plan belongs elsewhere.")
        if plan.status != PlanStatus.IN_FORCE:
            raise Conflict(
                "plan_not_in_force",
                "计划尚未下达执行，不能按计划抽查。",
                "The plan is not in force.",
            )
        if plan.year != month.year:
            raise DomainError("draw_plan", "检查月份不在计划年度内。", "Month outside plan year.")
    strata = strata if strata is not None else (default_strata(plan, month.month) if plan else [])
    try:
        parameters = drawing.parameters_document(
            strata, team_size=team_size, exclude_same_grid=exclude_same_grid
        )
    except drawing.DrawError as error:
        raise DomainError(error.code, error.message, error.message_en) from None
    except (KeyError, TypeError, ValueError):
        raise DomainError(
            "draw_strata", "抽取层格式错误（每层须有 name、count）。", "Malformed strata."
        ) from None
    long_names = [s["name"] for s in parameters["strata"] if len(s["name"]) > STRATUM_NAME_MAX]
    if long_names:
        raise DomainError(
            "text_too_long",
            f"抽取层名称不得超过{STRATUM_NAME_MAX}字（名称写入检查任务的名称）。",
            f"Too long: strata.name (at most {STRATUM_NAME_MAX} characters).",
            details=[
                {"field": "strata.name", "max_length": STRATUM_NAME_MAX, "label": "抽取层名称"}
            ],
            status=422,
        )
    if not any(s["count"] for s in parameters["strata"]):
        raise DomainError("draw_empty", "抽取数量为0。", "Nothing to draw.")
    known_items = {i.code for i in rules.item_list().items}
    unknown = [code for code in items if code not in known_items]
    if unknown:
        raise DomainError(
            "draw_items",
            f"抽查事项不在公布的清单内：{'、'.join(unknown)}（清单之外无检查）。",
            "Items outside the published item list.",
        )
    with transaction.atomic():
        live = (
            Draw.objects.select_for_update()
            .filter(agency=agency, plan=plan, month=month)
            .exclude(status=DrawStatus.VOIDED)
        )
        if replaces is not None:
            replaces = Draw.objects.select_for_update().get(pk=replaces.pk)
            if replaces.status != DrawStatus.VOIDED or replaces.agency_id != agency.pk:
                raise Conflict(
                    "redraw_needs_void",
                    "重新抽取只能替代已经批准作废的抽查。",
                    "A redraw replaces only a voided draw.",
                )
            if Draw.objects.filter(replaces=replaces).exists():
                raise Conflict("redraw_exists", "该抽查已被重新抽取。", "Already redrawn.")
        if live.exists():
            existing = live.first()
            assert existing is not None
            raise Conflict(
                "draw_exists",
                f"本月已有抽查 {existing.number}（{chinese(existing.get_status_display())}）；"
                "重新抽取须先申请并经批准作废原抽查。",
                "A draw for this month exists; a redraw needs an approved void.",
            )
        number = _next_number(Draw, f"{agency.short_name}随抽", month.year, agency=agency)
        draw = Draw.objects.create(
            agency=agency,
            plan=plan,
            number=number,
            title=title.strip() or f"{agency.name}{month:%Y年%m月}双随机抽查",
            month=month,
            due_date=due,
            filters=filters or {},
            strata=parameters["strata"],
            team_size=parameters["team_size"],
            exclude_same_grid=parameters["exclude_same_grid"],
            items=list(items) or sorted(known_items),
            replaces=replaces,
            created_by=_user(actor),
        )
        _draw_event(draw, actor, "create", "", DrawStatus.DRAFT)
        audit.record(
            actor=actor,
            action="planning.create_draw",
            obj=draw,
            after=audit.snapshot(
                draw,
                fields=["number", "title", "month", "strata", "filters", "team_size", "replaces"],
            ),
        )
        return draw


def _directory(draw: Draw) -> dict[str, Any]:
    """The eligible enterprises, frozen: the plan's random pool, or the agency's filtered ones."""
    filters = draw.filters or {}
    table = rules.frequency_table()
    excluded: list[tuple[int, str]] = []
    if draw.plan_id:
        entries = PlanEnterprise.objects.filter(
            plan_id=draw.plan_id, in_random_pool=True, enterprise__status__in=ACTIVE_STATUSES
        )
        base = Enterprise.objects.filter(pk__in=entries.values("enterprise_id"))
        class_of = dict(entries.values_list("enterprise_id", "class_code"))
        weight_of = {
            k: max(1, round(v * 10)) for k, v in entries.values_list("enterprise_id", "risk_weight")
        }
    else:
        base = Enterprise.objects.filter(supervising_agency=draw.agency, status__in=ACTIVE_STATUSES)
        class_of = {}
        weight_of = {}
    if filters.get("region_code"):
        region = Region.objects.filter(code=filters["region_code"]).first()
        if region is None:
            base = base.none()
        elif region.level in {"province", "city", "county"}:
            base = base.filter(**{f"{region.level}_code": region.code})
        else:
            base = base.filter(region=region)
    if filters.get("industry_code"):
        base = base.filter(industry__code__startswith=str(filters["industry_code"]).upper())
    if filters.get("risk_grades"):
        base = base.filter(risk_grade__in=list(filters["risk_grades"]))
    if filters.get("tags"):
        base = base.filter(
            pk__in=EnterpriseTag.objects.filter(tag__in=list(filters["tags"])).values(
                "enterprise_id"
            )
        )
    rows = list(
        base.order_by("id").values_list(
            "id", "risk_grade", "grid_id", "uscc", "name", "region__code"
        )
    )
    ids = [r[0] for r in rows]
    tags: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, tag in EnterpriseTag.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "tag"
    ):
        tags[enterprise_id].append(tag)
    skip: dict[int, str] = {}
    days = int(filters.get("exclude_inspected_within_days") or 0)
    if days > 0:
        since = draw.month - dt.timedelta(days=days)
        for enterprise_id in (
            InspectionTask.objects.filter(
                enterprise_id__in=ids, status=TaskStatus.DONE, completed_on__gte=since
            )
            .values_list("enterprise_id", flat=True)
            .distinct()
        ):
            skip[enterprise_id] = f"近{days}日内已检查"
    # Drawn this year in a risk stratum: the plan's quotas count distinct enterprises, so they are
    # out of later draws (a control-stratum draw does not count: it is a check beyond the plan).
    for result_json in (
        Draw.objects.filter(agency=draw.agency, month__year=draw.month.year)
        .exclude(pk=draw.pk)
        .exclude(status=DrawStatus.VOIDED)
        .exclude(result_json="")
        .values_list("result_json", flat=True)
    ):
        for _, enterprise_id, stratum, _ in json.loads(result_json)["draws"]:
            if stratum != CONTROL_STRATUM:
                skip.setdefault(enterprise_id, "本年度已在风险分层中被抽中")
    # The yearly cap on inspections of one enterprise (国办发〔2024〕54号; the figure is ours).
    cap = int(
        (draw.plan.parameters.get("yearly_cap") if draw.plan_id and draw.plan else None)
        or rules.frequency_table().yearly_cap.value
    )
    for row in (
        InspectionTask.objects.filter(enterprise_id__in=ids, month__year=draw.month.year)
        .exclude(status=TaskStatus.CANCELLED)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .filter(n__gte=cap)
        .order_by()
    ):
        skip.setdefault(row["enterprise_id"], f"本年度检查已达上限（{cap}次）")
    directory_rows = []
    for enterprise_id, risk_grade, grid_id, uscc, name, region_code in rows:
        if enterprise_id in skip:
            excluded.append((enterprise_id, skip[enterprise_id]))
            continue
        code = class_of.get(enterprise_id) or table.classify(risk_grade, tags[enterprise_id]).code
        weight = weight_of.get(enterprise_id) or max(1, round(table.by_code()[code].weight * 10))
        directory_rows.append((enterprise_id, code, weight, grid_id, uscc, name, region_code))
    return drawing.directory_snapshot(
        directory_rows,
        excluded=excluded,
        filters={
            **filters,
            "plan": draw.plan.reference if draw.plan_id and draw.plan else None,
            "agency": draw.agency.name,
            "month": draw.month.isoformat(),
        },
    )


def _pool(draw: Draw, enterprise_ids: Iterable[int]) -> dict[str, Any]:
    """Certified officers of the agency (valid from today through the due date) and their conflicts."""
    today = clock.today()
    rows: list[tuple[int, str, int, str, list[int]]] = []
    excluded: list[tuple[int, str]] = []
    officers = (
        Officer.objects.filter(agency=draw.agency, is_active=True)
        .prefetch_related("certificates")
        .order_by("id")
    )
    for officer in officers:
        start = officer.valid_certificate(today)
        end = officer.valid_certificate(draw.due_date)
        if start is None or end is None:
            excluded.append((officer.pk, "执法证无效或在任务期内失效"))
            continue
        rows.append((officer.pk, officer.name, officer.agency_id, start.number, []))
    by_id = {r[0]: r for r in rows}
    for grid_id, officer_id in Grid.objects.filter(
        responsible_officer_id__in=list(by_id)
    ).values_list("id", "responsible_officer_id"):
        by_id[officer_id][4].append(grid_id)
    wanted = set(enterprise_ids)
    conflicts = [
        (officer_id, enterprise_id)
        for officer_id, enterprise_id in ConflictDeclaration.objects.filter(
            officer_id__in=list(by_id)
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=draw.month))
        .values_list("officer_id", "enterprise_id")
        if enterprise_id in wanted
    ]
    return drawing.pool_snapshot(rows, conflicts=conflicts, excluded=excluded)


def _fit_control(strata: list[dict[str, Any]], directory_size: int) -> list[dict[str, Any]]:
    """The control stratum takes what the risk strata leave (it is sized before the directory is
    frozen); the risk strata are the plan's quotas and are never shrunk."""
    others = sum(s["count"] for s in strata if s["name"] != CONTROL_STRATUM)
    fitted = []
    for stratum in strata:
        if stratum["name"] == CONTROL_STRATUM and stratum["select"] == "*":
            count = min(stratum["count"], max(0, directory_size - others))
            if count == 0:
                continue
            stratum = {**stratum, "count": count}
        fitted.append(stratum)
    return fitted


def commit_draw(
    *, actor: Any, draw: Draw, seed_description: str, seed_value_date: dt.date | None
) -> Draw:
    """Freeze the directory and the pool, publish their hashes and the seed commitment."""
    _refuse_too_long((Draw, "seed_description", seed_description))
    with transaction.atomic():
        locked = (
            Draw.objects.select_for_update(of=("self",))
            .select_related("agency", "plan")
            .get(pk=draw.pk)
        )
        old, transition = _move_draw(
            locked,
            actor,
            "commit",
            seed_description=seed_description.strip(),
            seed_value_date=seed_value_date,
        )
        assert seed_value_date is not None
        today = clock.today()
        if seed_value_date <= today:
            raise DomainError(
                "seed_already_known",
                f"种子数值须在承诺之后才公开：公开日期 {seed_value_date} 不晚于今天 {today}。",
                "The seed value must become public after the commitment.",
            )
        directory = _directory(locked)
        pool = _pool(locked, directory["columns"]["id"])
        locked.strata = _fit_control(locked.strata, len(directory["columns"]["id"]))
        parameters = drawing.parameters_document(
            locked.strata, team_size=locked.team_size, exclude_same_grid=locked.exclude_same_grid
        )
        try:
            drawing.check_feasible(drawing.load(directory, pool), parameters)
        except drawing.DrawError as error:
            raise DomainError(error.code, error.message, error.message_en) from None
        source = drawing.seed_source(seed_description, seed_value_date)
        notice = drawing.commit_notice(
            draw_number=locked.number,
            directory=directory,
            pool=pool,
            parameters=parameters,
            source=source,
            committed_at=clock.now(),
        )
        locked.directory_json = drawing.canonical_json(directory).decode("utf-8")
        locked.pool_json = drawing.canonical_json(pool).decode("utf-8")
        locked.parameters_json = drawing.canonical_json(parameters).decode("utf-8")
        locked.commit_json = drawing.canonical_json(notice).decode("utf-8")
        locked.directory_sha256 = notice["directory_sha256"]
        locked.pool_sha256 = notice["pool_sha256"]
        locked.parameters_sha256 = notice["parameters_sha256"]
        locked.commit_sha256 = drawing.sha256_hex(notice)
        locked.seed_description = source["description"]
        locked.seed_value_date = seed_value_date
        locked.seed_commitment_sha256 = notice["seed_commitment_sha256"]
        locked.committed_at = clock.now()
        locked.status = transition.to
        locked.save()
        PublicNotice.objects.create(
            kind=NoticeKind.TASK,
            agency=locked.agency,
            title=f"{locked.title}{DRAW_NOTICE_SUFFIX['commit']}",
            reference=locked.number,
            body={
                "number": locked.number,
                "month": locked.month.isoformat(),
                "due_date": locked.due_date.isoformat(),
                "items": locked.items,
                "strata": locked.strata,
                "team_size": locked.team_size,
                "directory_size": len(directory["columns"]["id"]),
                "directory_excluded": len(directory["excluded"]["id"]),
                "pool_size": len(pool["columns"]["id"]),
                "commit": notice,
                "commit_sha256": locked.commit_sha256,
            },
            published_at=clock.now(),
            draw=locked,
            plan=locked.plan,
        )
        _draw_event(
            locked,
            actor,
            "commit",
            old,
            locked.status,
            basis="双随机：抽取前公示名录库、人员库和种子来源",
            details={"commit_sha256": locked.commit_sha256},
        )
        audit.record(
            actor=actor,
            action="planning.commit_draw",
            obj=locked,
            after={
                "commit_sha256": locked.commit_sha256,
                "directory_sha256": locked.directory_sha256,
                "pool_sha256": locked.pool_sha256,
                "parameters_sha256": locked.parameters_sha256,
                "seed_commitment_sha256": locked.seed_commitment_sha256,
            },
        )
        return locked


def perform_draw(*, actor: Any, draw: Draw, seed_value: str) -> Draw:
    """Draw with the now public seed value: a deterministic function of the committed material."""
    _refuse_too_long((Draw, "seed_value", seed_value))
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        old, transition = _move_draw(locked, actor, "draw", seed_value=seed_value.strip())
        if not locked.commit_sha256:
            raise Conflict(
                "draw_without_commitment",
                "没有种子承诺，不能抽取。",
                "No seed commitment.",
            )
        today = clock.today()
        assert locked.seed_value_date is not None
        if today < locked.seed_value_date:
            raise DomainError(
                "seed_not_yet_public",
                f"种子数值将于 {locked.seed_value_date} 公开，今天（{today}）还不能抽取。",
                "The seed value is not public yet.",
            )
        value = seed_value.strip()
        directory = json.loads(locked.directory_json)
        pool = json.loads(locked.pool_json)
        parameters = json.loads(locked.parameters_json)
        try:
            result = drawing.run_draw(
                directory, pool, parameters, drawing.derive_seed(locked.commit_sha256, value)
            )
        except drawing.DrawError as error:
            raise DomainError(error.code, error.message, error.message_en) from None
        document = result.document()
        locked.seed_value = value
        locked.result_json = drawing.canonical_json(document).decode("utf-8")
        locked.result_sha256 = drawing.sha256_hex(document)
        locked.drawn_at = clock.now()
        locked.status = transition.to
        locked.save()
        _draw_event(
            locked,
            actor,
            "draw",
            old,
            locked.status,
            details={"seed_value": value, "result_sha256": locked.result_sha256, "n": len(result)},
        )
        audit.record(
            actor=actor,
            action="planning.perform_draw",
            obj=locked,
            after={"seed_value": value, "result_sha256": locked.result_sha256, "n": len(result)},
        )
        return locked


def publish_draw(*, actor: Any, draw: Draw) -> Draw:
    """Publish the result (抽查结果公告) and hand each drawn enterprise to its drawn team as a task."""
    with transaction.atomic():
        locked = (
            Draw.objects.select_for_update(of=("self",))
            .select_related("agency", "plan")
            .get(pk=draw.pk)
        )
        old, transition = _move_draw(locked, actor, "publish")
        result = json.loads(locked.result_json)
        officers = {
            o.pk: o
            for o in Officer.objects.filter(
                pk__in={oid for row in result["draws"] for oid in row[3]}
            ).prefetch_related("certificates")
        }
        specs = []
        members = []
        for position, enterprise_id, stratum, team in result["draws"]:
            team_officers = [officers[oid] for oid in team]
            if len(team_officers) >= 2:
                require_certified(team_officers, on=max(clock.today(), locked.month), minimum=2)
            specs.append(
                {
                    "agency": locked.agency,
                    "enterprise_id": enterprise_id,
                    "kind": TaskKind.RANDOM_DRAW,
                    "month": locked.month,
                    "due_date": locked.due_date,
                    "title": f"{locked.number} 第{position}号（{stratum}）",
                    "source_reference": locked.number,
                    # The control stratum checks beyond the plan's quotas (from the reserve): its
                    # tasks do not count for the plan's completion.
                    "plan": locked.plan if stratum != CONTROL_STRATUM else None,
                    "draw": locked,
                }
            )
            members.append(team_officers)
        tasks = _bulk_tasks(specs, members)
        locked.published_at = clock.now()
        locked.status = transition.to
        locked.save(update_fields=["published_at", "status"])
        names = dict(
            Enterprise.objects.filter(pk__in=[s["enterprise_id"] for s in specs]).values_list(
                "id", "name"
            )
        )
        PublicNotice.objects.create(
            kind=NoticeKind.RESULT,
            agency=locked.agency,
            title=f"{locked.title}{DRAW_NOTICE_SUFFIX['result']}",
            reference=locked.number,
            body={
                "number": locked.number,
                "month": locked.month.isoformat(),
                "seed_source": locked.seed_description,
                "seed_value": locked.seed_value,
                "commit_sha256": locked.commit_sha256,
                "result_sha256": locked.result_sha256,
                "draws": [
                    {
                        "position": row[0],
                        "enterprise_id": row[1],
                        "enterprise": names.get(row[1], ""),
                        "stratum": row[2],
                        "officers": [officers[o].name for o in row[3]],
                    }
                    for row in result["draws"]
                ],
                "verify": f"anjian draw verify {locked.number}.json",
            },
            published_at=clock.now(),
            draw=locked,
            plan=locked.plan,
        )
        _draw_event(locked, actor, "publish", old, locked.status, details={"tasks": len(tasks)})
        audit.record(
            actor=actor,
            action="planning.publish_draw",
            obj=locked,
            after={"tasks": len(tasks), "result_sha256": locked.result_sha256},
        )
        return locked


def request_void(*, actor: Any, draw: Draw, reason: str) -> Draw:
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        old, transition = _move_draw(locked, actor, "request_void", reason=reason.strip())
        locked.status_before_void = old
        locked.void_reason = reason.strip()
        locked.void_requested_by = _user(actor)
        locked.status = transition.to
        locked.save(
            update_fields=["status_before_void", "void_reason", "void_requested_by", "status"]
        )
        _draw_event(locked, actor, "request_void", old, locked.status, reason=reason)
        audit.record(
            actor=actor,
            action="planning.request_void",
            obj=locked,
            before={"status": old},
            after={"status": locked.status, "reason": reason},
        )
        return locked


def approve_void(*, actor: Any, draw: Draw, document_number: str) -> Draw:
    _refuse_too_long((Draw, "void_document", document_number))
    with transaction.atomic():
        locked = (
            Draw.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draw.pk)
        )
        old, transition = _move_draw(
            locked, actor, "approve_void", document_number=document_number.strip()
        )
        if locked.void_requested_by_id and locked.void_requested_by_id == getattr(
            actor, "pk", None
        ):
            # Not a missing role (the page says why instead of a 403 page); the API answers 403.
            raise DomainError(
                "void_own_request",
                "申请人不能批准自己的作废申请：须由本机构另一位有批准权限的负责人批准或驳回。",
                "The requester may not approve their own void request: another head of the"
                " agency with the right to approve must approve or reject it.",
                status=403,
            )
        cancelled = InspectionTask.objects.filter(draw=locked, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, cancel_reason=f"抽查作废（{document_number.strip()}）"
        )
        locked.void_approved_by = _user(actor)
        locked.void_document = document_number.strip()
        locked.voided_at = clock.now()
        locked.status = transition.to
        locked.save(update_fields=["void_approved_by", "void_document", "voided_at", "status"])
        PublicNotice.objects.create(
            kind=NoticeKind.VOID,
            agency=locked.agency,
            title=f"{locked.title}{DRAW_NOTICE_SUFFIX['void']}",
            reference=locked.number,
            body={
                "number": locked.number,
                "reason": locked.void_reason,
                "document_number": locked.void_document,
                "status_before_void": locked.status_before_void,
                "commit_sha256": locked.commit_sha256,
                "result_sha256": locked.result_sha256,
                "tasks_cancelled": cancelled,
            },
            published_at=clock.now(),
            draw=locked,
        )
        _draw_event(
            locked,
            actor,
            "approve_void",
            old,
            locked.status,
            reason=locked.void_reason,
            document_number=locked.void_document,
            details={"tasks_cancelled": cancelled},
        )
        audit.record(
            actor=actor,
            action="planning.approve_void",
            obj=locked,
            before={"status": old},
            after={"status": locked.status, "document": locked.void_document},
        )
        return locked


def reject_void(*, actor: Any, draw: Draw, reason: str) -> Draw:
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        old, _ = _move_draw(locked, actor, "reject_void", reason=reason.strip())
        locked.status = locked.status_before_void or DrawStatus.COMMITTED
        locked.save(update_fields=["status"])
        _draw_event(locked, actor, "reject_void", old, locked.status, reason=reason)
        audit.record(
            actor=actor,
            action="planning.reject_void",
            obj=locked,
            before={"status": old},
            after={"status": locked.status, "reason": reason},
        )
        return locked


def draw_file(draw: Draw) -> dict[str, Any]:
    """The published draw file: everything needed to recompute the draw (see draw.py)."""
    if not draw.commit_json:
        raise Conflict(
            "draw_not_committed", "抽查尚未冻结，没有可公开的文件。", "Not committed yet."
        )
    void = None
    if draw.status in {DrawStatus.VOID_REQUESTED, DrawStatus.VOIDED}:
        void = {
            "status": draw.status,
            "reason": draw.void_reason,
            "document_number": draw.void_document,
        }
    return drawing.draw_file(
        metadata={
            "number": draw.number,
            "agency": draw.agency.name,
            "title": draw.title,
            "month": draw.month.isoformat(),
            "due_date": draw.due_date.isoformat(),
            "items": draw.items,
        },
        directory=json.loads(draw.directory_json),
        pool=json.loads(draw.pool_json),
        parameters=json.loads(draw.parameters_json),
        commit=json.loads(draw.commit_json),
        seed_value=draw.seed_value or None,
        result=json.loads(draw.result_json) if draw.result_json else None,
        void=void,
    )


# ---------------------------------------------------------------------------------------------
# Operations


OPERATION_CODES = {
    OperationKind.JOINT: "联",
    OperationKind.CROSS_REGION: "交",
    OperationKind.COVERT: "暗",
    OperationKind.SPECIAL: "专",
}
TASK_KIND_OF = {
    OperationKind.JOINT: TaskKind.JOINT,
    OperationKind.CROSS_REGION: TaskKind.CROSS_REGION,
    OperationKind.COVERT: TaskKind.COVERT,
    OperationKind.SPECIAL: TaskKind.SPECIAL,
}


def _months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _teams_for(
    officers: Sequence[Officer], team_size: int, *, mix_agencies: bool
) -> list[list[Officer]]:
    ordered = list(officers)
    if mix_agencies:
        # Interleave by agency so that each team mixes levels (省、市、县 together).
        by_agency: dict[int, list[Officer]] = defaultdict(list)
        for officer in ordered:
            by_agency[officer.agency_id].append(officer)
        queues = [by_agency[k] for k in sorted(by_agency)]
        ordered = []
        while any(queues):
            for queue in queues:
                if queue:
                    ordered.append(queue.pop(0))
    teams = [ordered[i : i + team_size] for i in range(0, len(ordered), team_size)]
    if len(teams) > 1 and len(teams[-1]) < 2:
        teams[-2].extend(teams.pop())
    return [t for t in teams if len(t) >= 2]


def create_operation(
    *,
    actor: Any,
    kind: str,
    title: str,
    lead_agency: Agency,
    region: Region,
    starts_on: dt.date,
    ends_on: dt.date,
    enterprises: Sequence[Enterprise],
    officers: Sequence[Officer],
    participants: Sequence[Agency] = (),
    acting_agency: Agency | None = None,
    basis_document: str = "",
    scope_text: str = "",
    items: Sequence[str] = (),
    method: str = "",
    team_size: int = 2,
) -> Operation:
    """Create the operation, its inspection scheme, its tasks (and, cross-region, the scope grants).

    joint: several agencies and levels, one task per enterprise with mixed teams.
    Every kind: an open task of the same month on the same enterprise (not another operation's) is
    merged into the operation's task (综合查一次: cancelled with the reason, its plan link kept).
    cross_region: officers of ``acting_agency`` act in ``region`` with temporary scope grants.
    covert: unannounced (暗查暗访); tasks and scheme are marked; no public notice.
    special: a campaign over the given enterprises.
    """
    _require(actor, "planning.manage_operations")
    _refuse_too_long(
        (Operation, "title", title, OPERATION_TITLE_MAX),
        (Operation, "basis_document", basis_document),
        (InspectionScheme, "method", method),
    )
    if kind not in OperationKind.values:
        raise DomainError("operation_kind", "行动类型无效。", "Unknown operation kind.")
    if ends_on < starts_on:
        raise DomainError("operation_dates", "结束日期不能早于开始日期。", "End before start.")
    if not lead_agency.region.contains(region):
        raise DomainError(
            "operation_region",
            f"{lead_agency.name}的辖区不包含{region.name}。",
            "The lead agency's jurisdiction does not contain the region.",
            status=403,
        )
    if not enterprises:
        raise DomainError("operation_targets", "请选择检查对象。", "Choose the enterprises.")
    outside = [e.name for e in enterprises if not region.contains(e.region)]
    if outside:
        raise DomainError(
            "operation_targets_outside",
            f"以下单位不在实施区域{region.name}内：{'、'.join(outside[:10])}。",
            "Some enterprises lie outside the operation's region.",
        )
    participants = list(dict.fromkeys([lead_agency, *participants]))
    if kind == OperationKind.JOINT and len(participants) < 2:
        raise DomainError(
            "joint_participants",
            "联合执法须有两个及以上机构参加（安全生产法第六十九条）。",
            "A joint operation needs two or more agencies (WSL Art 69).",
        )
    if kind == OperationKind.CROSS_REGION:
        if acting_agency is None:
            raise DomainError(
                "cross_acting_agency",
                "交叉执法须指定派出执法人员的机构。",
                "Name the acting agency.",
            )
        if acting_agency.region.contains(region) or region.contains(acting_agency.region):
            raise DomainError(
                "cross_same_region",
                "交叉执法的执法人员须来自实施区域以外的地区。",
                "Cross-region officers come from outside the region.",
            )
        if not lead_agency.region.contains(acting_agency.region):
            raise DomainError(
                "cross_lead",
                "组织交叉执法的机构须同时管辖派出地区和实施区域。",
                "The lead agency must hold both regions.",
            )
        participants = list(dict.fromkeys([*participants, acting_agency]))
        wrong = [o.name for o in officers if o.agency_id != acting_agency.pk]
        if wrong:
            raise DomainError(
                "cross_officers",
                f"{'、'.join(wrong)}不属于{acting_agency.name}。",
                "Officers must belong to the acting agency.",
            )
    allowed_agencies = {a.pk for a in participants}
    strangers = [o.name for o in officers if o.agency_id not in allowed_agencies]
    if strangers:
        raise DomainError(
            "operation_officers",
            f"{'、'.join(strangers)}不属于参加行动的机构。",
            "Officers must belong to participating agencies.",
        )
    require_certified(list(officers), on=max(starts_on, clock.today()), minimum=2)
    require_certified(list(officers), on=ends_on, minimum=2)
    known_items = {i.code for i in rules.item_list().items}
    unknown = [c for c in items if c not in known_items]
    if unknown:
        raise DomainError(
            "operation_items",
            f"检查事项不在公布的清单内：{'、'.join(unknown)}（清单之外无检查）。",
            "Items outside the published list.",
        )
    teams = _teams_for(officers, max(2, team_size), mix_agencies=kind == OperationKind.JOINT)
    if not teams:
        raise DomainError("operation_teams", "执法人员不足以组成检查组。", "Too few officers.")
    months = _months_between(starts_on, ends_on)
    is_covert = kind == OperationKind.COVERT
    with transaction.atomic():
        number = _next_number(
            Operation,
            f"{lead_agency.short_name}{OPERATION_CODES[OperationKind(kind)]}",
            starts_on.year,
            agency=lead_agency,
        )
        operation = Operation.objects.create(
            kind=kind,
            number=number,
            title=title.strip() or f"{lead_agency.name}{chinese(OperationKind(kind).label)}",
            lead_agency=lead_agency,
            region=region,
            starts_on=starts_on,
            ends_on=ends_on,
            basis_document=basis_document.strip(),
            is_covert=is_covert,
            created_by=_user(actor),
        )
        OperationParticipant.objects.bulk_create(
            [
                OperationParticipant(
                    operation=operation,
                    agency=agency,
                    role="牵头" if agency.pk == lead_agency.pk else "参加",
                )
                for agency in participants
            ]
        )
        InspectionScheme.objects.create(
            operation=operation,
            agency=lead_agency,
            title=f"{operation.title}{SCHEME_SUFFIX}",
            scope=scope_text.strip() or f"{region.name}内 {len(enterprises)} 家生产经营单位",
            items=list(items) or sorted(known_items),
            method=method.strip()
            or (
                "四不两直：不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场"
                if is_covert
                else chinese(OperationKind(kind).label)
            ),
            officer_requirement=f"每组不少于2名持有效执法证的执法人员；共{len(teams)}组",
            period_from=starts_on,
            period_to=ends_on,
            is_covert=is_covert,
        )
        if kind == OperationKind.CROSS_REGION:
            assert acting_agency is not None
            for officer in officers:
                registry_services.grant_scope(
                    actor=actor,
                    region=region,
                    valid_from=starts_on,
                    valid_to=ends_on,
                    operation_reference=number,
                    reason=f"{GRANT_REASON_PREFIX}{operation.title}",
                    granting_agency=lead_agency,
                    officer=officer,
                )
        task_agency = acting_agency if kind == OperationKind.CROSS_REGION else lead_agency
        merged = 0
        specs = []
        members = []
        for index, enterprise in enumerate(sorted(enterprises, key=lambda e: e.pk)):
            month = months[index % len(months)]
            inherited_plan = None
            # 综合查一次: an open task of the same month on the same enterprise (from a plan, a
            # draw or by hand, by any agency) is merged into the operation's task, which keeps
            # its plan link so that the plan's completion counts the inspection.
            duplicates = list(
                InspectionTask.objects.select_for_update().filter(
                    enterprise=enterprise,
                    month=month,
                    status=TaskStatus.OPEN,
                    operation__isnull=True,
                )
            )
            for duplicate in duplicates:
                inherited_plan = inherited_plan or duplicate.plan
            if duplicates:
                merged += InspectionTask.objects.filter(pk__in=[d.pk for d in duplicates]).update(
                    status=TaskStatus.CANCELLED,
                    cancel_reason=f"并入{chinese(OperationKind(kind).label)} {number}（综合查一次）",
                )
            team = teams[index % len(teams)]
            specs.append(
                {
                    "agency": task_agency,
                    "enterprise": enterprise,
                    "kind": TASK_KIND_OF[OperationKind(kind)],
                    "month": month,
                    "due_date": min(month_end(month), ends_on),
                    "title": f"{operation.title}（{number}）",
                    "source_reference": number,
                    "operation": operation,
                    "plan": inherited_plan,
                    "is_covert": is_covert,
                }
            )
            members.append(team)
        tasks = _bulk_tasks(specs, members)
        audit.record(
            actor=actor,
            action="planning.create_operation",
            obj=operation,
            after={
                **audit.snapshot(operation),
                "participants": [a.pk for a in participants],
                "tasks": len(tasks),
                "merged_tasks": merged,
                "teams": [[o.pk for o in t] for t in teams],
            },
        )
        return operation


def close_operation(*, actor: Any, operation: Operation, reason: str = "") -> Operation:
    _require(actor, "planning.manage_operations")
    with transaction.atomic():
        locked = Operation.objects.select_for_update().get(pk=operation.pk)
        if locked.status == "closed":
            raise Conflict("operation_closed", "行动已结束。", "Already closed.")
        locked.status = "closed"
        locked.save(update_fields=["status"])
        for grant in ScopeGrant.objects.filter(
            operation_reference=locked.number, revoked_at__isnull=True
        ):
            registry_services.revoke_scope_grant(
                actor=actor, grant=grant, reason=reason or "行动结束"
            )
        audit.record(
            actor=actor,
            action="planning.close_operation",
            obj=locked,
            after={"status": "closed", "reason": reason},
        )
        return locked

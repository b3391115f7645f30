"""Reads on planning, always through the jurisdiction scope (``visible_to``) and the role check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.permissions import user_can
from anjian.planning import draw as drawing
from anjian.planning import rules
from anjian.planning.models import (
    AnnualPlan,
    ConflictDeclaration,
    Draw,
    InspectionTask,
    Operation,
    OperationParticipant,
    PlanEnterprise,
    PublicNotice,
    TaskStatus,
    Team,
)
from anjian.registry import selectors as registry_selectors
from anjian.registry.models import Agency, Enterprise, EnterpriseStatus, Officer, Region
from anjian.registry.scope import scope_for


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def _get_visible(queryset: QuerySet[Any], user: Any, pk: Any) -> Any:
    try:
        return queryset.visible_to(user).get(pk=pk)  # type: ignore[attr-defined]
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_agency(user: Any) -> Agency | None:
    """The agency of the signed-in officer (None for a technical administrator)."""
    officer = getattr(user, "officer", None) if getattr(user, "pk", None) else None
    try:
        return officer.agency if officer is not None else None
    except Agency.DoesNotExist:
        return None


# ---------------------------------------------------------------------------------------------
# Plans


def plans(user: Any, year: int | None = None) -> QuerySet[AnnualPlan]:
    require(user, "planning.view")
    queryset = AnnualPlan.objects.visible_to(user).select_related("agency", "agency__region")
    if year:
        queryset = queryset.filter(year=year)
    return queryset.order_by("-year", "agency__region__code", "agency__name")


def plan_for(user: Any, pk: Any) -> AnnualPlan:
    require(user, "planning.view")
    plan: AnnualPlan = _get_visible(
        AnnualPlan.objects.select_related("agency", "agency__parent", "filed_with"), user, pk
    )
    return plan


def plan_enterprises(
    user: Any, plan: AnnualPlan, *, class_code: str = "", month: int | None = None
) -> QuerySet[PlanEnterprise]:
    require(user, "planning.view")
    queryset = PlanEnterprise.objects.visible_to(user).filter(plan=plan)
    if class_code:
        queryset = queryset.filter(class_code=class_code)
    if month:
        # JSON containment is not portable across SQLite and PostgreSQL: filter in Python.
        ids = [
            pk
            for pk, months in queryset.filter(named_visits__gt=0).values_list("pk", "months")
            if month in months
        ]
        queryset = queryset.filter(pk__in=ids)
    return queryset.select_related("enterprise", "enterprise__region").order_by(
        "class_code", "-risk_weight", "enterprise_id"
    )


@dataclass
class MonthCompletion:
    month: int
    planned_named: int
    planned_random: int
    tasks: int
    done: int
    open: int
    cancelled: int

    @property
    def planned(self) -> int:
        return self.planned_named + self.planned_random

    @property
    def rate(self) -> float | None:
        return self.done / self.planned if self.planned else None


@dataclass
class PlanCompletion:
    plan: AnnualPlan
    months: list[MonthCompletion]

    @property
    def planned(self) -> int:
        return sum(m.planned for m in self.months)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.months)

    @property
    def rate(self) -> float | None:
        return self.done / self.planned if self.planned else None


def plan_completion(user: Any, plan: AnnualPlan) -> PlanCompletion:
    """Done / planned per month. Planned = named inspections (the allocation) + the month's draw
    quotas; done = tasks of the plan completed by an inspection record (completed_by_reference)."""
    require(user, "planning.view")
    return _completions([plan])[0]


def completion_by_agency(user: Any, year: int) -> list[PlanCompletion]:
    """Every visible plan of the year with its completion: three queries however many plans."""
    return _completions(list(plans(user, year)))


def _completions(plan_list: list[AnnualPlan]) -> list[PlanCompletion]:
    """The completion of each plan from two grouped queries over all of them (none per plan)."""
    if not plan_list:
        return []
    ids = [plan.pk for plan in plan_list]
    named: dict[int, list[int]] = {pk: [0] * 12 for pk in ids}
    for plan_id, months in PlanEnterprise.objects.filter(
        plan_id__in=ids, named_visits__gt=0
    ).values_list("plan_id", "months"):
        for month in months:
            named[plan_id][int(month) - 1] += 1
    counts: dict[tuple[int, int, str], int] = {}
    for row in (
        InspectionTask.objects.filter(plan_id__in=ids)
        .values("plan_id", "month", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["plan_id"], row["month"].month, row["status"])
        counts[key] = counts.get(key, 0) + row["n"]
    return [_completion(plan, named[plan.pk], counts) for plan in plan_list]


def _completion(
    plan: AnnualPlan, named: list[int], counts: dict[tuple[int, int, str], int]
) -> PlanCompletion:
    quotas = [0] * 12
    for row in plan.solution.get("classes", []):
        for index, count in enumerate(row.get("quotas", [])):
            quotas[index] += int(count)
    months = []
    for month in range(1, 13):
        done = counts.get((plan.pk, month, TaskStatus.DONE), 0)
        open_ = counts.get((plan.pk, month, TaskStatus.OPEN), 0)
        cancelled = counts.get((plan.pk, month, TaskStatus.CANCELLED), 0)
        months.append(
            MonthCompletion(
                month=month,
                planned_named=named[month - 1],
                planned_random=quotas[month - 1],
                tasks=done + open_,
                done=done,
                open=open_,
                cancelled=cancelled,
            )
        )
    return PlanCompletion(plan=plan, months=months)


# ---------------------------------------------------------------------------------------------
# Tasks


@dataclass
class TaskFilters:
    plan_id: int | None = None
    agency_id: int | None = None
    month: dt.date | None = None
    status: str = ""
    kind: str = ""
    draw_id: int | None = None
    operation_id: int | None = None


def tasks(user: Any, filters: TaskFilters | None = None) -> QuerySet[InspectionTask]:
    require(user, "planning.view")
    f = filters or TaskFilters()
    queryset = InspectionTask.objects.visible_to(user)
    if f.plan_id:
        queryset = queryset.filter(plan_id=f.plan_id)
    if f.agency_id:
        queryset = queryset.filter(agency_id=f.agency_id)
    if f.month:
        queryset = queryset.filter(month=f.month.replace(day=1))
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.draw_id:
        queryset = queryset.filter(draw_id=f.draw_id)
    if f.operation_id:
        queryset = queryset.filter(operation_id=f.operation_id)
    return (
        queryset.select_related("agency", "enterprise", "team")
        .prefetch_related("officers")
        .order_by("month", "id")
    )


def task_for(user: Any, pk: Any) -> InspectionTask:
    require(user, "planning.view")
    task: InspectionTask = _get_visible(
        InspectionTask.objects.select_related(
            "agency", "enterprise", "team", "plan", "draw", "operation"
        ).prefetch_related("officers"),
        user,
        pk,
    )
    return task


# ---------------------------------------------------------------------------------------------
# Overlaps and gaps (clause (四): no duplicate and no missing enforcement)


@dataclass
class OverlapReport:
    year: int
    in_two_plans: list[dict[str, Any]] = field(default_factory=list)
    wrong_agency: list[dict[str, Any]] = field(default_factory=list)
    not_in_plan: list[dict[str, Any]] = field(default_factory=list)
    duplicate_tasks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not (
            self.in_two_plans or self.wrong_agency or self.not_in_plan or self.duplicate_tasks
        )


def overlap_report(user: Any, year: int, limit: int = 500) -> OverlapReport:
    require(user, "planning.view")
    report = OverlapReport(year=year)
    entries = PlanEnterprise.objects.visible_to(user).filter(plan__year=year)
    twice = (
        entries.values("enterprise_id")
        .annotate(n=Count("plan__agency", distinct=True))
        .filter(n__gt=1)
        .order_by("enterprise_id")[:limit]
    )
    ids = [row["enterprise_id"] for row in twice]
    by_enterprise: dict[int, list[PlanEnterprise]] = {}
    for entry in (
        PlanEnterprise.objects.filter(plan__year=year, enterprise_id__in=ids)
        .select_related("plan__agency", "enterprise__supervising_agency")
        .order_by("enterprise_id", "plan__agency_id")
    ):
        by_enterprise.setdefault(entry.enterprise_id, []).append(entry)
    for enterprise_id in ids:
        rows = by_enterprise.get(enterprise_id, [])
        if not rows:
            continue
        enterprise = rows[0].enterprise
        report.in_two_plans.append(
            {
                "enterprise": enterprise,
                "agencies": [r.plan.agency.name for r in rows],
                "plans": [r.plan for r in rows],
                "supervising_agency": enterprise.supervising_agency,
            }
        )
    for entry in (
        entries.exclude(enterprise__supervising_agency=F("plan__agency"))
        .select_related("plan__agency", "enterprise__supervising_agency")
        .order_by("enterprise_id")[:limit]
    ):
        report.wrong_agency.append(
            {
                "enterprise": entry.enterprise,
                "plan": entry.plan,
                "supervising_agency": entry.enterprise.supervising_agency,
            }
        )
    planned_agencies = AnnualPlan.objects.visible_to(user).filter(year=year).values("agency_id")
    missing = (
        Enterprise.objects.visible_to(user)
        .filter(
            status__in=[EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED],
            supervising_agency_id__in=planned_agencies,
        )
        .exclude(plan_entries__plan__year=year)
        .select_related("supervising_agency")
        .order_by("id")[:limit]
    )
    report.not_in_plan = [{"enterprise": e, "agency": e.supervising_agency} for e in missing]
    duplicates = (
        InspectionTask.objects.visible_to(user)
        .filter(month__year=year, status=TaskStatus.OPEN)
        .values("enterprise_id", "month")
        .annotate(n=Count("agency", distinct=True))
        .filter(n__gt=1)
        .order_by("enterprise_id", "month")[:limit]
    )
    names = dict(
        Enterprise.objects.filter(pk__in=[d["enterprise_id"] for d in duplicates]).values_list(
            "id", "name"
        )
    )
    report.duplicate_tasks = [
        {
            "enterprise_id": d["enterprise_id"],
            "enterprise": names.get(d["enterprise_id"], ""),
            "month": d["month"],
            "agencies": d["n"],
        }
        for d in duplicates
    ]
    return report


# ---------------------------------------------------------------------------------------------
# Draws, operations, conflicts, teams


def draws(user: Any) -> QuerySet[Draw]:
    require(user, "planning.view")
    return (
        Draw.objects.visible_to(user)
        .select_related("agency", "plan")
        .defer("directory_json", "pool_json", "result_json")
        .order_by("-month", "-id")
    )


def draw_for(user: Any, pk: Any) -> Draw:
    require(user, "planning.view")
    draw: Draw = _get_visible(Draw.objects.select_related("agency", "plan", "replaces"), user, pk)
    return draw


def operations(user: Any, *, details: bool = False) -> QuerySet[Operation]:
    """The operations the user may see. With ``details``: each carries its scheme, its participants
    (with their agencies) and ``task_count``, so a list of them costs a fixed number of queries."""
    require(user, "planning.view")
    scope = scope_for(user)
    # Visible: operations led within the user's jurisdiction, carried out in it (a host county
    # sees the cross-region operation on its territory), or taken part in by the user's agency.
    # Each condition is a subquery on the operation's id: no join, so no duplicate rows to remove.
    shown = Q(pk__in=Operation.objects.visible_to(user).values("pk")) | Q(
        region__in=Region.objects.visible_to(user)
    )
    if scope.agency_id is not None:
        shown |= Q(
            pk__in=OperationParticipant.objects.filter(agency_id=scope.agency_id).values(
                "operation_id"
            )
        )
    visible = Operation.objects.filter(shown)
    if not user_can(user, "planning.manage_operations"):
        # Covert operations (暗查暗访) are known only to those who run them and their teams.
        visible = visible.filter(
            Q(is_covert=False)
            | Q(
                pk__in=InspectionTask.objects.filter(
                    officers__user=user, operation__isnull=False
                ).values("operation_id")
            )
        )
    visible = visible.select_related("lead_agency", "region").order_by("-starts_on", "-id")
    if not details:
        return visible
    task_count = (
        InspectionTask.objects.filter(operation=OuterRef("pk"))
        .order_by()
        .values("operation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        visible.select_related("scheme")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=OperationParticipant.objects.select_related("agency").order_by("id"),
            )
        )
        .annotate(task_count=Coalesce(Subquery(task_count), 0))
    )


def operation_for(user: Any, pk: Any, *, details: bool = False) -> Operation:
    try:
        return operations(user, details=details).get(pk=pk)
    except (Operation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def operation_inputs(
    user: Any,
    *,
    region_code: str,
    enterprise_ids: Sequence[int],
    officer_ids: Sequence[int],
    participant_ids: Sequence[int] = (),
    acting_agency_id: int | None = None,
) -> dict[str, Any]:
    """What an operation's page form or API body names by code and number, read as records for
    ``services.create_operation``: the region and the enterprises within the user's jurisdiction,
    the officers, the participating and the acting agencies. A number that names nothing is
    refused with the reason, never dropped."""
    region = registry_selectors.regions(user).filter(code=region_code).first()
    if region is None:
        raise DomainError(
            "outside_jurisdiction",
            "实施区域不在您的管辖范围内。",
            "Region outside your jurisdiction.",
            status=403,
        )
    enterprises = list(registry_selectors.enterprises(user).filter(pk__in=enterprise_ids))
    if len(enterprises) != len(set(enterprise_ids)):
        raise DomainError(
            "operation_targets_unknown",
            "部分检查对象不存在或不在您的管辖范围内。",
            "Some enterprises are unknown or outside your jurisdiction.",
        )
    participants = list(Agency.objects.filter(pk__in=participant_ids))
    if len(participants) != len(set(participant_ids)):
        raise DomainError(
            "operation_participants_unknown",
            "部分参加机构不存在。",
            "Some participating agencies are unknown.",
        )
    acting = None
    if acting_agency_id is not None:
        acting = Agency.objects.filter(pk=acting_agency_id).first()
        if acting is None:
            raise DomainError(
                "operation_acting_agency_unknown",
                "派出执法人员的机构不存在。",
                "The acting agency is unknown.",
            )
    officers = list(
        Officer.objects.filter(pk__in=officer_ids)
        .select_related("agency")
        .prefetch_related("certificates")
    )
    if len(officers) != len(set(officer_ids)):
        raise DomainError("operation_officers_unknown", "部分执法人员不存在。", "Unknown officers.")
    return {
        "region": region,
        "enterprises": enterprises,
        "participants": participants,
        "acting_agency": acting,
        "officers": officers,
    }


# What a page's text box or an API body names by number: a token that is not a number, or a number
# that names nothing in the user's scope, is refused by name (never dropped, never a 404 page).
_NUMBERED = {
    "officer": ("人员编号", "officer number"),
    "enterprise": ("单位编号", "enterprise number"),
}


def number_tokens(text: str) -> list[str]:
    """The tokens of a list of numbers typed into a page: separated by commas (also full-width) or
    spaces."""
    return [t for t in text.replace("，", ",").replace(",", " ").split() if t]


def _numbered(queryset: QuerySet[Any], kind: str, tokens: Sequence[str | int]) -> list[Any]:
    what_zh, what_en = _NUMBERED[kind]
    numbers: list[int] = []
    for token in tokens:
        text = str(token).strip()
        if not text:
            raise DomainError(f"{kind}_required", f"请填写{what_zh}。", f"Give the {what_en}.")
        if not (text.isascii() and text.isdecimal() and len(text) <= 18):
            raise DomainError(
                f"{kind}_not_a_number",
                f"“{text}”不是{what_zh}：请填写数字编号。",
                f"“{text}” is not an {what_en}: give the number.",
                details={"token": text},
            )
        numbers.append(int(text))
    numbers = list(dict.fromkeys(numbers))
    found = queryset.in_bulk(numbers)
    unknown = [n for n in numbers if n not in found]
    if unknown:
        listed = "、".join(map(str, unknown))
        raise DomainError(
            f"{kind}_unknown",
            f"{what_zh} {listed} 不存在或不在您的管辖范围内。",
            f"No {what_en} {', '.join(map(str, unknown))} in your jurisdiction.",
            details={"unknown": unknown},
        )
    return [found[n] for n in numbers]


def numbered_officers(user: Any, tokens: Sequence[str | int]) -> list[Officer]:
    """The officers named by number, in the order given, each once."""
    return _numbered(registry_selectors.officers(user), "officer", tokens)


def numbered_officer(user: Any, token: str | int) -> Officer:
    officer: Officer = _numbered(registry_selectors.officers(user), "officer", [token])[0]
    return officer


def numbered_enterprise(user: Any, token: str | int) -> Enterprise:
    enterprise: Enterprise = _numbered(registry_selectors.enterprises(user), "enterprise", [token])[
        0
    ]
    return enterprise


def conflicts(user: Any) -> QuerySet[ConflictDeclaration]:
    require(user, "planning.view")
    return (
        ConflictDeclaration.objects.visible_to(user)
        .select_related("officer", "enterprise")
        .order_by("officer__name", "enterprise_id")
    )


def teams(user: Any) -> QuerySet[Team]:
    require(user, "planning.view")
    return Team.objects.visible_to(user).select_related("agency").prefetch_related("officers")


# ---------------------------------------------------------------------------------------------
# Public notices (no login: they are public by law once published)


def public_notices(kind: str = "") -> QuerySet[PublicNotice]:
    queryset = PublicNotice.objects.select_related("agency").order_by("-published_at", "-id")
    return queryset.filter(kind=kind) if kind else queryset


def public_notice(pk: Any) -> PublicNotice:
    try:
        return PublicNotice.objects.select_related("agency", "draw").get(pk=pk)
    except (PublicNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_draw(pk: Any) -> Draw:
    """A draw whose result is public (published, or published then voided with its notice)."""
    try:
        draw = Draw.objects.select_related("agency").get(pk=pk)
    except (Draw.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not draw.published_at:
        raise Http404
    return draw


def item_list() -> rules.ItemList:
    return rules.item_list()


def verify_draw_file(data: Any, user: Any = None) -> drawing.Verdict:
    """Verify a draw file; if this system holds the draw, also against what it published."""
    draw = data.get("draw") if isinstance(data, dict) else None
    number = draw.get("number") if isinstance(draw, dict) else None
    number = number if isinstance(number, str) else None
    published = (
        Draw.objects.filter(number=number).exclude(commit_sha256="").first() if number else None
    )
    return drawing.verify(
        data,
        published_commit_sha256=published.commit_sha256 if published else None,
        published_seed_value=(published.seed_value or None) if published else None,
        published_result_sha256=(published.result_sha256 or None) if published else None,
    )

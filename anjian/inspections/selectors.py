"""Reads on field inspections, always through the jurisdiction scope and the role check.

Each list read is a fixed number of queries whatever the number of rows (asserted in the tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.pagination import paginate
from anjian.core.permissions import user_can
from anjian.inspections.models import (
    Attachment,
    CaseProposal,
    Finding,
    FindingStatus,
    Inspection,
    InspectionKind,
    InspectionScheme,
    InspectionStatus,
    Item,
    ItemList,
    ItemListStatus,
    Measure,
    OnSiteMeasure,
    OrderStatus,
    RectificationOrder,
)
from anjian.law.calendar import current_calendar
from anjian.law.core.timelimits import FLAG_NO_VERSION_IN_FORCE, compute_due
from anjian.planning.models import InspectionTask, TaskKind, TaskStatus
from anjian.registry.models import Enterprise, Officer

UNVERIFIED_REINSPECTION_LIMIT = "法定复查期限未核实"


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def _get_visible(queryset: QuerySet[Any], user: Any, pk: Any) -> Any:
    try:
        return queryset.visible_to(user).get(pk=pk)  # type: ignore[attr-defined]
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def officer_of(user: Any) -> Officer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_anjian_officer", None)
    if cached is None:
        cached = (
            Officer.objects.select_related("agency__region")
            .filter(user=user, is_active=True)
            .first()
        )
        user._anjian_officer = cached
    return cached


# ---------------------------------------------------------------------------------------------
# Item list


def item_lists(user: Any) -> QuerySet[ItemList]:
    require(user, "inspections.view")
    return ItemList.objects.annotate(item_count=Count("items")).order_by("-version")


def item_list_for(user: Any, pk: Any) -> ItemList:
    require(user, "inspections.view")
    try:
        return ItemList.objects.get(pk=pk)
    except (ItemList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def current_item_list(user: Any) -> ItemList | None:
    require(user, "inspections.view")
    return ItemList.objects.filter(status=ItemListStatus.PUBLISHED).first()


def items_of(item_list: ItemList) -> list[Item]:
    return list(item_list.items.order_by("position"))


def applicable_items(
    items: list[Item], enterprise: Enterprise, tags: set[str] | None = None
) -> list[Item]:
    """Items that apply to an enterprise: general ones, and those of its industry or key tags."""
    if tags is None:
        tags = {t.tag for t in enterprise.tags.all()}
    code = enterprise.industry.code
    return [item for item in items if item.applies_to(code, tags)]


# ---------------------------------------------------------------------------------------------
# "My tasks today"


@dataclass
class MyTasks:
    """Plain rows (dictionaries of column values, no model instances): the page and the API
    show a few columns of each, so the rows are read with ``.values()`` and shaped once."""

    today: dt.date
    tasks: list[dict[str, Any]]
    drafts: list[dict[str, Any]]
    orders: list[dict[str, Any]]


_TASK_KINDS = dict(TaskKind.choices)


def my_tasks(user: Any, *, limit: int = 100) -> MyTasks:
    """Open tasks of this month and before assigned to the user, their drafts, their orders to re-inspect.

    Three queries whatever the number of rows, each one index range: tasks through the user's
    task links, drafts by author, orders through the order's team copy (officer, open, deadline).
    """
    require(user, "inspections.view")
    today = timezone.localdate()
    month = today.replace(day=1)
    tasks = [
        {
            "id": row["id"],
            "kind": row["kind"],
            "kind_label": _TASK_KINDS.get(row["kind"], row["kind"]),
            "title": row["title"],
            "month": row["month"],
            "due_date": row["due_date"],
            "is_overdue": row["due_date"] is not None and row["due_date"] < today,
            "enterprise_id": row["enterprise_id"],
            "enterprise_name": row["enterprise__name"],
            "enterprise_address": row["enterprise__address"],
        }
        for row in InspectionTask.objects.visible_to(user)
        .filter(officers__user=user, status=TaskStatus.OPEN, month__lte=month)
        .order_by("month", "id")
        .values(
            "id",
            "kind",
            "title",
            "month",
            "due_date",
            "enterprise_id",
            "enterprise__name",
            "enterprise__address",
        )[:limit]
    ]
    tasks.sort(key=lambda t: (t["due_date"] or dt.date.max, t["month"], t["id"]))
    drafts = [
        {
            "id": row["id"],
            "enterprise_id": row["enterprise_id"],
            "enterprise_name": row["enterprise__name"],
            "started_at": row["started_at"],
        }
        for row in Inspection.objects.visible_to(user)
        .filter(created_by=user, status=InspectionStatus.DRAFT)
        .order_by("-started_at")
        .values("id", "enterprise_id", "enterprise__name", "started_at")[:limit]
    ]
    # Through the order's team copy (officer, is_open, deadline): one index range over the
    # user's open orders, not a walk over every inspection they took part in.
    orders = [
        {
            "id": row["id"],
            "number": row["number"],
            "enterprise_id": row["inspection__enterprise_id"],
            "enterprise_name": row["inspection__enterprise__name"],
            "issued_on": row["issued_on"],
            "deadline": row["deadline"],
            "status": row["status"],
            "is_overdue": row["status"] == OrderStatus.OPEN and row["deadline"] < today,
        }
        for row in RectificationOrder.objects.visible_to(user)
        .filter(status=OrderStatus.OPEN, team__officer__user=user, team__is_open=True)
        .order_by("deadline", "id")
        .values(
            "id",
            "number",
            "inspection__enterprise_id",
            "inspection__enterprise__name",
            "issued_on",
            "deadline",
            "status",
        )[:limit]
    ]
    return MyTasks(today=today, tasks=tasks, drafts=drafts, orders=orders)


# ---------------------------------------------------------------------------------------------
# Records


def inspection_for(user: Any, pk: Any) -> Inspection:
    require(user, "inspections.view")
    queryset: QuerySet[Inspection] = Inspection.objects.select_related(
        "enterprise__industry", "enterprise__region", "agency", "item_list", "task", "scheme"
    ).prefetch_related(  # type: ignore[type-var]
        Prefetch("officers", queryset=Officer.objects.prefetch_related("certificates")),
        "results",
        Prefetch("findings", queryset=Finding.objects.select_related("item").order_by("position")),
        "attachments",
        Prefetch("onsite_measures", queryset=OnSiteMeasure.objects.order_by("id")),
        "enterprise__tags",
    )
    inspection: Inspection = _get_visible(queryset, user, pk)
    return inspection


def inspection_for_update(user: Any, pk: Any) -> Inspection:
    """A draft the user may edit (404 outside scope; 403 without the right)."""
    inspection = inspection_for(user, pk)
    require(user, "inspections.record")
    return inspection


def finding_for(user: Any, pk: Any) -> Finding:
    require(user, "inspections.view")
    finding: Finding = _get_visible(Finding.objects.select_related("inspection", "item"), user, pk)
    return finding


def attachment_for(user: Any, pk: Any) -> Attachment:
    require(user, "inspections.view")
    attachment: Attachment = _get_visible(Attachment.objects.all(), user, pk)
    return attachment


def onsite_measure_for(user: Any, pk: Any) -> OnSiteMeasure:
    require(user, "inspections.view")
    measure: OnSiteMeasure = _get_visible(OnSiteMeasure.objects.all(), user, pk)
    return measure


@dataclass
class HistoryPage:
    enterprise: Enterprise
    items: list[Any]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


_INSPECTION_KINDS = dict(InspectionKind.choices)
_INSPECTION_STATUSES = dict(InspectionStatus.choices)
_ORDER_STATUSES = dict(OrderStatus.choices)


def enterprise_history(
    user: Any, enterprise_id: Any, *, page: Any = 1, size: int = 20
) -> HistoryPage:
    """An enterprise's submitted inspections, newest first, with finding counts: two queries.

    The rows are plain dictionaries (``.values()``: the columns the page and the API show)."""
    require(user, "inspections.view")
    enterprise: Enterprise = _get_visible(
        Enterprise.objects.select_related("industry", "region"), user, enterprise_id
    )
    rows = paginate(
        Inspection.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk, status=InspectionStatus.SUBMITTED)
        .annotate(
            finding_count=Count("findings"),
            open_count=Count("findings", filter=Q(findings__status=FindingStatus.OPEN)),
            major_count=Count("findings", filter=Q(findings__hazard_level="major")),
        )
        .order_by("-started_at", "-id")
        .values(
            "id",
            "number",
            "kind",
            "started_at",
            "agency__name",
            "finding_count",
            "major_count",
            "open_count",
            "rectification_order__id",
            "rectification_order__status",
            "team_snapshot",
        ),
        page,
        size,
    )
    items = [
        {
            "id": row["id"],
            "number": row["number"],
            "kind": row["kind"],
            "kind_label": _INSPECTION_KINDS.get(row["kind"], row["kind"]),
            "started_at": row["started_at"],
            "agency": row["agency__name"],
            "finding_count": row["finding_count"],
            "major_count": row["major_count"],
            "open_count": row["open_count"],
            "order_id": row["rectification_order__id"],
            "order_status": row["rectification_order__status"],
            "order_status_label": _ORDER_STATUSES.get(row["rectification_order__status"], ""),
            "team": row["team_snapshot"],
        }
        for row in rows.items
    ]
    return HistoryPage(
        enterprise=enterprise,
        items=items,
        number=rows.number,
        size=rows.size,
        has_next=rows.has_next,
    )


# ---------------------------------------------------------------------------------------------
# Rectification orders, overdue, re-inspection schedule


def order_for(user: Any, pk: Any) -> RectificationOrder:
    require(user, "inspections.view")
    order: RectificationOrder = _get_visible(
        RectificationOrder.objects.select_related(
            "inspection__enterprise", "inspection__agency"
        ).prefetch_related(
            Prefetch(
                "findings", queryset=Finding.objects.select_related("item").order_by("position")
            ),
            "reinspections",
        ),
        user,
        pk,
    )
    return order


def overdue_orders(user: Any, *, mine: bool = False, limit: int = 200) -> list[RectificationOrder]:
    """Orders with a finding whose deadline passed and that has no re-inspection outcome yet."""
    if not mine:
        require(user, "inspections.supervise")
    else:
        require(user, "inspections.view")
    today = timezone.localdate()
    queryset = RectificationOrder.objects.visible_to(user).filter(
        status=OrderStatus.OPEN,
        findings__status=FindingStatus.OPEN,
        findings__measure=Measure.RECTIFICATION,
        findings__deadline__lt=today,
    )
    if mine:
        queryset = queryset.filter(inspection__officers__user=user)
    ids = queryset.values("pk").distinct()
    return list(
        RectificationOrder.objects.filter(pk__in=ids)
        .select_related("inspection__enterprise", "inspection__agency")
        .order_by("deadline", "id")[:limit]
    )


@dataclass(frozen=True)
class ReinspectionSchedule:
    scheduled_on: dt.date
    legal_due: dt.date | None
    legal_basis: str | None
    legal_confidence: str | None
    legal_text: str  # Chinese, as the API gives it
    is_overdue: bool

    @property
    def localized_legal_text(self) -> str:
        """``legal_text`` in the active language, for the pages."""
        if not (translation.get_language() or "").startswith("en"):
            return self.legal_text
        if self.legal_due is None or self.legal_text == UNVERIFIED_REINSPECTION_LIMIT:
            return translation.gettext("法定复查期限未核实")
        return translation.gettext("%(date)s前（%(basis)s；%(confidence)s）") % {
            "date": date_format(self.legal_due, "DATE_FORMAT"),
            "basis": self.legal_basis,
            "confidence": translation.gettext("未核实")
            if self.legal_confidence == "unverified"
            else translation.gettext("已核实"),
        }


def reinspection_schedule(
    order: RectificationOrder, *, today: dt.date | None = None
) -> ReinspectionSchedule:
    """Re-inspection is scheduled on the rectification deadline; the legal limit is shown only if a
    rule version is in force (never an invented figure)."""
    today = today or timezone.localdate()
    due = compute_due("rectification_reinspection", order.deadline, calendar=current_calendar())
    legal_due = due.due if isinstance(due.due, dt.date) else None
    if legal_due is None or FLAG_NO_VERSION_IN_FORCE in due.flags:
        text = UNVERIFIED_REINSPECTION_LIMIT
    else:
        text = f"{legal_due:%Y年%m月%d日}前（{due.basis}；{'未核实' if due.confidence == 'unverified' else '已核实'}）"
    return ReinspectionSchedule(
        scheduled_on=order.deadline,
        legal_due=legal_due,
        legal_basis=due.basis,
        legal_confidence=due.confidence,
        legal_text=text,
        is_overdue=order.status == OrderStatus.OPEN and order.deadline < today,
    )


# ---------------------------------------------------------------------------------------------
# Schemes and case proposals


def schemes(user: Any) -> QuerySet[InspectionScheme]:
    require(user, "inspections.view")
    return (
        InspectionScheme.objects.visible_to(user)
        .select_related("agency", "created_by")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-id")
    )


def scheme_for(user: Any, pk: Any) -> InspectionScheme:
    require(user, "inspections.view")
    scheme: InspectionScheme = _get_visible(
        InspectionScheme.objects.select_related(
            "agency", "created_by", "decided_by"
        ).prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position")),
            "officers",
            "enterprises",
        ),
        user,
        pk,
    )
    return scheme


def approved_schemes_for(user: Any, enterprise: Enterprise, on: dt.date) -> list[InspectionScheme]:
    return list(
        InspectionScheme.objects.visible_to(user)
        .filter(status="approved", period_start__lte=on, period_end__gte=on)
        .order_by("-id")[:20]
    )


def case_proposals(user: Any) -> QuerySet[CaseProposal]:
    require(user, "inspections.view")
    return (
        CaseProposal.objects.visible_to(user)
        .select_related("enterprise", "inspection", "agency")
        .order_by("-id")
    )


def team_candidates(user: Any, agency_id: int) -> list[Officer]:
    return list(
        Officer.objects.visible_to(user)
        .filter(agency_id=agency_id, is_active=True)
        .prefetch_related("certificates")
        .order_by("name")
    )


# ---------------------------------------------------------------------------------------------
# Figures for the dashboards


def figures(user: Any, *, year: int, agency_id: int | None = None) -> dict[str, Any]:
    """Counts per agency and month: inspections by kind, findings by item and domain, hazards."""
    require(user, "inspections.figures")
    today = timezone.localdate()
    records = Inspection.objects.visible_to(user).filter(
        status=InspectionStatus.SUBMITTED, started_at__year=year
    )
    findings = Finding.objects.visible_to(user).filter(
        inspection__status=InspectionStatus.SUBMITTED, inspection__started_at__year=year
    )
    if agency_id:
        records = records.filter(agency_id=agency_id)
        findings = findings.filter(inspection__agency_id=agency_id)

    def month_key(value: Any) -> str:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value:%Y-%m}" if value else ""

    by_kind = [
        {
            "agency_id": row["agency_id"],
            "agency": row["agency__name"],
            "month": month_key(row["month"]),
            "kind": row["kind"],
            "count": row["n"],
        }
        for row in records.annotate(month=TruncMonth("started_at"))
        .values("agency_id", "agency__name", "month", "kind")
        .annotate(n=Count("id"))
        .order_by("agency_id", "month", "kind")
    ]
    by_item = [
        {
            "agency_id": row["inspection__agency_id"],
            "month": month_key(row["month"]),
            "item_code": row["item__code"],
            "item_title": row["item__title"],
            "domain": row["item__domain"],
            "count": row["n"],
        }
        for row in findings.annotate(month=TruncMonth("inspection__started_at"))
        .values("inspection__agency_id", "month", "item__code", "item__title", "item__domain")
        .annotate(n=Count("id"))
        .order_by("inspection__agency_id", "month", "item__code")
    ]
    by_domain: dict[tuple[Any, str, str], int] = {}
    for row in by_item:
        key = (row["agency_id"], row["month"], row["domain"])
        by_domain[key] = by_domain.get(key, 0) + row["count"]
    hazards = [
        {
            "agency_id": row["inspection__agency_id"],
            "agency": row["inspection__agency__name"],
            "month": month_key(row["month"]),
            "found": row["found"],
            "major": row["major"],
            "corrected_on_spot": row["corrected"],
            "open": row["open"],
            "rectified": row["rectified"],
            "not_rectified": row["not_rectified"],
            "overdue": row["overdue"],
        }
        for row in findings.annotate(month=TruncMonth("inspection__started_at"))
        .values("inspection__agency_id", "inspection__agency__name", "month")
        .annotate(
            found=Count("id"),
            major=Count("id", filter=Q(hazard_level="major")),
            corrected=Count("id", filter=Q(status=FindingStatus.CORRECTED)),
            open=Count("id", filter=Q(status=FindingStatus.OPEN)),
            rectified=Count("id", filter=Q(status=FindingStatus.RECTIFIED)),
            not_rectified=Count("id", filter=Q(status=FindingStatus.NOT_RECTIFIED)),
            overdue=Count(
                "id",
                filter=Q(
                    status=FindingStatus.OPEN,
                    measure=Measure.RECTIFICATION,
                    deadline__lt=today,
                ),
            ),
        )
        .order_by("inspection__agency_id", "month")
    ]
    return {
        "year": year,
        "as_of": today.isoformat(),
        "inspections_by_kind": by_kind,
        "findings_by_item": by_item,
        "findings_by_domain": [
            {"agency_id": a, "month": m, "domain": d, "count": n}
            for (a, m, d), n in sorted(
                by_domain.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1], kv[0][2])
            )
        ],
        "hazards": hazards,
    }


# ---------------------------------------------------------------------------------------------
# Record and order lists (pages, API, exports: one reading of the filters, one query each)


@dataclass(frozen=True)
class RecordFilters:
    status: str = InspectionStatus.SUBMITTED
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    mine: bool = False


@dataclass(frozen=True)
class OrderFilters:
    status: str = ""
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    mine: bool = False


def _bad_filter(key: str, zh: str, en: str) -> DomainError:
    return DomainError(
        "bad_filter",
        f"筛选条件“{key}”{zh}",
        f"The {key} filter {en}",
        details={"filter": key},
        status=422,
    )


def _choice(raw: Any, key: str, choices: Any, *, allow_all: bool) -> str:
    value = str(raw or "").strip()
    allowed = {str(v) for v, _ in choices}
    if value in allowed or (allow_all and value in ("", "all")):
        return "" if value == "all" else value
    names = "、".join(sorted(allowed))
    raise _bad_filter(
        key, f"应为以下之一：{names}。", f"must be one of: {', '.join(sorted(allowed))}."
    )


# Filter dates outside these years are refused: they cannot be a record's, and at the ends of the
# calendar (0001-01-01, 9999-12-31) the day's bounds in local time do not exist.
_FILTER_YEARS = (1949, 2199)


def _date(raw: Any, key: str) -> dt.date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _bad_filter(
            key, "不是有效日期（格式：2026-03-01）。", "is not a date (format: 2026-03-01)."
        ) from None
    low, high = _FILTER_YEARS
    if not low <= day.year <= high:
        raise _bad_filter(
            key, f"应在{low}年至{high}年之间。", f"must be a date between {low} and {high}."
        )
    return day


def _period(filters: Any) -> tuple[dt.date | None, dt.date | None]:
    date_from, date_to = (
        _date(filters.get("date_from"), "date_from"),
        _date(filters.get("date_to"), "date_to"),
    )
    if date_from and date_to and date_from > date_to:
        raise DomainError(
            "bad_filter",
            "起始日期晚于截止日期。",
            "The start date is after the end date.",
            details={"filter": "date_from"},
            status=422,
        )
    return date_from, date_to


def _flag(raw: Any) -> bool:
    return str(raw or "").strip().lower() in ("1", "true", "on", "yes")


def record_filters(filters: Any) -> RecordFilters:
    """From a query string (page, export job) or API query: refuses unknown choices and bad dates."""
    date_from, date_to = _period(filters)
    status = filters.get("status")
    return RecordFilters(
        status=InspectionStatus.SUBMITTED
        if status is None
        else _choice(status, "status", InspectionStatus.choices, allow_all=True),
        kind=_choice(filters.get("kind"), "kind", InspectionKind.choices, allow_all=True),
        date_from=date_from,
        date_to=date_to,
        q=str(filters.get("q") or "").strip()[:50],
        mine=_flag(filters.get("mine")),
    )


def order_filters(filters: Any) -> OrderFilters:
    date_from, date_to = _period(filters)
    return OrderFilters(
        status=_choice(filters.get("status"), "status", OrderStatus.choices, allow_all=True),
        overdue=_flag(filters.get("overdue")),
        date_from=date_from,
        date_to=date_to,
        q=str(filters.get("q") or "").strip()[:50],
        mine=_flag(filters.get("mine")),
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


RECORD_FIELDS = (
    "id",
    "number",
    "kind",
    "status",
    "started_at",
    "enterprise_id",
    "enterprise__name",
    "enterprise__uscc",
    "agency__name",
    "finding_count",
    "rectification_order__id",
    "rectification_order__number",
)


def records(user: Any, filters: RecordFilters) -> QuerySet[Any]:
    """Inspection records in scope, newest first, as rows of RECORD_FIELDS (one query)."""
    require(user, "inspections.view")
    queryset = Inspection.objects.visible_to(user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.status != InspectionStatus.SUBMITTED:
        # Drafts are their author's work in progress: others see submitted records only.
        queryset = queryset.filter(Q(status=InspectionStatus.SUBMITTED) | Q(created_by=user))
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.date_from:
        queryset = queryset.filter(started_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(
            started_at__lt=_day_start(filters.date_to + dt.timedelta(days=1))
        )
    if filters.q:
        queryset = queryset.filter(
            Q(enterprise__name__contains=filters.q)
            | Q(enterprise__uscc__startswith=filters.q.upper())
            | Q(number__startswith=filters.q)
        )
    if filters.mine:
        queryset = queryset.filter(
            pk__in=Inspection.officers.through.objects.filter(officer__user=user).values(
                "inspection_id"
            )
        )
    return (
        queryset.annotate(finding_count=Count("findings"))
        .order_by("-started_at", "-id")
        .values(*RECORD_FIELDS)
    )


ORDER_FIELDS = (
    "id",
    "number",
    "status",
    "issued_on",
    "deadline",
    "closed_on",
    "inspection_id",
    "inspection__number",
    "inspection__enterprise_id",
    "inspection__enterprise__name",
    "inspection__agency__name",
    "has_overdue_finding",
)


def orders(user: Any, filters: OrderFilters) -> QuerySet[Any]:
    """Rectification orders in scope, by deadline, as rows of ORDER_FIELDS (one query).

    Overdue as on the supervision page (``overdue_orders``): the order is open and one of its
    findings to rectify is still open past that finding's own deadline."""
    require(user, "inspections.view")
    overdue_finding = Finding.objects.filter(
        order=OuterRef("pk"),
        status=FindingStatus.OPEN,
        measure=Measure.RECTIFICATION,
        deadline__lt=timezone.localdate(),
    )
    queryset = RectificationOrder.objects.visible_to(user).annotate(
        has_overdue_finding=Exists(overdue_finding)
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(status=OrderStatus.OPEN, has_overdue_finding=True)
    if filters.date_from:
        queryset = queryset.filter(issued_on__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(issued_on__lte=filters.date_to)
    if filters.q:
        queryset = queryset.filter(
            Q(inspection__enterprise__name__contains=filters.q)
            | Q(inspection__enterprise__uscc__startswith=filters.q.upper())
            | Q(number__startswith=filters.q)
        )
    if filters.mine:
        queryset = queryset.filter(team__officer__user=user)
    return queryset.order_by("deadline", "id").values(*ORDER_FIELDS)


def record_row(row: dict[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """A record row with its labels (for the page and the API)."""
    return {
        "id": row["id"],
        "number": row["number"],
        "kind": row["kind"],
        "kind_label": str(_INSPECTION_KINDS.get(row["kind"], row["kind"])),
        "status": row["status"],
        "status_label": str(_INSPECTION_STATUSES.get(row["status"], row["status"])),
        "started_at": row["started_at"],
        "enterprise_id": row["enterprise_id"],
        "enterprise_name": row["enterprise__name"],
        "enterprise_uscc": row["enterprise__uscc"],
        "agency": row["agency__name"],
        "finding_count": row["finding_count"],
        "order_id": row["rectification_order__id"],
        "order_number": row["rectification_order__number"],
    }


def order_row(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    return {
        "id": row["id"],
        "number": row["number"],
        "status": row["status"],
        "status_label": str(_ORDER_STATUSES.get(row["status"], row["status"])),
        "issued_on": row["issued_on"],
        "deadline": row["deadline"],
        "closed_on": row["closed_on"],
        "is_overdue": row["status"] == OrderStatus.OPEN and row["has_overdue_finding"],
        "inspection_id": row["inspection_id"],
        "inspection_number": row["inspection__number"],
        "enterprise_id": row["inspection__enterprise_id"],
        "enterprise_name": row["inspection__enterprise__name"],
        "agency": row["inspection__agency__name"],
    }

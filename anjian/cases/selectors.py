"""Reads on cases, always through the jurisdiction scope (``Case.objects.visible_to``) and the role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.cases.guards import elements_for
from anjian.cases.models import (
    Case,
    CaseEvent,
    CaseRecord,
    CaseStatus,
    ElementProof,
    Penalty,
    ReviewFlag,
)
from anjian.core.errors import PermissionDenied
from anjian.core.permissions import user_can
from anjian.evidence import selectors as evidence_selectors
from anjian.registry.models import Officer


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def officer_of(user: Any) -> Officer | None:
    """The user's officer record (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_anjian_officer"):
        user._anjian_officer = (
            Officer.objects.filter(user=user).select_related("agency__region").first()
        )
    officer: Officer | None = user._anjian_officer
    return officer


@dataclass
class CaseFilters:
    status: str = ""
    open_only: bool = True
    mine: bool = False
    agency_id: int | None = None
    officer_id: int | None = None
    overdue: bool = False
    q: str = ""


LIST_FIELDS = (
    "id",
    "reference",
    "title",
    "party_name",
    "status",
    "version",
    "procedure",
    "is_accident_case",
    "agency_id",
    "filed_on",
    "next_deadline_on",
    "next_deadline_label",
    "next_deadline_rule",
    "next_deadline_basis",
    "next_deadline_flag",
    "next_deadline_flag_label",
)


def cases(user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Scoped cases ordered by the next legal deadline (soonest first, none last), then id: one
    indexed query at any size (the deadline is stored on the case)."""
    require(user, "cases.view")
    f = filters or CaseFilters()
    queryset = Case.objects.visible_to(user)
    if f.open_only:
        queryset = queryset.filter(is_open=True)
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.agency_id:
        queryset = queryset.filter(agency_id=f.agency_id)
    officer_id = f.officer_id
    if f.mine:
        officer = officer_of(user)
        officer_id = officer.pk if officer else -1
    if officer_id:
        queryset = queryset.filter(case_officers__officer_id=officer_id)
    if f.overdue:
        queryset = queryset.filter(next_deadline_on__lt=timezone.localdate())
    if f.q.strip():
        keyword = f.q.strip()[:50]
        queryset = queryset.filter(
            Q(reference__contains=keyword)
            | Q(title__contains=keyword)
            | Q(party_name__contains=keyword)
        )
    return queryset.order_by(F("next_deadline_on").asc(nulls_last=True), "id")


def case_for(user: Any, pk: Any) -> Case:
    require(user, "cases.view")
    try:
        return (
            Case.objects.visible_to(user)
            .select_related(
                "agency__region", "enterprise", "place_region", "hearing_chair", "source_proposal"
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_records(case: Case, kind: str = "") -> QuerySet[CaseRecord]:
    """The written records of a case (询问笔录, 勘验笔录, …) in time order."""
    queryset = case.records.select_related("created_by").order_by("held_at", "id")
    return queryset.filter(kind=kind) if kind else queryset


def record_for(user: Any, pk: Any) -> CaseRecord:
    """One record, visible when its case is (404 outside the user's jurisdiction)."""
    require(user, "cases.view")
    try:
        return (
            CaseRecord.objects.visible_to(user)
            .select_related("case__agency__region", "case__enterprise", "case__hearing_chair")
            .get(pk=pk)
        )
    except (CaseRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("sequence")


@dataclass
class ElementRow:
    index: int
    text: str
    evidence: list[Any] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return any(e.is_usable for e in self.evidence)


@dataclass
class ViolationRow:
    violation: Any
    elements: list[ElementRow]

    @property
    def proven(self) -> bool:
        return all(e.proven for e in self.elements)


def violation_rows(case: Case) -> list[ViolationRow]:
    proofs: dict[tuple[int, int], list[Any]] = {}
    for proof in ElementProof.objects.filter(violation__case=case).select_related("evidence"):
        proofs.setdefault((proof.violation_id, proof.element_index), []).append(proof.evidence)
    rows = []
    for violation in case.violations.select_related("party"):
        elements = [
            ElementRow(i, text, proofs.get((violation.pk, i), []))
            for i, text in enumerate(elements_for(violation.violation_code))
        ]
        rows.append(ViolationRow(violation, elements))
    return rows


def current_penalties(case: Case) -> QuerySet[Penalty]:
    return (
        case.penalties.filter(proposal_version=case.proposal_version)
        .select_related("violation", "party")
        .order_by("id")
    )


def case_evidence(case: Case) -> list[Any]:
    return [
        link.evidence
        for link in case.evidence_links.select_related("evidence").prefetch_related(
            "evidence__files", "evidence__collectors"
        )
    ]


def preservations(case: Case) -> list[Any]:
    ids = list(case.evidence_links.values_list("evidence_id", flat=True))
    return list(evidence_selectors.preservations_for_evidence(ids)) if ids else []


def open_flags(case: Case) -> QuerySet[ReviewFlag]:
    return case.flags.filter(resolved_at__isnull=True).order_by("id")


def days_left(case: Case, today: dt.date | None = None) -> int | None:
    if case.next_deadline_on is None:
        return None
    return (case.next_deadline_on - (today or timezone.localdate())).days


def status_counts(user: Any) -> dict[str, int]:
    require(user, "cases.view")
    from django.db.models import Count

    rows = Case.objects.visible_to(user).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {s: counts.get(s, 0) for s in CaseStatus.values}


#: Grouping of the deadline summary: the key and name columns of each group.
SUMMARY_GROUPS = {
    "agency": ("agency_id", "agency__name"),
    "officer": ("case_officers__officer_id", "case_officers__officer__name"),
}


def deadline_summary(user: Any, by: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Open cases per agency or per handling officer (``by``; a case counts for each of its
    officers): how many, overdue, due within 7 days and whose deadline cannot be computed. One
    grouped query; the deadline page and ``/api/v1/cases/deadlines/by-*`` both read it."""
    key, name = SUMMARY_GROUPS[by]
    today = today or timezone.localdate()
    week = today + dt.timedelta(days=7)
    queryset = cases(user)
    if by == "officer":
        queryset = queryset.filter(case_officers__isnull=False)
    rows = (
        queryset.values(key, name)
        .annotate(
            open_cases=Count("id", distinct=True),
            overdue=Count("id", filter=Q(next_deadline_on__lt=today), distinct=True),
            due_within_7_days=Count(
                "id",
                filter=Q(next_deadline_on__gte=today, next_deadline_on__lte=week),
                distinct=True,
            ),
            undeterminable=Count("id", filter=~Q(next_deadline_flag=""), distinct=True),
        )
        .order_by(name, key)
    )
    return [
        {
            "key": r[key],
            "name": r[name],
            "open_cases": r["open_cases"],
            "overdue": r["overdue"],
            "due_within_7_days": r["due_within_7_days"],
            "undeterminable": r["undeterminable"],
        }
        for r in rows
    ]


def case_of_preservation(preservation: Any) -> tuple[str, str] | None:
    """The case a preservation (先行登记保存) was ordered in, as (reference, page URL): handed to
    the evidence app (``register_preservation_owner``) so that its own decision form defers to the
    case's step."""
    from django.urls import reverse

    found = (
        Case.objects.filter(evidence_links__evidence__preservations=preservation)
        .values_list("pk", "reference")
        .first()
    )
    if found is None:
        return None
    pk, reference = found
    return reference or f"#{pk}", reverse("cases:detail", args=[pk])

"""Reads on evidence, always through the jurisdiction scope and the role check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from anjian.core.errors import Conflict, PermissionDenied
from anjian.core.permissions import user_can
from anjian.evidence.models import Evidence, EvidenceFile, Preservation


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def evidence_list(user: Any) -> QuerySet[Evidence]:
    require(user, "evidence.view")
    return (
        Evidence.objects.visible_to(user)
        .select_related("agency", "enterprise")
        .prefetch_related("files", "collectors")
        .order_by("-collected_at", "-id")
    )


def evidence_for(user: Any, pk: Any) -> Evidence:
    require(user, "evidence.view")
    try:
        return (
            Evidence.objects.visible_to(user)
            .select_related("agency", "enterprise", "created_by")
            .prefetch_related("files", "collectors", "custody_events")
            .get(pk=pk)
        )
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def file_for(user: Any, pk: Any) -> EvidenceFile:
    """A file is visible when its evidence is (the scope of the evidence, one choke point)."""
    require(user, "evidence.view")
    try:
        return EvidenceFile.objects.select_related("evidence").get(
            pk=pk, evidence__in=Evidence.objects.visible_to(user)
        )
    except (EvidenceFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def preservations(user: Any) -> QuerySet[Preservation]:
    require(user, "evidence.view")
    return (
        Preservation.objects.visible_to(user)
        .select_related("agency", "enterprise", "approved_by")
        .prefetch_related("evidence")
        .order_by("-started_on", "-id")
    )


def preservation_for(user: Any, pk: Any) -> Preservation:
    require(user, "evidence.view")
    try:
        return preservations(user).get(pk=pk)
    except (Preservation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_preservations_for_evidence(evidence_ids: list[int]) -> QuerySet[Preservation]:
    """Undecided preservations that hold any of these evidence items (no scope: the caller scoped
    the evidence already)."""
    return (
        Preservation.objects.filter(evidence__id__in=evidence_ids, decided_on__isnull=True)
        .distinct()
        .order_by("due_on", "id")
    )


def preservations_for_evidence(evidence_ids: list[int]) -> QuerySet[Preservation]:
    return (
        Preservation.objects.filter(evidence__id__in=evidence_ids)
        .select_related("approved_by")
        .distinct()
        .order_by("started_on", "id")
    )


# The record a preservation was ordered in (a case), handed down by the upper app at start-up as
# apps hand down their navigation: ``lookup(preservation) -> (label, url)`` or None. Evidence
# imports no upper layer.
_PRESERVATION_OWNER: list[Callable[[Preservation], tuple[str, str] | None]] = []


def register_preservation_owner(lookup: Callable[[Preservation], tuple[str, str] | None]) -> None:
    _PRESERVATION_OWNER[:] = [lookup]


def preservation_owner(preservation: Preservation) -> tuple[str, str] | None:
    return _PRESERVATION_OWNER[0](preservation) if _PRESERVATION_OWNER else None


def refuse_outside_owner(preservation: Preservation) -> None:
    """A preservation ordered in a case is decided by the case's step (先行登记保存处理决定), which
    records it on the case's timeline and flags a late decision for review; here it is refused."""
    owner = preservation_owner(preservation)
    if owner is None:
        return
    label, url = owner
    raise Conflict(
        "preservation_decided_in_case",
        f"该先行登记保存是在案件{label}中作出的，请在案件页面以“先行登记保存处理决定”一步作出决定"
        "（记入案件，逾期的提交审查）。",
        f"This preservation was ordered in case {label}: decide it with the case's step "
        "'preservation decision', so that it is recorded on the case and a late decision is "
        "flagged for review.",
        details={"case": label, "url": url},
    )

"""Reads on the registry, always through the jurisdiction scope."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.permissions import user_can
from anjian.registry.models import (
    Agency,
    AgencyLevel,
    Delegation,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    Grid,
    JurisdictionClaim,
    Officer,
    Region,
    RegionLevel,
)
from anjian.registry.scope import scope_for


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def _get_visible(queryset: QuerySet[Any], user: Any, pk: Any) -> Any:
    try:
        return queryset.visible_to(user).get(pk=pk)  # type: ignore[attr-defined]
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class EnterpriseFilters:
    q: str = ""
    region_code: str = ""
    industry_code: str = ""
    status: str = ""
    risk_grade: str = ""
    tag: str = ""
    supervising_agency_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_CODE_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _keyword_q(keyword: str) -> Q:
    """Name contains the keyword, or the credit code starts with it.

    A keyword that can only be a credit code (10 or more letters and digits whose 3rd to 8th are
    the region code's digits) matches the code alone, also as a range: the uscc index answers it on
    both databases (SQLite's LIKE is case-insensitive and cannot use that index, and "name contains"
    can use none), so a province-wide look-up among a million enterprises reads a few index entries
    instead of every row (benchmarks/registry_list.py).
    """
    compact = keyword.replace(" ", "").upper()
    if not (compact.isalnum() and compact.isascii()):
        return Q(name__contains=keyword)
    if len(compact) >= 10 and compact[2:8].isdecimal() and compact[-1] != "Z":
        following = compact[:-1] + _CODE_CHARACTERS[_CODE_CHARACTERS.index(compact[-1]) + 1]
        return Q(uscc__startswith=compact, uscc__gte=compact, uscc__lt=following)
    return Q(uscc__startswith=compact) | Q(name__contains=keyword)


def enterprises(user: Any, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    """Scoped, filtered enterprises, newest first. Keyword: name contains, or credit-code prefix."""
    require(user, "registry.view")
    queryset = Enterprise.objects.visible_to(user)
    f = filters or EnterpriseFilters()
    keyword = f.q.strip()
    if keyword:
        queryset = queryset.filter(_keyword_q(keyword))
    if f.region_code:
        region = Region.objects.filter(code=f.region_code).first()
        if region is None:
            return queryset.none()
        queryset = queryset.filter(
            Q(region=region) | Q(**{f"{region.level}_code": region.code})
            if region.level in {"province", "city", "county"}
            else Q(region=region)
        )
    if f.industry_code:
        queryset = queryset.filter(industry__code__startswith=f.industry_code.upper())
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.risk_grade:
        queryset = queryset.filter(risk_grade=f.risk_grade)
    if f.tag:
        queryset = queryset.filter(
            Exists(EnterpriseTag.objects.filter(enterprise=OuterRef("pk"), tag=f.tag))
        )
    if f.supervising_agency_id:
        queryset = queryset.filter(supervising_agency_id=f.supervising_agency_id)
    return queryset.select_related("region", "industry", "supervising_agency").order_by("-id")


def enterprise_for(user: Any, pk: Any) -> Enterprise:
    require(user, "registry.view")
    queryset = Enterprise.objects.select_related(
        "region__parent__parent", "industry", "supervising_agency", "grid"
    )
    enterprise: Enterprise = _get_visible(queryset.prefetch_related("tags"), user, pk)
    return enterprise


def agencies(user: Any) -> QuerySet[Agency]:
    require(user, "registry.view")
    return (
        Agency.objects.visible_to(user)
        .select_related("region", "parent")
        .order_by("region__code", "name")
    )


def agency_for(user: Any, pk: Any) -> Agency:
    require(user, "registry.view")
    agency: Agency = _get_visible(
        Agency.objects.select_related("region", "parent").prefetch_related("delegations"), user, pk
    )
    return agency


def is_on_the_delegating_side(user: Any, agency: Agency) -> bool:
    """A delegation is recorded by the side that delegates: the user's own jurisdiction (not a
    temporary grant) lies above the township or zone and contains it; the province, everywhere."""
    scope = replace(scope_for(user), grants=())
    return scope.everything or (
        scope.level in {AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY}
        and scope.contains_codes(
            province_code=agency.province_code,
            city_code=agency.city_code,
            county_code=agency.county_code,
            region_id=agency.region_id,
        )
    )


def _on_the_delegating_side(user: Any, agency: Agency) -> None:
    """Refuse (403) a user who is not on the delegating side (``is_on_the_delegating_side``)."""
    if not is_on_the_delegating_side(user, agency):
        raise DomainError(
            "not_delegating_side",
            "处罚权的授权或委托由赋权、委托一方登记：须由辖区包含该机构的县级以上机构办理。",
            "A delegation is recorded by the delegating side: a county-level or higher agency"
            " whose region contains the agency.",
            status=403,
        )


def may_record_delegations(user: Any, agency: Agency) -> bool:
    """Whether the agency page offers the delegation forms to this user: a township or zone
    agency, registry.manage_delegations, and the user on the delegating side."""
    return (
        agency.level in {AgencyLevel.TOWNSHIP, AgencyLevel.ZONE}
        and user_can(user, "registry.manage_delegations")
        and is_on_the_delegating_side(user, agency)
    )


def agency_to_delegate(user: Any, pk: Any) -> Agency:
    """The township or zone agency whose delegations the user records (404 outside scope, 403
    without registry.manage_delegations or when the user is not on the delegating side)."""
    agency = agency_for(user, pk)
    require(user, "registry.manage_delegations")
    _on_the_delegating_side(user, agency)
    return agency


def delegation_for(user: Any, pk: Any, *, to_manage: bool = False) -> Delegation:
    require(user, "registry.view")
    delegation: Delegation = _get_visible(
        Delegation.objects.select_related("agency__region", "delegating_agency__region"), user, pk
    )
    if to_manage:
        require(user, "registry.manage_delegations")
        _on_the_delegating_side(user, delegation.agency)
    return delegation


def claims(user: Any, enterprise: Enterprise) -> QuerySet[JurisdictionClaim]:
    """The open claims on an enterprise, oldest first; ``is_own_side``: the claiming agency lies in
    the user's scope (the user may withdraw it, with registry.claim_jurisdiction)."""
    require(user, "registry.view")
    return (
        JurisdictionClaim.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("agency")
        .annotate(
            is_own_side=Exists(Agency.objects.visible_to(user).filter(pk=OuterRef("agency_id")))
        )
        .order_by("created_at", "pk")
    )


def claim_for(user: Any, pk: Any) -> JurisdictionClaim:
    """A claim on an enterprise in the user's scope (404 otherwise)."""
    require(user, "registry.view")
    claim: JurisdictionClaim = _get_visible(
        JurisdictionClaim.objects.select_related("agency__region", "enterprise__region"), user, pk
    )
    return claim


def claim_to_decide(user: Any, pk: Any) -> JurisdictionClaim:
    claim = claim_for(user, pk)
    require(user, "registry.manage_jurisdiction")
    return claim


def claim_to_withdraw(user: Any, pk: Any) -> JurisdictionClaim:
    """A claim the user withdraws in its agency's name: 404 unless the claiming agency is in scope."""
    claim = claim_for(user, pk)
    require(user, "registry.claim_jurisdiction")
    if not Agency.objects.visible_to(user).filter(pk=claim.agency_id).exists():
        raise Http404
    return claim


def claiming_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies in whose name a user may file a claim: active, in scope."""
    return agencies(user).filter(is_active=True)


def delegating_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies a user may name as entrusting agency: county level and above, in scope."""
    return agencies(user).filter(
        level__in=[AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY], is_active=True
    )


def officers(user: Any) -> QuerySet[Officer]:
    require(user, "registry.view")
    return (
        Officer.objects.visible_to(user)
        .select_related("agency")
        .prefetch_related("certificates")
        .order_by("agency__name", "name")
    )


def officer_for(user: Any, pk: Any) -> Officer:
    require(user, "registry.view")
    officer: Officer = _get_visible(
        Officer.objects.select_related("agency", "user").prefetch_related("certificates"), user, pk
    )
    return officer


def regions(user: Any) -> QuerySet[Region]:
    require(user, "registry.view")
    return Region.objects.visible_to(user).order_by("code")


def grids(user: Any) -> QuerySet[Grid]:
    require(user, "registry.view")
    return (
        Grid.objects.visible_to(user)
        .select_related("region", "agency", "responsible_officer")
        .order_by("region__code", "name")
    )


# A region and an agency lie at most three levels below the province (township, county, city):
# the grid page's full region name and the officers of the agencies above the grid's (grid_officers)
# are read with the grid, in one query, whatever the depth.
_GRID_RELATED = (
    "region__parent__parent__parent",
    "agency__parent__parent__parent",
    "agency__region",
    "responsible_officer",
)


def grid_for(user: Any, pk: Any) -> Grid:
    require(user, "registry.view")
    grid: Grid = _get_visible(Grid.objects.select_related(*_GRID_RELATED), user, pk)
    return grid


def grid_to_manage(user: Any, pk: Any) -> Grid:
    grid = grid_for(user, pk)
    require(user, "registry.manage_grids")
    return grid


def grid_regions(user: Any) -> QuerySet[Region]:
    """The townships and zones in which a user may draw grids."""
    return regions(user).filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.ZONE])


def grid_region_for(user: Any, code: str) -> Region:
    """A township or zone in the user's scope by its code (404 when unknown or outside it)."""
    region = grid_regions(user).filter(code=str(code).strip()).first()
    if region is None:
        raise Http404
    return region


def township_agency(user: Any, region: Region) -> Agency:
    """The active agency of a township or zone (a grid's default responsible agency)."""
    agency = agencies(user).filter(region=region, is_active=True).first()
    if agency is None:
        raise DomainError(
            "grid_agency_required",
            f"{region.name}没有执法机构，请指定网格的负责机构。",
            f"{region.name} has no agency: name the grid's responsible agency.",
        )
    return agency


def grid_officers(user: Any, grid: Grid) -> QuerySet[Officer]:
    """Officers the user may name for a grid: active, of the grid's agency or an agency above it
    (the rule of services.assign_grid_officer), with their certificates."""
    ancestors = []
    agency: Agency | None = grid.agency
    while agency is not None:
        ancestors.append(agency.pk)
        agency = agency.parent
    # With their agency's region: services.assign_grid_officer compares it with the grid's.
    return (
        officers(user)
        .filter(is_active=True, agency_id__in=ancestors)
        .select_related("agency__region")
    )


@dataclass
class JurisdictionReport:
    gaps: list[Enterprise]
    outside_region: list[Enterprise]
    claimed_twice: list[dict[str, Any]]

    @property
    def is_clean(self) -> bool:
        return not (self.gaps or self.outside_region or self.claimed_twice)


ACTIVE_STATUSES = [EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED]


def jurisdiction_report(user: Any, limit: int = 500) -> JurisdictionReport:
    """Clause (四): every active enterprise has exactly one supervising agency whose region contains it."""
    require(user, "registry.view")
    active = Enterprise.objects.visible_to(user).filter(status__in=ACTIVE_STATUSES)
    gaps = list(active.filter(supervising_agency__isnull=True).select_related("region")[:limit])
    # Outside the region: the agency's code at its own level must equal the enterprise's code there.
    inside = (
        Q(
            supervising_agency__level="province",
            supervising_agency__province_code=F("province_code"),
        )
        | Q(supervising_agency__level="city", supervising_agency__city_code=F("city_code"))
        | Q(supervising_agency__level="county", supervising_agency__county_code=F("county_code"))
        | Q(
            supervising_agency__level__in=["township", "zone"],
            supervising_agency__region_id=F("region_id"),
        )
    )
    outside_list = list(
        active.filter(supervising_agency__isnull=False)
        .exclude(inside)
        .select_related("region", "supervising_agency")[:limit]
    )
    twice = (
        JurisdictionClaim.objects.filter(enterprise__in=active)
        .values("enterprise_id")
        .annotate(n=Count("agency_id", distinct=True))
        .filter(n__gt=1)
        .order_by("enterprise_id")[:limit]
    )
    ids = [row["enterprise_id"] for row in twice]
    by_id = {
        e.pk: e for e in Enterprise.objects.filter(pk__in=ids).select_related("supervising_agency")
    }
    claims: dict[int, list[str]] = {}
    for claim in JurisdictionClaim.objects.filter(enterprise_id__in=ids).select_related("agency"):
        claims.setdefault(claim.enterprise_id, []).append(claim.agency.name)
    claimed_twice = [
        {"enterprise": by_id[i], "agencies": sorted(claims.get(i, []))} for i in ids if i in by_id
    ]
    return JurisdictionReport(gaps=gaps, outside_region=outside_list, claimed_twice=claimed_twice)

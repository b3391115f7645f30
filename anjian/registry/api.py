"""Registry endpoints under /api/v1/registry. Thin: authorize, call one selector or service, shape JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from anjian.core.pagination import MAX_PAGE_NUMBER
from anjian.registry import api_io, selectors, services
from anjian.registry.models import (
    Agency,
    Delegation,
    Enterprise,
    Grid,
    JurisdictionClaim,
    Officer,
)
from anjian.registry.selectors import EnterpriseFilters, require

router = Router(tags=["registry"])


class TagIn(Schema):
    tag: str
    grade: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: str = ""


class EnterpriseIn(Schema):
    uscc: str = Field(..., description="统一社会信用代码 (GB 32100)")
    name: str
    legal_representative: str
    address: str
    region_code: str
    industry_code: str = Field(..., description="GB/T 4754-2017 code, division or below")
    employees: int = Field(0, ge=0)
    revenue: Decimal = Field(
        Decimal("0"), ge=0, max_digits=14, decimal_places=2, description="万元"
    )
    status: str = "operating"
    risk_grade: str = "low"
    grid_id: int | None = None
    supervising_agency_id: int | None = None
    tags: list[TagIn] = []


# The list's row and page are plain pydantic models: they only ever validate dicts, and ninja's
# Schema wraps every row in its attribute getter first (about 2 ms of CPU for a page of 50 rows).
class EnterpriseRow(BaseModel):
    id: int
    uscc: str
    name: str
    region_code: str
    region_name: str
    industry_code: str
    status: str
    risk_grade: str
    supervising_agency: str | None


class EnterprisePage(BaseModel):
    items: list[EnterpriseRow]
    page: int
    page_size: int
    has_next: bool


class EnterpriseOut(EnterpriseRow):
    legal_representative: str
    address: str
    industry_name: str
    employees: int
    revenue: Decimal
    grid_id: int | None
    supervising_agency_id: int | None
    tags: list[TagIn]


def _row(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e.pk,
        "uscc": e.uscc,
        "name": e.name,
        "region_code": e.region.code,
        "region_name": e.region.name,
        "industry_code": e.industry.code,
        "status": e.status,
        "risk_grade": e.risk_grade,
        "supervising_agency": e.supervising_agency.name if e.supervising_agency else None,
    }


# _row() as columns of one values_list() query, for the list.
_ROW_KEYS = (
    "id",
    "uscc",
    "name",
    "region_code",
    "region_name",
    "industry_code",
    "status",
    "risk_grade",
    "supervising_agency",
)
_ROW_COLUMNS = (
    "id",
    "uscc",
    "name",
    "region__code",
    "region__name",
    "industry__code",
    "status",
    "risk_grade",
    "supervising_agency__name",
)


def _detail(e: Enterprise) -> dict[str, Any]:
    return {
        **_row(e),
        "legal_representative": e.legal_representative,
        "address": e.address,
        "industry_name": e.industry.name,
        "employees": e.employees,
        "revenue": e.revenue,
        "grid_id": e.grid_id,
        "supervising_agency_id": e.supervising_agency_id,
        "tags": [t.as_dict() for t in e.tags.all()],
    }


class EnterpriseQuery(Schema):
    q: str = ""
    region_code: str = ""
    industry_code: str = ""
    status: str = ""
    risk_grade: str = ""
    tag: str = ""
    supervising_agency_id: int | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(50, ge=1, le=200)


def filters_from(query: Any) -> EnterpriseFilters:
    return EnterpriseFilters(
        q=query.q,
        region_code=query.region_code,
        industry_code=query.industry_code,
        status=query.status,
        risk_grade=query.risk_grade,
        tag=query.tag,
        supervising_agency_id=query.supervising_agency_id,
    )


@router.get("/enterprises", response=EnterprisePage)
def list_enterprises(request: HttpRequest, query: Query[EnterpriseQuery]) -> HttpResponse:
    """Scoped enterprises, newest first; ``q``: name contains, or credit-code prefix. A page of
    ``page_size`` rows and ``has_next`` (no total count: counting a million rows would cost more
    than the page itself)."""
    queryset = selectors.enterprises(request.user, filters_from(query))
    start = (query.page - 1) * query.page_size
    # Only the row's columns, as tuples: no model instances for the enterprise and its three
    # related rows (about 3 ms of CPU less for a page of 50; see benchmarks/registry_list.py).
    rows = list(queryset.values_list(*_ROW_COLUMNS)[start : start + query.page_size + 1])
    # Plain values of known types, serialised once: the page is not validated again against
    # EnterprisePage, which documents it (tests/registry/test_access_memo.py checks the shape).
    return JsonResponse(
        {
            "items": [dict(zip(_ROW_KEYS, row, strict=True)) for row in rows[: query.page_size]],
            "page": query.page,
            "page_size": query.page_size,
            "has_next": len(rows) > query.page_size,
        },
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


# Excel import/export (api_io.py): registered before "/enterprises/{enterprise_id}" so that
# "/enterprises/export.xlsx" (and the agency and officer exports) match first.
api_io.register(router)


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    return _detail(selectors.enterprise_for(request.user, enterprise_id))


def _input(payload: EnterpriseIn) -> services.EnterpriseInput:
    data = payload.dict()
    data["tags"] = [t for t in data["tags"]]
    return services.EnterpriseInput(**data)


def _check_target_scope(request: HttpRequest, payload: EnterpriseIn) -> None:
    """A user may only place an enterprise inside their own jurisdiction."""
    from anjian.registry.models import Region

    region = Region.objects.visible_to(request.user).filter(code=payload.region_code).first()
    if region is None and Region.objects.filter(code=payload.region_code).exists():
        from anjian.core.errors import DomainError

        raise DomainError(
            "outside_jurisdiction",
            "该区划不在您的管辖范围内。",
            "That region is outside your jurisdiction.",
            status=403,
        )
    if (
        payload.supervising_agency_id
        and not Agency.objects.visible_to(request.user)
        .filter(pk=payload.supervising_agency_id)
        .exists()
    ):
        from anjian.core.errors import DomainError

        raise DomainError(
            "outside_jurisdiction",
            "该监管机构不在您的管辖范围内。",
            "That agency is outside your jurisdiction.",
            status=403,
        )


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> tuple[int, dict[str, Any]]:
    require(request.user, "registry.change_enterprise")
    _check_target_scope(request, payload)
    enterprise = services.register_enterprise(actor=request.user, data=_input(payload))
    return 201, _detail(selectors.enterprise_for(request.user, enterprise.pk))


@router.put("/enterprises/{enterprise_id}", response=EnterpriseOut)
def update_enterprise(
    request: HttpRequest, enterprise_id: int, payload: EnterpriseIn
) -> dict[str, Any]:
    enterprise = selectors.enterprise_for(request.user, enterprise_id)
    require(request.user, "registry.change_enterprise")
    _check_target_scope(request, payload)
    services.update_enterprise(actor=request.user, enterprise=enterprise, data=_input(payload))
    return _detail(selectors.enterprise_for(request.user, enterprise_id))


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    level: str
    kind: str
    region_code: str
    parent_id: int | None
    delegations: list[dict[str, Any]]


def _delegation(d: Delegation) -> dict[str, Any]:
    return {
        "id": d.pk,
        "agency_id": d.agency_id,
        "kind": d.kind,
        "delegating_agency_id": d.delegating_agency_id,
        "scope": d.scope,
        "violation_codes": list(d.violation_codes),
        "instrument_number": d.instrument_number,
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
        "end_reason": d.end_reason,
    }


def _agency(a: Agency) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "short_name": a.short_name,
        "level": a.level,
        "kind": a.kind,
        "region_code": a.region.code,
        "parent_id": a.parent_id,
        "delegations": [_delegation(d) for d in a.delegations.all()],
    }


@router.get("/agencies", response=list[AgencyOut])
def list_agencies(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _agency(a) for a in selectors.agencies(request.user).prefetch_related("delegations")[:1000]
    ]


@router.get("/agencies/{agency_id}", response=AgencyOut)
def get_agency(request: HttpRequest, agency_id: int) -> dict[str, Any]:
    return _agency(selectors.agency_for(request.user, agency_id))


class CertificateOut(Schema):
    number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    status: str


class OfficerOut(Schema):
    id: int
    name: str
    agency_id: int
    agency: str
    post: str
    is_certified_today: bool
    certificates: list[CertificateOut]


def _officer(o: Officer, today: dt.date) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "agency_id": o.agency_id,
        "agency": o.agency.name,
        "post": o.post,
        "is_certified_today": o.valid_certificate(today) is not None,
        "certificates": [
            {
                "number": c.number,
                "issuer": c.issuer,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
                "status": c.status,
            }
            for c in o.certificates.all()
        ],
    }


@router.get("/officers", response=list[OfficerOut])
def list_officers(request: HttpRequest) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [_officer(o, today) for o in selectors.officers(request.user)[:2000]]


@router.get("/officers/{officer_id}", response=OfficerOut)
def get_officer(request: HttpRequest, officer_id: int) -> dict[str, Any]:
    return _officer(selectors.officer_for(request.user, officer_id), timezone.localdate())


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    is_synthetic: bool


@router.get("/regions", response=list[RegionOut])
def list_regions(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent.code if r.parent else None,
            "is_synthetic": r.is_synthetic,
        }
        for r in selectors.regions(request.user).select_related("parent")
    ]


class JurisdictionOut(Schema):
    is_clean: bool
    gaps: list[EnterpriseRow]
    outside_region: list[EnterpriseRow]
    claimed_twice: list[dict[str, Any]]


@router.get("/jurisdiction-report", response=JurisdictionOut)
def jurisdiction_report(request: HttpRequest) -> dict[str, Any]:
    report = selectors.jurisdiction_report(request.user)
    return {
        "is_clean": report.is_clean,
        "gaps": [_row(e) for e in report.gaps],
        "outside_region": [_row(e) for e in report.outside_region],
        "claimed_twice": [
            {
                "enterprise_id": c["enterprise"].pk,
                "uscc": c["enterprise"].uscc,
                "name": c["enterprise"].name,
                "agencies": c["agencies"],
            }
            for c in report.claimed_twice
        ],
    }


class AssignIn(Schema):
    agency_id: int
    reason: str


@router.post("/enterprises/{enterprise_id}/supervising-agency", response=EnterpriseOut)
def assign_supervising_agency(
    request: HttpRequest, enterprise_id: int, payload: AssignIn
) -> dict[str, Any]:
    enterprise = selectors.enterprise_for(request.user, enterprise_id)
    require(request.user, "registry.manage_jurisdiction")
    agency = selectors.agency_for(request.user, payload.agency_id)
    services.assign_supervising_agency(
        actor=request.user, enterprise=enterprise, agency=agency, reason=payload.reason
    )
    return _detail(selectors.enterprise_for(request.user, enterprise_id))


# ---------------------------------------------------------------------------------------------
# Jurisdiction claims: filed and withdrawn in an agency's name, decided by whoever manages
# jurisdiction over the enterprise (upheld: the claimant supervises it; rejected: withdrawn).


class ClaimIn(Schema):
    agency_id: int = Field(..., description="the claiming agency (in the caller's scope)")
    note: str = Field("", description="at most 200 characters")


class ClaimOut(Schema):
    id: int
    agency_id: int
    agency: str
    enterprise_id: int
    note: str
    created_at: dt.datetime


class ClaimDecisionIn(Schema):
    uphold: bool = Field(..., description="true: the claimant becomes the supervising agency")
    reason: str


class ClaimWithdrawalIn(Schema):
    reason: str


def _claim(c: JurisdictionClaim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "agency_id": c.agency_id,
        "agency": c.agency.name,
        "enterprise_id": c.enterprise_id,
        "note": c.note,
        "created_at": c.created_at,
    }


@router.get("/enterprises/{enterprise_id}/claims", response=list[ClaimOut])
def list_claims(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    enterprise = selectors.enterprise_for(request.user, enterprise_id)
    return [_claim(c) for c in selectors.claims(request.user, enterprise)]


@router.post("/enterprises/{enterprise_id}/claims", response={201: ClaimOut})
def file_claim(
    request: HttpRequest, enterprise_id: int, payload: ClaimIn
) -> tuple[int, dict[str, Any]]:
    enterprise = selectors.enterprise_for(request.user, enterprise_id)
    require(request.user, "registry.claim_jurisdiction")
    agency = selectors.agency_for(request.user, payload.agency_id)
    claim = services.claim_jurisdiction(
        actor=request.user, agency=agency, enterprise=enterprise, note=payload.note
    )
    return 201, _claim(claim)


@router.post("/claims/{claim_id}/decision", response=EnterpriseOut)
def decide_claim(request: HttpRequest, claim_id: int, payload: ClaimDecisionIn) -> dict[str, Any]:
    claim = selectors.claim_to_decide(request.user, claim_id)
    services.decide_claim(
        actor=request.user, claim=claim, uphold=payload.uphold, reason=payload.reason
    )
    return _detail(selectors.enterprise_for(request.user, claim.enterprise_id))


@router.post("/claims/{claim_id}/withdrawal", response=ClaimOut)
def withdraw_claim(
    request: HttpRequest, claim_id: int, payload: ClaimWithdrawalIn
) -> dict[str, Any]:
    """The withdrawn claim as it was (it no longer exists afterwards)."""
    claim = selectors.claim_to_withdraw(request.user, claim_id)
    withdrawn = _claim(claim)
    services.withdraw_claim(actor=request.user, claim=claim, reason=payload.reason)
    return withdrawn


# ---------------------------------------------------------------------------------------------
# Delegations of penalty power (行政处罚法 Art 20, 24): recorded by the delegating side.


class DelegationIn(Schema):
    kind: str = Field(
        ..., description="authorization (Art 24 province decision) | entrustment (Art 20)"
    )
    scope: str = Field(..., description="权限范围, as the instrument words it")
    violation_codes: list[str] = Field(
        ..., description="legal catalog codes (or article prefixes) the power covers"
    )
    instrument_number: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    delegating_agency_id: int | None = Field(None, description="required for an entrustment")


class DelegationChangeIn(DelegationIn):
    reason: str


class DelegationEndIn(Schema):
    valid_to: dt.date = Field(..., description="the last day the delegation is in force")
    reason: str


class DelegationOut(Schema):
    id: int
    agency_id: int
    kind: str
    delegating_agency_id: int | None
    scope: str
    violation_codes: list[str]
    instrument_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    end_reason: str


def _delegating_agency(request: HttpRequest, payload: DelegationIn) -> Agency | None:
    if payload.delegating_agency_id is None:
        return None
    return selectors.agency_for(request.user, payload.delegating_agency_id)


def _delegation_fields(request: HttpRequest, payload: DelegationIn) -> dict[str, Any]:
    return {
        "kind": payload.kind,
        "scope": payload.scope,
        "violation_codes": payload.violation_codes,
        "instrument_number": payload.instrument_number,
        "valid_from": payload.valid_from,
        "valid_to": payload.valid_to,
        "delegating_agency": _delegating_agency(request, payload),
    }


@router.post("/agencies/{agency_id}/delegations", response={201: DelegationOut})
def add_delegation(
    request: HttpRequest, agency_id: int, payload: DelegationIn
) -> tuple[int, dict[str, Any]]:
    agency = selectors.agency_to_delegate(request.user, agency_id)
    delegation = services.add_delegation(
        actor=request.user, agency=agency, **_delegation_fields(request, payload)
    )
    return 201, _delegation(delegation)


@router.put("/delegations/{delegation_id}", response=DelegationOut)
def change_delegation(
    request: HttpRequest, delegation_id: int, payload: DelegationChangeIn
) -> dict[str, Any]:
    delegation = selectors.delegation_for(request.user, delegation_id, to_manage=True)
    changed = services.change_delegation(
        actor=request.user,
        delegation=delegation,
        reason=payload.reason,
        **_delegation_fields(request, payload),
    )
    return _delegation(changed)


@router.post("/delegations/{delegation_id}/end", response=DelegationOut)
def end_delegation(
    request: HttpRequest, delegation_id: int, payload: DelegationEndIn
) -> dict[str, Any]:
    delegation = selectors.delegation_for(request.user, delegation_id, to_manage=True)
    ended = services.end_delegation(
        actor=request.user, delegation=delegation, valid_to=payload.valid_to, reason=payload.reason
    )
    return _delegation(ended)


# ---------------------------------------------------------------------------------------------
# Grids: named areas within a township, each with a responsible officer.


class GridOut(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    agency_id: int
    agency: str
    responsible_officer_id: int | None
    responsible_officer: str | None


class GridIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    region_code: str = Field(..., description="the township or zone (9-digit code)")
    agency_id: int | None = Field(None, description="default: the township's or zone's agency")
    responsible_officer_id: int | None = None


class GridOfficerIn(Schema):
    officer_id: int


def _grid(g: Grid) -> dict[str, Any]:
    officer = g.responsible_officer
    return {
        "id": g.pk,
        "name": g.name,
        "region_code": g.region.code,
        "region_name": g.region.name,
        "agency_id": g.agency_id,
        "agency": g.agency.name,
        "responsible_officer_id": officer.pk if officer else None,
        "responsible_officer": officer.name if officer else None,
    }


@router.get("/grids", response=list[GridOut])
def list_grids(request: HttpRequest, region_code: str = "") -> list[dict[str, Any]]:
    grids = selectors.grids(request.user)
    if region_code:
        grids = grids.filter(region__code=region_code)
    return [_grid(g) for g in grids[:2000]]


@router.post("/grids", response={201: GridOut})
def create_grid(request: HttpRequest, payload: GridIn) -> tuple[int, dict[str, Any]]:
    require(request.user, "registry.manage_grids")
    region = selectors.grid_region_for(request.user, payload.region_code)
    agency = (
        selectors.agency_for(request.user, payload.agency_id)
        if payload.agency_id is not None
        else selectors.township_agency(request.user, region)
    )
    officer = (
        selectors.officer_for(request.user, payload.responsible_officer_id)
        if payload.responsible_officer_id is not None
        else None
    )
    grid = services.create_grid(
        actor=request.user,
        name=payload.name,
        region=region,
        agency=agency,
        responsible_officer=officer,
    )
    return 201, _grid(selectors.grid_for(request.user, grid.pk))


@router.post("/grids/{grid_id}/officer", response=GridOut)
def assign_grid_officer(
    request: HttpRequest, grid_id: int, payload: GridOfficerIn
) -> dict[str, Any]:
    grid = selectors.grid_to_manage(request.user, grid_id)
    officer = selectors.officer_for(request.user, payload.officer_id)
    services.assign_grid_officer(actor=request.user, grid=grid, officer=officer)
    return _grid(selectors.grid_for(request.user, grid_id))

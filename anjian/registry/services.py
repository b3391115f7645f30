"""Writes on the registry. Each service is one transaction that records its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.registry import penalty_catalog
from anjian.registry.models import (
    Agency,
    AgencyLevel,
    Certificate,
    CertificateStatus,
    Delegation,
    DelegationKind,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    Grid,
    Industry,
    JurisdictionClaim,
    KeyTag,
    Officer,
    Region,
    RegionLevel,
    RiskGrade,
    ScopeGrant,
)
from anjian.registry.validation import clean_uscc

# ---------------------------------------------------------------------------------------------
# Regions and agencies


def region_codes(region: Region) -> dict[str, str]:
    return {
        "province_code": region.province_code,
        "city_code": region.city_code,
        "county_code": region.county_code,
    }


def _codes_for_new_region(level: str, code: str, parent: Region | None) -> dict[str, str]:
    if level == RegionLevel.PROVINCE:
        return {"province_code": code, "city_code": "", "county_code": ""}
    if parent is None:
        raise DomainError(
            "region_parent_required",
            "非省级区划必须有上级区划。",
            "A region below a province needs a parent.",
        )
    codes = region_codes(parent)
    if level == RegionLevel.CITY:
        codes["city_code"] = code
    elif level == RegionLevel.COUNTY:
        codes["county_code"] = code
    return codes


_PARENT_LEVEL: dict[str, set[str]] = {
    RegionLevel.CITY: {RegionLevel.PROVINCE},
    RegionLevel.COUNTY: {RegionLevel.CITY},
    RegionLevel.TOWNSHIP: {RegionLevel.COUNTY},
    RegionLevel.ZONE: {RegionLevel.COUNTY, RegionLevel.CITY},
}


def create_region(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    parent: Region | None,
    is_synthetic: bool = False,
    source: str = "",
) -> Region:
    if level not in RegionLevel.values:
        raise DomainError(
            "region_level_unknown", f"未知区划层级：{level}", f"Unknown region level {level!r}"
        )
    if not code.isdecimal() or len(code) not in {6, 9, 12}:
        raise DomainError(
            "region_code_format",
            f"区划代码“{code}”应为6、9或12位数字。",
            f"Region code {code!r} must be 6, 9 or 12 digits.",
        )
    if parent is not None and parent.level not in _PARENT_LEVEL.get(level, set()):
        raise DomainError(
            "region_parent_level", "上级区划层级不符。", "The parent region is at the wrong level."
        )
    with transaction.atomic():
        if Region.objects.filter(code=code).exists():
            raise DomainError(
                "region_duplicate", f"区划代码“{code}”已存在。", f"Region {code} exists."
            )
        region = Region.objects.create(
            code=code,
            name=name,
            level=level,
            parent=parent,
            is_synthetic=is_synthetic,
            source=source,
            **_codes_for_new_region(level, code, parent),
        )
        audit.record(
            actor=actor, action="registry.create_region", obj=region, after=audit.snapshot(region)
        )
        return region


_AGENCY_LEVEL_FOR_REGION = {
    RegionLevel.PROVINCE: AgencyLevel.PROVINCE,
    RegionLevel.CITY: AgencyLevel.CITY,
    RegionLevel.COUNTY: AgencyLevel.COUNTY,
    RegionLevel.TOWNSHIP: AgencyLevel.TOWNSHIP,
    RegionLevel.ZONE: AgencyLevel.ZONE,
}


def create_agency(
    *, actor: Any, name: str, short_name: str, kind: str, region: Region, parent: Agency | None
) -> Agency:
    level = _AGENCY_LEVEL_FOR_REGION[RegionLevel(region.level)]
    if parent is not None and not parent.region.contains(region):
        raise DomainError(
            "agency_parent_region",
            "上级机构的区划必须包含本机构的区划。",
            "The parent agency's region must contain this agency's region.",
        )
    with transaction.atomic():
        agency = Agency(
            name=name,
            short_name=short_name,
            kind=kind,
            level=level,
            region=region,
            parent=parent,
            **region_codes(region),
        )
        try:
            with transaction.atomic():
                agency.save()
        except IntegrityError:
            raise DomainError(
                "agency_duplicate", f"机构“{name}”已存在。", f"Agency {name!r} exists."
            ) from None
        audit.record(
            actor=actor, action="registry.create_agency", obj=agency, after=audit.snapshot(agency)
        )
        return agency


_DELEGATED_LEVELS = {AgencyLevel.TOWNSHIP, AgencyLevel.ZONE}


def _delegation_problems(
    *,
    agency: Agency,
    kind: str,
    scope: str,
    instrument_number: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    delegating_agency: Agency | None,
    violation_codes: Sequence[str],
) -> list[FieldProblem]:
    """Every problem of a delegation's fields (not only the first), as the enterprise checks do."""
    problems: list[FieldProblem] = []
    if kind not in DelegationKind.values:
        problems.append(
            FieldProblem(
                "kind",
                "授权方式无效：应为省级决定赋权（第二十四条）或书面委托（第二十条）。",
                "Unknown delegation kind: authorization (Art 24) or entrustment (Art 20).",
            )
        )
    if kind == DelegationKind.ENTRUSTMENT and delegating_agency is None:
        problems.append(
            FieldProblem(
                "delegating_agency",
                "书面委托须注明委托机关（行政处罚法第二十条）。",
                "An entrustment names the entrusting agency (APL Art 20).",
            )
        )
    if delegating_agency is not None and (
        delegating_agency.level in _DELEGATED_LEVELS
        or not delegating_agency.region.contains(agency.region)
    ):
        problems.append(
            FieldProblem(
                "delegating_agency",
                f"委托机关须为辖区包含{agency.region.name}的县级以上机构。",
                "The delegating agency is a county-level or higher agency whose region contains"
                " the delegated agency's region.",
            )
        )
    if not instrument_number.strip():
        problems.append(
            FieldProblem(
                "instrument_number", "须填写文件文号。", "The instrument number is required."
            )
        )
    elif len(instrument_number.strip()) > 100:
        problems.append(
            FieldProblem(
                "instrument_number", "文件文号超过100个字符。", "Longer than 100 characters."
            )
        )
    if not scope.strip():
        problems.append(FieldProblem("scope", "须填写权限范围。", "The scope is required."))
    if valid_to is not None and valid_to < valid_from:
        problems.append(
            FieldProblem("valid_to", "失效日期不能早于生效日期。", "valid_to is before valid_from.")
        )
    codes = list(violation_codes)
    if not codes:
        problems.append(
            FieldProblem(
                "violation_codes",
                "须列明可处罚的违法行为代码（法规库），处罚权以此为限。",
                "List the violation codes (legal catalog) the power covers.",
            )
        )
    elif len(set(codes)) != len(codes):
        problems.append(
            FieldProblem(
                "violation_codes", "违法行为代码重复。", "A violation code is given twice."
            )
        )
    unknown = penalty_catalog.unknown_codes(codes)
    if unknown:
        problems.append(
            FieldProblem(
                "violation_codes",
                f"法规库中没有违法行为代码：{'、'.join(unknown)}。",
                f"Not in the legal catalog: {', '.join(unknown)}.",
            )
        )
    return problems


def _raise_delegation_problems(agency: Agency, problems: list[FieldProblem]) -> None:
    if agency.level not in _DELEGATED_LEVELS:
        raise DomainError(
            "delegation_level",
            "只有乡镇（街道）或开发区机构需要登记授权或委托。",
            "Only township or development-zone agencies hold a delegation.",
        )
    if problems:
        raise DomainError(
            "invalid_delegation",
            "；".join(p.message for p in problems),
            "; ".join(p.message_en for p in problems),
            details=[
                {"field": p.field, "message": p.message, "message_en": p.message_en}
                for p in problems
            ],
        )


def _clean_codes(violation_codes: Sequence[str]) -> list[str]:
    return [str(code).strip() for code in violation_codes if str(code).strip()]


def add_delegation(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    scope: str,
    instrument_number: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    delegating_agency: Agency | None = None,
    violation_codes: Sequence[str] = (),
) -> Delegation:
    """Record a township's or zone's penalty power (行政处罚法 Art 24 decision, or Art 20 entrustment).

    ``violation_codes`` (codes of the legal catalog, or their article prefixes) are what
    ``check_penalty_power`` compares a case's violations with; ``scope`` is the instrument's words.
    """
    codes = _clean_codes(violation_codes)
    fields: dict[str, Any] = {
        "kind": kind,
        "scope": scope.strip(),
        "instrument_number": instrument_number.strip(),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "delegating_agency": delegating_agency,
    }
    _raise_delegation_problems(
        agency, _delegation_problems(agency=agency, violation_codes=codes, **fields)
    )
    with transaction.atomic():
        delegation = Delegation.objects.create(agency=agency, violation_codes=codes, **fields)
        audit.record(
            actor=actor,
            action="registry.add_delegation",
            obj=delegation,
            after=audit.snapshot(delegation),
        )
        return delegation


def change_delegation(
    *,
    actor: Any,
    delegation: Delegation,
    kind: str,
    scope: str,
    instrument_number: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    delegating_agency: Agency | None,
    violation_codes: Sequence[str],
    reason: str,
) -> Delegation:
    """Correct a delegation's record (e.g. a mistyped number or a narrowed scope), with the reason."""
    if not reason.strip():
        raise DomainError(
            "reason_required", "请说明修改的理由。", "Give the reason for the change."
        )
    codes = _clean_codes(violation_codes)
    fields: dict[str, Any] = {
        "kind": kind,
        "scope": scope.strip(),
        "instrument_number": instrument_number.strip(),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "delegating_agency": delegating_agency,
    }
    agency = delegation.agency
    _raise_delegation_problems(
        agency, _delegation_problems(agency=agency, violation_codes=codes, **fields)
    )
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        before = audit.snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.violation_codes = codes
        locked.save()
        audit.record(
            actor=actor,
            action="registry.change_delegation",
            obj=locked,
            before=before,
            after={**audit.snapshot(locked), "reason": reason.strip()},
        )
        return locked


def end_delegation(
    *, actor: Any, delegation: Delegation, valid_to: dt.date, reason: str
) -> Delegation:
    """End a delegation on ``valid_to`` (its last day in force): revoked, withdrawn or superseded.

    From the next day ``check_penalty_power`` no longer finds it, so the agency files no case under it.
    """
    if not reason.strip():
        raise DomainError(
            "reason_required",
            "请说明终止的理由（如撤销决定的文号）。",
            "Give the reason for ending it (e.g. the revoking act's number).",
        )
    if len(reason.strip()) > 300:
        raise DomainError(
            "reason_too_long",
            "终止理由超过300个字符。",
            "The reason is longer than 300 characters.",
        )
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if valid_to < locked.valid_from:
            raise DomainError(
                "delegation_dates",
                f"终止日期不能早于生效日期（{locked.valid_from:%Y年%m月%d日}）。",
                f"The end date is before valid_from ({locked.valid_from}).",
            )
        if locked.valid_to is not None and valid_to > locked.valid_to:
            raise DomainError(
                "delegation_already_ends",
                f"该授权（委托）已于{locked.valid_to:%Y年%m月%d日}失效，终止不能延长期限。",
                f"It already ends on {locked.valid_to}; ending cannot extend it.",
            )
        before = audit.snapshot(locked)
        locked.valid_to = valid_to
        locked.end_reason = reason.strip()
        locked.save(update_fields=["valid_to", "end_reason"])
        audit.record(
            actor=actor,
            action="registry.end_delegation",
            obj=locked,
            before=before,
            after=audit.snapshot(locked),
        )
        return locked


def check_penalty_power(*, agency: Agency, violation_code: str, on: dt.date) -> None:
    """Refuse when a township or zone agency acts outside its delegation (行政处罚法 Art 20, 24).

    Any delegation in force on ``on`` that covers the violation suffices (an agency may hold a
    province decision and an entrustment at once).
    """
    if agency.level not in _DELEGATED_LEVELS:
        return
    in_force = list(agency.delegations_in_force(on))
    if not in_force:
        raise DomainError(
            "no_delegation",
            f"{agency.name}在{on:%Y年%m月%d日}无有效的处罚权授权或委托（行政处罚法第二十条、第二十四条）。",
            "The agency holds no penalty power on that date (APL Art 20, 24).",
        )
    if not any(delegation.covers(violation_code) for delegation in in_force):
        numbers = "、".join(d.instrument_number for d in in_force)
        raise DomainError(
            "outside_delegation",
            f"违法行为 {violation_code} 不在{agency.name}的授权（委托）范围内（{numbers}）。",
            "The violation lies outside the delegation's scope.",
        )


# ---------------------------------------------------------------------------------------------
# Officers and certificates


def create_officer(
    *,
    actor: Any,
    username: str,
    name: str,
    agency: Agency,
    post: str = "",
    roles: Iterable[str] = (),
    password: str | None = None,
) -> Officer:
    with transaction.atomic():
        user = account_services.create_user(
            actor=actor, username=username, full_name=name, password=password, roles=roles
        )
        officer = Officer.objects.create(
            user=user, agency=agency, name=name, post=post, **region_codes(agency.region)
        )
        account_services.invalidate_access(users=User.objects.filter(pk=user.pk))
        audit.record(
            actor=actor,
            action="registry.create_officer",
            obj=officer,
            after=audit.snapshot(officer),
        )
        return officer


def add_certificate(
    *,
    actor: Any,
    officer: Officer,
    number: str,
    issuer: str,
    valid_from: dt.date,
    valid_to: dt.date,
    status: str = CertificateStatus.VALID,
) -> Certificate:
    if valid_to < valid_from:
        raise DomainError(
            "certificate_dates",
            "执法证有效期止不能早于有效期起。",
            "valid_to is before valid_from.",
        )
    with transaction.atomic():
        if Certificate.objects.filter(number=number).exists():
            raise DomainError(
                "certificate_duplicate",
                f"执法证号“{number}”已存在。",
                f"Certificate {number} exists.",
            )
        certificate = Certificate.objects.create(
            officer=officer,
            number=number,
            issuer=issuer,
            valid_from=valid_from,
            valid_to=valid_to,
            status=status,
        )
        audit.record(
            actor=actor,
            action="registry.add_certificate",
            obj=certificate,
            after=audit.snapshot(certificate),
        )
        return certificate


def set_certificate_status(
    *, actor: Any, certificate: Certificate, status: str, reason: str
) -> Certificate:
    if status not in CertificateStatus.values:
        raise DomainError("certificate_status", "执法证状态无效。", "Unknown certificate status.")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        before = audit.snapshot(certificate)
        certificate.status = status
        certificate.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="registry.set_certificate_status",
            obj=certificate,
            before=before,
            after={**audit.snapshot(certificate), "reason": reason},
        )
        return certificate


def require_certified(officers: Sequence[Officer], *, on: dt.date, minimum: int = 1) -> None:
    """The one check every enforcement act calls: each officer holds a valid certificate on that date.

    行政处罚法 Art 42 (and 安全生产法 Art 67, 行政强制法 Art 18): enforcement officers hold enforcement
    certificates, and at least two act together where the law says so (``minimum=2``).
    """
    distinct = {officer.pk: officer for officer in officers}
    if len(distinct) < minimum:
        raise DomainError(
            "too_few_officers",
            f"执法人员不得少于{minimum}人（《中华人民共和国行政处罚法》第四十二条）。",
            f"At least {minimum} officers must act (APL Art 42).",
        )
    missing = [
        o.name for o in distinct.values() if not o.is_active or o.valid_certificate(on) is None
    ]
    if missing:
        raise DomainError(
            "officer_not_certified",
            f"{'、'.join(missing)}在{on:%Y年%m月%d日}无有效执法证，不得从事执法活动"
            "（《中华人民共和国行政处罚法》第四十二条）。",
            f"No valid enforcement certificate on {on}: {', '.join(missing)} (APL Art 42).",
            details={"officers": missing},
        )


# ---------------------------------------------------------------------------------------------
# Grids


def _check_grid_officer(agency: Agency, region: Region, officer: Officer, on: dt.date) -> None:
    """A grid's officer holds a valid certificate and belongs to an agency that covers the grid."""
    require_certified([officer], on=on)
    if not agency.region.contains(officer.agency.region) and not officer.agency.region.contains(
        region
    ):
        raise DomainError(
            "grid_officer_outside",
            "执法人员的机构不管辖该网格。",
            "The officer's agency does not cover the grid.",
        )


def create_grid(
    *,
    actor: Any,
    name: str,
    region: Region,
    agency: Agency,
    responsible_officer: Officer | None = None,
    on: dt.date | None = None,
) -> Grid:
    if region.level not in {RegionLevel.TOWNSHIP, RegionLevel.ZONE}:
        raise DomainError(
            "grid_region_level",
            "网格须划在乡镇（街道）或开发区内。",
            "A grid lies within a township or zone.",
        )
    if not agency.region.contains(region):
        raise DomainError(
            "grid_outside_agency",
            "网格不在该机构的辖区内。",
            "The grid lies outside the agency's region.",
        )
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(
            "grid_name", "网格名称须为1至100个字符。", "A grid's name has 1 to 100 characters."
        )
    if responsible_officer is not None:
        _check_grid_officer(agency, region, responsible_officer, on or timezone.localdate())
    with transaction.atomic():
        if Grid.objects.filter(region=region, name=name).exists():
            raise DomainError("grid_duplicate", f"网格“{name}”已存在。", f"Grid {name!r} exists.")
        grid = Grid.objects.create(
            name=name,
            region=region,
            agency=agency,
            responsible_officer=responsible_officer,
            **region_codes(region),
        )
        audit.record(
            actor=actor, action="registry.create_grid", obj=grid, after=audit.snapshot(grid)
        )
        return grid


def assign_grid_officer(
    *, actor: Any, grid: Grid, officer: Officer, on: dt.date | None = None
) -> Grid:
    """Name the officer responsible for a grid: an enforcement act, so the certificate must be valid."""
    _check_grid_officer(grid.agency, grid.region, officer, on or timezone.localdate())
    with transaction.atomic():
        grid = Grid.objects.select_for_update().get(pk=grid.pk)
        before = audit.snapshot(grid)
        grid.responsible_officer = officer
        grid.save(update_fields=["responsible_officer"])
        audit.record(
            actor=actor,
            action="registry.assign_grid_officer",
            obj=grid,
            before=before,
            after=audit.snapshot(grid),
        )
        return grid


# ---------------------------------------------------------------------------------------------
# Enterprises


@dataclass
class EnterpriseInput:
    """Enterprise fields as received from a form, the API or one row of an import."""

    uscc: str
    name: str
    legal_representative: str
    address: str
    region_code: str
    industry_code: str
    employees: Any = 0
    revenue: Any = 0
    status: str = EnterpriseStatus.OPERATING
    risk_grade: str = RiskGrade.LOW
    grid_id: int | None = None
    supervising_agency_id: int | None = None
    tags: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FieldProblem:
    field: str
    message: str
    message_en: str


class ReferenceCache:
    """Regions and industries by code, loaded once for a batch (an import of 100,000 rows)."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        self.industries: dict[str, Industry] = {}
        self._loaded = False

    def load(self) -> None:
        if not self._loaded:
            self.regions = {r.code: r for r in Region.objects.all()}
            self.industries = {i.code: i for i in Industry.objects.exclude(level="section")}
            self._loaded = True


def validate_enterprise_input(
    data: EnterpriseInput, cache: ReferenceCache | None = None
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Check one enterprise's fields; return the cleaned values and every problem found (not only the first)."""
    problems: list[FieldProblem] = []
    cleaned: dict[str, Any] = {}
    try:
        cleaned["uscc"] = clean_uscc(data.uscc)
    except DomainError as error:
        problems.append(FieldProblem("uscc", error.message, error.message_en))
    for name, label in (
        ("name", "名称"),
        ("legal_representative", "法定代表人"),
        ("address", "地址"),
    ):
        value = (getattr(data, name) or "").strip()
        if not value:
            problems.append(FieldProblem(name, f"{label}不能为空。", f"{name} is required."))
        cleaned[name] = value
    for name, limit in (("name", 200), ("legal_representative", 50), ("address", 300)):
        if len(cleaned.get(name, "")) > limit:
            problems.append(
                FieldProblem(name, f"超过{limit}个字符。", f"Longer than {limit} characters.")
            )
    if cache is not None:
        cache.load()
        region = cache.regions.get(str(data.region_code or "").strip())
        industry = cache.industries.get(str(data.industry_code or "").strip().upper())
    else:
        region = Region.objects.filter(code=str(data.region_code or "").strip()).first()
        industry = (
            Industry.objects.exclude(level="section")
            .filter(code=str(data.industry_code or "").strip().upper())
            .first()
        )
    if region is None:
        problems.append(
            FieldProblem(
                "region_code",
                f"未知的行政区划代码“{data.region_code}”。",
                f"Unknown region code {data.region_code!r}.",
            )
        )
    elif region.level == RegionLevel.PROVINCE or region.level == RegionLevel.CITY:
        problems.append(
            FieldProblem(
                "region_code",
                "所在区划须细化到县（市、区）或乡镇（街道）。",
                "The region must be a county or a township.",
            )
        )
    cleaned["region"] = region
    if industry is None:
        problems.append(
            FieldProblem(
                "industry_code",
                f"未知的国民经济行业代码“{data.industry_code}”（GB/T 4754-2017，填大类及以下）。",
                f"Unknown industry code {data.industry_code!r} (GB/T 4754-2017 division or below).",
            )
        )
    cleaned["industry"] = industry
    try:
        employees = int(str(data.employees if data.employees not in (None, "") else 0).strip())
        if employees < 0:
            raise ValueError
        cleaned["employees"] = employees
    except (TypeError, ValueError):
        problems.append(
            FieldProblem(
                "employees",
                f"从业人员数“{data.employees}”应为非负整数。",
                "Employees must be a whole number ≥ 0.",
            )
        )
    try:
        revenue = Decimal(str(data.revenue if data.revenue not in (None, "") else 0).strip())
        if revenue < 0 or revenue.as_tuple().exponent < -2 or revenue >= Decimal("1e12"):  # type: ignore[operator]
            raise InvalidOperation
        cleaned["revenue"] = revenue
    except (InvalidOperation, TypeError, ValueError):
        problems.append(
            FieldProblem(
                "revenue",
                f"营业收入“{data.revenue}”应为非负金额（万元，最多两位小数）。",
                "Revenue must be an amount ≥ 0 with at most two decimals.",
            )
        )
    if data.status not in EnterpriseStatus.values:
        problems.append(
            FieldProblem(
                "status", f"未知的状态“{data.status}”。", f"Unknown status {data.status!r}."
            )
        )
    cleaned["status"] = data.status
    if data.risk_grade not in RiskGrade.values:
        problems.append(
            FieldProblem(
                "risk_grade",
                f"未知的风险等级“{data.risk_grade}”。",
                f"Unknown risk grade {data.risk_grade!r}.",
            )
        )
    cleaned["risk_grade"] = data.risk_grade
    seen_tags = [tag.get("tag") for tag in data.tags]
    if len(seen_tags) != len(set(seen_tags)):
        problems.append(
            FieldProblem("tags", "重点监管类别重复。", "A key-supervision tag is given twice.")
        )
    for tag in data.tags:
        if tag.get("tag") not in KeyTag.values:
            problems.append(
                FieldProblem(
                    "tags",
                    f"未知的重点监管类别“{tag.get('tag')}”。",
                    f"Unknown tag {tag.get('tag')!r}.",
                )
            )
        elif tag["tag"] == KeyTag.MAJOR_HAZARD_SOURCE and tag.get("grade") not in (1, 2, 3, 4):
            problems.append(
                FieldProblem(
                    "tags",
                    "重大危险源须注明等级（一级至四级）。",
                    "A major hazard source needs its grade (1–4).",
                )
            )
        elif tag["tag"] == KeyTag.BLACKLIST and (
            not tag.get("valid_from") or not tag.get("reason")
        ):
            problems.append(
                FieldProblem(
                    "tags",
                    "列入黑名单须注明期限和原因。",
                    "A blacklisting needs its period and reason.",
                )
            )
    return cleaned, problems


def _raise_problems(problems: list[FieldProblem]) -> None:
    if problems:
        raise DomainError(
            "invalid_enterprise",
            "；".join(p.message for p in problems),
            "; ".join(p.message_en for p in problems),
            details=[
                {"field": p.field, "message": p.message, "message_en": p.message_en}
                for p in problems
            ],
        )


def _check_supervisor(agency: Agency | None, region: Region) -> None:
    if agency is not None and not agency.region.contains(region):
        raise DomainError(
            "jurisdiction_outside",
            f"{agency.name}的辖区不包含该单位所在区划（属地管辖，行政处罚法第二十二条）。",
            "The supervising agency's region does not contain the enterprise's region (APL Art 22).",
        )


def _write_tags(enterprise: Enterprise, tags: list[dict[str, Any]]) -> None:
    EnterpriseTag.objects.filter(enterprise=enterprise).delete()
    EnterpriseTag.objects.bulk_create(
        [
            EnterpriseTag(
                enterprise=enterprise,
                tag=t["tag"],
                grade=t.get("grade"),
                valid_from=t.get("valid_from"),
                valid_to=t.get("valid_to"),
                reason=t.get("reason", ""),
            )
            for t in tags
        ]
    )


def register_enterprise(*, actor: Any, data: EnterpriseInput) -> Enterprise:
    cleaned, problems = validate_enterprise_input(data)
    _raise_problems(problems)
    agency = (
        Agency.objects.filter(pk=data.supervising_agency_id).first()
        if data.supervising_agency_id
        else None
    )
    _check_supervisor(agency, cleaned["region"])
    grid = Grid.objects.filter(pk=data.grid_id).first() if data.grid_id else None
    with transaction.atomic():
        if Enterprise.objects.filter(uscc=cleaned["uscc"]).exists():
            raise DomainError(
                "uscc_duplicate",
                f"统一社会信用代码“{cleaned['uscc']}”已登记。",
                f"Credit code {cleaned['uscc']} is already registered.",
            )
        enterprise = Enterprise.objects.create(
            **cleaned, grid=grid, supervising_agency=agency, **region_codes(cleaned["region"])
        )
        _write_tags(enterprise, data.tags)
        audit.record(
            actor=actor,
            action="registry.register_enterprise",
            obj=enterprise,
            after={**audit.snapshot(enterprise, fields=None), "tags": data.tags},
        )
        return enterprise


def update_enterprise(*, actor: Any, enterprise: Enterprise, data: EnterpriseInput) -> Enterprise:
    cleaned, problems = validate_enterprise_input(data)
    _raise_problems(problems)
    agency = (
        Agency.objects.filter(pk=data.supervising_agency_id).first()
        if data.supervising_agency_id
        else None
    )
    _check_supervisor(agency, cleaned["region"])
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if Enterprise.objects.filter(uscc=cleaned["uscc"]).exclude(pk=locked.pk).exists():
            raise DomainError(
                "uscc_duplicate",
                f"统一社会信用代码“{cleaned['uscc']}”已登记。",
                f"Credit code {cleaned['uscc']} is already registered.",
            )
        before = {**audit.snapshot(locked), "tags": [t.as_dict() for t in locked.tags.all()]}
        for key, value in cleaned.items():
            setattr(locked, key, value)
        for key, value in region_codes(cleaned["region"]).items():
            setattr(locked, key, value)
        locked.supervising_agency = agency
        locked.grid_id = data.grid_id
        locked.save()
        _write_tags(locked, data.tags)
        audit.record(
            actor=actor,
            action="registry.update_enterprise",
            obj=locked,
            before=before,
            after={**audit.snapshot(locked), "tags": data.tags},
        )
        return locked


def _clean_reason(reason: str, *, what_zh: str, what_en: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required", f"请说明{what_zh}的理由。", f"Give the reason {what_en}."
        )
    if len(reason) > 300:
        raise DomainError(
            "reason_too_long", "理由超过300个字符。", "The reason is longer than 300 characters."
        )
    return reason


def _assign(
    *,
    actor: Any,
    enterprise: Enterprise,
    agency: Agency,
    reason: str,
    action: str,
    claim: JurisdictionClaim | None = None,
) -> Enterprise:
    """One supervising agency for the enterprise, every other agency's claim withdrawn; audited.
    The caller has checked the agency's region (``_check_supervisor``)."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if claim is not None and not JurisdictionClaim.objects.filter(pk=claim.pk).exists():
            raise _claim_gone()
        before = {
            "supervising_agency_id": locked.supervising_agency_id,
            "claims": sorted(locked.claims.values_list("agency_id", flat=True)),
        }
        locked.supervising_agency = agency
        locked.save(update_fields=["supervising_agency", "updated_at"])
        JurisdictionClaim.objects.filter(enterprise=locked).exclude(agency=agency).delete()
        after: dict[str, Any] = {"supervising_agency_id": agency.pk, "reason": reason}
        if claim is not None:
            after["claim_id"] = claim.pk
        audit.record(actor=actor, action=action, obj=locked, before=before, after=after)
        return locked


def assign_supervising_agency(
    *, actor: Any, enterprise: Enterprise, agency: Agency, reason: str
) -> Enterprise:
    """The fix action of the jurisdiction report: one supervising agency, other claims withdrawn."""
    _check_supervisor(agency, enterprise.region)
    reason = _clean_reason(reason, what_zh="调整管辖", what_en="for the change")
    return _assign(
        actor=actor,
        enterprise=enterprise,
        agency=agency,
        reason=reason,
        action="registry.assign_supervising_agency",
    )


def claim_jurisdiction(
    *, actor: Any, agency: Agency, enterprise: Enterprise, note: str = ""
) -> JurisdictionClaim:
    """File an agency's claim to supervise an enterprise. Filing it again changes nothing."""
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError(
            "claim_note_too_long",
            "申报说明超过200个字符。",
            "The claim's note is longer than 200 characters.",
        )
    if not agency.is_active:
        raise DomainError(
            "agency_inactive",
            f"{agency.name}已停用，不能申报管辖。",
            f"{agency.name} is no longer active and cannot claim jurisdiction.",
        )
    with transaction.atomic():
        claim, created = JurisdictionClaim.objects.get_or_create(
            agency=agency, enterprise=enterprise, defaults={"note": note}
        )
        if created:
            audit.record(
                actor=actor,
                action="registry.claim_jurisdiction",
                obj=claim,
                after={"agency_id": agency.pk, "enterprise_id": enterprise.pk, "note": note},
            )
        return claim


def _claim_gone() -> DomainError:
    return DomainError(
        "claim_gone",
        "该管辖申报已撤回或已处理。",
        "That claim has already been withdrawn or decided.",
        status=409,
    )


def _remove_claim(*, actor: Any, claim: JurisdictionClaim, reason: str, action: str) -> None:
    with transaction.atomic():
        locked = JurisdictionClaim.objects.select_for_update().filter(pk=claim.pk).first()
        if locked is None:
            raise _claim_gone()
        before = audit.snapshot(locked)
        locked.delete()
        audit.record(
            actor=actor,
            action=action,
            object_type="registry.jurisdictionclaim",
            object_id=claim.pk,
            before=before,
            after={"reason": reason},
        )


def withdraw_claim(*, actor: Any, claim: JurisdictionClaim, reason: str) -> None:
    """The claiming agency withdraws its claim (the claim is removed; the audit entry keeps it)."""
    reason = _clean_reason(reason, what_zh="撤回申报", what_en="for withdrawing the claim")
    _remove_claim(actor=actor, claim=claim, reason=reason, action="registry.withdraw_claim")


def decide_claim(*, actor: Any, claim: JurisdictionClaim, uphold: bool, reason: str) -> Enterprise:
    """Decide a claim. Upheld: the claimant becomes the supervising agency (its region must contain
    the enterprise, 行政处罚法第二十二条) and every other claim is withdrawn. Rejected: the claim is
    withdrawn and the supervising agency stays."""
    reason = _clean_reason(reason, what_zh="处理申报", what_en="for the decision")
    enterprise = claim.enterprise
    if uphold:
        _check_supervisor(claim.agency, enterprise.region)
        return _assign(
            actor=actor,
            enterprise=enterprise,
            agency=claim.agency,
            reason=reason,
            action="registry.uphold_claim",
            claim=claim,
        )
    _remove_claim(actor=actor, claim=claim, reason=reason, action="registry.reject_claim")
    return enterprise


# ---------------------------------------------------------------------------------------------
# Temporary jurisdiction (cross-region operations)


def grant_scope(
    *,
    actor: Any,
    region: Region,
    valid_from: dt.date,
    valid_to: dt.date,
    operation_reference: str,
    reason: str,
    granting_agency: Agency,
    officer: Officer | None = None,
    agency: Agency | None = None,
) -> ScopeGrant:
    """Let an officer (or an agency's officers) act in ``region`` from valid_from to valid_to.

    The granting agency must hold the region in its own jurisdiction; the grant expires by date.
    """
    if (officer is None) == (agency is None):
        raise DomainError(
            "grant_holder",
            "授权对象须为一名执法人员或一个执法机构。",
            "Grant one officer or one agency.",
        )
    if valid_to < valid_from:
        raise DomainError(
            "grant_dates", "授权失效日期不能早于生效日期。", "valid_to is before valid_from."
        )
    if not granting_agency.region.contains(region):
        raise DomainError(
            "grant_outside",
            f"{granting_agency.name}的辖区不包含{region.name}，不能授权在该区域执法。",
            "The granting agency's jurisdiction does not contain the region.",
            status=403,
        )
    if not operation_reference.strip() or not reason.strip():
        raise DomainError(
            "grant_incomplete", "须填写行动编号和事由。", "Operation reference and reason needed."
        )
    with transaction.atomic():
        grant = ScopeGrant.objects.create(
            officer=officer,
            agency=agency,
            region=region,
            valid_from=valid_from,
            valid_to=valid_to,
            operation_reference=operation_reference,
            reason=reason,
            granting_agency=granting_agency,
            granted_by=actor if getattr(actor, "pk", None) else None,
        )
        account_services.invalidate_access(users=_grant_holders(grant))
        audit.record(
            actor=actor, action="registry.grant_scope", obj=grant, after=audit.snapshot(grant)
        )
        return grant


def _grant_holders(grant: ScopeGrant) -> QuerySet[User]:
    """The users whose scope a grant widens: its officer's, or every officer's of its agency."""
    if grant.officer_id is not None:
        return User.objects.filter(officer__pk=grant.officer_id)
    return User.objects.filter(officer__agency=grant.agency)


def revoke_scope_grant(*, actor: Any, grant: ScopeGrant, reason: str) -> ScopeGrant:
    with transaction.atomic():
        locked = ScopeGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        account_services.invalidate_access(users=_grant_holders(locked))
        audit.record(
            actor=actor,
            action="registry.revoke_scope_grant",
            obj=locked,
            after={"revoked_at": locked.revoked_at, "reason": reason},
        )
        return locked

"""What each action reads from its form (``parse``) and what it writes (``apply``).

``parse`` turns the submitted values into checked Python values on ``ctx.data`` (bad input: a
``DomainError`` with status 422 and a Chinese message) and records the dates the ``dates`` guard
checks. ``apply`` runs after the guards, inside ``perform``'s transaction, with the case row
locked; it returns nothing and writes the event's payload into ``ctx.event``.

Identifiers in a payload are resolved through the user's scope (``visible_to``), so a record
outside the jurisdiction does not exist here either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Max
from django.utils import timezone

from anjian.audit import services as audit
from anjian.cases import discretion, procedure
from anjian.cases.guards import (
    Ctx,
    DateCheck,
    ViolationView,
    bad_input,
    effective_payment_due,
    elements_for,
)
from anjian.cases.identity import parse_id_number
from anjian.cases.models import (
    Case,
    CaseCounter,
    CaseEvidence,
    CaseOfficer,
    CaseParty,
    CaseSource,
    CaseStatus,
    CaseViolation,
    CorrectionOrder,
    DecisionOutcome,
    DeliveryMethod,
    ElementProof,
    Gender,
    OrderOutcome,
    PartyKind,
    PartyRole,
    Payment,
    PaymentKind,
    Penalty,
    PenaltyKind,
    Procedure,
    ReviewFlag,
)
from anjian.core.errors import DomainError
from anjian.core.i18n import chinese
from anjian.evidence import services as evidence_services
from anjian.evidence.models import Evidence, Preservation
from anjian.inspections.models import CaseProposal
from anjian.law.core.accidents import AccidentGrade
from anjian.law.core.catalog import default_catalog
from anjian.law.core.timelimits import late_surcharge
from anjian.law.core.workcalendar import UnknownCalendarYear
from anjian.law.models import DecisionRecord
from anjian.registry.models import Agency, Enterprise, Officer, Region
from anjian.registry.services import region_codes

CENT = Decimal("0.01")
STAGES = ("first_order", "overdue_not_corrected", "refused", "accident")


# ------------------------------------------------------------------------------ value parsing


def text(
    payload: dict[str, Any], key: str, label: str, *, required: bool = False, limit: int = 2000
) -> str:
    value = payload.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise bad_input("required", f"请填写{label}。", f"{key} is required.", field=key)
    if len(value) > limit:
        raise bad_input("too_long", f"{label}不得超过{limit}字。", f"{key} is too long.", field=key)
    return value


def parse_date(value: Any, key: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise bad_input(
            "invalid_date",
            f"{label}“{value}”不是有效日期（YYYY-MM-DD）。",
            f"{key} is not a date.",
            field=key,
        ) from None


def date_field(
    payload: dict[str, Any], key: str, label: str, *, default: dt.date | None = None
) -> dt.date:
    value = payload.get(key)
    if value in (None, ""):
        if default is None:
            raise bad_input("required", f"请填写{label}。", f"{key} is required.", field=key)
        return default
    return parse_date(value, key, label)


def optional_date(payload: dict[str, Any], key: str, label: str) -> dt.date | None:
    value = payload.get(key)
    if value in (None, ""):
        return None
    return parse_date(value, key, label)


def parse_amount(
    value: Any, key: str, label: str, *, range_zh: str = "", **details: Any
) -> Decimal:
    """A non-negative amount of yuan with at most two decimals."""
    suffix = f"（法定幅度：{range_zh}）" if range_zh else ""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise bad_input(
            "invalid_amount",
            f"{label}“{value}”不是有效金额{suffix}。",
            f"{key} is not an amount.",
            field=key,
            **details,
        ) from None
    if not amount.is_finite():
        raise bad_input(
            "invalid_amount",
            f"{label}不是有效金额{suffix}。",
            f"{key} is not an amount.",
            field=key,
            **details,
        )
    if amount < 0:
        raise bad_input(
            "negative_amount",
            f"{label}不能为负数{suffix}。",
            f"{key} must not be negative.",
            field=key,
            **details,
        )
    if amount != amount.quantize(CENT):
        raise bad_input(
            "amount_precision",
            f"{label}“{value}”最多保留两位小数（元、角、分）{suffix}。",
            f"{key} has more than two decimals.",
            field=key,
            **details,
        )
    if amount >= Decimal("1e12"):
        raise bad_input(
            "amount_too_large",
            f"{label}数额过大{suffix}。",
            f"{key} is too large.",
            field=key,
            **details,
        )
    return amount.quantize(CENT)


def ids(payload: dict[str, Any], key: str) -> list[int]:
    raw = payload.get(key) or []
    if isinstance(raw, str | int):
        raw = [raw]
    try:
        return [int(x) for x in raw if str(x).strip()]
    except (TypeError, ValueError):
        raise bad_input(
            "invalid_id", f"{key} 含有无效编号。", f"{key} has an invalid id.", field=key
        ) from None


def rows(payload: dict[str, Any], key: str, label: str) -> list[dict[str, Any]]:
    """The list of rows under ``key`` (parties, violations, penalties, proofs, amendments,
    instalments, …): nothing given is no rows; anything but a list of objects is refused with a
    422 naming the row, so no parser meets a string or a number where it reads a row's fields."""
    value = payload.get(key)
    if value is None or value == "" or value == []:
        return []
    if not isinstance(value, list | tuple):
        raise bad_input(
            "invalid_rows",
            f"{label}应为列表，每一项为一个含各字段的对象。",
            f"{key} must be a list of objects.",
            field=key,
        )
    for index, row in enumerate(value):
        if not isinstance(row, dict):
            raise bad_input(
                "invalid_row",
                f"{label}第{index + 1}项应为一个含各字段的对象，"
                f"不能是{_kind_zh(row)}“{str(row)[:40]}”。",
                f"{key}[{index}] must be an object with its fields, not {type(row).__name__}.",
                field=f"{key}[{index}]",
            )
    return list(value)


def _kind_zh(value: Any) -> str:
    if isinstance(value, str):
        return "文字"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, int | float | Decimal):
        return "数字"
    if isinstance(value, list | tuple):
        return "列表"
    return "其他值"


def pk_of(value: Any) -> int:
    """An identifier from a form or JSON; -1 (matches nothing) when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def one_id(payload: dict[str, Any], key: str, label: str) -> int:
    try:
        return int(payload.get(key))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise bad_input("required", f"请选择{label}。", f"{key} is required.", field=key) from None


def visible_officers(ctx: Ctx, officer_ids: list[int]) -> list[Officer]:
    found = {
        o.pk: o
        for o in Officer.objects.visible_to(ctx.actor)
        .filter(pk__in=officer_ids)
        .select_related("agency", "user")
        .prefetch_related("certificates")
    }
    missing = [i for i in officer_ids if i not in found]
    if missing:
        raise bad_input(
            "unknown_officer",
            "执法人员不存在或不在您的管辖范围内。",
            "Unknown officer.",
            field="officer_ids",
        )
    return [found[i] for i in officer_ids]


def case_violation(ctx: Ctx, key: str = "violation_id") -> CaseViolation:
    pk = one_id(ctx.payload, key, "违法行为")
    violation = ctx.case.violations.select_related("party").filter(pk=pk).first()
    if violation is None:
        raise bad_input(
            "unknown_violation",
            "本案没有该违法行为。",
            "No such violation in this case.",
            field=key,
        )
    return violation


def check_code(code: str, act_date: dt.date, key: str) -> tuple[str, str]:
    """A catalog code whose version (or a predecessor's) was in force on the day of the act."""
    catalog = default_catalog()
    try:
        violation_type = catalog.violation(code)
    except KeyError:
        raise bad_input(
            "unknown_violation_code",
            f"法规库中没有违法行为代码“{code}”。",
            f"Unknown violation code {code!r}.",
            field=key,
        ) from None
    if catalog.version_for_act(code, act_date) is None:
        raise bad_input(
            "violation_not_in_force",
            f"违法行为“{violation_type.title_zh}”的规定在违法行为发生时（{act_date:%Y年%m月%d日}）尚未施行"
            "（《中华人民共和国行政处罚法》第三十七条：适用违法行为发生时的规定）。",
            "The provision was not in force on the day of the act (APL Art 37).",
            field=key,
        )
    return violation_type.code, violation_type.title_zh


def violation_spec(ctx: Ctx, raw: dict[str, Any], key: str) -> dict[str, Any]:
    act_date = date_field(raw, "act_date", "违法行为发生日期")
    act_ended_on = optional_date(raw, "act_ended_on", "违法行为终了日期")
    if act_ended_on and act_ended_on < act_date:
        raise bad_input(
            "date_order",
            "违法行为终了日期不能早于发生日期。",
            "act_ended_on < act_date.",
            field=key,
        )
    code, title = check_code(
        text(raw, "violation_code", "违法行为代码", required=True, limit=40), act_date, key
    )
    stage = str(raw.get("stage") or "first_order")
    if stage not in STAGES:
        raise bad_input(
            "invalid_stage",
            f"未知的处罚阶段“{stage}”。",
            "Unknown stage.",
            field=key,
            allowed=list(STAGES),
        )
    circumstances = raw.get("circumstances") or []
    if isinstance(circumstances, str):
        circumstances = [c for c in circumstances.replace("，", ",").split(",") if c.strip()]
    if not isinstance(circumstances, list | tuple):
        raise bad_input(
            "invalid_circumstances",
            "裁量情节应为情节代码的列表或以逗号分隔的文字。",
            "circumstances must be a list of codes.",
            field=f"{key}.circumstances",
        )
    gains = raw.get("illegal_gains")
    income = raw.get("last_year_income")
    today = timezone.localdate()
    for value, label in ((act_date, "违法行为发生日期"), (act_ended_on, "违法行为终了日期")):
        if value is not None and value > today:
            raise bad_input(
                "date_in_future", f"{label}不能晚于今天。", "Date in the future.", field=key
            )
    return {
        "violation_code": code,
        "title": title,
        "act_date": act_date,
        "act_ended_on": act_ended_on,
        "endangers_life_or_health": bool(raw.get("endangers_life_or_health")),
        "facts": text(raw, "facts", "违法事实", limit=5000),
        "stage": stage,
        "circumstances": [str(c).strip() for c in circumstances],
        "illegal_gains": parse_amount(gains, "illegal_gains", "违法所得")
        if gains not in (None, "")
        else None,
        "last_year_income": parse_amount(income, "last_year_income", "上一年年收入")
        if income not in (None, "")
        else None,
    }


def view_of(spec: dict[str, Any], role: str) -> ViolationView:
    return ViolationView(
        code=spec["violation_code"],
        title=spec["title"],
        act_date=spec["act_date"],
        act_ended_on=spec["act_ended_on"],
        endangers_life_or_health=spec["endangers_life_or_health"],
        party_role=role,
    )


def party_spec(ctx: Ctx, raw: dict[str, Any]) -> dict[str, Any]:
    kind = str(raw.get("kind") or PartyKind.UNIT)
    if kind not in PartyKind.values:
        raise bad_input(
            "invalid_party", f"未知的当事人类别“{kind}”。", "Unknown party kind.", field="parties"
        )
    role = str(
        raw.get("role") or (PartyRole.UNIT if kind == PartyKind.UNIT else PartyRole.INDIVIDUAL)
    )
    if role not in PartyRole.values:
        raise bad_input(
            "invalid_party", f"未知的当事人身份“{role}”。", "Unknown party role.", field="parties"
        )
    if (kind == PartyKind.UNIT) != (role == PartyRole.UNIT):
        raise bad_input(
            "invalid_party",
            "单位当事人的身份应为“生产经营单位”，个人当事人不能是单位。",
            "Kind and role disagree.",
            field="parties",
        )
    enterprise = None
    name = text(raw, "name", "当事人名称", limit=200)
    if kind == PartyKind.UNIT:
        enterprise = (
            Enterprise.objects.visible_to(ctx.actor)
            .filter(pk=pk_of(raw.get("enterprise_id")))
            .select_related("region")
            .first()
        )
        if enterprise is None:
            raise bad_input(
                "unknown_enterprise",
                "请选择管辖范围内的生产经营单位。",
                "Unknown enterprise.",
                field="parties",
            )
        name = enterprise.name
    elif not name:
        raise bad_input(
            "required", "请填写当事人姓名。", "A person's name is required.", field="parties"
        )
    return {
        "kind": kind,
        "role": role,
        "enterprise": enterprise,
        "name": name,
        **_particulars(raw, is_person=kind == PartyKind.PERSON),
        "address": text(raw, "address", "地址", limit=300)
        or (enterprise.address if enterprise else ""),
    }


GENDER_INPUT = {
    "male": Gender.MALE,
    "男": Gender.MALE,
    "female": Gender.FEMALE,
    "女": Gender.FEMALE,
}
PHONE = re.compile(r"^[0-9+\-() ]{3,30}(转[0-9]{1,6})?$")


def _particulars(raw: dict[str, Any], *, is_person: bool) -> dict[str, str]:
    """证件号码, 性别, 工作单位, 职务, 联系电话. A citizen identity number is checked (check digit,
    date of birth) and gives the sex when none is entered; a sex that contradicts it is refused."""
    id_number = text(raw, "id_number", "证件号码", limit=40)
    gender_raw = text(raw, "gender", "性别", limit=8)
    employer = text(raw, "employer", "工作单位", limit=200)
    job_title = text(raw, "job_title", "职务", limit=50)
    phone = text(raw, "phone", "联系电话", limit=40)
    if phone and not PHONE.match(phone):
        raise bad_input(
            "invalid_phone",
            f"联系电话“{phone}”格式不正确（只能包含数字、空格、+、-、括号，分机号写作“转123”）。",
            f"Phone number {phone!r} is malformed.",
            field="phone",
        )
    if not is_person:
        if gender_raw or employer or job_title:
            raise bad_input(
                "invalid_party",
                "单位当事人不填写性别、工作单位和职务（单位信息取自生产经营单位登记）。",
                "A unit party has no sex, employer or job title.",
                field="parties",
            )
        return {
            "id_number": id_number,
            "gender": "",
            "employer": "",
            "job_title": "",
            "phone": phone,
        }
    gender = ""
    if gender_raw:
        if gender_raw not in GENDER_INPUT:
            raise bad_input(
                "invalid_gender",
                f"性别“{gender_raw}”无效，应为男或女。",
                "Sex must be male or female.",
                field="gender",
            )
        gender = GENDER_INPUT[gender_raw]
    identity = parse_id_number(id_number)
    if identity.gender and gender and identity.gender != gender:
        raise bad_input(
            "gender_contradicts_id_number",
            f"性别“{chinese(Gender(gender).label)}”与身份证号“{identity.number}”不符（第十七位为"
            f"{'奇数，应为男' if identity.gender == Gender.MALE else '偶数，应为女'}），请核对。",
            "The sex entered contradicts the identity number.",
            field="gender",
        )
    return {
        "id_number": identity.number,
        "gender": gender or identity.gender,
        "employer": employer,
        "job_title": job_title,
        "phone": phone,
    }


# ------------------------------------------------------------------------------ creation


def next_reference(agency: Agency, year: int) -> str:
    """Gapless per agency and year: the counter row is locked until the case's transaction ends."""
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{agency.short_name}案〔{year}〕{counter.last}号"


def _proposal_defaults(ctx: Ctx, payload: dict[str, Any]) -> dict[str, Any]:
    proposal_id = payload.get("source_proposal_id")
    if not proposal_id:
        return payload
    proposal = (
        CaseProposal.objects.visible_to(ctx.actor)
        .select_related("inspection", "enterprise")
        .prefetch_related("findings")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise bad_input(
            "unknown_proposal",
            "立案建议不存在或不在您的管辖范围内。",
            "Unknown proposal.",
            field="source_proposal_id",
        )
    if proposal.status != "proposed":
        raise DomainError(
            "proposal_taken",
            f"该立案建议已处理（{chinese(proposal.get_status_display())}{('：' + proposal.case_reference) if proposal.case_reference else ''}）。",
            "The proposal was already handled.",
            status=409,
        )
    found_on = timezone.localtime(proposal.inspection.started_at).date()
    findings = list(proposal.findings.all())
    merged = dict(payload)
    merged["_proposal"] = proposal
    merged.setdefault("source_kind", CaseSource.INSPECTION_FINDING)
    merged.setdefault("source_reference", proposal.inspection.number)
    merged.setdefault("source_note", proposal.reason)
    merged.setdefault("discovered_on", found_on)
    merged.setdefault(
        "parties", [{"kind": "unit", "role": "unit", "enterprise_id": proposal.enterprise_id}]
    )
    if not merged.get("violations"):
        merged["violations"] = [
            {
                "party": 0,
                "violation_code": code,
                "act_date": found_on,
                "stage": "overdue_not_corrected"
                if proposal.source == "not_rectified"
                else "first_order",
                "facts": "；".join(f.description for f in findings if f.violation_code == code),
            }
            for code in proposal.violation_codes
        ]
    return merged


def parse_create(ctx: Ctx) -> None:
    payload = _proposal_defaults(ctx, ctx.payload)
    ctx.data["proposal"] = payload.get("_proposal")
    agency = ctx.data.get("agency")
    if agency is None:
        raise bad_input("unknown_agency", "请选择办案机构。", "No agency.", field="agency_id")
    ctx.on = date_field(payload, "on", "立案申请日期", default=timezone.localdate())
    ctx.data["discovered_on"] = date_field(payload, "discovered_on", "发现日期", default=ctx.on)
    source_kind = str(payload.get("source_kind") or CaseSource.OTHER)
    if source_kind not in CaseSource.values:
        raise bad_input(
            "invalid_source",
            f"未知的案件来源“{source_kind}”。",
            "Unknown source.",
            field="source_kind",
        )
    ctx.data["source_kind"] = source_kind
    is_accident = bool(payload.get("is_accident_case")) or source_kind == CaseSource.ACCIDENT
    grade = str(payload.get("accident_grade") or "")
    if grade and grade not in {g.value for g in AccidentGrade}:
        raise bad_input(
            "invalid_grade",
            f"未知的事故等级“{grade}”。",
            "Unknown accident grade.",
            field="accident_grade",
        )
    ctx.data.update(
        is_accident_case=is_accident,
        accident_grade=grade,
        source_reference=text(payload, "source_reference", "来源编号", limit=100),
        source_note=text(payload, "source_note", "来源说明", limit=5000),
    )
    raw_parties = rows(payload, "parties", "当事人")
    if not raw_parties:
        raise bad_input(
            "required", "请至少填写一个当事人。", "At least one party.", field="parties"
        )
    parties = [party_spec(ctx, raw) for raw in raw_parties]
    raw_violations = rows(payload, "violations", "违法行为")
    if not raw_violations:
        raise bad_input(
            "required",
            "请至少认定一个违法行为（法规库代码）。",
            "At least one violation.",
            field="violations",
        )
    specs = []
    for index, raw in enumerate(raw_violations):
        spec = violation_spec(ctx, raw, f"violations[{index}]")
        try:
            party_index = int(raw.get("party") or 0)
            parties[party_index]
        except (TypeError, ValueError, IndexError):
            raise bad_input(
                "invalid_party",
                "违法行为所属当事人无效。",
                "Invalid party index.",
                field=f"violations[{index}]",
            ) from None
        spec["party_index"] = party_index
        specs.append(spec)
    ctx.data["parties"] = parties
    ctx.data["violation_specs"] = specs
    ctx.data["violations"] = [view_of(s, parties[s["party_index"]]["role"]) for s in specs]
    officers = visible_officers(ctx, ids(payload, "officer_ids"))
    ctx.data["officers"] = officers
    region_code = payload.get("place_region_code")
    if region_code:
        place = Region.objects.filter(code=str(region_code)).first()
        if place is None:
            raise bad_input(
                "unknown_region",
                f"未知的区划代码“{region_code}”。",
                "Unknown region.",
                field="place_region_code",
            )
    else:
        unit = next((p for p in parties if p["enterprise"] is not None), None)
        place = unit["enterprise"].region if unit else agency.region
    ctx.data["place_region"] = place
    ctx.data["title"] = (
        text(payload, "title", "案由", limit=300)
        or (f"{parties[0]['name']}{specs[0]['title']}案")[:300]
    )
    ctx.dates.append(DateCheck("on", "立案申请日期", ctx.on, after_filing=False))
    ctx.dates.append(
        DateCheck("discovered_on", "发现日期", ctx.data["discovered_on"], after_filing=False)
    )
    if ctx.data["discovered_on"] > ctx.on:
        raise bad_input(
            "date_order",
            "发现日期不能晚于立案申请日期。",
            "discovered_on > on.",
            field="discovered_on",
        )
    for spec in specs:
        if spec["act_date"] > ctx.data["discovered_on"]:
            raise bad_input(
                "date_order",
                "违法行为发生日期不能晚于发现日期。",
                "act_date > discovered_on.",
                field="violations",
            )


def _create_case(ctx: Ctx, *, status: str, procedure_kind: str) -> Case:
    agency: Agency = ctx.data["agency"]
    parties = ctx.data["parties"]
    unit = next((p for p in parties if p["enterprise"] is not None), None)
    case = ctx.case
    case.reference = next_reference(agency, ctx.on.year)
    case.agency = agency
    case.region = agency.region
    for key, value in region_codes(agency.region).items():
        setattr(case, key, value)
    case.title = ctx.data["title"]
    case.procedure = procedure_kind
    case.status = status
    case.source_kind = ctx.data["source_kind"]
    case.source_reference = ctx.data["source_reference"]
    case.source_note = ctx.data["source_note"]
    case.source_proposal = ctx.data.get("proposal")
    case.is_accident_case = ctx.data["is_accident_case"]
    case.accident_grade = ctx.data["accident_grade"]
    case.enterprise = unit["enterprise"] if unit else None
    case.party_name = "、".join(p["name"] for p in parties)[:200]
    case.place_region = ctx.data["place_region"]
    case.discovered_on = ctx.data["discovered_on"]
    case.proposed_on = ctx.on
    case.created_by = ctx.actor
    case.save()
    party_rows = [
        CaseParty.objects.create(
            case=case,
            kind=p["kind"],
            role=p["role"],
            enterprise=p["enterprise"],
            name=p["name"],
            id_number=p["id_number"],
            gender=p["gender"],
            employer=p["employer"],
            job_title=p["job_title"],
            phone=p["phone"],
            address=p["address"],
            position=i,
        )
        for i, p in enumerate(parties)
    ]
    violations = []
    for i, spec in enumerate(ctx.data["violation_specs"]):
        fields = {k: v for k, v in spec.items() if k != "party_index"}
        violations.append(
            CaseViolation.objects.create(
                case=case, party=party_rows[spec["party_index"]], position=i, **fields
            )
        )
    ctx.data["violation_rows"] = violations
    ctx.data["party_rows"] = party_rows
    for i, officer in enumerate(ctx.data["officers"]):
        CaseOfficer.objects.create(case=case, officer=officer, is_lead=i == 0)
    proposal: CaseProposal | None = ctx.data.get("proposal")
    if proposal is not None:
        take_over_proposal(ctx, proposal, case)
    ctx.event.update(
        reference=case.reference,
        agency=agency.pk,
        parties=[{"name": p["name"], "role": p["role"]} for p in parties],
        violations=[{"code": v.violation_code, "act_date": v.act_date} for v in violations],
        officers=[o.pk for o in ctx.data["officers"]],
        source=case.source_kind,
        source_proposal=proposal.pk if proposal else None,
        is_accident_case=case.is_accident_case,
    )
    return case


def take_over_proposal(ctx: Ctx, proposal: CaseProposal, case: Case) -> None:
    """The inspection's case proposal is taken over by this case (a conditional update: two cases
    cannot take over one proposal)."""
    claimed = CaseProposal.objects.filter(pk=proposal.pk, status="proposed").update(
        status="taken_over", case_reference=case.reference
    )
    if not claimed:
        raise DomainError(
            "proposal_taken", "该立案建议已被其他案件接办。", "Proposal already taken.", status=409
        )
    audit.record(
        actor=ctx.actor,
        action="inspections.case_proposal_taken_over",
        obj=proposal,
        after={"case": case.pk, "case_reference": case.reference},
    )


def apply_propose(ctx: Ctx) -> None:
    _create_case(ctx, status=CaseStatus.PROPOSED, procedure_kind=Procedure.GENERAL)


# ------------------------------------------------------------------ simplified procedure (Art 51)


def parse_on_the_spot(ctx: Ctx) -> None:
    parse_create(ctx)
    ctx.data["source_kind"] = ctx.data["source_kind"] or CaseSource.INSPECTION_FINDING
    parties = ctx.data["parties"]
    specs = ctx.data["violation_specs"]
    raw_penalties = rows(ctx.payload, "penalties", "处罚")
    if not raw_penalties:
        raise bad_input(
            "required",
            "请填写当场处罚的内容（警告或者罚款）。",
            "No penalty given.",
            field="penalties",
        )
    penalties = []
    assessments = []
    for index, raw in enumerate(raw_penalties):
        try:
            v_index = int(raw.get("violation") or 0)
            spec = specs[v_index]
        except (TypeError, ValueError, IndexError):
            raise bad_input(
                "invalid_violation",
                "处罚所对应的违法行为无效。",
                "Invalid violation.",
                field=f"penalties[{index}]",
            ) from None
        party = parties[spec["party_index"]]
        try:
            assessment = discretion.assess(
                violation_id=v_index,
                code=spec["violation_code"],
                party_role=party["role"],
                stage=spec["stage"],
                act_date=spec["act_date"],
                act_end_date=spec["act_ended_on"],
                circumstances=spec["circumstances"],
                accident_grade=ctx.data["accident_grade"] or None,
                illegal_gains=spec["illegal_gains"],
                last_year_income=spec["last_year_income"],
                province_code=ctx.data["agency"].province_code,
                decision_date=ctx.on,
            )
        except DomainError as error:
            # Reported by the amounts guard, after the on-the-spot limits (Art 51) are checked.
            penalties.append(_spot_item(raw, index, party, error))
            continue
        assessments.append(assessment)
        penalties.append(_penalty_item(raw, index, assessment, spec["title"], party))
    ctx.data["penalties"] = penalties
    ctx.data["assessments"] = assessments
    proofs: dict[int, set[int]] = {}
    proof_rows = []
    for index, raw in enumerate(rows(ctx.payload, "proofs", "证据关联")):
        try:
            v_index = int(raw.get("violation") or 0)
            spec = specs[v_index]
            element_index = int(raw.get("element_index") or 0)
        except (TypeError, ValueError, IndexError):
            raise bad_input(
                "invalid_proof", "证据关联无效。", "Invalid proof.", field=f"proofs[{index}]"
            ) from None
        evidence = (
            Evidence.objects.visible_to(ctx.actor).filter(pk=pk_of(raw.get("evidence_id"))).first()
        )
        elements = elements_for(spec["violation_code"])
        if evidence is None or not 0 <= element_index < len(elements):
            raise bad_input(
                "invalid_proof",
                "证据不存在或要件序号无效。",
                "Invalid evidence or element.",
                field=f"proofs[{index}]",
            )
        if evidence.is_usable:
            proofs.setdefault(v_index, set()).add(element_index)
        proof_rows.append((v_index, element_index, elements[element_index], evidence))
    ctx.data["proofs_by_violation"] = proofs
    ctx.data["proof_rows"] = proof_rows
    ctx.data["recipient"] = text(
        ctx.payload, "delivery_recipient", "签收人", required=True, limit=100
    )


def _spot_item(
    raw: dict[str, Any], index: int, party: dict[str, Any], error: DomainError
) -> dict[str, Any]:
    """A penalty item whose engine assessment failed: kept for the Art 51 check, then refused."""
    kind = str(raw.get("kind") or "")
    amount = raw.get("amount")
    return {
        "kind": kind,
        "amount": parse_amount(amount, f"penalties[{index}].amount", "罚款金额")
        if amount not in (None, "")
        else None,
        "assessment": None,
        "assessment_error": error,
        "party_is_organisation": party["kind"] == PartyKind.UNIT,
        "party_role": party["role"],
        "violation_index": raw.get("violation"),
    }


def apply_on_the_spot(ctx: Ctx) -> None:
    case = _create_case(ctx, status=CaseStatus.EXECUTING, procedure_kind=Procedure.SIMPLIFIED)
    rows = ctx.data["violation_rows"]
    for v_index, element_index, element_text, evidence in ctx.data["proof_rows"]:
        CaseEvidence.objects.get_or_create(case=case, evidence=evidence)
        ElementProof.objects.get_or_create(
            violation=rows[v_index],
            element_index=element_index,
            evidence=evidence,
            defaults={"element_text": element_text[:300]},
        )
    case.proposal_version = 1
    case.notified_proposal = 1
    case.filed_on = ctx.on
    case.decided_on = ctx.on
    case.decision_outcome = DecisionOutcome.PENALTY
    case.delivered_on = ctx.on
    case.delivery_method = DeliveryMethod.ON_THE_SPOT
    case.delivery_recipient = ctx.data["recipient"]
    _write_penalties(ctx, case, rows_by_index=rows, decided=True)
    _decide_effects(ctx, case)
    _payment_due(ctx, case)
    ctx.event.update(procedure="simplified", recipient=case.delivery_recipient)


# ------------------------------------------------------------------------------ parties etc.


def parse_add_party(ctx: Ctx) -> None:
    ctx.data["party"] = party_spec(ctx, ctx.payload)


def apply_add_party(ctx: Ctx) -> None:
    p = ctx.data["party"]
    position = (ctx.case.parties.aggregate(m=Max("position"))["m"] or 0) + 1
    party = CaseParty.objects.create(case=ctx.case, position=position, **p)
    ctx.case.party_name = "、".join(ctx.case.parties.values_list("name", flat=True))[:200]
    ctx.event.update(party=party.pk, name=party.name, role=party.role)


def parse_remove_party(ctx: Ctx) -> None:
    """Only a party without violations: a party's violations are removed first
    (``remove_violation``), so nothing recorded against them goes with them unseen."""
    party = ctx.case.parties.filter(pk=pk_of(ctx.payload.get("party_id"))).first()
    if party is None:
        raise bad_input("unknown_party", "请选择本案当事人。", "Unknown party.", field="party_id")
    recorded = [v.title for v in party.violations.order_by("position", "id")]
    if recorded or party.penalties.exists():
        raise bad_input(
            "party_has_violations",
            f"已对“{party.name}”认定违法行为（{'、'.join(recorded)}），不能删除该当事人；"
            "确属误录的，请先删除这些违法行为。",
            "The party has violations recorded: remove them first.",
            field="party_id",
            violations=recorded,
        )
    ctx.data["party"] = party


def apply_remove_party(ctx: Ctx) -> None:
    case = ctx.case
    party: CaseParty = ctx.data["party"]
    removed = {
        "party": party.pk,
        "kind": party.kind,
        "role": party.role,
        "enterprise": party.enterprise_id,
        "name": party.name,
        "id_number": party.id_number,
        "address": party.address,
    }
    old_title = case.title
    party.delete()
    remaining = list(case.parties.order_by("position", "id"))
    case.party_name = "、".join(p.name for p in remaining)[:200]
    units = [p.enterprise for p in remaining if p.enterprise_id is not None]
    case.enterprise = units[0] if units else None
    # A title made from the removed party's name (立案时未填案由: 当事人 + 违法行为 + 案) is made
    # again from the first party left.
    first = case.violations.order_by("position", "id").first()
    if first is not None and old_title == f"{removed['name']}{first.title}案"[:300]:
        case.title = f"{remaining[0].name}{first.title}案"[:300]
    ctx.event.update(removed=removed, title={"before": old_title, "after": case.title})


#: What ``edit_party`` may correct. Kind, role and the unit's enterprise are not corrections:
#: they make another party (``add_party``; a wrong one is a matter for 撤销立案).
PARTY_EDITABLE = ("name", "id_number", "gender", "employer", "job_title", "phone", "address")


def parse_edit_party(ctx: Ctx) -> None:
    """Keys given replace the recorded value (``""`` clears an optional one); keys left out keep it.
    The whole party is checked again as on entry (identity number, sex, phone)."""
    party = ctx.case.parties.filter(pk=pk_of(ctx.payload.get("party_id"))).first()
    if party is None:
        raise bad_input("unknown_party", "请选择本案当事人。", "Unknown party.", field="party_id")
    given = {k: ctx.payload[k] for k in PARTY_EDITABLE if k in ctx.payload}
    if not given:
        raise bad_input(
            "nothing_to_change",
            "请填写要更正的当事人信息。",
            "Give at least one particular to correct.",
            field="party_id",
        )
    is_person = party.kind == PartyKind.PERSON
    merged: dict[str, Any] = {k: getattr(party, k) for k in PARTY_EDITABLE}
    merged.update(given)
    # A new identity number gives the sex again, unless it is a certificate that does not.
    if (
        "id_number" in given
        and "gender" not in given
        and parse_id_number(str(given["id_number"] or "")).gender
    ):
        merged["gender"] = ""
    if is_person:
        name = text(merged, "name", "当事人姓名", required=True, limit=200)
    else:
        name = text(merged, "name", "当事人名称", limit=200)
        if name != party.name:
            raise bad_input(
                "invalid_party",
                "单位当事人的名称取自生产经营单位登记，不能在案件中更改（请在企业登记中更正）。",
                "A unit party's name is the enterprise's registered name.",
                field="name",
            )
    after = {
        "name": name,
        **_particulars(merged, is_person=is_person),
        "address": text(merged, "address", "地址", limit=300),
    }
    changes = {
        k: (str(getattr(party, k)), str(after[k]))
        for k in PARTY_EDITABLE
        if str(getattr(party, k)) != str(after[k])
    }
    if not changes:
        raise bad_input(
            "nothing_to_change",
            "所填信息与登记的一致，没有需要更正的内容。",
            "Nothing differs from the record.",
            field="party_id",
        )
    ctx.data["party"] = party
    ctx.data["party_after"] = after
    ctx.data["party_changes"] = changes


def apply_edit_party(ctx: Ctx) -> None:
    party: CaseParty = ctx.data["party"]
    changes: dict[str, tuple[str, str]] = ctx.data["party_changes"]
    for key in changes:
        setattr(party, key, ctx.data["party_after"][key])
    party.save(update_fields=list(changes))
    if "name" in changes:
        ctx.case.party_name = "、".join(ctx.case.parties.values_list("name", flat=True))[:200]
    ctx.event.update(
        party=party.pk,
        name=party.name,
        changes={k: {"before": old, "after": new} for k, (old, new) in changes.items()},
    )


def parse_add_violation(ctx: Ctx) -> None:
    party = ctx.case.parties.filter(pk=pk_of(ctx.payload.get("party_id"))).first()
    if party is None:
        raise bad_input("unknown_party", "请选择本案当事人。", "Unknown party.", field="party_id")
    spec = violation_spec(ctx, ctx.payload, "violation")
    if ctx.case.violations.filter(party=party, violation_code=spec["violation_code"]).exists():
        raise bad_input(
            "duplicate_violation",
            "该当事人已认定此违法行为。",
            "Duplicate violation.",
            field="violation_code",
        )
    ctx.data["party"] = party
    ctx.data["spec"] = spec
    ctx.data["violations"] = [view_of(spec, party.role)]


def apply_add_violation(ctx: Ctx) -> None:
    position = (ctx.case.violations.aggregate(m=Max("position"))["m"] or 0) + 1
    violation = CaseViolation.objects.create(
        case=ctx.case, party=ctx.data["party"], position=position, **ctx.data["spec"]
    )
    ctx.event.update(violation=violation.pk, code=violation.violation_code)


EDITABLE = (
    "facts",
    "circumstances",
    "stage",
    "act_date",
    "act_ended_on",
    "endangers_life_or_health",
    "illegal_gains",
    "last_year_income",
)


def parse_edit_violation(ctx: Ctx) -> None:
    violation = case_violation(ctx)
    merged = {
        "violation_code": violation.violation_code,
        "act_date": violation.act_date,
        "act_ended_on": violation.act_ended_on,
        "endangers_life_or_health": violation.endangers_life_or_health,
        "facts": violation.facts,
        "stage": violation.stage,
        "circumstances": violation.circumstances,
        "illegal_gains": violation.illegal_gains,
        "last_year_income": violation.last_year_income,
    }
    merged.update({k: v for k, v in ctx.payload.items() if k in EDITABLE})
    spec = violation_spec(ctx, merged, "violation")
    ctx.data["violation"] = violation
    ctx.data["spec"] = spec
    ctx.data["violations"] = [view_of(spec, violation.party.role)]


def apply_edit_violation(ctx: Ctx) -> None:
    violation: CaseViolation = ctx.data["violation"]
    before = {k: getattr(violation, k) for k in EDITABLE}
    for key in EDITABLE:
        setattr(violation, key, ctx.data["spec"][key])
    violation.save()
    ctx.event.update(
        violation=violation.pk,
        before=audit.normalise(before),
        after=audit.normalise({k: getattr(violation, k) for k in EDITABLE}),
    )


def parse_remove_violation(ctx: Ctx) -> None:
    ctx.data["violation"] = case_violation(ctx)


def apply_remove_violation(ctx: Ctx) -> None:
    violation: CaseViolation = ctx.data["violation"]
    ctx.event.update(violation=violation.pk, code=violation.violation_code)
    violation.delete()


def parse_set_officers(ctx: Ctx) -> None:
    officers = visible_officers(ctx, ids(ctx.payload, "officer_ids"))
    ctx.data["officers"] = officers


def apply_set_officers(ctx: Ctx) -> None:
    CaseOfficer.objects.filter(case=ctx.case).delete()
    for i, officer in enumerate(ctx.data["officers"]):
        CaseOfficer.objects.create(case=ctx.case, officer=officer, is_lead=i == 0)
    ctx.event.update(officers=[o.pk for o in ctx.data["officers"]])


# ------------------------------------------------------------------------------ evidence


def _proofs(ctx: Ctx, payload: dict[str, Any]) -> list[tuple[CaseViolation, int, str]]:
    out = []
    violations = {v.pk: v for v in ctx.case.violations.all()}
    for index, raw in enumerate(rows(payload, "proofs", "证明的要件")):
        try:
            violation = violations[int(raw["violation_id"])]
            element_index = int(raw["element_index"])
        except (TypeError, ValueError, KeyError):
            raise bad_input(
                "invalid_proof",
                "证据证明的要件无效：请选择本案的违法行为及其要件。",
                "Invalid element.",
                field=f"proofs[{index}]",
            ) from None
        elements = elements_for(violation.violation_code)
        if not 0 <= element_index < len(elements):
            raise bad_input(
                "invalid_proof",
                f"要件序号{element_index}无效。",
                "Invalid element index.",
                field=f"proofs[{index}]",
            )
        out.append((violation, element_index, elements[element_index]))
    return out


def _collected_at(payload: dict[str, Any]) -> dt.datetime:
    value = payload.get("collected_at")
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except (TypeError, ValueError):
            raise bad_input(
                "invalid_datetime",
                "请填写有效的收集时间。",
                "collected_at is not a time.",
                field="collected_at",
            ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_add_evidence(ctx: Ctx) -> None:
    p = ctx.payload
    collected_at = _collected_at(p)
    ctx.data["evidence_fields"] = {
        "kind": text(p, "kind", "证据种类", required=True, limit=24),
        "title": text(p, "title", "证据名称", required=True, limit=200),
        "description": text(p, "description", "内容摘要", limit=5000),
        "collected_at": collected_at,
        "place": text(p, "place", "收集地点", required=True, limit=300),
        "source": text(p, "source", "来源", required=True, limit=200),
        "method": text(p, "method", "收集方式", required=True, limit=32),
        "method_note": text(p, "method_note", "收集方式说明", limit=300),
        "holder": text(p, "holder", "保管人", limit=200),
        "collectors": visible_officers(ctx, ids(p, "collector_ids")),
    }
    ctx.data["proofs"] = _proofs(ctx, p)
    ctx.on = timezone.localtime(collected_at).date()
    ctx.dates.append(DateCheck("collected_at", "收集时间", ctx.on, after_filing=False))


def _link(ctx: Ctx, evidence: Evidence) -> None:
    CaseEvidence.objects.get_or_create(case=ctx.case, evidence=evidence)
    for violation, element_index, element_text in ctx.data["proofs"]:
        ElementProof.objects.get_or_create(
            violation=violation,
            element_index=element_index,
            evidence=evidence,
            defaults={"element_text": element_text[:300]},
        )


def apply_add_evidence(ctx: Ctx) -> None:
    fields = ctx.data["evidence_fields"]
    evidence = evidence_services.register_evidence(
        actor=ctx.actor, agency=ctx.case.agency, enterprise=ctx.case.enterprise, **fields
    )
    _link(ctx, evidence)
    ctx.data["evidence"] = evidence
    ctx.event.update(
        evidence=evidence.pk,
        kind=evidence.kind,
        title=evidence.title,
        proves=[[v.pk, i] for v, i, _ in ctx.data["proofs"]],
    )


def parse_link_evidence(ctx: Ctx) -> None:
    evidence = (
        Evidence.objects.visible_to(ctx.actor)
        .filter(pk=pk_of(ctx.payload.get("evidence_id")))
        .first()
    )
    if evidence is None:
        raise bad_input(
            "unknown_evidence",
            "证据不存在或不在您的管辖范围内。",
            "Unknown evidence.",
            field="evidence_id",
        )
    if evidence.is_excluded:
        raise bad_input(
            "excluded_evidence",
            f"该证据已被排除（{evidence.exclusion_reason}），不得作为认定事实的根据（《中华人民共和国行政处罚法》第四十六条第三款）。",
            "Excluded evidence cannot prove a fact (APL Art 46).",
            field="evidence_id",
        )
    ctx.data["evidence"] = evidence
    ctx.data["proofs"] = _proofs(ctx, ctx.payload)


def apply_link_evidence(ctx: Ctx) -> None:
    _link(ctx, ctx.data["evidence"])
    ctx.event.update(
        evidence=ctx.data["evidence"].pk, proves=[[v.pk, i] for v, i, _ in ctx.data["proofs"]]
    )


def parse_unlink_evidence(ctx: Ctx) -> None:
    violation = case_violation(ctx)
    proof = ElementProof.objects.filter(
        violation=violation,
        element_index=pk_of(ctx.payload.get("element_index")),
        evidence_id=pk_of(ctx.payload.get("evidence_id")),
    ).first()
    if proof is None:
        raise bad_input(
            "unknown_proof", "没有该证据与要件的关联。", "No such link.", field="evidence_id"
        )
    ctx.data["proof"] = proof


def apply_unlink_evidence(ctx: Ctx) -> None:
    proof: ElementProof = ctx.data["proof"]
    ctx.event.update(
        violation=proof.violation_id, element_index=proof.element_index, evidence=proof.evidence_id
    )
    proof.delete()


def parse_preserve_evidence(ctx: Ctx) -> None:
    p = ctx.payload
    linked = set(ctx.case.evidence_links.values_list("evidence_id", flat=True))
    evidence_ids = ids(p, "evidence_ids")
    if not evidence_ids or not set(evidence_ids) <= linked:
        raise bad_input(
            "invalid_evidence",
            "请选择本案已登记的证据作为保存物品。",
            "Choose evidence of this case.",
            field="evidence_ids",
        )
    approver = visible_officers(ctx, [one_id(p, "approved_by_id", "批准人")])[0]
    ctx.data.update(
        evidence=list(Evidence.objects.filter(pk__in=evidence_ids)),
        items=text(p, "items", "物品清单", required=True, limit=5000),
        place=text(p, "place", "保存地点", required=True, limit=300),
        approved_by=approver,
        approved_on=date_field(p, "approved_on", "批准日期"),
        started_on=date_field(p, "started_on", "保存日期"),
    )
    ctx.on = ctx.data["started_on"]
    ctx.dates.append(DateCheck("approved_on", "批准日期", ctx.data["approved_on"]))
    ctx.dates.append(
        DateCheck(
            "started_on",
            "保存日期",
            ctx.data["started_on"],
            not_before=[(ctx.data["approved_on"], "批准日期")],
        )
    )


def apply_preserve_evidence(ctx: Ctx) -> None:
    d = ctx.data
    preservation = evidence_services.start_preservation(
        actor=ctx.actor,
        agency=ctx.case.agency,
        enterprise=ctx.case.enterprise,
        evidence=d["evidence"],
        items=d["items"],
        place=d["place"],
        approved_by=d["approved_by"],
        approved_on=d["approved_on"],
        started_on=d["started_on"],
    )
    ctx.event.update(
        preservation=preservation.pk, due_on=preservation.due_on, flags=preservation.due_flags
    )


def parse_decide_preservation(ctx: Ctx) -> None:
    p = ctx.payload
    linked = list(ctx.case.evidence_links.values_list("evidence_id", flat=True))
    preservation = (
        Preservation.objects.filter(pk=pk_of(p.get("preservation_id")), evidence__id__in=linked)
        .distinct()
        .first()
    )
    if preservation is None:
        raise bad_input(
            "unknown_preservation",
            "本案没有该先行登记保存。",
            "Unknown preservation.",
            field="preservation_id",
        )
    ctx.data.update(
        preservation=preservation,
        decision=text(p, "decision", "处理决定", required=True, limit=24),
        decided_on=date_field(p, "decided_on", "处理决定日期", default=timezone.localdate()),
        note=text(p, "note", "说明", limit=500),
        late_reason=text(p, "late_reason", "逾期理由", limit=500),
    )
    ctx.on = ctx.data["decided_on"]
    ctx.dates.append(
        DateCheck(
            "decided_on", "处理决定日期", ctx.on, not_before=[(preservation.started_on, "保存日期")]
        )
    )


def apply_decide_preservation(ctx: Ctx) -> None:
    d = ctx.data
    preservation = evidence_services.decide_preservation(
        actor=ctx.actor,
        preservation=d["preservation"],
        decision=d["decision"],
        decided_on=d["decided_on"],
        note=d["note"],
        late_reason=d["late_reason"],
    )
    if preservation.late_reason:
        ctx.flag(
            "late_preservation_decision",
            f"先行登记保存处理决定逾期（期限{preservation.due_on}）",
            preservation.late_reason,
        )
    ctx.event.update(preservation=preservation.pk, decision=preservation.decision)


def parse_extend(ctx: Ctx) -> None:
    until = date_field(ctx.payload, "until", "延长至")
    basis = text(ctx.payload, "basis", "延长的法律依据", required=True, limit=300)
    case = ctx.case
    current = (
        case.decision_extended_until
        or case.decision_due_on
        or (case.filed_on + dt.timedelta(days=90) if case.filed_on else None)
    )
    if current is not None and until <= current:
        raise bad_input(
            "extension_not_later",
            f"延长后的期限应晚于现期限（{current:%Y年%m月%d日}）。",
            "until is not later.",
            field="until",
        )
    ctx.data.update(until=until, basis=basis)


def apply_extend(ctx: Ctx) -> None:
    ctx.case.decision_extended_until = ctx.data["until"]
    ctx.case.extension_reason = f"{ctx.data['basis']}；{ctx.reason}"
    ctx.event.update(until=ctx.data["until"], basis=ctx.data["basis"])


# ------------------------------------------------------------------------------ filing and review


def parse_on(ctx: Ctx, label: str = "日期", key: str = "on", *, after_filing: bool = True) -> None:
    ctx.on = date_field(ctx.payload, key, label, default=timezone.localdate())
    ctx.dates.append(DateCheck(key, label, ctx.on, after_filing=after_filing))


def parse_approve_filing(ctx: Ctx) -> None:
    parse_on(ctx, "立案日期", after_filing=False)
    ctx.dates[-1].not_before.append((ctx.case.proposed_on, "立案申请日期"))


def apply_approve_filing(ctx: Ctx) -> None:
    case = ctx.case
    case.filed_on = ctx.on
    due = ctx.due("decision_after_filing", ctx.on)
    case.decision_due_on = due.due if isinstance(due.due, dt.date) else None
    ctx.event.update(filed_on=ctx.on, decision_due_on=case.decision_due_on, flags=list(due.flags))


def parse_submit(ctx: Ctx) -> None:
    parse_on(ctx, "调查终结日期")
    ctx.data["summary"] = text(ctx.payload, "summary", "调查终结报告", limit=10000)


def apply_record(ctx: Ctx) -> None:
    """Actions whose only effect is the event row (the state change, if any, is the table's)."""
    for key, value in ctx.data.items():
        if isinstance(value, str | int | bool | dt.date | Decimal | list | dict) or value is None:
            ctx.event[key] = audit.normalise(value)


def _penalty_item(
    raw: dict[str, Any], index: int, assessment: discretion.Assessment, title: str, party: Any
) -> dict[str, Any]:
    kind = str(raw.get("kind") or "")
    if kind not in PenaltyKind.values or kind == PenaltyKind.DAILY_FINE:
        raise bad_input(
            "invalid_kind",
            f"未知的处罚种类“{kind}”。",
            "Unknown penalty kind.",
            field=f"penalties[{index}].kind",
        )
    range_zh = assessment.range_zh()
    money = kind in {
        PenaltyKind.FINE,
        PenaltyKind.CONFISCATE_ILLEGAL_GAINS,
        PenaltyKind.CONFISCATE_ILLEGAL_PROPERTY,
    }
    amount = None
    if money:
        if raw.get("amount") in (None, ""):
            raise bad_input(
                "required",
                f"请填写“{title}”的{chinese(PenaltyKind(kind).label)}金额（法定幅度：{range_zh}）。",
                "The amount is required.",
                field=f"penalties[{index}].amount",
                legal_min=str(assessment.legal_min) if assessment.legal_min is not None else None,
                legal_max=str(assessment.legal_max) if assessment.legal_max is not None else None,
            )
        amount = parse_amount(
            raw.get("amount"),
            f"penalties[{index}].amount",
            f"“{title}”的{chinese(PenaltyKind(kind).label)}金额",
            range_zh=range_zh if kind == PenaltyKind.FINE else "",
            legal_min=str(assessment.legal_min) if assessment.legal_min is not None else None,
            legal_max=str(assessment.legal_max) if assessment.legal_max is not None else None,
        )
        if amount == 0:
            raise bad_input(
                "zero_amount",
                f"{chinese(PenaltyKind(kind).label)}金额须大于零（法定幅度：{range_zh}）。",
                "Amount must be positive.",
                field=f"penalties[{index}].amount",
            )
    is_org = (
        party["kind"] == PartyKind.UNIT if isinstance(party, dict) else party.kind == PartyKind.UNIT
    )
    return {
        "kind": kind,
        "kind_label": chinese(PenaltyKind(kind).label),
        "amount": amount,
        "detail": text(raw, "detail", "处罚内容", limit=300),
        "reason": text(raw, "reason", "裁量理由", limit=2000),
        "assessment": assessment,
        "violation_title": title,
        "tier_label": discretion.tier_label(assessment.tier),
        "allowed_labels": [
            chinese(PenaltyKind(k).label) if k in PenaltyKind.values else k
            for k in assessment.allowed_kinds
        ],
        "party_is_organisation": is_org,
        "party_role": party["role"] if isinstance(party, dict) else party.role,
        "violation_index": raw.get("violation"),
    }


def assess_violation(ctx: Ctx, violation: CaseViolation) -> discretion.Assessment:
    return discretion.assess_violation(violation, case=ctx.case, on=ctx.on)


def parse_propose_penalty(ctx: Ctx) -> None:
    parse_on(ctx, "处罚建议日期")
    violations = {v.pk: v for v in ctx.case.violations.select_related("party")}
    assessments: dict[int, discretion.Assessment] = {}
    items = []
    raw_items = rows(ctx.payload, "penalties", "处罚建议")
    if not raw_items:
        raise bad_input(
            "required",
            "请填写处罚建议（每个违法行为至少一项处罚）。",
            "No penalty proposed.",
            field="penalties",
        )
    for index, raw in enumerate(raw_items):
        try:
            violation = violations[int(raw["violation_id"])]
        except (TypeError, ValueError, KeyError):
            raise bad_input(
                "invalid_violation",
                "处罚所对应的违法行为无效。",
                "Invalid violation.",
                field=f"penalties[{index}]",
            ) from None
        if violation.pk not in assessments:
            assessments[violation.pk] = assess_violation(ctx, violation)
        item = _penalty_item(
            raw, index, assessments[violation.pk], violation.title, violation.party
        )
        item["violation"] = violation
        items.append(item)
    without = [v.title for v in violations.values() if v.pk not in assessments]
    if without:
        raise bad_input(
            "violation_without_penalty",
            f"以下违法行为没有处罚建议：{'、'.join(without)}。不予处罚的，请删除该违法行为或者作出不予处罚决定。",
            "Every violation needs a proposed penalty.",
            field="penalties",
        )
    ctx.data["penalties"] = items
    ctx.data["assessments"] = list(assessments.values())


def _write_penalties(
    ctx: Ctx, case: Case, *, rows_by_index: list[CaseViolation] | None = None, decided: bool = False
) -> None:
    chosen = []
    for item in ctx.data["penalties"]:
        assessment: discretion.Assessment = item["assessment"]
        violation = item.get("violation") or (
            rows_by_index[int(item["violation_index"] or 0)] if rows_by_index else None
        )
        assert violation is not None
        amount = item["amount"]
        Penalty.objects.create(
            case=case,
            violation=violation,
            party=violation.party,
            proposal_version=case.proposal_version,
            kind=item["kind"],
            amount=amount,
            detail=item["detail"],
            is_decided=decided,
            legal_min=assessment.legal_min,
            legal_max=assessment.legal_max,
            tier=assessment.tier,
            tier_min=assessment.tier_min,
            tier_max=assessment.tier_max,
            recommended=assessment.recommended,
            engine_input=assessment.engine_input,
            engine_output=assessment.engine_output,
            reason=item["reason"],
            outside_tier=bool(item.get("outside_tier")),
            basis=assessment.basis[:300],
        )
        below = (
            amount is not None
            and assessment.legal_min is not None
            and amount < assessment.legal_min
        )
        chosen.append(
            discretion.Chosen(
                party_key=violation.party_id,
                party_role=violation.party.role,
                kind=item["kind"],
                amount=amount,
                below_legal_minimum=below,
            )
        )
    checks = discretion.procedure_checks(
        province_code=case.province_code,
        on=ctx.on,
        chosen=chosen,
        assessments=ctx.data["assessments"],
        violation_count=case.violations.count(),
    )
    case.hearing_right = checks.hearing_right
    case.legal_review_required = checks.legal_review_required
    case.collective_discussion_required = checks.collective_discussion_required
    case.procedure_triggers = checks.as_dict()
    ctx.event.update(
        proposal_version=case.proposal_version,
        penalties=[
            {
                "violation": item.get("violation").pk
                if item.get("violation")
                else item.get("violation_index"),
                "kind": item["kind"],
                "amount": str(item["amount"]) if item["amount"] is not None else None,
                "tier": item["assessment"].tier,
                "tier_range": [str(item["assessment"].tier_min), str(item["assessment"].tier_max)],
                "legal_range": [
                    str(item["assessment"].legal_min),
                    str(item["assessment"].legal_max),
                ],
                "recommended": str(item["assessment"].recommended),
                "outside_tier": bool(item.get("outside_tier")),
                "reason": item["reason"],
            }
            for item in ctx.data["penalties"]
        ],
        hearing_right=checks.hearing_right,
        legal_review_required=checks.legal_review_required,
        collective_discussion_required=checks.collective_discussion_required,
    )


def apply_propose_penalty(ctx: Ctx) -> None:
    case = ctx.case
    case.proposal_version += 1
    _write_penalties(ctx, case)


def parse_review(ctx: Ctx) -> None:
    parse_on(ctx, "审核日期")
    opinion_required = ctx.transition.action == "pass_legal_review"
    ctx.data["opinion"] = (
        text(ctx.payload, "opinion", "法制审核意见", required=opinion_required, limit=5000)
        or ctx.reason
    )


def apply_pass_legal_review(ctx: Ctx) -> None:
    case = ctx.case
    case.legal_review_result = "passed"
    case.legal_reviewed_on = ctx.on
    case.legal_reviewed_proposal = case.proposal_version
    case.legal_review_opinion = ctx.data["opinion"]
    ctx.event.update(opinion=ctx.data["opinion"], proposal_version=case.proposal_version)


def apply_fail_legal_review(ctx: Ctx) -> None:
    case = ctx.case
    case.legal_review_result = "failed"
    case.legal_reviewed_on = ctx.on
    case.legal_reviewed_proposal = case.proposal_version
    case.legal_review_opinion = ctx.data["opinion"]
    ctx.event.update(opinion=ctx.data["opinion"], proposal_version=case.proposal_version)


def parse_collective(ctx: Ctx) -> None:
    parse_on(ctx, "讨论日期")
    participants = ctx.payload.get("participants") or []
    if isinstance(participants, str):
        participants = [
            x for x in participants.replace("，", ",").replace("、", ",").split(",") if x.strip()
        ]
    if not isinstance(participants, list | tuple):
        raise bad_input(
            "invalid_participants",
            "参加人员应为姓名的列表或以逗号分隔的文字。",
            "participants must be a list of names.",
            field="participants",
        )
    participants = [str(x).strip() for x in participants if str(x).strip()]
    minimum = procedure.collective_min_participants()
    if len(participants) < minimum:
        raise bad_input(
            "too_few_participants",
            f"集体讨论须由行政机关负责人集体进行（《中华人民共和国行政处罚法》第五十七条第二款）；"
            f"参加人员不少于{minimum}人为本平台默认人数（未经核实）。",
            "Too few participants.",
            field="participants",
        )
    ctx.data["participants"] = participants
    ctx.data["conclusion"] = text(ctx.payload, "conclusion", "讨论结论", required=True, limit=5000)


def apply_collective(ctx: Ctx) -> None:
    case = ctx.case
    case.collective_discussed_on = ctx.on
    case.collective_discussed_proposal = case.proposal_version
    case.collective_conclusion = ctx.data["conclusion"]
    ctx.event.update(
        participants=ctx.data["participants"],
        conclusion=ctx.data["conclusion"],
        proposal_version=case.proposal_version,
    )


# ------------------------------------------------------------------------------ notice and hearing


def parse_serve_notice(ctx: Ctx) -> None:
    parse_on(ctx, "告知书送达日期")
    ctx.data["method"] = text(ctx.payload, "method", "送达方式", limit=100)


def apply_serve_notice(ctx: Ctx) -> None:
    case = ctx.case
    case.notice_served_on = ctx.on
    case.notified_proposal = case.proposal_version
    case.rights_waived_on = None
    case.hearing_requested_on = None
    case.hearing_notice_on = None
    case.hearing_date = None
    case.hearing_chair = None
    case.hearing_outcome = ""
    case.hearing_held_on = None
    period = procedure.statement_period()
    try:
        if period["unit"] == "working_days":
            case.statement_due_on = ctx.calendar.add_working_days(ctx.on, int(period["amount"]))
        else:
            case.statement_due_on = ctx.on + dt.timedelta(days=int(period["amount"]))
    except UnknownCalendarYear:
        case.statement_due_on = None
    case.hearing_request_due_on = None
    flags: list[str] = []
    if case.hearing_right:
        due = ctx.due("hearing_request", ctx.on)
        case.hearing_request_due_on = due.due if isinstance(due.due, dt.date) else None
        flags = list(due.flags)
    ctx.event.update(
        proposal_version=case.proposal_version,
        statement_due_on=case.statement_due_on,
        hearing_right=case.hearing_right,
        hearing_request_due_on=case.hearing_request_due_on,
        method=ctx.data["method"],
        flags=flags,
    )


def parse_statement(ctx: Ctx) -> None:
    parse_on(ctx, "陈述申辩日期")
    ctx.data["statement"] = text(
        ctx.payload, "statement", "陈述申辩内容", required=True, limit=10000
    )
    ctx.data["review"] = text(ctx.payload, "review", "复核意见", required=True, limit=10000)
    ctx.data["adopted"] = bool(ctx.payload.get("adopted"))
    if ctx.case.notice_served_on:
        ctx.dates[-1].not_before.append((ctx.case.notice_served_on, "告知书送达日期"))


def parse_waive(ctx: Ctx) -> None:
    parse_on(ctx, "放弃权利日期")
    ctx.data["note"] = text(ctx.payload, "note", "当事人书面放弃的说明", required=True, limit=2000)
    ctx.dates[-1].not_before.append((ctx.case.notice_served_on, "告知书送达日期"))


def apply_waive(ctx: Ctx) -> None:
    ctx.case.rights_waived_on = ctx.on
    ctx.event.update(note=ctx.data["note"])


def parse_request_hearing(ctx: Ctx) -> None:
    parse_on(ctx, "听证申请日期")
    ctx.dates[-1].not_before.append((ctx.case.notice_served_on, "告知书送达日期"))


def apply_request_hearing(ctx: Ctx) -> None:
    ctx.case.hearing_requested_on = ctx.on
    ctx.case.rights_waived_on = None
    ctx.event.update(requested_on=ctx.on)


def parse_end_notice(ctx: Ctx) -> None:
    parse_on(ctx, "日期")


def parse_schedule_hearing(ctx: Ctx) -> None:
    p = ctx.payload
    notice_on = date_field(p, "notice_on", "听证通知日期", default=timezone.localdate())
    hearing_date = date_field(p, "hearing_date", "听证日期")
    if hearing_date < notice_on:
        raise bad_input(
            "date_order",
            "听证日期不能早于通知日期。",
            "hearing_date < notice_on.",
            field="hearing_date",
        )
    chair = visible_officers(ctx, [one_id(p, "chair_id", "听证主持人")])[0]
    ctx.data.update(
        notice_on=notice_on,
        hearing_date=hearing_date,
        chair=chair,
        place=text(p, "place", "听证地点", required=True, limit=200),
    )
    ctx.on = notice_on
    ctx.dates.append(
        DateCheck(
            "notice_on",
            "听证通知日期",
            notice_on,
            not_before=[(ctx.case.hearing_requested_on, "听证申请日期")],
        )
    )


def apply_schedule_hearing(ctx: Ctx) -> None:
    case = ctx.case
    case.hearing_notice_on = ctx.data["notice_on"]
    case.hearing_date = ctx.data["hearing_date"]
    case.hearing_place = ctx.data["place"]
    case.hearing_chair = ctx.data["chair"]
    ctx.event.update(
        notice_on=case.hearing_notice_on,
        hearing_date=case.hearing_date,
        place=case.hearing_place,
        chair=ctx.data["chair"].name,
    )


def parse_withdraw_hearing(ctx: Ctx) -> None:
    parse_on(ctx, "撤回日期")


def apply_withdraw_hearing(ctx: Ctx) -> None:
    ctx.case.hearing_outcome = "withdrawn"
    ctx.event.update(withdrawn_on=ctx.on)


def parse_record_hearing(ctx: Ctx) -> None:
    p = ctx.payload
    ctx.on = date_field(
        p, "held_on", "听证日期", default=ctx.case.hearing_date or timezone.localdate()
    )
    ctx.data.update(
        attended=bool(p.get("attended", True)),
        record=text(p, "record", "听证笔录摘要", required=True, limit=20000),
        report=text(p, "report", "听证报告（处理意见）", required=True, limit=10000),
    )
    ctx.dates.append(
        DateCheck(
            "held_on", "听证日期", ctx.on, not_before=[(ctx.case.hearing_notice_on, "听证通知日期")]
        )
    )


def apply_record_hearing(ctx: Ctx) -> None:
    case = ctx.case
    case.hearing_held_on = ctx.on
    case.hearing_outcome = "held" if ctx.data["attended"] else "absent"
    if ctx.data["attended"]:
        case.legal_review_required = True
        triggers = dict(case.procedure_triggers or {})
        review = [t for t in triggers.get("legal_review", []) if t.get("code") != "hearing_held"]
        review.append(
            {
                "code": "hearing_held",
                "reason_zh": "经过听证程序（直接关系当事人重大权益）",
                "citation": "APL:2021:58:1:2",
                "citation_zh": "《中华人民共和国行政处罚法》（2021）第五十八条第一款第（二）项",
                "source": "statute",
                "confidence": "confirmed",
                "conditional": False,
            }
        )
        triggers["legal_review"] = review
        case.procedure_triggers = triggers
    ctx.event.update(
        outcome=case.hearing_outcome, record=ctx.data["record"], report=ctx.data["report"]
    )


# ------------------------------------------------------------------------------ decision


def parse_decide(ctx: Ctx) -> None:
    parse_on(ctx, "决定日期")
    case = ctx.case
    for minimum, label in (
        (case.notice_served_on, "告知书送达日期"),
        (case.hearing_held_on, "听证日期"),
        (case.legal_reviewed_on, "法制审核日期"),
        (case.collective_discussed_on, "集体讨论日期"),
    ):
        ctx.dates[-1].not_before.append((minimum, label))
    penalties = {p.pk: p for p in case.penalties.filter(proposal_version=case.proposal_version)}
    amendments = []
    for index, raw in enumerate(rows(ctx.payload, "amendments", "金额调整")):
        penalty = penalties.get(pk_of(raw.get("penalty_id")))
        if penalty is None or penalty.amount is None:
            raise bad_input(
                "invalid_amendment",
                "只能调整本次处罚建议中的金额。",
                "Invalid amendment.",
                field=f"amendments[{index}]",
            )
        amount = parse_amount(
            raw.get("amount"),
            f"amendments[{index}].amount",
            "决定的金额",
            range_zh=discretion.money_range_zh(penalty.legal_min, penalty.legal_max),
        )
        if (
            penalty.legal_min is not None
            and amount < penalty.legal_min
            and penalty.tier != "reduced"
        ):
            raise bad_input(
                "amount_outside_legal_range",
                f"金额{amount:.2f}元低于法定幅度（{discretion.money_range_zh(penalty.legal_min, penalty.legal_max)}）。",
                "Below the legal range.",
                field=f"amendments[{index}].amount",
            )
        amendments.append((penalty, amount))
    ctx.data["amendments"] = amendments
    due_dates: dict[int, dt.date] = {}
    for raw in rows(ctx.payload, "order_due_dates", "改正期限"):
        due_dates[pk_of(raw.get("violation_id"))] = date_field(raw, "due_on", "改正期限")
    orders = []
    for violation in case.violations.all():
        try:
            order_text = (
                default_catalog().violation(violation.violation_code).correction_order_zh
                or "责令改正"
            )
        except KeyError:
            order_text = "责令改正"
        due_on = due_dates.get(violation.pk)
        if "限期" in order_text and due_on is None:
            raise bad_input(
                "order_due_required",
                f"“{violation.title}”须{order_text}，请填写改正期限（《中华人民共和国行政处罚法》第二十八条）。",
                "A correction deadline is required (APL Art 28).",
                field="order_due_dates",
            )
        if due_on is not None and due_on < ctx.on:
            raise bad_input(
                "date_order",
                "改正期限不能早于决定日期。",
                "Order due before decision.",
                field="order_due_dates",
            )
        orders.append((violation, f"{order_text}：{violation.title}"[:300], due_on))
    ctx.data["orders"] = orders


def _decide_effects(ctx: Ctx, case: Case) -> None:
    """Common to the decision and the on-the-spot decision: totals, correction orders (Art 28) and
    the record for the like-cases consistency report."""
    decided = list(case.penalties.filter(proposal_version=case.proposal_version))
    case.fine_total = sum(
        (
            p.amount or Decimal(0)
            for p in decided
            if p.kind
            in {PenaltyKind.FINE, PenaltyKind.CONFISCATE_ILLEGAL_GAINS, PenaltyKind.DAILY_FINE}
        ),
        Decimal(0),
    )
    orders = ctx.data.get("orders")
    if orders is None:
        orders = [
            (
                v,
                f"{(default_catalog().violation(v.violation_code).correction_order_zh or '责令改正')}：{v.title}"[
                    :300
                ],
                None,
            )
            for v in case.violations.all()
        ]
    for violation, order_text, due_on in orders:
        CorrectionOrder.objects.create(
            case=case, violation=violation, text=order_text, issued_on=ctx.on, due_on=due_on
        )
    for penalty in decided:
        if penalty.kind != PenaltyKind.FINE or penalty.amount is None or penalty.violation is None:
            continue
        violation = penalty.violation
        engine_facts = penalty.engine_input or {}
        DecisionRecord.objects.create(
            reference=f"{case.reference}/{penalty.pk}",
            agency_name=case.agency.name,
            region=case.region,
            province_code=case.province_code,
            city_code=case.city_code,
            county_code=case.county_code,
            violation_code=violation.violation_code,
            party=violation.party.role,
            stage=violation.stage,
            circumstances=list(engine_facts.get("circumstances") or violation.circumstances or []),
            act_date=violation.act_date,
            decision_date=ctx.on,
            amount=penalty.amount,
            accident_grade=case.accident_grade,
            illegal_gains=violation.illegal_gains,
            last_year_income=violation.last_year_income,
        )
    ctx.event.update(
        fine_total=str(case.fine_total),
        penalties=[
            {"id": p.pk, "kind": p.kind, "amount": str(p.amount) if p.amount is not None else None}
            for p in decided
        ],
        orders=[{"text": t, "due_on": d} for _, t, d in orders],
    )


def apply_decide(ctx: Ctx) -> None:
    case = ctx.case
    for penalty, amount in ctx.data["amendments"]:
        penalty.amount = amount
        penalty.save(update_fields=["amount"])
    case.penalties.filter(proposal_version=case.proposal_version).update(is_decided=True)
    case.decided_on = ctx.on
    case.decision_outcome = DecisionOutcome.PENALTY
    case.decision_reason = ctx.reason
    _decide_effects(ctx, case)
    ctx.event["amendments"] = [
        {"penalty": p.pk, "amount": str(a)} for p, a in ctx.data["amendments"]
    ]


def parse_decide_no_penalty(ctx: Ctx) -> None:
    parse_on(ctx, "决定日期")
    ground = text(ctx.payload, "ground", "不予处罚的理由", required=True, limit=40)
    allowed = {o.value for o in DecisionOutcome if o != DecisionOutcome.PENALTY}
    if ground not in allowed:
        raise bad_input(
            "invalid_ground",
            "请选择不予处罚的法定情形（行政处罚法第三十三条、第五十七条）。",
            "Unknown ground.",
            field="ground",
            allowed=sorted(allowed),
        )
    ctx.data["ground"] = ground
    if ground in {DecisionOutcome.NO_PENALTY_MINOR, DecisionOutcome.NO_PENALTY_FIRST_OFFENCE}:
        ctx.data["assessments"] = [
            assess_violation(ctx, v) for v in ctx.case.violations.select_related("party")
        ]


def apply_decide_no_penalty(ctx: Ctx) -> None:
    case = ctx.case
    case.decided_on = ctx.on
    case.decision_outcome = ctx.data["ground"]
    case.decision_reason = ctx.reason
    case.fine_total = Decimal(0)
    ctx.event.update(
        ground=ctx.data["ground"], education="依法对当事人进行教育（行政处罚法第三十三条第三款）"
    )


def parse_deliver(ctx: Ctx) -> None:
    p = ctx.payload
    parse_on(ctx, "送达日期")
    ctx.dates[-1].not_before.append((ctx.case.decided_on, "决定日期"))
    method = text(p, "method", "送达方式", required=True, limit=20)
    if method not in DeliveryMethod.values:
        raise bad_input(
            "invalid_method",
            f"未知的送达方式“{method}”。",
            "Unknown delivery method.",
            field="method",
            allowed=DeliveryMethod.values,
        )
    ctx.data.update(
        method=method,
        recipient=text(p, "recipient", "签收人（送达回执）", required=True, limit=100),
        consent_confirmed=bool(p.get("consent_confirmed")),
    )


def _payment_due(ctx: Ctx, case: Case) -> None:
    if case.fine_total > 0 and case.delivered_on:
        due = ctx.due("fine_payment", case.delivered_on)
        case.payment_due_on = due.due if isinstance(due.due, dt.date) else None


def apply_deliver(ctx: Ctx) -> None:
    case = ctx.case
    case.delivered_on = ctx.on
    case.delivery_method = ctx.data["method"]
    case.delivery_recipient = ctx.data["recipient"]
    _payment_due(ctx, case)
    ctx.event.update(
        method=case.delivery_method,
        recipient=case.delivery_recipient,
        payment_due_on=case.payment_due_on,
    )


# ------------------------------------------------------------------------------ execution


def surcharge_accrued(case: Case, on: dt.date) -> Decimal:
    """加处罚款 accrued by ``on`` on the outstanding fine (行政处罚法第七十二条第一款第（一）项)."""
    outstanding = case.fine_total - case.paid_total
    due = effective_payment_due(case)
    if outstanding <= 0 or due is None or on <= due:
        return Decimal(0)
    try:
        return late_surcharge(outstanding, due, on)
    except ValueError:
        return Decimal(0)


def parse_payment(ctx: Ctx) -> None:
    p = ctx.payload
    ctx.on = date_field(p, "paid_on", "缴纳日期", default=timezone.localdate())
    ctx.dates.append(
        DateCheck("paid_on", "缴纳日期", ctx.on, not_before=[(ctx.case.delivered_on, "送达日期")])
    )
    kind = str(p.get("kind") or PaymentKind.FINE)
    if kind not in PaymentKind.values:
        raise bad_input("invalid_kind", "未知的款项。", "Unknown payment kind.", field="kind")
    case = ctx.case
    if kind == PaymentKind.FINE:
        limit = case.fine_total - case.paid_total
        label = "未缴罚款"
    else:
        limit = surcharge_accrued(case, ctx.on) - case.surcharge_paid
        label = "应缴加处罚款"
    amount = parse_amount(
        p.get("amount"), "amount", "缴款金额", range_zh=f"0.01元至{max(limit, Decimal(0)):.2f}元"
    )
    if amount <= 0 or amount > limit:
        raise bad_input(
            "amount_outside_range",
            f"缴款金额{amount:.2f}元应大于零且不超过{label}{max(limit, Decimal(0)):.2f}元。",
            "The amount exceeds what is due.",
            field="amount",
            max=str(limit),
        )
    ctx.data.update(
        kind=kind,
        amount=amount,
        receipt=text(p, "receipt_number", "票据（缴款书）号", required=True, limit=60),
    )


def apply_payment(ctx: Ctx) -> None:
    case = ctx.case
    payment = Payment.objects.create(
        case=case,
        kind=ctx.data["kind"],
        amount=ctx.data["amount"],
        paid_on=ctx.on,
        receipt_number=ctx.data["receipt"],
        recorded_by=ctx.actor,
    )
    if payment.kind == PaymentKind.FINE:
        case.paid_total += payment.amount
    else:
        case.surcharge_paid += payment.amount
    ctx.event.update(
        payment=payment.pk,
        kind=payment.kind,
        amount=str(payment.amount),
        receipt=payment.receipt_number,
    )


def parse_deferral(ctx: Ctx) -> None:
    p = ctx.payload
    ctx.on = date_field(p, "applied_on", "申请日期", default=timezone.localdate())
    until = date_field(p, "until", "暂缓缴纳至")
    current = effective_payment_due(ctx.case)
    if current is not None and until <= current:
        raise bad_input(
            "deferral_not_later",
            f"暂缓缴纳的期限应晚于现缴款期限（{current:%Y年%m月%d日}）。",
            "until is not later.",
            field="until",
        )
    ctx.data["until"] = until
    ctx.dates.append(
        DateCheck(
            "applied_on", "申请日期", ctx.on, not_before=[(ctx.case.delivered_on, "送达日期")]
        )
    )


def apply_deferral(ctx: Ctx) -> None:
    ctx.case.deferral_until = ctx.data["until"]
    ctx.case.instalments = []
    ctx.event.update(until=ctx.data["until"])


def parse_instalments(ctx: Ctx) -> None:
    p = ctx.payload
    ctx.on = date_field(p, "applied_on", "申请日期", default=timezone.localdate())
    ctx.dates.append(
        DateCheck(
            "applied_on", "申请日期", ctx.on, not_before=[(ctx.case.delivered_on, "送达日期")]
        )
    )
    outstanding = ctx.case.fine_total - ctx.case.paid_total
    schedule = []
    previous = ctx.on
    for index, raw in enumerate(rows(p, "schedule", "分期")):
        due_on = date_field(raw, "due_on", "分期期限")
        amount = parse_amount(raw.get("amount"), f"schedule[{index}].amount", "分期金额")
        if amount <= 0:
            raise bad_input(
                "zero_amount",
                "分期金额须大于零。",
                "Instalment must be positive.",
                field=f"schedule[{index}]",
            )
        if due_on <= previous:
            raise bad_input(
                "date_order",
                "分期期限须晚于申请日期并依次递增。",
                "Instalment dates must increase.",
                field=f"schedule[{index}]",
            )
        previous = due_on
        schedule.append({"due_on": due_on.isoformat(), "amount": str(amount)})
    if len(schedule) < 2:
        raise bad_input(
            "too_few_instalments",
            "分期缴纳至少分两期。",
            "At least two instalments.",
            field="schedule",
        )
    total = sum((Decimal(r["amount"]) for r in schedule), Decimal(0))
    if total != outstanding:
        raise bad_input(
            "instalments_total",
            f"各期金额合计{total:.2f}元，应等于未缴罚款{outstanding:.2f}元。",
            "Instalments must add up to the outstanding fine.",
            field="schedule",
        )
    ctx.data["schedule"] = schedule


def apply_instalments(ctx: Ctx) -> None:
    ctx.case.instalments = ctx.data["schedule"]
    ctx.case.deferral_until = None
    ctx.event.update(schedule=ctx.data["schedule"])


def parse_reminder(ctx: Ctx) -> None:
    parse_on(ctx, "催告书送达日期")


def apply_reminder(ctx: Ctx) -> None:
    ctx.case.reminder_served_on = ctx.on
    ctx.event.update(
        outstanding=str(ctx.case.fine_total - ctx.case.paid_total),
        surcharge=str(surcharge_accrued(ctx.case, ctx.on)),
    )


def parse_court(ctx: Ctx) -> None:
    parse_on(ctx, "申请日期")
    ctx.data["court"] = text(ctx.payload, "court", "人民法院", required=True, limit=100)


def apply_court(ctx: Ctx) -> None:
    ctx.case.court_applied_on = ctx.on
    ctx.case.court_name = ctx.data["court"]
    ctx.event.update(
        court=ctx.data["court"], outstanding=str(ctx.case.fine_total - ctx.case.paid_total)
    )


def parse_court_outcome(ctx: Ctx) -> None:
    parse_on(ctx, "日期")
    ctx.data["outcome"] = text(ctx.payload, "outcome", "执行结果", required=True, limit=200)


def apply_court_outcome(ctx: Ctx) -> None:
    ctx.case.court_outcome = ctx.data["outcome"]
    ctx.event.update(outcome=ctx.data["outcome"])


def parse_order_outcome(ctx: Ctx) -> None:
    order = ctx.case.orders.filter(pk=pk_of(ctx.payload.get("order_id"))).first()
    if order is None:
        raise bad_input(
            "unknown_order", "本案没有该责令改正事项。", "Unknown order.", field="order_id"
        )
    outcome = text(ctx.payload, "outcome", "核查结果", required=True, limit=16)
    if outcome not in OrderOutcome.values:
        raise bad_input(
            "invalid_outcome",
            "未知的核查结果。",
            "Unknown outcome.",
            field="outcome",
            allowed=OrderOutcome.values,
        )
    parse_on(ctx, "核查日期")
    ctx.dates[-1].not_before.append((order.issued_on, "责令日期"))
    ctx.data.update(
        order=order, outcome=outcome, note=text(ctx.payload, "note", "核查情况", limit=500)
    )


def apply_order_outcome(ctx: Ctx) -> None:
    order: CorrectionOrder = ctx.data["order"]
    order.outcome = ctx.data["outcome"]
    order.outcome_on = ctx.on
    order.outcome_note = ctx.data["note"]
    order.save()
    ctx.event.update(order=order.pk, outcome=order.outcome, note=order.outcome_note)


def parse_daily_fine(ctx: Ctx) -> None:
    p = ctx.payload
    order = (
        ctx.case.orders.select_related("violation__party")
        .filter(pk=pk_of(p.get("order_id")))
        .first()
    )
    if order is None or order.violation is None:
        raise bad_input(
            "unknown_order", "请选择本案的责令改正事项。", "Unknown order.", field="order_id"
        )
    parse_on(ctx, "决定日期")
    until = date_field(p, "until", "连续处罚计至")
    if until <= order.issued_on or until > ctx.on:
        raise bad_input(
            "date_order",
            f"连续处罚计至日期应在责令改正之日（{order.issued_on:%Y年%m月%d日}）之后、决定日期之前。",
            "until must lie after the order and not after the decision.",
            field="until",
        )
    original = ctx.case.penalties.filter(
        violation=order.violation, kind=PenaltyKind.FINE, is_decided=True
    ).first()
    days = (until - order.issued_on).days
    ctx.data.update(
        order=order,
        until=until,
        days=days,
        original_fine=original,
        party_role=order.violation.party.role,
        amount=(original.amount or Decimal(0)) * days if original else Decimal(0),
    )


def apply_daily_fine(ctx: Ctx) -> None:
    case = ctx.case
    d = ctx.data
    original: Penalty = d["original_fine"]
    Penalty.objects.create(
        case=case,
        violation=d["order"].violation,
        party=original.party,
        proposal_version=case.proposal_version,
        kind=PenaltyKind.DAILY_FINE,
        amount=d["amount"],
        is_decided=True,
        detail=f"自{d['order'].issued_on + dt.timedelta(days=1):%Y年%m月%d日}至{d['until']:%Y年%m月%d日}，共{d['days']}日，每日{original.amount}元",
        reason=ctx.reason,
        basis="《中华人民共和国安全生产法》第一百一十二条",
    )
    case.fine_total += d["amount"]
    due = ctx.due("fine_payment", ctx.on)
    case.payment_due_on = due.due if isinstance(due.due, dt.date) else None
    case.deferral_until = None
    case.instalments = []
    ctx.event.update(
        order=d["order"].pk, days=d["days"], amount=str(d["amount"]), daily=str(original.amount)
    )


CLOSURE_TRIGGERS = {
    "repeated_penalties": "存在重大事故隐患，一百八十日内三次或者一年内四次受到本法规定的行政处罚",
    "still_unsafe_after_suspension": "经停产停业整顿，仍不具备安全生产条件",
    "major_accident": "不具备安全生产条件，导致发生重大、特别重大生产安全事故",
    "refused_suspension": "拒不执行停产停业整顿决定",
}


def parse_government_closure(ctx: Ctx) -> None:
    parse_on(ctx, "提请日期")
    trigger = text(ctx.payload, "trigger", "提请关闭的情形", required=True, limit=40)
    if trigger not in CLOSURE_TRIGGERS:
        raise bad_input(
            "invalid_trigger",
            "请选择安全生产法第一百一十三条规定的情形。",
            "Unknown trigger.",
            field="trigger",
            allowed=sorted(CLOSURE_TRIGGERS),
        )
    ctx.data["trigger"] = trigger
    ctx.data["major_hazard_confirmed"] = bool(ctx.payload.get("major_hazard_confirmed"))
    enterprise = ctx.case.enterprise
    if trigger == "repeated_penalties":
        if enterprise is None:
            raise bad_input(
                "no_unit", "本案当事人不是生产经营单位。", "No business unit.", field="trigger"
            )
        base = Case.objects.filter(
            enterprise=enterprise, decision_outcome=DecisionOutcome.PENALTY, decided_on__lte=ctx.on
        )
        ctx.data["penalty_counts"] = (
            base.filter(decided_on__gt=ctx.on - dt.timedelta(days=180)).count(),
            base.filter(decided_on__gt=ctx.on - dt.timedelta(days=365)).count(),
        )


def apply_government_closure(ctx: Ctx) -> None:
    ctx.case.government_closure_proposed_on = ctx.on
    ctx.event.update(
        trigger=ctx.data["trigger"],
        trigger_zh=CLOSURE_TRIGGERS[ctx.data["trigger"]],
        counts=ctx.data.get("penalty_counts"),
    )


def apply_request_closure(ctx: Ctx) -> None:
    ctx.case.closure_requested_on = ctx.on


def apply_approve_closure(ctx: Ctx) -> None:
    ctx.case.closed_on = ctx.on


def parse_end(ctx: Ctx) -> None:
    parse_on(ctx, "日期", after_filing=False)
    ctx.data["to"] = text(
        ctx.payload,
        "to",
        "移送机关",
        required=ctx.transition.action == "transfer_to_agency",
        limit=200,
    )


def apply_end(ctx: Ctx) -> None:
    case = ctx.case
    case.end_reason = ctx.reason
    if ctx.transition.action in {"transfer_to_agency", "refer_to_judicial_organ"}:
        case.transferred_to = ctx.data["to"] or "同级公安机关"
    ctx.event.update(to=case.transferred_to)


def apply_archive(ctx: Ctx) -> None:
    ctx.case.archived_on = ctx.on


def parse_resolve_flag(ctx: Ctx) -> None:
    flag = ReviewFlag.objects.filter(
        case=ctx.case, pk=pk_of(ctx.payload.get("flag_id")), resolved_at__isnull=True
    ).first()
    if flag is None:
        raise bad_input("unknown_flag", "没有该待审查事项。", "Unknown flag.", field="flag_id")
    ctx.data["flag"] = flag
    ctx.data["resolution"] = text(ctx.payload, "resolution", "审查意见", required=True, limit=5000)


def apply_resolve_flag(ctx: Ctx) -> None:
    flag: ReviewFlag = ctx.data["flag"]
    flag.resolved_at = timezone.now()
    flag.resolved_by = ctx.actor
    flag.resolution = ctx.data["resolution"]
    flag.save()
    ctx.event.update(flag=flag.pk, kind=flag.kind, resolution=flag.resolution)


def _nothing(ctx: Ctx) -> None:
    return None


Handler = tuple[Callable[[Ctx], None], Callable[[Ctx], None]]

HANDLERS: dict[str, Handler] = {
    "propose": (parse_create, apply_propose),
    "decide_on_the_spot": (parse_on_the_spot, apply_on_the_spot),
    "approve_filing": (parse_approve_filing, apply_approve_filing),
    "refuse_filing": (lambda ctx: parse_on(ctx, "日期", after_filing=False), apply_record),
    "add_party": (parse_add_party, apply_add_party),
    "edit_party": (parse_edit_party, apply_edit_party),
    "remove_party": (parse_remove_party, apply_remove_party),
    "add_violation": (parse_add_violation, apply_add_violation),
    "edit_violation": (parse_edit_violation, apply_edit_violation),
    "remove_violation": (parse_remove_violation, apply_remove_violation),
    "set_officers": (parse_set_officers, apply_set_officers),
    "add_evidence": (parse_add_evidence, apply_add_evidence),
    "link_evidence": (parse_link_evidence, apply_link_evidence),
    "unlink_evidence": (parse_unlink_evidence, apply_unlink_evidence),
    "preserve_evidence": (parse_preserve_evidence, apply_preserve_evidence),
    "decide_preservation": (parse_decide_preservation, apply_decide_preservation),
    "extend_decision_deadline": (parse_extend, apply_extend),
    "submit_investigation": (parse_submit, apply_record),
    "return_to_investigation": (lambda ctx: parse_on(ctx, "日期"), apply_record),
    "propose_penalty": (parse_propose_penalty, apply_propose_penalty),
    "request_legal_review": (lambda ctx: parse_on(ctx, "日期"), apply_record),
    "pass_legal_review": (parse_review, apply_pass_legal_review),
    "fail_legal_review": (parse_review, apply_fail_legal_review),
    "request_collective_discussion": (lambda ctx: parse_on(ctx, "日期"), apply_record),
    "record_collective_discussion": (parse_collective, apply_collective),
    "serve_notice": (parse_serve_notice, apply_serve_notice),
    "record_statement": (parse_statement, apply_record),
    "waive_rights": (parse_waive, apply_waive),
    "request_hearing": (parse_request_hearing, apply_request_hearing),
    "end_notice_period": (parse_end_notice, apply_record),
    "schedule_hearing": (parse_schedule_hearing, apply_schedule_hearing),
    "reschedule_hearing": (parse_schedule_hearing, apply_schedule_hearing),
    "withdraw_hearing_request": (parse_withdraw_hearing, apply_withdraw_hearing),
    "record_hearing": (parse_record_hearing, apply_record_hearing),
    "decide": (parse_decide, apply_decide),
    "decide_no_penalty": (parse_decide_no_penalty, apply_decide_no_penalty),
    "deliver": (parse_deliver, apply_deliver),
    "record_payment": (parse_payment, apply_payment),
    "approve_deferral": (parse_deferral, apply_deferral),
    "approve_instalments": (parse_instalments, apply_instalments),
    "serve_reminder": (parse_reminder, apply_reminder),
    "apply_to_court": (parse_court, apply_court),
    "record_court_outcome": (parse_court_outcome, apply_court_outcome),
    "record_order_outcome": (parse_order_outcome, apply_order_outcome),
    "impose_daily_fine": (parse_daily_fine, apply_daily_fine),
    "propose_government_closure": (parse_government_closure, apply_government_closure),
    "request_closure": (lambda ctx: parse_on(ctx, "结案申请日期"), apply_request_closure),
    "approve_closure": (lambda ctx: parse_on(ctx, "结案日期"), apply_approve_closure),
    "reject_closure": (lambda ctx: parse_on(ctx, "日期"), apply_record),
    "transfer_to_agency": (parse_end, apply_end),
    "refer_to_judicial_organ": (parse_end, apply_end),
    "terminate": (parse_end, apply_end),
    "withdraw": (parse_end, apply_end),
    "archive": (lambda ctx: parse_on(ctx, "归档日期", after_filing=False), apply_archive),
    "resolve_flag": (parse_resolve_flag, apply_resolve_flag),
}

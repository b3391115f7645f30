"""The legal guards of the penalty procedure, by name (the transitions table refers to them).

A guard raises :class:`GuardFailure` (HTTP 409: the step is not lawful now) whose Chinese message
cites its article; bad input (a date in the future, an amount with three decimals) raises a
``DomainError`` with status 422. Guards run twice: for real inside ``perform`` (under the case's row
lock) and as a dry run for the case page, which shows why a blocked step is blocked; guards that
need the submitted form skip the dry run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anjian.cases import procedure
from anjian.cases.discretion import WAIVER_MAY, WAIVER_MUST, money_range_zh
from anjian.cases.models import (
    Case,
    CaseOfficer,
    CaseViolation,
    CorrectionOrder,
    DecisionOutcome,
    DeliveryMethod,
    ElementProof,
    OrderOutcome,
    ReviewFlag,
)
from anjian.cases.transitions import AEL, APL, WSL, Transition
from anjian.core.errors import DomainError
from anjian.core.i18n import chinese
from anjian.documents.selectors import latest_issued
from anjian.evidence import selectors as evidence_selectors
from anjian.law.calendar import current_calendar
from anjian.law.core.catalog import default_catalog
from anjian.law.core.timelimits import FLAG_NO_VERSION_IN_FORCE, DueDate, compute_due
from anjian.registry.models import Agency, Officer, Region
from anjian.registry.services import check_penalty_power, require_certified


class GuardFailure(DomainError):
    status = 409

    def __init__(
        self, guard: str, message: str, message_en: str, *, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            f"guard_{guard}", message, message_en, details={"guard": guard, **(details or {})}
        )
        self.guard = guard


def bad_input(code: str, message: str, message_en: str, **details: Any) -> DomainError:
    return DomainError(code, message, message_en, details=details or None, status=422)


@dataclass
class DateCheck:
    name: str
    label_zh: str
    value: dt.date
    after_filing: bool = True
    not_before: list[tuple[dt.date | None, str]] = field(default_factory=list)


@dataclass
class Flag:
    kind: str
    message: str
    reason: str


@dataclass
class Ctx:
    """Everything a guard or an effect may look at."""

    case: Case
    actor: Any
    transition: Transition
    payload: dict[str, Any]
    on: dt.date
    dry_run: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    dates: list[DateCheck] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    event: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    _calendar: Any = None
    #: Facts several guards read, kept for the dry runs of one request (``shared``): the case
    #: page asks the guards of every step the table allows, and each reads the same rows.
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def calendar(self) -> Any:
        if self._calendar is None:
            self._calendar = current_calendar()
        return self._calendar

    @property
    def creating(self) -> bool:
        return self.transition.source is None

    def due(self, rule_id: str, trigger: dt.date, **kwargs: Any) -> DueDate:
        return compute_due(rule_id, trigger, calendar=self.calendar, **kwargs)

    def flag(self, kind: str, message: str, reason: str) -> None:
        self.flags.append(Flag(kind, message, reason))

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        """``read()``, once for all dry runs sharing ``shared`` (the case page's one request);
        a real step reads afresh, inside its transaction with the case locked."""
        if not self.dry_run:
            return read()
        if key not in self.shared:
            self.shared[key] = read()
        return self.shared[key]


def _zh(day: dt.date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else "—"


# ------------------------------------------------------------------------------------ helpers


@dataclass(frozen=True)
class ViolationView:
    code: str
    title: str
    act_date: dt.date
    act_ended_on: dt.date | None
    endangers_life_or_health: bool
    party_role: str
    pk: int | None = None


def violations_in_view(ctx: Ctx) -> list[ViolationView]:
    """The violations a guard looks at: the new ones of the form, else the case's."""
    if "violations" in ctx.data:
        return list(ctx.data["violations"])
    if ctx.creating:
        return []
    return [
        ViolationView(
            code=v.violation_code,
            title=v.title,
            act_date=v.act_date,
            act_ended_on=v.act_ended_on,
            endangers_life_or_health=v.endangers_life_or_health,
            party_role=v.party.role,
            pk=v.pk,
        )
        for v in case_violations(ctx)
    ]


def case_violations(ctx: Ctx) -> list[CaseViolation]:
    """The case's violations with their party, in position order."""
    return ctx.once(  # type: ignore[no-any-return]
        "violations", lambda: list(ctx.case.violations.select_related("party"))
    )


def officers_in_view(ctx: Ctx) -> list[Officer]:
    if "officers" in ctx.data:
        return list(ctx.data["officers"])
    if ctx.creating:
        return []
    return ctx.once(  # type: ignore[no-any-return]
        "officers",
        lambda: [
            co.officer
            for co in CaseOfficer.objects.filter(case=ctx.case)
            .select_related("officer")
            .prefetch_related("officer__certificates")
        ],
    )


def agency_of(ctx: Ctx) -> Agency:
    agency: Agency = ctx.data.get("agency") or ctx.case.agency
    return agency


def elements_for(code: str) -> tuple[str, ...]:
    """The elements (构成要件) evidence must prove; the facts as a whole when none are catalogued."""
    try:
        elements = default_catalog().violation(code).elements_zh
    except KeyError:
        elements = ()
    return tuple(elements) or ("违法事实",)


def case_evidence_ids(case: Case) -> list[int]:
    return list(case.evidence_links.values_list("evidence_id", flat=True))


def limitation_due(ctx: Ctx, v: ViolationView) -> DueDate:
    trigger = v.act_ended_on or v.act_date
    if v.endangers_life_or_health:
        due = ctx.due("limitation_period_life_health", trigger)
        if FLAG_NO_VERSION_IN_FORCE not in due.flags:
            return due
    return ctx.due("limitation_period", trigger)


# ------------------------------------------------------------------------------------- guards


def jurisdiction(ctx: Ctx) -> None:
    agency = agency_of(ctx)
    place: Region = ctx.data.get("place_region") or ctx.case.place_region
    if not agency.region.contains(place):
        raise GuardFailure(
            "jurisdiction",
            f"违法行为发生地（{place.name}）不在{agency.name}的辖区内，不得立案"
            f"（{APL}第二十二条：行政处罚由违法行为发生地的行政机关管辖）。可移送有管辖权的机关。",
            "The place of the violation lies outside the agency's region (APL Art 22).",
            details={"place": place.code, "agency_region": agency.region.code},
        )


def penalty_power(ctx: Ctx) -> None:
    agency = agency_of(ctx)
    for v in violations_in_view(ctx):
        try:
            check_penalty_power(agency=agency, violation_code=v.code, on=ctx.on)
        except DomainError as error:
            raise GuardFailure(
                "penalty_power",
                f"{error.message}不得立案或处罚（{APL}第二十条、第二十四条）。",
                error.message_en,
                details={"violation_code": v.code},
            ) from None


def limitation_period(ctx: Ctx) -> None:
    discovered: dt.date = ctx.data.get("discovered_on") or ctx.case.discovered_on
    for v in violations_in_view(ctx):
        due = limitation_due(ctx, v)
        if due.due is None:
            if ctx.dry_run:
                continue
            override = str(ctx.payload.get("override_reason") or "").strip()
            if not override:
                raise GuardFailure(
                    "limitation_period",
                    f"无法计算“{v.title}”的追责时效（{'、'.join(due.flags)}），请法制机构核对后写明理由（override_reason）"
                    f"再提交（{APL}第三十六条）。",
                    "The limitation period cannot be computed; give a reviewed reason (APL Art 36).",
                    details={"flags": list(due.flags)},
                )
            ctx.flag(
                "limitation_unknown",
                f"“{v.title}”的追责时效无法计算（{'、'.join(due.flags)}）",
                override,
            )
            continue
        assert isinstance(due.due, dt.date)
        if discovered > due.due:
            years = "五年" if "life_health" in due.rule_id else "二年"
            raise GuardFailure(
                "limitation_period",
                f"“{v.title}”于{_zh(v.act_ended_on or v.act_date)}发生（终了），至发现之日{_zh(discovered)}"
                f"已超过{years}追责时效（至{_zh(due.due)}），不再给予行政处罚（{APL}第三十六条）。",
                "The limitation period has run out (APL Art 36).",
                details={"violation_code": v.code, "limitation_due": due.due.isoformat()},
            )


def two_certified_officers(ctx: Ctx) -> None:
    officers = officers_in_view(ctx)
    try:
        require_certified(officers, on=ctx.on, minimum=procedure.min_officers(ctx.on))
    except DomainError as error:
        raise GuardFailure(
            "two_certified_officers",
            error.message,
            error.message_en,
            details={"officers": [o.name for o in officers]},
        ) from None


def dates(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    today = timezone.localdate()
    filed = ctx.case.filed_on if not ctx.creating else None
    for check in ctx.dates:
        if check.value > today:
            raise bad_input(
                "date_in_future",
                f"{check.label_zh}（{_zh(check.value)}）不能晚于今天（{_zh(today)}）。",
                f"{check.name} cannot be in the future.",
                field=check.name,
            )
        if check.after_filing and filed is not None and check.value < filed:
            raise bad_input(
                "date_before_filing",
                f"{check.label_zh}（{_zh(check.value)}）不能早于立案日期（{_zh(filed)}）。",
                f"{check.name} cannot be before the filing date.",
                field=check.name,
            )
        for minimum, label in check.not_before:
            if minimum is not None and check.value < minimum:
                raise bad_input(
                    "date_order",
                    f"{check.label_zh}（{_zh(check.value)}）不能早于{label}（{_zh(minimum)}）。",
                    f"{check.name} cannot be before {label}.",
                    field=check.name,
                )


def simplified_limits(ctx: Ctx) -> None:
    limits = procedure.simplified_limits(ctx.on)
    if limits is None:
        raise GuardFailure(
            "simplified_limits",
            f"{_zh(ctx.on)}无有效的当场处罚规定（{APL}第五十一条），请适用普通程序。",
            "No on-the-spot procedure rule is in force.",
        )
    for item in ctx.data.get("penalties", []):
        if item["kind"] not in {"warning", "fine"}:
            raise GuardFailure(
                "simplified_limits",
                f"当场处罚只能给予警告或者罚款（{limits.basis}），其他处罚须适用普通程序。",
                "Only a warning or a fine may be imposed on the spot (APL Art 51).",
            )
        if item["kind"] == "fine":
            organisation = item["party_is_organisation"]
            limit = limits.organisation_yuan if organisation else limits.citizen_yuan
            if item["amount"] > limit:
                who = "法人或者其他组织" if organisation else "公民"
                raise GuardFailure(
                    "simplified_limits",
                    f"当场处罚对{who}的罚款不得超过{limit:.0f}元（{limits.basis}），"
                    f"拟罚款{item['amount']:.2f}元，须适用普通程序立案办理。",
                    f"An on-the-spot fine may not exceed {limit} yuan (APL Art 51).",
                    details={"limit": str(limit), "amount": str(item["amount"])},
                )


def elements_proven(ctx: Ctx) -> None:
    """Clause (十三): every element of every violation is proved by usable evidence."""
    missing: list[str] = []
    if ctx.creating:
        proofs: dict[int, set[int]] = ctx.data.get("proofs_by_violation", {})
        for index, v in enumerate(ctx.data.get("violations", [])):
            for element_index, element in enumerate(elements_for(v.code)):
                if element_index not in proofs.get(index, set()):
                    missing.append(f"“{v.title}”：{element}")
    else:
        violations = case_violations(ctx)
        if not violations:
            missing.append("（尚无违法行为）")
        proven = ctx.once(
            "proven",
            lambda: set(
                ElementProof.objects.filter(
                    violation__case=ctx.case,
                    evidence__is_excluded=False,
                    evidence__case_links__case=ctx.case,
                ).values_list("violation_id", "element_index")
            ),
        )
        for v in violations:
            for element_index, element in enumerate(elements_for(v.violation_code)):
                if (v.pk, element_index) not in proven:
                    missing.append(f"“{v.title}”：{element}")
    if missing:
        raise GuardFailure(
            "elements_proven",
            "以下违法行为的构成要件尚无证据证明，不得告知或者决定："
            + "；".join(missing)
            + f"（苏安监〔2016〕186号第十三条；{APL}第四十条：违法事实不清、证据不足的，不得给予行政处罚）。",
            "Some elements of the violations are not proved by linked evidence (APL Art 40).",
            details={"missing": missing},
        )


def amounts_in_range(ctx: Ctx) -> None:
    """The chosen amounts lie within the legal range; outside the engine's tier range only with a
    written reason, which is stored and flagged for review. (Checked on the submitted form.)"""
    if ctx.dry_run:
        return
    for item in ctx.data.get("penalties", []):
        if item.get("assessment_error") is not None:
            raise item["assessment_error"]
        assessment = item.get("assessment")
        if assessment is None:
            continue
        kind = item["kind"]
        if assessment.allowed_kinds and kind not in assessment.allowed_kinds:
            raise bad_input(
                "penalty_kind_not_provided",
                f"“{item['violation_title']}”的处罚依据（{assessment.basis}）未规定“{item['kind_label']}”，"
                f"可给予的处罚：{'、'.join(sorted(item['allowed_labels']))}。",
                "The penalty provision does not provide this kind of penalty.",
                allowed=sorted(assessment.allowed_kinds),
            )
        amount: Decimal | None = item["amount"]
        if kind != "fine" or amount is None:
            continue
        low, high = assessment.legal_min, assessment.legal_max
        below = low is not None and amount < low
        if below and not assessment.is_reduced:
            raise bad_input(
                "amount_outside_legal_range",
                f"罚款{amount:.2f}元低于法定幅度（{money_range_zh(low, high)}，{assessment.basis}）；"
                f"只有具有{APL}第三十二条规定情形的，才可以减轻处罚。",
                "The fine is below the legal range.",
                legal_min=str(low) if low is not None else None,
                legal_max=str(high) if high is not None else None,
            )
        if (high is not None and amount > high) or amount <= 0:
            raise bad_input(
                "amount_outside_legal_range",
                f"罚款{amount:.2f}元超出法定幅度（{money_range_zh(low, high)}，{assessment.basis}）。",
                "The fine is outside the legal range.",
                legal_min=str(low) if low is not None else None,
                legal_max=str(high) if high is not None else None,
            )
        tmin, tmax = assessment.tier_min, assessment.tier_max
        outside = (tmin is not None and amount < tmin) or (tmax is not None and amount > tmax)
        item["outside_tier"] = outside
        if outside:
            reason = (item.get("reason") or "").strip()
            if not reason:
                raise bad_input(
                    "amount_outside_tier",
                    f"罚款{amount:.2f}元超出裁量基准建议的{item['tier_label']}幅度（{money_range_zh(tmin, tmax)}），"
                    f"须写明理由（理由将记录在案并提交审查；{APL}第五条、第三十四条）。",
                    "The fine is outside the tier range; a written reason is required.",
                    tier_min=str(tmin) if tmin is not None else None,
                    tier_max=str(tmax) if tmax is not None else None,
                    legal_min=str(low) if low is not None else None,
                    legal_max=str(high) if high is not None else None,
                )
            ctx.flag(
                "amount_outside_tier",
                f"“{item['violation_title']}”罚款{amount:.2f}元超出{item['tier_label']}幅度"
                f"（{money_range_zh(tmin, tmax)}）",
                reason,
            )


def no_mandatory_waiver(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    for item in ctx.data.get("assessments", []):
        if item.waiver == WAIVER_MUST:
            raise GuardFailure(
                "no_mandatory_waiver",
                f"违法行为{item.code}依法应当不予行政处罚（{APL}第三十三条），请作出不予行政处罚决定，并对当事人进行教育。",
                "The facts establish a mandatory waiver (APL Art 33).",
            )


def has_violations(ctx: Ctx) -> None:
    if not case_violations(ctx):
        raise GuardFailure(
            "has_violations", "案件尚未认定任何违法行为。", "The case has no violation yet."
        )


def facts_recorded(ctx: Ctx) -> None:
    empty = [v.title for v in case_violations(ctx) if not v.facts.strip()]
    if empty:
        raise GuardFailure(
            "facts_recorded",
            f"以下违法行为尚未写明违法事实：{'、'.join(empty)}（{APL}第四十条、第五十九条）。",
            "Some violations have no facts recorded.",
        )


def open_preservations(ctx: Ctx) -> list[Any]:
    """The undecided preservations (先行登记保存) of the case's evidence."""

    def read() -> list[Any]:
        ids = case_evidence_ids(ctx.case)
        return list(evidence_selectors.open_preservations_for_evidence(ids)) if ids else []

    return ctx.once("open_preservations", read)  # type: ignore[no-any-return]


def case_orders(ctx: Ctx) -> list[CorrectionOrder]:
    return ctx.once("orders", lambda: list(ctx.case.orders.all()))  # type: ignore[no-any-return]


def open_flags(ctx: Ctx) -> list[ReviewFlag]:
    return ctx.once(  # type: ignore[no-any-return]
        "open_flags",
        lambda: list(ReviewFlag.objects.filter(case=ctx.case, resolved_at__isnull=True)),
    )


def preservations_decided(ctx: Ctx) -> None:
    open_items = open_preservations(ctx)
    if open_items:
        due = "、".join(_zh(p.due_on) if p.due_on else "（期限无法计算）" for p in open_items)
        raise GuardFailure(
            "preservations_decided",
            f"尚有{len(open_items)}项先行登记保存未作出处理决定（期限：{due}；{APL}第五十六条：七日内作出处理决定）。",
            "Preserved evidence awaits its handling decision (APL Art 56).",
            details={"preservations": [p.pk for p in open_items]},
        )


def proposal_exists(ctx: Ctx) -> None:
    if ctx.case.proposal_version == 0 or not ctx.once(
        "proposal_exists",
        lambda: ctx.case.penalties.filter(proposal_version=ctx.case.proposal_version).exists(),
    ):
        raise GuardFailure(
            "proposal_exists",
            f"尚未提出处罚建议（拟作出的行政处罚内容须先确定，{APL}第四十四条）。",
            "No penalty has been proposed yet.",
        )


def _triggers_zh(case: Case, key: str) -> str:
    triggers = (case.procedure_triggers or {}).get(key, [])
    reasons = [t["reason_zh"] for t in triggers if not t.get("conditional")]
    return "；".join(reasons)


def legal_review_done(ctx: Ctx) -> None:
    case = ctx.case
    after_hearing = case.hearing_outcome == "held"
    if not (case.legal_review_required or after_hearing):
        return
    why = _triggers_zh(case, "legal_review")
    if after_hearing:
        why = (why + "；" if why else "") + "经过听证程序"
    if (
        case.legal_review_result != "passed"
        or case.legal_reviewed_proposal != case.proposal_version
    ):
        failed = (
            case.legal_review_result == "failed"
            and case.legal_reviewed_proposal == case.proposal_version
        )
        raise GuardFailure(
            "legal_review_done",
            ("法制审核未通过" if failed else "本案须经法制审核")
            + f"（{why}），未经法制审核或者审核未通过的，不得作出决定（{APL}第五十八条）。",
            "Legal review is required and has not passed for the current proposal (APL Art 58).",
        )
    if (
        after_hearing
        and case.legal_reviewed_on
        and case.hearing_held_on
        and case.legal_reviewed_on < case.hearing_held_on
    ):
        raise GuardFailure(
            "legal_review_done",
            f"经过听证程序的，须在听证后重新进行法制审核（{APL}第五十八条第一款第（二）项、第六十五条）。",
            "After a hearing, the legal review must follow the hearing (APL Art 58, 65).",
        )


def collective_discussion_done(ctx: Ctx) -> None:
    case = ctx.case
    if (
        case.collective_discussion_required
        and case.collective_discussed_proposal != case.proposal_version
    ):
        raise GuardFailure(
            "collective_discussion_done",
            f"本案须经行政机关负责人集体讨论决定（{_triggers_zh(case, 'collective_discussion')}；{APL}第五十七条第二款）。",
            "Collective discussion is required (APL Art 57 para 2).",
        )


def notice_served(ctx: Ctx) -> None:
    if ctx.case.notice_served_on is None:
        raise GuardFailure(
            "notice_served", f"尚未送达行政处罚告知书（{APL}第四十四条）。", "No notice served yet."
        )


def notice_served_for_proposal(ctx: Ctx) -> None:
    case = ctx.case
    if case.notice_served_on is None:
        raise GuardFailure(
            "notice_served_for_proposal",
            f"作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据和陈述、申辩、要求听证等权利；"
            f"未告知的，不得作出行政处罚决定（{APL}第四十四条、第六十二条）。",
            "The party has not been notified (APL Art 44, 62).",
        )
    if case.notified_proposal != case.proposal_version:
        raise GuardFailure(
            "notice_served_for_proposal",
            f"告知后处罚建议已变更，须就变更后的内容重新告知当事人（{APL}第四十四条、第六十二条）。",
            "The proposal changed after the notice; notify the party again (APL Art 44).",
        )


def _after(ctx: Ctx, due: dt.date | None) -> bool:
    return due is not None and ctx.on > due


def statement_period_over(ctx: Ctx) -> None:
    case = ctx.case
    if case.rights_waived_on is not None or case.notice_served_on is None:
        return
    if case.statement_due_on is None:
        raise GuardFailure(
            "statement_period_over",
            "陈述申辩期限无法计算（节假日安排未知），请在工作日调整中录入该年度安排后再办理。",
            "The statement period cannot be computed (unknown calendar year).",
        )
    if not _after(ctx, case.statement_due_on):
        raise GuardFailure(
            "statement_period_over",
            f"陈述申辩期限至{_zh(case.statement_due_on)}届满，期满前（当事人明确放弃的除外）不得作出决定"
            f"（{APL}第四十五条、第六十二条）。",
            "The statement and defence period has not ended (APL Art 45, 62).",
            details={"statement_due_on": case.statement_due_on.isoformat()},
        )


def hearing_request_period_over(ctx: Ctx) -> None:
    case = ctx.case
    if not case.hearing_right or case.rights_waived_on or case.hearing_requested_on:
        return
    if case.notice_served_on is None:
        return
    if case.hearing_request_due_on is None:
        raise GuardFailure(
            "hearing_request_period_over",
            "听证申请期限无法计算（节假日安排未知），请在工作日调整中录入该年度安排后再办理。",
            "The hearing request period cannot be computed (unknown calendar year).",
        )
    if not _after(ctx, case.hearing_request_due_on):
        raise GuardFailure(
            "hearing_request_period_over",
            f"当事人可在告知后五个工作日内（至{_zh(case.hearing_request_due_on)}）要求听证，期满前不得作出决定"
            f"（{APL}第六十四条第（一）项、第八十五条）。",
            "The hearing request period has not ended (APL Art 64, 85).",
            details={"hearing_request_due_on": case.hearing_request_due_on.isoformat()},
        )


def hearing_held_if_requested(ctx: Ctx) -> None:
    case = ctx.case
    if case.hearing_requested_on and case.hearing_outcome not in {"held", "absent", "withdrawn"}:
        raise GuardFailure(
            "hearing_held_if_requested",
            f"当事人要求听证的，行政机关应当组织听证，听证结束后方可作出决定（{APL}第六十三条、第六十五条）。",
            "The requested hearing has not been held (APL Art 63, 65).",
        )


def hearing_right(ctx: Ctx) -> None:
    if not ctx.case.hearing_right:
        raise GuardFailure(
            "hearing_right",
            f"拟作出的处罚不属于应当告知听证权利的情形（{APL}第六十三条），当事人可以陈述、申辩。",
            "The intended penalty carries no right to a hearing (APL Art 63).",
        )


def hearing_request_in_time(ctx: Ctx) -> None:
    case = ctx.case
    due = case.hearing_request_due_on
    if due is None:
        if not ctx.dry_run:
            ctx.flag(
                "hearing_period_unknown",
                "听证申请期限无法计算，已受理听证申请",
                "节假日安排未知，按有利于当事人受理",
            )
        return
    if ctx.on > due:
        raise GuardFailure(
            "hearing_request_in_time",
            f"当事人应当在告知后五个工作日内提出听证要求（期限至{_zh(due)}），逾期提出的不予受理"
            f"（{APL}第六十四条第（一）项、第八十五条）。",
            "The hearing request is late (APL Art 64(1), 85).",
            details={"hearing_request_due_on": due.isoformat()},
        )


def hearing_chair_independent(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    chair: Officer | None = ctx.data.get("chair")
    if chair is not None and CaseOfficer.objects.filter(case=ctx.case, officer=chair).exists():
        raise GuardFailure(
            "hearing_chair_independent",
            f"听证由行政机关指定的非本案调查人员主持，{chair.name}是本案承办人（{APL}第六十四条第（四）项）。",
            "The hearing chair must not be an investigator of the case (APL Art 64(4)).",
        )


def hearing_notice_in_time(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    hearing_date: dt.date = ctx.data["hearing_date"]
    notice_on: dt.date = ctx.data["notice_on"]
    latest = ctx.due("hearing_notice", hearing_date)
    if latest.due is None:
        raise GuardFailure(
            "hearing_notice_in_time",
            f"无法计算听证通知的最迟日期（{'、'.join(latest.flags)}），请录入该年度节假日安排（{APL}第六十四条第（二）项）。",
            "The latest notice day cannot be computed.",
        )
    assert isinstance(latest.due, dt.date)
    if notice_on > latest.due:
        raise GuardFailure(
            "hearing_notice_in_time",
            f"应当在举行听证的七个工作日前通知当事人：听证定于{_zh(hearing_date)}的，最迟应于{_zh(latest.due)}通知"
            f"（{APL}第六十四条第（二）项、第八十五条）。",
            "The hearing notice must be given 7 working days before (APL Art 64(2), 85).",
            details={"latest_notice_on": latest.due.isoformat()},
        )


def hearing_on_scheduled_day(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    if ctx.on != ctx.case.hearing_date:
        raise GuardFailure(
            "hearing_on_scheduled_day",
            f"听证应当在通知的日期（{_zh(ctx.case.hearing_date)}）举行；变更日期须重新通知（{APL}第六十四条第（二）项）。",
            "The hearing must be held on the notified day (APL Art 64(2)).",
        )
    if ctx.on > timezone.localdate():
        raise GuardFailure(
            "hearing_on_scheduled_day",
            f"听证定于{_zh(ctx.case.hearing_date)}举行，尚未到期。",
            "The hearing day has not come.",
        )


def within_decision_deadline(ctx: Ctx) -> None:
    """行政处罚法第六十条: 90 days from filing, unless extended on record."""
    case = ctx.case
    if case.filed_on is None:
        return
    # The due date stored at filing comes from the time-limit data for the version in force
    # (decision_after_filing); 90 days (Art 60) only when none could be stored.
    ninety = case.filed_on + dt.timedelta(days=90)
    due = case.decision_extended_until or case.decision_due_on or ninety
    if ctx.on <= due:
        return
    period = "九十日" if (case.decision_due_on or ninety) == ninety else "法定期限"
    raise GuardFailure(
        "within_decision_deadline",
        f"应当自立案之日（{_zh(case.filed_on)}）起{period}内作出行政处罚决定（期限至{_zh(due)}），"
        f"已超过期限且无延长记录（{APL}第六十条）。须由负责人依法批准延长并写明依据。",
        "The 90-day decision period has passed without a recorded extension (APL Art 60).",
        details={"decision_due_on": due.isoformat()},
    )


def amounts_not_heavier(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    for penalty, amount in ctx.data.get("amendments", []):
        if penalty.amount is not None and amount > penalty.amount:
            raise GuardFailure(
                "amounts_not_heavier",
                f"决定的罚款（{amount:.2f}元）不得高于告知的数额（{penalty.amount:.2f}元）；行政机关不得因当事人陈述、申辩而给予更重的处罚，"
                f"拟加重的须重新告知（{APL}第四十四条、第四十五条第二款）。",
                "The decided amount may not exceed the notified one (APL Art 45 para 2).",
            )


def no_penalty_ground(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    ground = ctx.data["ground"]
    if ground in {DecisionOutcome.NO_PENALTY_MINOR, DecisionOutcome.NO_PENALTY_FIRST_OFFENCE}:
        needed = (
            {WAIVER_MUST}
            if ground == DecisionOutcome.NO_PENALTY_MINOR
            else {WAIVER_MUST, WAIVER_MAY}
        )
        unsupported = [a.code for a in ctx.data.get("assessments", []) if a.waiver not in needed]
        if unsupported:
            requirement = (
                "违法行为轻微、及时改正、没有造成危害后果"
                if ground == DecisionOutcome.NO_PENALTY_MINOR
                else "初次违法、危害后果轻微、及时改正"
            )
            raise GuardFailure(
                "no_penalty_ground",
                f"违法行为{'、'.join(unsupported)}记录的情节不具备“{requirement}”（{APL}第三十三条第一款），"
                "请先在违法行为中记录相应情节及证据。",
                "The recorded circumstances do not support this ground (APL Art 33).",
            )


def delivery_lawful(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    case = ctx.case
    method = ctx.data["method"]
    if method == DeliveryMethod.ELECTRONIC and not ctx.data.get("consent_confirmed"):
        raise GuardFailure(
            "delivery_lawful",
            f"采用电子方式送达须经当事人同意并签订确认书（{APL}第六十一条第二款）。",
            "Electronic delivery needs the party's signed consent (APL Art 61 para 2).",
        )
    if method == DeliveryMethod.ON_THE_SPOT and ctx.on != case.decided_on:
        raise GuardFailure(
            "delivery_lawful",
            f"当场交付的送达日期应为决定宣告之日（{_zh(case.decided_on)}）（{APL}第六十一条第一款）。",
            "On-the-spot delivery happens on the day of the decision (APL Art 61).",
        )
    if method != DeliveryMethod.ON_THE_SPOT and case.decided_on is not None:
        due = ctx.due("decision_delivery", case.decided_on)
        if isinstance(due.due, dt.date) and ctx.on > due.due:
            late = str(ctx.payload.get("late_reason") or "").strip()
            if not late:
                raise GuardFailure(
                    "delivery_lawful",
                    f"当事人不在场的，应当在七个工作日内（至{_zh(due.due)}）送达决定书（{APL}第六十一条第一款、第八十五条）；"
                    "逾期送达须写明理由，并将提交审查。",
                    "Delivery is late (APL Art 61, 85); give a reason.",
                    details={"delivery_due_on": due.due.isoformat()},
                )
            ctx.flag(
                "late_delivery", f"决定书于{_zh(ctx.on)}送达，超过送达期限{_zh(due.due)}", late
            )


def fine_outstanding(ctx: Ctx) -> None:
    if ctx.case.fine_total - ctx.case.paid_total <= 0:
        raise GuardFailure("fine_outstanding", "没有未缴纳的罚款。", "Nothing is outstanding.")


def effective_payment_due(case: Case) -> dt.date | None:
    """The day payment falls due: the deferral, the next unpaid instalment, or the 15-day limit."""
    if case.deferral_until:
        return case.deferral_until
    if case.instalments:
        paid = case.paid_total
        running = Decimal(0)
        for row in case.instalments:
            running += Decimal(str(row["amount"]))
            if running > paid:
                return dt.date.fromisoformat(row["due_on"])
    return case.payment_due_on


def fine_overdue(ctx: Ctx) -> None:
    case = ctx.case
    fine_outstanding(ctx)
    due = effective_payment_due(case)
    if due is None:
        raise GuardFailure(
            "fine_overdue",
            "缴款期限无法计算（节假日安排未知），请录入该年度安排后再办理。",
            "The payment deadline cannot be computed (unknown calendar year).",
        )
    if ctx.on <= due:
        raise GuardFailure(
            "fine_overdue",
            f"缴款期限（{_zh(due)}）尚未届满，不得催告或者申请强制执行（{APL}第六十七条、第七十二条）。",
            "Payment is not overdue yet (APL Art 67, 72).",
            details={"payment_due_on": due.isoformat() if due else None},
        )


def reminder_period_over(ctx: Ctx) -> None:
    case = ctx.case
    if case.reminder_served_on is None:
        raise GuardFailure(
            "reminder_period_over",
            f"申请人民法院强制执行前，应当催告当事人履行义务（{AEL}第五十四条）。",
            "Serve the written reminder first (AEL Art 54).",
        )
    wait = ctx.due("enforcement_reminder_wait", case.reminder_served_on)
    if wait.due is None:
        raise GuardFailure(
            "reminder_period_over",
            "催告期无法计算（节假日安排未知），请录入该年度安排。",
            "The reminder wait cannot be computed.",
        )
    assert isinstance(wait.due, dt.date)
    if ctx.on <= wait.due:
        raise GuardFailure(
            "reminder_period_over",
            f"催告书送达十个工作日后（{_zh(wait.due)}之后）当事人仍未履行的，方可申请强制执行（{AEL}第五十四条、第六十九条）。",
            "Wait ten working days after the reminder (AEL Art 54, 69).",
            details={"wait_until": wait.due.isoformat()},
        )


def remedy_window(ctx: Ctx) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """(first day to apply, last day to apply, flags): after the review and suit periods end
    (行政强制法第五十三条) and within three months; from the end of a deferral or instalments
    (行政处罚法第七十二条第二款)."""
    case = ctx.case
    if case.delivered_on is None:
        return None, None, ["not_delivered"]
    ends = []
    flags: list[str] = []
    for rule in procedure.procedure_data()["remedy_periods"]["rules"]:
        due = ctx.due(rule, case.delivered_on)
        if due.due is None:
            flags.extend(due.flags)
        else:
            assert isinstance(due.due, dt.date)
            ends.append(due.due)
    if flags or not ends:
        return None, None, flags
    periods_end = max(ends)
    start_from = periods_end
    deferral_end = case.deferral_until
    if case.instalments:
        deferral_end = max(dt.date.fromisoformat(r["due_on"]) for r in case.instalments)
    if deferral_end and deferral_end > start_from:
        start_from = deferral_end
    last = ctx.due("court_enforcement_application", start_from)
    if last.due is None:
        return periods_end, None, list(last.flags)
    assert isinstance(last.due, dt.date)
    return start_from, last.due, []


def court_window_open(ctx: Ctx) -> None:
    first, last, flags = remedy_window(ctx)
    if flags:
        raise GuardFailure(
            "court_window_open",
            f"无法计算申请强制执行的期间（{'、'.join(flags)}）。",
            "The application window cannot be computed.",
        )
    assert first is not None
    assert last is not None
    if ctx.on <= first:
        raise GuardFailure(
            "court_window_open",
            f"当事人申请行政复议、提起行政诉讼的法定期限（或暂缓、分期缴纳期限）至{_zh(first)}届满，"
            f"届满后方可申请人民法院强制执行（{AEL}第五十三条；{APL}第七十二条第二款）。",
            "The review and suit periods have not ended (AEL Art 53).",
            details={"window_opens_after": first.isoformat(), "window_closes_on": last.isoformat()},
        )
    if ctx.on > last:
        raise GuardFailure(
            "court_window_open",
            f"应当自期限届满之日起三个月内（至{_zh(last)}）申请人民法院强制执行，已逾期（{AEL}第五十三条）。",
            "The three-month window for the court application has closed (AEL Art 53).",
            details={"window_closes_on": last.isoformat()},
        )


def court_applied(ctx: Ctx) -> None:
    if ctx.case.court_applied_on is None:
        raise GuardFailure(
            "court_applied", "尚未申请人民法院强制执行。", "No court application yet."
        )


def daily_fine_conditions(ctx: Ctx) -> None:
    if ctx.dry_run:
        refused = {OrderOutcome.REFUSED, OrderOutcome.NOT_CORRECTED}
        if not any(o.outcome in refused for o in case_orders(ctx)):
            raise GuardFailure(
                "daily_fine_conditions",
                f"按日连续处罚以被责令改正且受到罚款处罚、拒不改正为条件（{WSL}第一百一十二条）；尚无拒不改正的核查记录。",
                "Needs a fined violation whose correction order was refused (WSL Art 112).",
            )
        return
    order: CorrectionOrder = ctx.data["order"]
    if order.outcome not in {OrderOutcome.REFUSED, OrderOutcome.NOT_CORRECTED}:
        raise GuardFailure(
            "daily_fine_conditions",
            f"按日连续处罚以拒不改正为条件，该责令改正事项的核查结果为“{chinese(order.get_outcome_display()) or '未核查'}”（{WSL}第一百一十二条）。",
            "The order was not refused (WSL Art 112).",
        )
    if not ctx.data.get("original_fine"):
        raise GuardFailure(
            "daily_fine_conditions",
            f"按日连续处罚以该违法行为受到罚款处罚为条件（{WSL}第一百一十二条）。",
            "The violation was not fined (WSL Art 112).",
        )
    if ctx.data.get("party_role") != "unit":
        raise GuardFailure(
            "daily_fine_conditions",
            f"按日连续处罚的对象是生产经营单位（{WSL}第一百一十二条）。",
            "Only a business unit can be fined daily (WSL Art 112).",
        )


def closure_trigger(ctx: Ctx) -> None:
    if ctx.dry_run:
        return
    trigger = ctx.data["trigger"]
    if trigger == "repeated_penalties":
        count_180, count_365 = ctx.data["penalty_counts"]
        if not ctx.data.get("major_hazard_confirmed"):
            raise GuardFailure(
                "closure_trigger",
                f"以多次处罚提请关闭，须存在重大事故隐患（{WSL}第一百一十三条第（一）项）。",
                "Needs a major accident hazard (WSL Art 113(1)).",
            )
        if count_180 < 3 and count_365 < 4:
            raise GuardFailure(
                "closure_trigger",
                f"该单位一百八十日内受到{count_180}次、一年内受到{count_365}次本法规定的行政处罚，"
                f"未达到“一百八十日内三次或者一年内四次”（{WSL}第一百一十三条第（一）项）。",
                "Fewer than 3 penalties in 180 days or 4 in a year (WSL Art 113(1)).",
                details={"within_180_days": count_180, "within_one_year": count_365},
            )


def orders_have_outcomes(ctx: Ctx) -> None:
    open_orders = [o.text for o in case_orders(ctx) if not o.outcome]
    proposal = ctx.case.source_proposal
    if proposal is not None:
        order = (
            getattr(proposal.inspection, "rectification_order", None)
            if proposal.inspection_id
            else None
        )
        if order is not None and order.status == "open":
            open_orders.append(
                f"责令限期整改指令书 {order.number}（整改期限 {_zh(order.deadline)}）尚无复查结论"
            )
    if open_orders:
        raise GuardFailure(
            "orders_have_outcomes",
            f"以下责令改正事项尚无结果，不得结案：{'；'.join(open_orders)}（{APL}第二十八条）。",
            "Some correction orders have no outcome yet (APL Art 28).",
            details={"open_orders": open_orders},
        )


def fines_paid_or_pursued(ctx: Ctx) -> None:
    case = ctx.case
    outstanding = case.fine_total - case.paid_total
    if outstanding > 0 and case.court_applied_on is None:
        raise GuardFailure(
            "fines_paid_or_pursued",
            f"尚有罚款{outstanding:.2f}元未缴纳，且未申请人民法院强制执行，不得结案（{APL}第七十二条）。",
            "A fine is unpaid and not pursued (APL Art 72).",
            details={"outstanding": str(outstanding)},
        )


def flags_resolved(ctx: Ctx) -> None:
    flags = open_flags(ctx)
    if flags:
        raise GuardFailure(
            "flags_resolved",
            f"尚有{len(flags)}项记录在案的例外（如超出裁量幅度、逾期办理）未经审查，不得结案："
            + "；".join(f.message for f in flags),
            "Recorded departures await review.",
        )


def has_open_flags(ctx: Ctx) -> None:
    if not open_flags(ctx):
        raise GuardFailure("has_open_flags", "没有待审查的事项。", "Nothing awaits review.")


def has_open_preservations(ctx: Ctx) -> None:
    if not open_preservations(ctx):
        raise GuardFailure(
            "has_open_preservations", "没有待作出处理决定的先行登记保存。", "No open preservation."
        )


def has_pending_orders(ctx: Ctx) -> None:
    if not any(not o.outcome for o in case_orders(ctx)):
        raise GuardFailure(
            "has_pending_orders",
            "没有待核查的责令改正事项。",
            "No correction order awaits its outcome.",
        )


def has_proofs(ctx: Ctx) -> None:
    if not ctx.once(
        "has_proofs", lambda: ElementProof.objects.filter(violation__case=ctx.case).exists()
    ):
        raise GuardFailure("has_proofs", "尚无证据与要件的关联。", "No evidence is linked yet.")


def has_other_parties(ctx: Ctx) -> None:
    """A case keeps at least one party: only one of several can be removed."""
    if ctx.once("party_count", lambda: ctx.case.parties.count()) < 2:
        raise GuardFailure(
            "has_other_parties",
            "本案只有一个当事人，不能删除；当事人信息有误的，请更正当事人信息，当事人错误的，应当撤销立案。",
            "The case has one party only: it cannot be removed.",
        )


def before_decision(ctx: Ctx) -> None:
    """From the decision the party is the one it names: no longer removed."""
    if ctx.case.decided_on is not None:
        raise GuardFailure(
            "before_decision",
            f"处罚决定已于{_zh(ctx.case.decided_on)}作出，决定载明的当事人不能再删除；"
            f"确有错误的，应当依法更正或者撤销决定（{APL}第五十九条第一款第（一）项）。",
            "The decision is made: the party it names can no longer be removed (APL Art 59).",
            details={"decided_on": ctx.case.decided_on.isoformat()},
        )


#: The 行政处罚决定书 of a case (``anjian/cases/documents.py``), by catalogue type.
DECISION_DOCUMENT_TYPES = ("penalty_decision_unit", "penalty_decision_individual")


def decision_not_issued(ctx: Ctx) -> None:
    """The decision document names the party: once issued, the party is as it printed."""
    issued = ctx.once(
        "decision_issued",
        lambda: latest_issued(f"cases.case:{ctx.case.pk}", DECISION_DOCUMENT_TYPES),
    )
    if issued is not None:
        raise GuardFailure(
            "decision_not_issued",
            f"行政处罚决定书（{issued.number or issued.title}）已签发，当事人信息以决定书载明的为准，不能再更改"
            f"（{APL}第五十九条第一款第（一）项）；确有错误的，应当依法更正或者撤销决定。",
            "The decision document is issued: the party is as it names them (APL Art 59).",
            details={"document": issued.pk},
        )


def party_identity_as_notified(ctx: Ctx) -> None:
    """After the notice (告知书) the party is the one notified: its name, and an identity number
    already on record, stay as notified; missing particulars (性别, a first 身份证号, phone,
    address, employer) may still be added before the decision. Needs the form: no dry run."""
    changes: dict[str, tuple[str, str]] | None = ctx.data.get("party_changes")
    if changes is None or ctx.case.notice_served_on is None:
        return
    fixed = [
        label
        for name, label in (("name", "姓名或名称"), ("id_number", "证件号码"))
        if name in changes and changes[name][0]
    ]
    if fixed:
        raise GuardFailure(
            "party_identity_as_notified",
            f"已于{_zh(ctx.case.notice_served_on)}向当事人送达行政处罚告知书，当事人的{'、'.join(fixed)}"
            f"不能再更改（只能补充尚未登记的信息）；当事人认定错误的，应当撤销立案后重新立案"
            f"（{APL}第四十四条、第五十九条第一款第（一）项、第七十五条第二款）。",
            "The party was notified: its name and recorded identity number can no longer change "
            "(APL Art 44); only missing particulars may be added.",
            details={"fields": [n for n in ("name", "id_number") if n in changes]},
        )


#: Guards that only say a step has nothing to act on: a step blocked by them alone is not listed
#: among the blocked steps on the case page (it is simply not offered).
QUIET_GUARDS = frozenset(
    {
        "has_open_flags",
        "has_open_preservations",
        "has_pending_orders",
        "has_proofs",
        "has_other_parties",
        "before_decision",
    }
)


GUARDS: dict[str, Callable[[Ctx], None]] = {
    "has_open_flags": has_open_flags,
    "has_open_preservations": has_open_preservations,
    "has_pending_orders": has_pending_orders,
    "has_proofs": has_proofs,
    "jurisdiction": jurisdiction,
    "penalty_power": penalty_power,
    "limitation_period": limitation_period,
    "two_certified_officers": two_certified_officers,
    "dates": dates,
    "simplified_limits": simplified_limits,
    "elements_proven": elements_proven,
    "amounts_in_range": amounts_in_range,
    "no_mandatory_waiver": no_mandatory_waiver,
    "has_violations": has_violations,
    "facts_recorded": facts_recorded,
    "preservations_decided": preservations_decided,
    "proposal_exists": proposal_exists,
    "legal_review_done": legal_review_done,
    "collective_discussion_done": collective_discussion_done,
    "notice_served": notice_served,
    "notice_served_for_proposal": notice_served_for_proposal,
    "statement_period_over": statement_period_over,
    "hearing_request_period_over": hearing_request_period_over,
    "hearing_held_if_requested": hearing_held_if_requested,
    "hearing_right": hearing_right,
    "hearing_request_in_time": hearing_request_in_time,
    "hearing_chair_independent": hearing_chair_independent,
    "hearing_notice_in_time": hearing_notice_in_time,
    "hearing_on_scheduled_day": hearing_on_scheduled_day,
    "within_decision_deadline": within_decision_deadline,
    "amounts_not_heavier": amounts_not_heavier,
    "no_penalty_ground": no_penalty_ground,
    "delivery_lawful": delivery_lawful,
    "fine_outstanding": fine_outstanding,
    "fine_overdue": fine_overdue,
    "reminder_period_over": reminder_period_over,
    "court_window_open": court_window_open,
    "court_applied": court_applied,
    "daily_fine_conditions": daily_fine_conditions,
    "closure_trigger": closure_trigger,
    "orders_have_outcomes": orders_have_outcomes,
    "fines_paid_or_pursued": fines_paid_or_pursued,
    "flags_resolved": flags_resolved,
    "decision_not_issued": decision_not_issued,
    "has_other_parties": has_other_parties,
    "before_decision": before_decision,
    "party_identity_as_notified": party_identity_as_notified,
}


def run_guards(ctx: Ctx) -> None:
    for name in ctx.transition.guards:
        GUARDS[name](ctx)


def dry_run_failures(ctx: Ctx) -> list[GuardFailure]:
    """All failing guards of a transition for the case page (no form data)."""
    failures = []
    for name in ctx.transition.guards:
        try:
            GUARDS[name](ctx)
        except GuardFailure as failure:
            failures.append(failure)
        except DomainError:
            continue
    return failures

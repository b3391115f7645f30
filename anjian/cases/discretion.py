"""The case's bridge to the discretion engine (anjian.law.core.discretion).

The engine gives, per violation, the legal range, the tier and its range, a recommended amount,
the statutory waiver (行政处罚法 Art 33) and the kinds of penalty the article provides. The
procedure triggers (hearing Art 63, legal review Art 58, collective discussion Art 57 ¶2) are
recomputed here for the amounts and kinds the officers actually propose, from the same
province-configurable thresholds the engine reads (the discretion standard's ``thresholds``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from anjian.cases.models import Case, CaseViolation
from anjian.core.errors import DomainError
from anjian.law.core.catalog import Citation, Confidence, Party
from anjian.law.core.catalog import PenaltyKind as CatalogKind
from anjian.law.core.discretion import (
    NATIONAL_DEFAULT,
    AmountThreshold,
    DiscretionStandard,
    FactSheet,
    FactSheetError,
    Tier,
    ViolationDecision,
    WaiverStatus,
    default_discretion,
    evaluate,
)


@dataclass(frozen=True)
class Assessment:
    """The engine's view of one violation of one party."""

    violation_id: int
    code: str
    party_role: str
    legal_min: Decimal | None
    legal_max: Decimal | None
    tier: str
    tier_min: Decimal | None
    tier_max: Decimal | None
    recommended: Decimal | None
    waiver: str
    allowed_kinds: frozenset[str]
    fine_rule_kind: str | None
    basis: str
    reasoning_zh: str
    engine_input: dict[str, Any]
    engine_output: dict[str, Any]
    accident_review_triggers: tuple[dict[str, Any], ...] = ()
    accident_discussion_triggers: tuple[dict[str, Any], ...] = ()

    @property
    def is_reduced(self) -> bool:
        return self.tier == Tier.REDUCED.value

    def range_zh(self) -> str:
        return money_range_zh(self.legal_min, self.legal_max)

    def tier_range_zh(self) -> str:
        return money_range_zh(self.tier_min, self.tier_max)


def money_range_zh(low: Decimal | None, high: Decimal | None) -> str:
    def yuan(value: Decimal) -> str:
        return f"{value.normalize():f}元" if value == value.to_integral() else f"{value:.2f}元"

    if low is None and high is None:
        return "（未规定数额）"
    if low is None or low == 0:
        return f"{yuan(high)}以下" if high is not None else "不限"
    if high is None:
        return f"{yuan(low)}以上"
    return f"{yuan(low)}至{yuan(high)}"


def jurisdiction_for(province_code: str) -> str:
    book = default_discretion()
    try:
        book.resolve_jurisdiction(province_code)
    except LookupError:
        return NATIONAL_DEFAULT
    return province_code


def standard_for(province_code: str, on: dt.date) -> DiscretionStandard:
    return default_discretion().standard_for(jurisdiction_for(province_code), on)


def _trigger_dict(
    code: str,
    reason_zh: str,
    citation: Citation,
    source: str,
    confidence: Any,
    conditional: bool = False,
) -> dict[str, Any]:
    return {
        "code": code,
        "reason_zh": reason_zh,
        "citation": citation.short(),
        "citation_zh": citation.label_zh(),
        "source": source,
        "confidence": str(confidence),
        "conditional": conditional,
    }


def assess(
    *,
    violation_id: int,
    code: str,
    party_role: str,
    stage: str,
    act_date: dt.date,
    act_end_date: dt.date | None,
    circumstances: Sequence[str],
    accident_grade: str | None,
    illegal_gains: Decimal | None,
    last_year_income: Decimal | None,
    province_code: str,
    decision_date: dt.date,
) -> Assessment:
    """Run the engine for one violation; bad facts become a 422 with the engine's message."""
    facts_data: dict[str, Any] = {
        "violation_codes": [code],
        "act_date": act_date,
        "act_end_date": act_end_date,
        "party": party_role,
        "stage": stage,
        "circumstances": list(circumstances),
        "jurisdiction": jurisdiction_for(province_code),
        "decision_date": decision_date,
    }
    if accident_grade and stage == "accident":
        facts_data["accident_grade"] = accident_grade
    if illegal_gains is not None:
        facts_data["illegal_gains_yuan"] = illegal_gains
    if last_year_income is not None:
        facts_data["last_year_income_yuan"] = last_year_income
    try:
        facts = FactSheet.model_validate(facts_data)
        decision = evaluate(facts)
    except FactSheetError as error:
        raise DomainError(
            "discretion_input",
            f"裁量所需事实有误：{error.message}",
            f"The facts for the discretion engine are invalid: {error.message_en}",
            details=error.details,
            status=422,
        ) from None
    vd: ViolationDecision = decision.violations[0]
    allowed: set[str] = set()
    for item in vd.penalties:
        if item.applies:
            allowed.update(k.value for k in item.kinds)
    legal = vd.legal_range
    tier_range = vd.tier_range
    review = tuple(
        _trigger_dict(t.code, t.reason_zh, t.citation, t.source, t.confidence)
        for t in vd.legal_review.triggers
        if t.code == "accident_grade"
    )
    discussion = tuple(
        _trigger_dict(t.code, t.reason_zh, t.citation, t.source, t.confidence)
        for t in vd.collective_discussion.triggers
        if t.code == "accident_grade"
    )
    output = vd.model_dump(mode="json")
    output["standard"] = decision.standard.model_dump(mode="json")
    output["engine_version"] = decision.engine_version
    return Assessment(
        violation_id=violation_id,
        code=code,
        party_role=party_role,
        legal_min=legal.min_yuan if legal else None,
        legal_max=legal.max_yuan if legal else None,
        tier=vd.tier.value,
        tier_min=tier_range.min_yuan if tier_range else None,
        tier_max=tier_range.max_yuan if tier_range else None,
        recommended=vd.recommended_fine_yuan,
        waiver=vd.waiver.value,
        allowed_kinds=frozenset(allowed),
        fine_rule_kind=vd.fine_rule_kind,
        basis=vd.penalty_provision_zh,
        reasoning_zh=vd.reasoning_zh,
        engine_input=facts.model_dump(mode="json"),
        engine_output=output,
        accident_review_triggers=review,
        accident_discussion_triggers=discussion,
    )


#: The tiers of the engine (``Tier``) by their Chinese name; pages translate them (gettext).
TIER_LABELS = {
    "none": gettext_noop("不予处罚"),
    "reduced": gettext_noop("减轻处罚"),
    "lighter": gettext_noop("从轻处罚"),
    "ordinary": gettext_noop("一般处罚"),
    "heavier": gettext_noop("从重处罚"),
}


def tier_label(tier: str) -> str:
    """The tier's Chinese name (the stored and printed form; a page passes it to gettext)."""
    return TIER_LABELS.get(tier, tier)


def assess_violation(violation: CaseViolation, *, case: Case, on: dt.date) -> Assessment:
    """The engine's assessment of a recorded violation of ``case`` as of ``on``: the one way the
    proposal (effects), the no-penalty decision and the case page's hints ask the engine."""
    return assess(
        violation_id=violation.pk,
        code=violation.violation_code,
        party_role=violation.party.role,
        stage=violation.stage,
        act_date=violation.act_date,
        act_end_date=violation.act_ended_on,
        circumstances=violation.circumstances or [],
        accident_grade=case.accident_grade or None,
        illegal_gains=violation.illegal_gains,
        last_year_income=violation.last_year_income,
        province_code=case.province_code,
        decision_date=on,
    )


WAIVER_MUST = WaiverStatus.MUST.value
WAIVER_MAY = WaiverStatus.MAY.value


@dataclass(frozen=True)
class Chosen:
    """One proposed penalty item: party role, kind and amount (None for non-money kinds)."""

    party_key: int
    party_role: str
    kind: str
    amount: Decimal | None
    below_legal_minimum: bool = False


@dataclass
class ProcedureChecks:
    hearing: list[dict[str, Any]] = field(default_factory=list)
    legal_review: list[dict[str, Any]] = field(default_factory=list)
    collective_discussion: list[dict[str, Any]] = field(default_factory=list)
    standard: dict[str, Any] = field(default_factory=dict)

    @property
    def hearing_right(self) -> bool:
        return bool(self.hearing)

    @property
    def legal_review_required(self) -> bool:
        return any(not t["conditional"] for t in self.legal_review)

    @property
    def collective_discussion_required(self) -> bool:
        return bool(self.collective_discussion)

    def as_dict(self) -> dict[str, Any]:
        return {
            "hearing": self.hearing,
            "legal_review": self.legal_review,
            "collective_discussion": self.collective_discussion,
            "standard": self.standard,
        }


def _amount_trigger(
    code: str,
    threshold: AmountThreshold | None,
    role: str,
    amount: Decimal,
    what_zh: str,
    default: str,
) -> dict[str, Any] | None:
    if threshold is None or amount <= 0:
        return None
    party = Party(role)
    line = threshold.for_party(party)
    if amount < line:
        return None
    who = "单位" if party is Party.UNIT else "个人"
    citation = threshold.citation or Citation.model_validate(default)
    return _trigger_dict(
        code,
        f"{what_zh}{amount:.2f}元，达到{who}{line}元的数额线（{threshold.source}）",
        citation,
        threshold.source,
        threshold.confidence,
    )


def procedure_checks(
    *,
    province_code: str,
    on: dt.date,
    chosen: Iterable[Chosen],
    assessments: Iterable[Assessment],
    violation_count: int,
) -> ProcedureChecks:
    """Hearing, legal review and collective discussion triggers for the proposed penalties."""
    standard = standard_for(province_code, on)
    rules = standard.thresholds
    chosen = list(chosen)
    checks = ProcedureChecks(
        standard={
            "jurisdiction": standard.jurisdiction,
            "version": standard.version,
            "name_zh": standard.name_zh,
            "confidence": str(standard.confidence),
        }
    )
    fines: dict[int, Decimal] = defaultdict(Decimal)
    confiscations: dict[int, Decimal] = defaultdict(Decimal)
    roles: dict[int, str] = {}
    kinds: set[str] = set()
    for item in chosen:
        roles[item.party_key] = item.party_role
        kinds.add(item.kind)
        if item.kind == "fine" and item.amount:
            fines[item.party_key] += item.amount
        if item.kind == "confiscate_illegal_gains" and item.amount:
            confiscations[item.party_key] += item.amount
    for key, role in roles.items():
        for trig in (
            _amount_trigger(
                "large_fine",
                rules.hearing.large_fine,
                role,
                fines[key],
                "拟罚款",
                "APL:2021:63:1:1",
            ),
            _amount_trigger(
                "large_confiscation",
                rules.hearing.large_confiscation,
                role,
                confiscations[key],
                "拟没收违法所得",
                "APL:2021:63:1:2",
            ),
        ):
            if trig:
                checks.hearing.append(trig)
        trig = _amount_trigger(
            "fine_threshold",
            rules.legal_review.fine_at_least,
            role,
            fines[key],
            "拟罚款",
            "APL:2021:58:1:4",
        )
        if trig:
            checks.legal_review.append(trig)
        trig = _amount_trigger(
            "fine_threshold",
            rules.collective_discussion.fine_at_least,
            role,
            fines[key],
            "拟罚款",
            "APL:2021:57:2",
        )
        if trig:
            checks.collective_discussion.append(trig)
    for kt in rules.hearing.penalty_kinds:
        if kt.kind.value in kinds:
            checks.hearing.append(
                _trigger_dict(
                    kt.kind.value,
                    f"拟{_kind_label(kt.kind.value)}",
                    kt.citation,
                    kt.source,
                    kt.confidence,
                )
            )
    heavy = [k for k in rules.collective_discussion.penalty_kinds if k.value in kinds]
    if heavy:
        checks.collective_discussion.append(
            _trigger_dict(
                "penalty_kinds",
                f"拟{'、'.join(_kind_label(k.value) for k in heavy)}，属重大违法行为",
                Citation.model_validate("APL:2021:57:2"),
                rules.collective_discussion.source,
                rules.collective_discussion.confidence,
            )
        )
    if rules.collective_discussion.when_reduced and any(c.below_legal_minimum for c in chosen):
        checks.collective_discussion.append(
            _trigger_dict(
                "reduced",
                "拟减轻处罚（低于法定最低罚款数额）",
                Citation.model_validate("APL:2021:57:2"),
                rules.collective_discussion.source,
                rules.collective_discussion.confidence,
            )
        )
    review_seen = {t["reason_zh"] for t in checks.legal_review}
    discussion_seen = {t["reason_zh"] for t in checks.collective_discussion}
    for a in assessments:
        for t in a.accident_review_triggers:
            if t["reason_zh"] not in review_seen:
                review_seen.add(t["reason_zh"])
                checks.legal_review.append(t)
        for t in a.accident_discussion_triggers:
            if t["reason_zh"] not in discussion_seen:
                discussion_seen.add(t["reason_zh"])
                checks.collective_discussion.append(t)
    if violation_count > 1 and rules.legal_review.when_several_violations:
        checks.legal_review.append(
            _trigger_dict(
                "several_violations",
                "一案多个违法行为，涉及多个法律关系",
                Citation.model_validate("APL:2021:58:1:3"),
                rules.legal_review.source,
                rules.legal_review.confidence,
            )
        )
    if checks.hearing and rules.legal_review.when_hearing_right:
        checks.legal_review.append(
            _trigger_dict(
                "hearing",
                "当事人有权要求听证；经过听证程序的，作出决定前应当进行法制审核",
                Citation.model_validate("APL:2021:58:1:2"),
                "statute",
                Confidence.CONFIRMED,
                conditional=True,
            )
        )
    return checks


_KIND_LABELS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscate_illegal_gains": "没收违法所得",
    "confiscate_illegal_property": "没收非法财物",
    "suspend_production": "责令停产停业整顿",
    "stop_construction": "责令停止建设",
    "suspend_license": "暂扣许可证件",
    "revoke_license": "吊销许可证件",
    "close": "提请关闭",
    "ban_from_post": "限制从业",
}


def _kind_label(kind: str) -> str:
    return _KIND_LABELS.get(kind, kind)


CATALOG_KINDS = frozenset(k.value for k in CatalogKind)

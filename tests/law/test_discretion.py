"""The discretion engine: exact values from the statute, the waivers (行政处罚法 Art 33), the
tiers (Art 32 and our default bands), Art 37 (从旧兼从轻), Art 29, the procedure triggers, input
errors, the data loader, and hypothesis properties. Plain Python: no database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from anjian.law.core.catalog import (
    Catalog,
    Confidence,
    DailyFine,
    IncomePercentageFine,
    Party,
    PenaltyKind,
    Stage,
    default_catalog,
)
from anjian.law.core.discretion import (
    DEFAULT_DISCRETION_DIR,
    AmountThreshold,
    CircumstanceEffect,
    CircumstanceKind,
    Decision,
    DiscretionDataError,
    DiscretionStandard,
    FactSheet,
    FactSheetError,
    Tier,
    WaiverStatus,
    default_discretion,
    evaluate,
    load_discretion,
)

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def decide(**facts: Any) -> Decision:
    facts.setdefault("act_date", date(2023, 3, 1))
    facts.setdefault("decision_date", date(2023, 6, 1))
    return evaluate(FactSheet(**facts), today=TODAY)


def one(**facts: Any) -> Any:
    return decide(**facts).violations[0]


def standard_on(day: date, jurisdiction: str = "national-default") -> DiscretionStandard:
    return default_discretion().standard_for(jurisdiction, day)


# ------------------------------------------------------------------ exact values from the statute


def test_art97_first_order_unit_fine_is_up_to_100000_and_ordinary_tier_recommends_20000() -> None:
    v = one(violation_codes=["WSL2021-097-03"], party="unit", stage="first_order")
    assert v.legal_range.min_yuan is None
    assert v.legal_range.max_yuan == Decimal(100000)
    assert v.tier is Tier.ORDINARY
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(10000), Decimal(30000))
    assert v.recommended_fine_yuan == Decimal(20000)
    assert v.fine_imposed
    assert v.penalty_kinds == (PenaltyKind.FINE,)
    assert v.penalty_provision_zh == "《中华人民共和国安全生产法》第九十七条第（三）项"
    assert "依据《中华人民共和国安全生产法》第九十七条第（三）项的规定" in v.reasoning_zh
    assert "责令限期改正，处10万元以下的罚款" in v.reasoning_zh
    assert v.law_version == "2021"
    assert v.law_confidence is Confidence.CONFIRMED


def test_art97_overdue_unit_fine_is_100000_to_200000_with_suspension_of_production() -> None:
    d = decide(violation_codes=["WSL2021-097-03"], party="unit", stage="overdue_not_corrected")
    v = d.violations[0]
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(100000), Decimal(200000))
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(130000), Decimal(170000))
    assert v.recommended_fine_yuan == Decimal(150000)
    assert set(v.penalty_kinds) == {PenaltyKind.SUSPEND_PRODUCTION, PenaltyKind.FINE}
    assert "责令停产停业整顿，处10万元以上20万元以下的罚款" in v.reasoning_zh
    assert {t.code for t in d.hearing.triggers} == {"large_fine", "suspend_production"}
    assert d.hearing.required
    assert d.total_fine_yuan == Decimal(150000)


def test_art97_overdue_responsible_person_fine_is_20000_to_50000() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="responsible_person",
        stage="overdue_not_corrected",
    )
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(20000), Decimal(50000))
    assert v.recommended_fine_yuan == Decimal(35000)
    assert v.penalty_kinds == (PenaltyKind.FINE,)


def test_art114_ordinary_accident_unit_fine_is_300000_to_1000000() -> None:
    v = one(
        violation_codes=["WSL2021-114"], party="unit", stage="accident", accident_grade="ordinary"
    )
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(300000), Decimal(1000000))
    assert v.recommended_fine_yuan == Decimal(650000)
    assert v.penalty_provision_zh == "《中华人民共和国安全生产法》第一百一十四条第一款第（一）项"


@pytest.mark.parametrize(
    ("grade", "low", "high"),
    [
        ("ordinary", 300000, 1000000),
        ("larger", 1000000, 2000000),
        ("major", 2000000, 10000000),
        ("especially_major", 10000000, 20000000),
    ],
)
def test_art114_band_follows_the_accident_grade(grade: str, low: int, high: int) -> None:
    v = one(violation_codes=["WSL2021-114"], party="unit", stage="accident", accident_grade=grade)
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(low), Decimal(high))


def test_art114_especially_grave_uses_two_to_five_times_the_band() -> None:
    v = one(
        violation_codes=["WSL2021-114"],
        party="unit",
        stage="accident",
        accident_grade="ordinary",
        circumstances=["especially_grave"],
    )
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(600000), Decimal(5000000))
    assert v.tier is Tier.ORDINARY  # the circumstance chose the range; not counted twice
    assert "第一百一十四条第一款第（一）项、第二款" in v.reasoning_zh
    assert "可以按照该罚款数额的二倍以上五倍以下处以罚款" in v.reasoning_zh


def test_art95_principal_person_pays_40_percent_of_income_for_an_ordinary_accident() -> None:
    v = one(
        violation_codes=["WSL2021-095"],
        party="principal_person",
        stage="accident",
        accident_grade="ordinary",
        last_year_income_yuan=300000,
    )
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(120000), Decimal(120000))
    assert v.recommended_fine_yuan == Decimal(120000)
    assert v.penalty_provision_zh == "《中华人民共和国安全生产法》第九十五条第（一）项"
    assert "上一年年收入百分之四十" in v.reasoning_zh


def test_art95_percentage_is_exact_to_the_fen_and_the_same_in_every_tier() -> None:
    for circumstances in ([], ["major_hazard"], ["first_offence"]):
        v = one(
            violation_codes=["WSL2021-095"],
            party="principal_person",
            stage="accident",
            accident_grade="larger",
            last_year_income=123456.78,
            circumstances=circumstances,
        )
        assert v.recommended_fine_yuan == Decimal("74074.07")  # 60 %


def test_art96_manager_accident_fine_is_20_to_50_percent_of_income() -> None:
    v = one(
        violation_codes=["WSL2021-096"],
        party="manager",
        stage="accident",
        last_year_income_yuan=200000,
    )
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(40000), Decimal(100000))
    assert v.recommended_fine_yuan == Decimal(70000)
    assert PenaltyKind.SUSPEND_LICENSE in v.penalty_kinds


def test_art103_gains_of_100000_or_more_are_fined_two_to_five_times_and_confiscated() -> None:
    d = decide(
        violation_codes=["WSL2021-103-01"],
        party="unit",
        stage="first_order",
        illegal_gains_yuan=250000,
    )
    v = d.violations[0]
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(500000), Decimal(1250000))
    assert v.confiscation_yuan == Decimal(250000)
    assert PenaltyKind.CONFISCATE_ILLEGAL_GAINS in v.penalty_kinds
    assert {t.code for t in d.hearing.triggers} >= {"large_fine", "large_confiscation"}


def test_art103_without_gains_falls_back_to_100000_to_200000() -> None:
    v = one(violation_codes=["WSL2021-103-01"], party="unit", stage="first_order", illegal_gains=0)
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(100000), Decimal(200000))
    assert v.confiscation_yuan is None
    assert "没有违法所得，单处或者并处" in v.reasoning_zh


def test_serious_circumstances_add_the_conditional_suspension_of_art99() -> None:
    plain = one(violation_codes=["WSL2021-099-02"], party="unit", stage="first_order")
    serious = one(
        violation_codes=["WSL2021-099-02"],
        party="unit",
        stage="first_order",
        circumstances=["serious"],
    )
    assert PenaltyKind.SUSPEND_PRODUCTION not in plain.penalty_kinds
    assert PenaltyKind.SUSPEND_PRODUCTION in serious.penalty_kinds
    assert serious.tier is Tier.HEAVIER


def test_a_stage_without_a_fine_still_lists_the_penalty() -> None:
    v = one(violation_codes=["WSL2021-102"], party="unit", stage="refused")
    assert v.legal_range is None
    assert v.recommended_fine_yuan is None
    assert not v.fine_imposed
    assert v.penalty_kinds == (PenaltyKind.SUSPEND_PRODUCTION,)


def test_daily_fine_is_listed_but_not_computed() -> None:
    rule = default_catalog().violation("WSL2021-112").sanctions[0].fine
    assert isinstance(rule, DailyFine)
    v = one(violation_codes=["WSL2021-112"], party="unit", stage="refused")
    assert v.fine_rule_kind == "daily"
    assert v.recommended_fine_yuan is None
    assert any("按日连续处罚" in w for w in v.warnings)


# ------------------------------------------------------------------ Art 33 waivers


def test_minor_violation_corrected_promptly_without_harm_must_not_be_penalised() -> None:
    d = decide(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["minor_violation", "corrected_promptly", "no_harm"],
    )
    v = d.violations[0]
    assert v.waiver is WaiverStatus.MUST
    assert v.tier is Tier.NONE
    assert v.recommended_fine_yuan == Decimal(0)
    assert not v.fine_imposed
    assert v.penalty_kinds == ()
    assert v.waiver_basis[0].short() == "APL:2021:33:1"
    assert "不予行政处罚" in v.reasoning_zh
    assert "《中华人民共和国行政处罚法》第三十三条第三款" in v.reasoning_zh  # 教育
    assert d.total_fine_yuan == Decimal(0)
    assert not d.hearing.required


def test_no_fault_must_not_be_penalised() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="overdue_not_corrected",
        circumstances=["no_fault"],
    )
    assert v.waiver is WaiverStatus.MUST
    assert v.waiver_basis[0].short() == "APL:2021:33:2"


def test_first_offence_minor_harm_corrected_promptly_may_be_waived() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["first_offence", "minor_consequence", "corrected_promptly"],
    )
    assert v.waiver is WaiverStatus.MAY
    assert v.tier is Tier.LIGHTER  # the amount if the authority decides to fine
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(0), Decimal(10000))
    assert v.recommended_fine_yuan == Decimal(5000)
    assert v.fine_imposed
    assert "可以不予行政处罚" in v.reasoning_zh


def test_first_offence_waiver_does_not_exist_before_the_2021_revision() -> None:
    v = one(
        violation_codes=["WSL2014-094"],
        act_date=date(2021, 3, 1),
        decision_date=date(2021, 6, 1),
        party="unit",
        stage="first_order",
        circumstances=["first_offence", "minor_consequence", "corrected_promptly"],
    )
    assert v.waiver is WaiverStatus.NONE
    assert any("修订前" in w for w in v.warnings)


def test_one_missing_element_means_no_waiver() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["minor_violation", "corrected_promptly"],
    )
    assert v.waiver is WaiverStatus.NONE
    assert v.tier is Tier.LIGHTER


# ------------------------------------------------------------------ tiers and Art 32


def test_two_art32_circumstances_reduce_below_the_legal_minimum() -> None:
    d = decide(
        violation_codes=["WSL2021-094"],
        party="principal_person",
        stage="first_order",
        circumstances=["eliminated_harm", "confessed"],
    )
    v = d.violations[0]
    assert v.tier is Tier.REDUCED
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(10000), Decimal(20000))
    assert not v.tier_range.max_inclusive  # strictly below the 20000 minimum
    assert v.recommended_fine_yuan == Decimal(15000)
    assert "第三十二条第（一）项、第（三）项" in v.reasoning_zh
    assert "依法减轻处罚" in v.reasoning_zh
    assert any(t.code == "reduced" for t in d.collective_discussion.triggers)


def test_one_art32_circumstance_gives_the_lighter_tier() -> None:
    v = one(
        violation_codes=["WSL2021-094"],
        party="principal_person",
        stage="first_order",
        circumstances=["eliminated_harm"],
    )
    assert v.tier is Tier.LIGHTER
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(20000), Decimal(29000))
    assert v.recommended_fine_yuan == Decimal(24500)


def test_art32_is_not_outweighed_by_aggravating_circumstances() -> None:
    v = one(
        violation_codes=["WSL2021-094"],
        party="principal_person",
        stage="first_order",
        circumstances=["eliminated_harm", "major_hazard", "obstructed_inspection"],
    )
    assert v.tier is Tier.LIGHTER


def test_without_art32_mitigation_never_goes_below_the_minimum() -> None:
    v = one(
        violation_codes=["WSL2021-094"],
        party="principal_person",
        stage="first_order",
        circumstances=["first_offence", "minor_consequence", "minor_violation"],
    )
    assert v.tier is Tier.LIGHTER
    assert v.recommended_fine_yuan >= Decimal(20000)


def test_a_max_only_range_cannot_be_reduced_so_it_is_lighter() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["eliminated_harm", "confessed"],
    )
    assert v.tier is Tier.LIGHTER
    assert v.recommended_fine_yuan == Decimal(5000)
    assert any("减轻处罚无从低于最低额" in w for w in v.warnings)


def test_aggravating_circumstances_give_the_heavier_tier() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["major_hazard"],
    )
    assert v.tier is Tier.HEAVIER
    assert (v.tier_range.min_yuan, v.tier_range.max_yuan) == (Decimal(30000), Decimal(100000))
    assert v.recommended_fine_yuan == Decimal(65000)


def test_mitigating_and_aggravating_circumstances_offset_by_count() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["first_offence", "major_hazard"],
    )
    assert v.tier is Tier.ORDINARY


def test_refusal_is_not_counted_again_at_the_overdue_stage() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="overdue_not_corrected",
        circumstances=["refused_to_correct"],
    )
    assert v.tier is Tier.ORDINARY
    use = v.circumstances[0]
    assert not use.counted
    assert "不再重复评价" in (use.reason_zh or "")


# ------------------------------------------------------------------ procedure thresholds


def test_hearing_is_triggered_at_exactly_20000_for_a_natural_person() -> None:
    d = decide(violation_codes=["WSL2021-096"], party="manager", stage="first_order")
    assert d.violations[0].recommended_fine_yuan == Decimal(20000)
    assert d.hearing.required
    assert d.hearing.triggers[0].code == "large_fine"
    assert d.hearing.triggers[0].citation.short() == "APL:2021:63:1:1"
    assert d.hearing.triggers[0].confidence is Confidence.UNVERIFIED


def test_hearing_is_not_triggered_below_20000_for_a_natural_person() -> None:
    d = decide(
        violation_codes=["WSL2021-096"],
        party="manager",
        stage="first_order",
        circumstances=["first_offence"],
    )
    assert d.violations[0].recommended_fine_yuan == Decimal(13000)
    assert not d.hearing.required


def _with_unit_line(standard: DiscretionStandard, line: int) -> DiscretionStandard:
    hearing = standard.thresholds.hearing
    new_line = hearing.large_fine.model_copy(update={"organisation_yuan": line})
    thresholds = standard.thresholds.model_copy(
        update={"hearing": hearing.model_copy(update={"large_fine": new_line})}
    )
    return standard.model_copy(update={"thresholds": thresholds})


@pytest.mark.parametrize(("line", "triggered"), [(19999, True), (20000, True), (20001, False)])
def test_hearing_line_for_a_unit_includes_the_figure(line: int, triggered: bool) -> None:
    facts = FactSheet(
        violation_codes=["WSL2021-097-03"],
        act_date=date(2023, 3, 1),
        decision_date=date(2023, 6, 1),
        party="unit",
        stage="first_order",
    )
    standard = _with_unit_line(standard_on(date(2023, 6, 1)), line)
    d = evaluate(facts, standard=standard, today=TODAY)
    assert d.violations[0].recommended_fine_yuan == Decimal(20000)
    assert d.hearing.required is triggered


def test_national_fallback_hearing_line_is_20000_and_50000_since_2015() -> None:
    line = standard_on(date(2023, 6, 1)).thresholds.hearing.large_fine
    assert (line.natural_person_yuan, line.organisation_yuan) == (20000, 50000)
    assert line.confidence is Confidence.UNVERIFIED
    old = standard_on(date(2015, 1, 1)).thresholds.hearing.large_fine
    assert (old.natural_person_yuan, old.organisation_yuan) == (10000, 30000)


def test_legal_review_after_a_hearing_is_conditional() -> None:
    d = decide(violation_codes=["WSL2021-096"], party="manager", stage="first_order")
    hearing_trigger = next(t for t in d.legal_review.triggers if t.code == "hearing")
    assert hearing_trigger.is_conditional
    assert hearing_trigger.citation.short() == "APL:2021:58:1:2"


def test_major_accident_triggers_legal_review_and_collective_discussion() -> None:
    d = decide(
        violation_codes=["WSL2021-114"], party="unit", stage="accident", accident_grade="major"
    )
    assert any(t.code == "accident_grade" for t in d.legal_review.triggers)
    assert d.legal_review.required
    assert d.collective_discussion.required


def test_small_fine_triggers_no_procedure() -> None:
    d = decide(
        violation_codes=["WSL2021-102"],
        party="unit",
        stage="first_order",
        circumstances=["first_offence"],
    )
    assert d.violations[0].recommended_fine_yuan == Decimal(2500)
    assert not d.hearing.required
    assert not d.legal_review.required
    assert not d.collective_discussion.required


# ------------------------------------------------------------------ Art 37 从旧兼从轻


def test_act_under_the_2014_law_decided_after_the_2021_amendment_keeps_the_lighter_old_law() -> (
    None
):
    v = one(
        violation_codes=["WSL2021-097-03"],
        act_date=date(2020, 3, 1),
        decision_date=date(2023, 5, 1),
        party="unit",
        stage="first_order",
    )
    assert v.applied_code == "WSL2014-094"
    assert v.art37.outcome == "act_time_lighter_or_equal"
    assert v.art37.decision_time_code == "WSL2021-097-03"
    assert v.legal_range.max_yuan == Decimal(50000)
    assert not v.fine_is_mandatory  # 2014: 可以处五万元以下的罚款
    assert v.law_confidence is Confidence.UNVERIFIED
    assert "《中华人民共和国行政处罚法》第三十七条" in v.reasoning_zh
    assert "《中华人民共和国安全生产法》（2014年版）第九十四条" in v.reasoning_zh
    assert any(n.subject == "catalog.WSL2014-094" for n in v.unverified)


def test_act_and_decision_before_the_amendment_use_the_2014_law_without_comparison() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        act_date=date(2020, 3, 1),
        decision_date=date(2021, 8, 31),
        party="unit",
        stage="overdue_not_corrected",
    )
    assert v.applied_code == "WSL2014-094"
    assert v.art37.outcome == "same_version"
    assert (v.legal_range.min_yuan, v.legal_range.max_yuan) == (Decimal(50000), Decimal(100000))


def test_an_old_code_with_several_successors_cannot_be_compared() -> None:
    v = one(
        violation_codes=["WSL2014-094"],
        act_date=date(2020, 3, 1),
        decision_date=date(2023, 5, 1),
        party="unit",
        stage="first_order",
    )
    assert v.art37.outcome == "successor_ambiguous"
    assert v.applied_code == "WSL2014-094"
    assert any("从旧兼从轻" in w for w in v.warnings)


def _catalog_with_lighter_art95(catalog: Catalog) -> Catalog:
    """A made-up change: the 2021 Art 95 at 20 % for an ordinary accident (lighter than 30 %)."""
    types = []
    for v in catalog.violation_types:
        if v.code == "WSL2021-095":
            sanction = v.sanctions[0]
            assert isinstance(sanction.fine, IncomePercentageFine)
            grades = dict(sanction.fine.by_grade or {})
            grades[next(iter(grades))] = 20
            fine = sanction.fine.model_copy(update={"by_grade": grades})
            v = v.model_copy(update={"sanctions": (sanction.model_copy(update={"fine": fine}),)})
        types.append(v)
    return Catalog(laws=catalog.laws, provisions=catalog.provisions, violation_types=tuple(types))


def test_a_lighter_new_rule_applies_to_an_earlier_act(catalog: Catalog) -> None:
    changed = _catalog_with_lighter_art95(catalog)
    facts = FactSheet(
        violation_codes=["WSL2021-095"],
        act_date=date(2020, 3, 1),
        decision_date=date(2023, 5, 1),
        party="principal_person",
        stage="accident",
        accident_grade="ordinary",
        last_year_income_yuan=100000,
    )
    v = evaluate(facts, catalog=changed, today=TODAY).violations[0]
    assert v.art37.outcome == "decision_time_lighter"
    assert v.applied_code == "WSL2021-095"
    assert v.recommended_fine_yuan == Decimal(20000)
    assert "规定的处罚较轻" in v.reasoning_zh
    unchanged = evaluate(facts, catalog=catalog, today=TODAY).violations[0]
    assert unchanged.applied_code == "WSL2014-092"
    assert unchanged.recommended_fine_yuan == Decimal(30000)


def test_a_continuing_act_takes_the_law_in_force_when_it_ended() -> None:
    v = one(
        violation_codes=["WSL2021-097-03"],
        act_date=date(2021, 6, 1),
        act_end_date=date(2021, 10, 1),
        decision_date=date(2022, 1, 10),
        party="unit",
        stage="first_order",
    )
    assert v.applied_code == "WSL2021-097-03"
    assert "继续状态" in v.reasoning_zh


# ------------------------------------------------------------------ several violations (Art 29)


def test_same_act_breaking_two_provisions_gets_one_fine_under_the_higher_rule() -> None:
    d = decide(
        violation_codes=["WSL2021-099-02", "WSL2021-097-03"],
        party="unit",
        stage="overdue_not_corrected",
        same_act=True,
    )
    assert d.art29_applied_code == "WSL2021-097-03"  # 10–20万 beats 5–20万
    by_code = {v.code: v for v in d.violations}
    assert by_code["WSL2021-097-03"].fine_imposed
    assert not by_code["WSL2021-099-02"].fine_imposed
    assert "第二十九条" in by_code["WSL2021-099-02"].reasoning_zh
    assert d.total_fine_yuan == Decimal(150000)
    assert any(t.code == "several_violations" for t in d.legal_review.triggers)


def test_separate_acts_are_fined_separately_and_added_up() -> None:
    d = decide(
        violation_codes=["WSL2021-099-02", "WSL2021-097-03"],
        party="unit",
        stage="first_order",
    )
    assert d.art29_applied_code is None
    assert [v.recommended_fine_yuan for v in d.violations] == [Decimal(10000), Decimal(20000)]
    assert d.total_fine_yuan == Decimal(30000)
    assert "合并处以罚款3万元" in d.reasoning_zh


# ------------------------------------------------------------------ input errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"violation_codes": ["WSL2021-999"]}, "violation_codes"),
        ({"violation_codes": []}, "violation_codes"),
        ({"circumstances": ["bribery"]}, "circumstances"),
        ({"act_date": date(2023, 7, 1)}, "act_date"),  # after the decision
        ({"act_date": date(2027, 1, 1), "decision_date": date(2027, 2, 1)}, "act_date"),  # future
        ({"act_end_date": date(2023, 2, 1)}, "act_end_date"),  # before act_date
        ({"party": "principal_person"}, "party"),  # Art 97 has no such sanction
        ({"stage": "any"}, "stage"),
        ({"stage": "someday"}, "stage"),
        ({"jurisdiction": "atlantis"}, "jurisdiction"),
        ({"circumstances": ["corrected_promptly", "refused_to_correct"]}, "circumstances"),
        (
            {"stage": "overdue_not_corrected", "circumstances": ["corrected_promptly"]},
            "circumstances",
        ),
        ({"illegal_gains_yuan": -1}, "illegal_gains_yuan"),
        ({"last_year_income": -5}, "last_year_income_yuan"),
        ({"colour": "red"}, "colour"),
        ({"violation_codes": ["WSL2014-094"]}, "violation_codes"),  # old code for a 2023 act
    ],
)
def test_bad_fact_sheets_raise_fact_sheet_error_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    data: dict[str, Any] = {
        "violation_codes": ["WSL2021-097-03"],
        "act_date": date(2023, 3, 1),
        "decision_date": date(2023, 6, 1),
        "party": "unit",
        "stage": "first_order",
    }
    data.update(changes)
    with pytest.raises(FactSheetError) as caught:
        evaluate(FactSheet.model_validate(data), today=TODAY)
    assert caught.value.field == field
    assert caught.value.code == "invalid_fact_sheet"
    assert caught.value.message  # Chinese
    assert caught.value.message_en  # English
    assert caught.value.as_dict()["details"]["field"] == field


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (
            {"violation_codes": ["WSL2021-095"], "party": "principal_person", "stage": "accident",
             "accident_grade": "ordinary"},
            "last_year_income_yuan",
        ),
        (
            {"violation_codes": ["WSL2021-114"], "party": "unit", "stage": "accident"},
            "accident_grade",
        ),
        (
            {"violation_codes": ["WSL2021-103-01"], "party": "unit", "stage": "first_order"},
            "illegal_gains_yuan",
        ),
    ],
)  # fmt: skip
def test_missing_figures_a_rule_needs_raise_fact_sheet_error(
    facts: dict[str, Any], field: str
) -> None:
    with pytest.raises(FactSheetError) as caught:
        decide(**facts)
    assert caught.value.field == field
    assert "须填写" in caught.value.message


def test_unknown_code_message_is_in_chinese_and_english() -> None:
    with pytest.raises(FactSheetError) as caught:
        decide(violation_codes=["WSL2021-999"], party="unit", stage="first_order")
    assert caught.value.message == "未知的违法行为代码：WSL2021-999"
    assert caught.value.message_en == "unknown violation code WSL2021-999"
    assert "violation_codes" in str(caught.value)


# ------------------------------------------------------------------ jurisdictions, JSON, data


def test_jiangsu_reuses_the_national_default_and_says_so() -> None:
    national = one(violation_codes=["WSL2021-097-03"], party="unit", stage="first_order")
    d = decide(
        violation_codes=["WSL2021-097-03"], party="unit", stage="first_order", jurisdiction="320000"
    )
    assert d.standard.jurisdiction == "320000"
    assert d.standard.reused_from == "national-default"
    assert "未找到江苏省" in (d.standard.notes or "")
    assert d.violations[0].recommended_fine_yuan == national.recommended_fine_yuan


def test_a_county_code_falls_back_to_its_province() -> None:
    d = decide(
        violation_codes=["WSL2021-097-03"], party="unit", stage="first_order", jurisdiction="320102"
    )
    assert d.standard.requested_jurisdiction == "320102"
    assert d.standard.jurisdiction == "320000"


def test_an_unknown_province_code_falls_back_to_the_national_default() -> None:
    d = decide(
        violation_codes=["WSL2021-097-03"], party="unit", stage="first_order", jurisdiction="110000"
    )
    assert d.standard.jurisdiction == "national-default"


def test_decision_is_json_and_round_trips() -> None:
    d = decide(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="overdue_not_corrected",
        circumstances=["first_offence"],
    )
    data = json.loads(d.to_json())
    assert data["violations"][0]["recommended_fine_yuan"] == "115000"
    assert data["violations"][0]["tier"] == "lighter"
    assert data["facts"]["violation_codes"] == ["WSL2021-097-03"]
    assert data == d.model_dump(mode="json")
    assert Decision.model_validate_json(d.to_json()) == d


def test_fact_sheet_accepts_short_field_names_and_a_single_code() -> None:
    facts = FactSheet.model_validate(
        {
            "violation_codes": "WSL2021-095",
            "act_date": "2023-03-01",
            "party": "principal_person",
            "stage": "accident",
            "accident_grade": "ordinary",
            "last_year_income": "300000",
            "circumstances": ["major_hazard", "first_offence", "major_hazard"],
        }
    )
    assert facts.violation_codes == ("WSL2021-095",)
    assert facts.last_year_income_yuan == Decimal(300000)
    assert facts.circumstances == ("first_offence", "major_hazard")


def test_every_unverified_figure_used_is_listed() -> None:
    d = decide(
        violation_codes=["WSL2021-097-03"],
        party="unit",
        stage="first_order",
        circumstances=["first_offence"],
    )
    subjects = {n.subject for n in d.unverified}
    assert "bands.max_only.lighter" in subjects
    assert "tier_rules" in subjects
    assert "circumstances.first_offence" in subjects
    assert "thresholds.hearing.large_fine" in subjects
    assert all(n.confidence is Confidence.UNVERIFIED for n in d.unverified)
    band = next(n for n in d.unverified if n.subject == "bands.max_only.lighter")
    assert band.source == "anjian-default"
    assert band.value == "0–0.1"


def test_packaged_standards_are_our_default_and_unverified() -> None:
    book = load_discretion()
    assert set(book.jurisdictions()) == {"national-default", "320000"}
    for standard in book.standards:
        assert standard.source == "anjian-default"
        assert standard.confidence is Confidence.UNVERIFIED
        assert standard.bands.source == "anjian-default"
        assert standard.bands.confidence is Confidence.UNVERIFIED
    versions = [s.version for s in book.versions("national-default")]
    assert versions == ["2014-12-01", "2015-05-01", "2026-02-01"]
    assert book.standard_for("national-default", TODAY).version == "2026-02-01"


def test_statutory_circumstances_are_confirmed_and_cite_catalogued_provisions(
    catalog: Catalog,
) -> None:
    circumstances = default_discretion().circumstances
    art32 = [
        c
        for c in circumstances.circumstances
        if c.effect is CircumstanceEffect.STATUTORY_LIGHTER_OR_REDUCED
    ]
    assert sorted(c.citation.short() for c in art32 if c.citation) == [
        f"APL:2021:32:-:{i}" for i in range(1, 6)
    ]
    for c in circumstances.circumstances:
        if c.effect_source == "statute":
            assert c.confidence is Confidence.CONFIRMED
        else:
            assert c.confidence is Confidence.UNVERIFIED
        if c.citation is not None:
            provision = catalog.provision(c.citation)
            assert provision is not None, c.code
            assert provision.text_zh
    for w in circumstances.waivers:
        provision = catalog.provision(w.citation)
        assert provision is not None
        assert w.text_zh.rstrip("。") in (provision.text_zh or "")


def test_brief_mitigating_and_aggravating_codes_exist() -> None:
    circumstances = default_discretion().circumstances
    assert set(circumstances.codes(CircumstanceKind.MITIGATING)) >= {
        "first_offence",
        "minor_consequence",
        "corrected_promptly",
        "eliminated_harm",
        "coerced",
        "confessed",
        "meritorious",
    }
    assert set(circumstances.codes(CircumstanceKind.AGGRAVATING)) >= {
        "refused_to_correct",
        "repeated_within_year",
        "caused_accident",
        "obstructed_inspection",
        "falsified_data",
        "major_hazard",
        "concealed_accident",
    }


def _copy_data(tmp_path: Path) -> Path:
    for file in DEFAULT_DISCRETION_DIR.glob("*.yaml"):
        (tmp_path / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_loader_rejects_bands_that_are_not_contiguous(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    path = directory / "national-default.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["versions"][0]["bands"]["min_max"]["ordinary"]["from"] = "0.4"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DiscretionDataError) as caught:
        load_discretion(directory)
    assert any("contiguous" in p for p in caught.value.problems)


def test_loader_rejects_a_confirmed_anjian_default_and_overlapping_versions(
    tmp_path: Path,
) -> None:
    directory = _copy_data(tmp_path)
    path = directory / "national-default.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["confidence"] = "confirmed"
    data["versions"][1]["valid_from"] = "2015-04-01"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DiscretionDataError) as caught:
        load_discretion(directory)
    text = "\n".join(caught.value.problems)
    assert "cannot be confirmed" in text


def test_loader_rejects_unknown_circumstance_references(tmp_path: Path) -> None:
    directory = _copy_data(tmp_path)
    path = directory / "circumstances.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["circumstances"][0]["excludes"] = ["nonexistent"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DiscretionDataError) as caught:
        load_discretion(directory)
    assert "nonexistent" in str(caught.value)


def test_a_province_file_extends_a_national_version_and_overrides_the_hearing_line(
    tmp_path: Path,
) -> None:
    directory = _copy_data(tmp_path)
    province = {
        "jurisdiction": "330000",
        "name_zh": "测试省",
        "name_en": "Test province",
        "source": "anjian-default",
        "confidence": "unverified",
        "versions": [
            {
                "version": "2020-01-01",
                "extends": "national-default:2015-05-01",
                "valid_from": "2020-01-01",
                "valid_to": None,
                "thresholds": {
                    "hearing": {
                        "large_fine": {
                            "natural_person_yuan": 5000,
                            "organisation_yuan": 10000,
                            "source": "测试省规定",
                        }
                    }
                },
            }
        ],
    }
    (directory / "330000.yaml").write_text(
        yaml.safe_dump(province, allow_unicode=True), encoding="utf-8"
    )
    book = load_discretion(directory)
    standard = book.standard_for("330100", date(2023, 6, 1))
    assert standard.jurisdiction == "330000"
    assert standard.version == "2020-01-01"
    assert standard.thresholds.hearing.large_fine == AmountThreshold(
        natural_person_yuan=5000,
        organisation_yuan=10000,
        source="测试省规定",
        citation="APL:2021:63:1:1",
        confidence=Confidence.UNVERIFIED,
        notes=standard.thresholds.hearing.large_fine.notes,
    )
    assert standard.bands == book.standard_for("national-default", date(2023, 6, 1)).bands
    with pytest.raises(LookupError):
        book.standard_for("330000", date(2019, 6, 1))
    facts = FactSheet(
        violation_codes=["WSL2021-097-03"],
        act_date=date(2023, 3, 1),
        decision_date=date(2023, 6, 1),
        party="unit",
        stage="first_order",
        jurisdiction="330000",
    )
    d = evaluate(facts, standard=standard, today=TODAY)
    assert d.hearing.required  # 20000 ≥ the province's 10000


# ------------------------------------------------------------------ hypothesis properties

_CATALOG = default_catalog()
_BOOK = default_discretion()
_CIRCUMSTANCES = _BOOK.circumstances
_MITIGATING = _CIRCUMSTANCES.codes(CircumstanceKind.MITIGATING)
_AGGRAVATING = _CIRCUMSTANCES.codes(CircumstanceKind.AGGRAVATING)
_ALL_CODES = _CIRCUMSTANCES.codes()
_STATUTORY = {
    c.code
    for c in _CIRCUMSTANCES.circumstances
    if c.effect is CircumstanceEffect.STATUTORY_LIGHTER_OR_REDUCED
}

#: (code, party, stage) of every 2021 fine that the engine computes (not the daily fine).
_FINE_CASES = sorted(
    {
        (v.code, s.party, stage)
        for v in _CATALOG.violation_types
        if v.law_version == "2021"
        for s in v.sanctions
        if s.fine is not None and not isinstance(s.fine, DailyFine)
        for stage in (
            [s.stage]
            if s.stage is not Stage.ANY
            else [Stage.FIRST_ORDER, Stage.OVERDUE_NOT_CORRECTED, Stage.ACCIDENT]
        )
    }
)

_PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@st.composite
def fact_sheets(
    draw: st.DrawFn, circumstances: st.SearchStrategy[frozenset[str]] | None = None
) -> dict[str, Any]:
    code, party, stage = draw(st.sampled_from(_FINE_CASES))
    act = draw(st.dates(date(2021, 9, 1), date(2026, 6, 1)))
    decided = act + timedelta(days=draw(st.integers(0, 150)))
    chosen = draw(
        circumstances
        if circumstances is not None
        else st.frozensets(st.sampled_from(_ALL_CODES), max_size=4)
    )
    assume(not _CIRCUMSTANCES.conflicts(chosen, stage))
    return {
        "violation_codes": [code],
        "act_date": act,
        "decision_date": decided,
        "party": party,
        "stage": stage,
        "accident_grade": draw(
            st.sampled_from(["ordinary", "larger", "major", "especially_major"])
        ),
        "illegal_gains_yuan": draw(st.integers(0, 2_000_000)),
        "last_year_income_yuan": draw(st.decimals(0, 3_000_000, places=2)),
        "circumstances": sorted(chosen),
    }


def _amount(data: dict[str, Any]) -> Decimal:
    v = evaluate(FactSheet(**data), today=TODAY).violations[0]
    assert v.recommended_fine_yuan is not None
    return v.recommended_fine_yuan


@_PROPERTY_SETTINGS
@given(fact_sheets())
def test_property_amount_lies_in_the_legal_range_unless_lawfully_reduced(
    data: dict[str, Any],
) -> None:
    v = evaluate(FactSheet(**data), today=TODAY).violations[0]
    amount = v.recommended_fine_yuan
    assert amount is not None
    assert amount >= 0
    if v.waiver is WaiverStatus.MUST:
        assert amount == 0
        return
    assert v.legal_range is not None
    assert v.tier_range is not None
    assert v.tier_range.contains(amount)
    if v.legal_range.contains(amount):
        return
    # Only a lawful reduction may leave the range: below the minimum, with an Art 32 circumstance.
    assert v.tier is Tier.REDUCED
    assert v.legal_range.min_yuan is not None
    assert amount < v.legal_range.min_yuan
    assert _STATUTORY & set(data["circumstances"])


@_PROPERTY_SETTINGS
@given(fact_sheets(), st.sampled_from(_AGGRAVATING))
def test_property_an_aggravating_circumstance_never_lowers_the_amount(
    data: dict[str, Any], extra: str
) -> None:
    more = {**data, "circumstances": sorted({*data["circumstances"], extra})}
    assume(not _CIRCUMSTANCES.conflicts(more["circumstances"], data["stage"]))
    assert _amount(more) >= _amount(data)


@_PROPERTY_SETTINGS
@given(fact_sheets(), st.sampled_from(_MITIGATING))
def test_property_a_mitigating_circumstance_never_raises_the_amount(
    data: dict[str, Any], extra: str
) -> None:
    more = {**data, "circumstances": sorted({*data["circumstances"], extra})}
    assume(not _CIRCUMSTANCES.conflicts(more["circumstances"], data["stage"]))
    assert _amount(more) <= _amount(data)


@_PROPERTY_SETTINGS
@given(fact_sheets())
def test_property_same_facts_give_the_same_decision(data: dict[str, Any]) -> None:
    first = evaluate(FactSheet(**data), today=TODAY)
    shuffled = {**data, "circumstances": list(reversed(data["circumstances"]))}
    second = evaluate(FactSheet(**shuffled), today=TODAY)
    assert first == second
    assert first.to_json() == second.to_json()


#: 2021 codes with a catalogued 2014 predecessor, with a party and stage both versions fine.
_ART37_CASES = [
    ("WSL2021-097-03", Party.UNIT, Stage.FIRST_ORDER),
    ("WSL2021-097-01a", Party.UNIT, Stage.OVERDUE_NOT_CORRECTED),
    ("WSL2021-097-07", Party.UNIT, Stage.OVERDUE_NOT_CORRECTED),
    ("WSL2021-095", Party.PRINCIPAL_PERSON, Stage.ACCIDENT),
    ("WSL2021-114", Party.UNIT, Stage.ACCIDENT),
]


@_PROPERTY_SETTINGS
@given(
    st.sampled_from(_ART37_CASES),
    st.dates(date(2019, 1, 1), date(2021, 8, 31)),
    st.dates(date(2021, 9, 1), date(2026, 11, 1)),
    st.sampled_from(["ordinary", "larger", "major", "especially_major"]),
    st.frozensets(st.sampled_from(_ALL_CODES), max_size=3),
    st.integers(10_000, 2_000_000),
)
def test_property_an_act_before_the_amendment_decided_after_it_gets_the_lighter_version(
    case: tuple[str, Party, Stage],
    act: date,
    decided: date,
    grade: str,
    circumstances: frozenset[str],
    income: int,
) -> None:
    code, party, stage = case
    assume(not _CIRCUMSTANCES.conflicts(circumstances, stage))
    common = {
        "party": party,
        "stage": stage,
        "accident_grade": grade,
        "last_year_income_yuan": income,
        "circumstances": sorted(circumstances),
    }
    mixed = evaluate(
        FactSheet(violation_codes=[code], act_date=act, decision_date=decided, **common),
        today=TODAY,
    ).violations[0]
    old_code = _CATALOG.version_for_act(code, act)
    assert old_code is not None
    old_only = evaluate(
        FactSheet(violation_codes=[code], act_date=act, decision_date=date(2021, 8, 31), **common),
        today=TODAY,
    ).violations[0]
    new_only = evaluate(
        FactSheet(violation_codes=[code], act_date=decided, decision_date=decided, **common),
        today=TODAY,
    ).violations[0]
    assert old_only.applied_code == old_code.code
    assert new_only.applied_code == code
    assert mixed.art37.outcome in {"act_time_lighter_or_equal", "decision_time_lighter"}
    assert mixed.applied_code in {old_code.code, code}
    lighter = min(old_only.recommended_fine_yuan or 0, new_only.recommended_fine_yuan or 0)
    assert mixed.recommended_fine_yuan == lighter
    chosen = old_only if mixed.applied_code == old_code.code else new_only
    other = new_only if chosen is old_only else old_only
    assert chosen.legal_range is not None
    assert other.legal_range is not None
    assert (chosen.legal_range.max_yuan or 0) <= (other.legal_range.max_yuan or 0)
    assert "第三十七条" in mixed.reasoning_zh

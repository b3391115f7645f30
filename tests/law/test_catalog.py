from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from anjian.law.core.accidents import AccidentGrade
from anjian.law.core.catalog import (
    AccidentGradeFine,
    Catalog,
    Citation,
    Confidence,
    DailyFine,
    IncomePercentageFine,
    MultipleOfGainsFine,
    Party,
    PenaltyKind,
    RangeFine,
    Stage,
    default_catalog,
    load_catalog,
    zh_number,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _range(fine: object) -> tuple[int | None, int | None]:
    assert isinstance(fine, RangeFine)
    return fine.min_yuan, fine.max_yuan


def _items(catalog: Catalog, article: int) -> set[int]:
    return {
        v.penalty_provision.item
        for v in catalog.by_article("WSL", article, "2021")
        if v.penalty_provision.item is not None
    }


# ------------------------------------------------------------------ loading and counts


def test_packaged_catalog_loads_every_law_version(catalog: Catalog) -> None:
    assert {(law.code, law.version) for law in catalog.laws} == {
        ("WSL", "2021"),
        ("WSL", "2014"),
        ("APL", "2021"),
        ("APL", "1996"),
        ("ARR", "2007"),
    }


def test_default_catalog_is_cached() -> None:
    assert default_catalog() is default_catalog()


def test_at_least_sixty_violation_types_in_force_on_2022_01_01(catalog: Catalog) -> None:
    in_force = catalog.in_force(date(2022, 1, 1))
    assert len(in_force) >= 60
    assert all(v.law_version == "2021" for v in in_force)


def test_only_2014_types_apply_to_acts_in_2020(catalog: Catalog) -> None:
    codes = {v.code for v in catalog.in_force(date(2020, 1, 1))}
    assert codes == {"WSL2014-092", "WSL2014-094", "WSL2014-109"}


def test_2021_version_starts_on_2021_09_01(catalog: Catalog) -> None:
    code = "WSL2021-097-03"
    assert not catalog.violation(code).is_in_force(date(2021, 8, 31))
    assert catalog.violation(code).is_in_force(date(2021, 9, 1))
    assert catalog.law_in_force("WSL", date(2021, 8, 31)).version == "2014"  # type: ignore[union-attr]
    assert catalog.law_in_force("WSL", date(2021, 9, 1)).version == "2021"  # type: ignore[union-attr]


def test_unknown_code_raises_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError):
        catalog.violation("WSL2021-999")


# ------------------------------------------------------------------ enumerated items


@pytest.mark.parametrize(
    ("article", "items"),
    [
        (97, range(1, 8)),
        (98, range(1, 5)),
        (99, range(1, 9)),
        (101, range(1, 6)),
        (105, range(1, 3)),
    ],
)
def test_every_enumerated_item_has_a_violation_type(
    catalog: Catalog, article: int, items: range
) -> None:
    assert _items(catalog, article) == set(items)


def test_item_citations_name_article_and_item_without_paragraph(catalog: Catalog) -> None:
    for article in (97, 98, 99, 101, 105):
        for v in catalog.by_article("WSL", article, "2021"):
            c = v.penalty_provision
            assert (c.law, c.law_version, c.article, c.paragraph) == ("WSL", "2021", article, None)
            assert v.code.startswith(f"WSL2021-{article:03d}-{c.item:02d}")


def test_training_violation_is_article_97_item_3(catalog: Catalog) -> None:
    v = catalog.violation("WSL2021-097-03")
    assert (
        v.penalty_provision.label_zh() == "《中华人民共和国安全生产法》（2021）第九十七条第（三）项"
    )
    assert [c.short() for c in v.violated_provisions] == [
        "WSL:2021:28:1",
        "WSL:2021:28:2",
        "WSL:2021:28:3",
        "WSL:2021:44:1",
    ]
    assert v.confidence is Confidence.CONFIRMED
    assert "主体：生产经营单位" in v.elements_zh


def test_article_97_fines_escalate_when_overdue(catalog: Catalog) -> None:
    v = catalog.violation("WSL2021-097-07")
    first = v.sanctions_for(Party.UNIT, Stage.FIRST_ORDER)
    overdue_unit = v.sanctions_for(Party.UNIT, Stage.OVERDUE_NOT_CORRECTED)
    overdue_person = v.sanctions_for(Party.RESPONSIBLE_PERSON, Stage.OVERDUE_NOT_CORRECTED)
    assert [_range(s.fine) for s in first] == [(None, 100_000)]
    assert [_range(s.fine) for s in overdue_unit] == [(100_000, 200_000)]
    assert PenaltyKind.SUSPEND_PRODUCTION in overdue_unit[0].kinds
    assert [_range(s.fine) for s in overdue_person] == [(20_000, 50_000)]
    assert v.crime_referral is False


def test_article_99_serious_cases_suspend_production(catalog: Catalog) -> None:
    v = catalog.violation("WSL2021-099-05")
    assert [_range(s.fine) for s in v.sanctions if s.fine] == [
        (None, 50_000),
        (50_000, 200_000),
        (10_000, 20_000),
    ]
    serious = [s for s in v.sanctions if s.condition_zh == "情节严重的"]
    assert serious[0].kinds == (PenaltyKind.SUSPEND_PRODUCTION,)


def test_article_102_refusal_fines_responsible_persons(catalog: Catalog) -> None:
    v = catalog.violation("WSL2021-102")
    assert v.correction_order_zh == "责令立即消除或者限期消除"
    refused = v.sanctions_for(Party.RESPONSIBLE_PERSON, Stage.REFUSED)
    assert [_range(s.fine) for s in refused] == [(50_000, 100_000)]


def test_article_103_is_split_by_paragraph(catalog: Catalog) -> None:
    paragraphs = sorted(
        {v.penalty_provision.paragraph for v in catalog.by_article("WSL", 103, "2021")}  # type: ignore[type-var]
    )
    assert paragraphs == [1, 2, 3]
    fine = catalog.violation("WSL2021-103-01").sanctions[0].fine
    assert isinstance(fine, MultipleOfGainsFine)
    assert (fine.min_multiple, fine.max_multiple) == (Decimal(2), Decimal(5))
    assert fine.applies_when_gains_at_least_yuan == 100_000
    assert _range(fine.fallback) == (100_000, 200_000)


# ------------------------------------------------------------------ accidents, income, daily, closure


def test_article_114_accident_fines_are_exact(catalog: Catalog) -> None:
    fine = catalog.violation("WSL2021-114").sanctions[0].fine
    assert isinstance(fine, AccidentGradeFine)
    assert {grade: _range(band) for grade, band in fine.bands.items()} == {
        AccidentGrade.ORDINARY: (300_000, 1_000_000),
        AccidentGrade.LARGER: (1_000_000, 2_000_000),
        AccidentGrade.MAJOR: (2_000_000, 10_000_000),
        AccidentGrade.ESPECIALLY_MAJOR: (10_000_000, 20_000_000),
    }
    assert (fine.aggravation_min_multiple, fine.aggravation_max_multiple) == (2, 5)
    assert fine.aggravation_condition_zh == "情节特别严重、影响特别恶劣的"
    assert fine.aggravation_citation is not None
    assert fine.aggravation_citation.short() == "WSL:2021:114:2"


def test_article_95_income_percentages_by_grade(catalog: Catalog) -> None:
    fine = catalog.violation("WSL2021-095").sanctions[0].fine
    assert isinstance(fine, IncomePercentageFine)
    assert fine.by_grade == {
        AccidentGrade.ORDINARY: 40,
        AccidentGrade.LARGER: 60,
        AccidentGrade.MAJOR: 80,
        AccidentGrade.ESPECIALLY_MAJOR: 100,
    }


def test_article_110_fines_sixty_to_hundred_percent_and_police_detain_absconders(
    catalog: Catalog,
) -> None:
    v = catalog.violation("WSL2021-110-01c")
    fine = next(s.fine for s in v.sanctions if s.fine is not None)
    assert isinstance(fine, IncomePercentageFine)
    assert (fine.min_percent, fine.max_percent) == (60, 100)
    detention = [s for s in v.sanctions if PenaltyKind.DETENTION in s.kinds]
    assert detention[0].detention_max_days == 15
    assert detention[0].decided_by.value == "police"


def test_article_112_daily_fine_is_the_continuing_fine_rule(catalog: Catalog) -> None:
    rule = catalog.continuing_fine_rule("WSL", "2021")
    assert rule is not None
    assert rule.code == "WSL2021-112"
    sanction = rule.sanctions[0]
    assert isinstance(sanction.fine, DailyFine)
    assert sanction.fine.multiple_of_original == 1
    assert sanction.is_mandatory is False
    assert sanction.stage is Stage.REFUSED


def test_article_113_closure_triggers_are_structured(catalog: Catalog) -> None:
    triggers = catalog.closure_triggers("WSL", "2021")
    repeated = [t for t in triggers if t.kind.value == "repeated_penalties"]
    assert [(t.penalty_count, t.window_days, t.window_years) for t in repeated] == [
        (3, 180, None),
        (4, None, 1),
    ]
    assert all(t.requires_major_hazard for t in repeated)
    assert sorted({t.citation.item for t in triggers}) == [1, 2, 3, 4]  # type: ignore[type-var]


# ------------------------------------------------------------------ 2014 version


def test_2014_accident_fines_are_unverified_with_aggravated_band(catalog: Catalog) -> None:
    v = catalog.violation("WSL2014-109")
    assert v.confidence is Confidence.UNVERIFIED
    fine = v.sanctions[0].fine
    assert isinstance(fine, AccidentGradeFine)
    assert _range(fine.bands[AccidentGrade.ORDINARY]) == (200_000, 500_000)
    assert _range(fine.bands[AccidentGrade.ESPECIALLY_MAJOR]) == (5_000_000, 10_000_000)
    assert fine.aggravated_bands is not None
    assert _range(fine.aggravated_bands[AccidentGrade.ESPECIALLY_MAJOR]) == (10_000_000, 20_000_000)
    assert catalog.successor_of("WSL2014-109").code == "WSL2021-114"  # type: ignore[union-attr]


def test_2014_article_94_continues_as_every_article_97_type(catalog: Catalog) -> None:
    successors = {v.code for v in catalog.successors_of("WSL2014-094")}
    assert successors == {v.code for v in catalog.by_article("WSL", 97, "2021")}
    assert [v.code for v in catalog.predecessors_of("WSL2021-097-03")] == ["WSL2014-094"]


def test_version_for_act_picks_the_law_in_force_on_the_act_date(catalog: Catalog) -> None:
    assert catalog.version_for_act("WSL2021-095", date(2021, 8, 31)).code == "WSL2014-092"  # type: ignore[union-attr]
    assert catalog.version_for_act("WSL2021-095", date(2021, 9, 1)).code == "WSL2021-095"  # type: ignore[union-attr]
    assert catalog.version_for_act("WSL2021-099-01", date(2020, 1, 1)) is None


def test_nothing_from_a_text_not_held_is_confirmed(catalog: Catalog) -> None:
    unheld = {(law.code, law.version) for law in catalog.laws if law.source is None}
    for v in catalog.violation_types:
        if (v.law, v.law_version) in unheld:
            assert v.confidence is Confidence.UNVERIFIED
            assert all(s.confidence is Confidence.UNVERIFIED for s in v.sanctions)
    for p in catalog.provisions:
        if (p.citation.law, p.citation.law_version) in unheld:
            assert p.confidence is Confidence.UNVERIFIED


# ------------------------------------------------------------------ procedure figures


def test_simple_procedure_limits_by_version(catalog: Catalog) -> None:
    new = catalog.provision(Citation.model_validate("APL:2021:51"))
    old = catalog.provision(Citation.model_validate("APL:1996:33"))
    assert new is not None
    assert old is not None
    assert new.figures == {
        "simple_procedure_max_fine_citizen_yuan": 200,
        "simple_procedure_max_fine_organisation_yuan": 3000,
    }
    assert old.figures == {
        "simple_procedure_max_fine_citizen_yuan": 50,
        "simple_procedure_max_fine_organisation_yuan": 1000,
    }
    assert old.confidence is Confidence.UNVERIFIED


def test_hearing_request_period_by_version(catalog: Catalog) -> None:
    new = catalog.provision(Citation.model_validate("APL:2021:64"))
    old = catalog.provision(Citation.model_validate("APL:1996:42"))
    assert new is not None
    assert old is not None
    assert new.figures["hearing_request_working_days"] == 5
    assert old.figures["hearing_request_days"] == 3


def test_provision_lookup_falls_back_to_enclosing_article(catalog: Catalog) -> None:
    provision = catalog.provision(Citation.model_validate("WSL:2021:28:4"))
    assert provision is not None
    assert provision.citation.short() == "WSL:2021:28"
    assert "如实记录安全生产教育和培训的时间" in (provision.text_zh or "")


# ------------------------------------------------------------------ search and labels


def test_search_finds_evacuation_route_violations(catalog: Catalog) -> None:
    codes = {v.code for v in catalog.search("疏散通道")}
    assert {"WSL2021-105-02a", "WSL2021-105-02b"} <= codes


def test_search_with_blank_keyword_finds_nothing(catalog: Catalog) -> None:
    assert catalog.search("  ") == []


@pytest.mark.parametrize(
    ("short", "label"),
    [
        ("WSL:2021:114:1:4", "《中华人民共和国安全生产法》（2021）第一百一十四条第一款第（四）项"),
        ("APL:2021:51", "《中华人民共和国行政处罚法》（2021）第五十一条"),
        ("ARR:2007:3:3", "《生产安全事故报告和调查处理条例》（2007）第三条第三款"),
    ],
)
def test_citation_label_zh(short: str, label: str) -> None:
    assert Citation.model_validate(short).label_zh() == label


@pytest.mark.parametrize(
    ("n", "zh"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (97, "九十七"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (119, "一百一十九"),
    ],
)
def test_zh_number(n: int, zh: str) -> None:
    assert zh_number(n) == zh


def test_citation_short_form_round_trips() -> None:
    for short in ("WSL:2021:97", "WSL:2021:97:-:3", "WSL:2021:114:1:4", "WSL:2021:103:2"):
        assert Citation.model_validate(short).short() == short

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.law.core.accidents import (
    ACCIDENT_GRADE_CITATION,
    ACCIDENT_GRADE_THRESHOLDS,
    AccidentGrade,
    grade_accident,
)

ORDINARY = AccidentGrade.ORDINARY
LARGER = AccidentGrade.LARGER
MAJOR = AccidentGrade.MAJOR
ESPECIALLY_MAJOR = AccidentGrade.ESPECIALLY_MAJOR


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, ORDINARY),
        (1, ORDINARY),
        (2, ORDINARY),
        (3, LARGER),
        (9, LARGER),
        (10, MAJOR),
        (29, MAJOR),
        (30, ESPECIALLY_MAJOR),
        (1000, ESPECIALLY_MAJOR),
    ],
)
def test_deaths_boundaries_follow_article_3(deaths: int, expected: AccidentGrade) -> None:
    assert grade_accident(deaths, 0, 0) is expected


@pytest.mark.parametrize(
    ("serious_injuries", "expected"),
    [
        (9, ORDINARY),
        (10, LARGER),
        (49, LARGER),
        (50, MAJOR),
        (99, MAJOR),
        (100, ESPECIALLY_MAJOR),
    ],
)
def test_serious_injury_boundaries_follow_article_3(
    serious_injuries: int, expected: AccidentGrade
) -> None:
    assert grade_accident(0, serious_injuries, 0) is expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (9_999_999, ORDINARY),
        (10_000_000, LARGER),
        (49_999_999, LARGER),
        (50_000_000, MAJOR),
        (99_999_999, MAJOR),
        (100_000_000, ESPECIALLY_MAJOR),
    ],
)
def test_direct_loss_boundaries_follow_article_3(loss: int, expected: AccidentGrade) -> None:
    assert grade_accident(0, 0, loss) is expected


def test_decimal_loss_just_below_ten_million_is_ordinary() -> None:
    assert grade_accident(0, 0, Decimal("9999999.99")) is ORDINARY
    assert grade_accident(0, 0, Decimal("10000000.00")) is LARGER


def test_highest_grade_of_any_measure_wins() -> None:
    assert grade_accident(1, 0, 100_000_000) is ESPECIALLY_MAJOR
    assert grade_accident(3, 50, 0) is MAJOR
    assert grade_accident(2, 9, 10_000_000) is LARGER


def test_accident_without_casualties_or_loss_is_ordinary() -> None:
    assert grade_accident(0, 0, 0) is ORDINARY


@pytest.mark.parametrize(("deaths", "injuries", "loss"), [(-1, 0, 0), (0, -1, 0), (0, 0, -1)])
def test_negative_measure_is_rejected(deaths: int, injuries: int, loss: int) -> None:
    with pytest.raises(ValueError):
        grade_accident(deaths, injuries, loss)


def test_grade_labels_are_chinese_terms() -> None:
    assert [g.label_zh for g in AccidentGrade] == [
        "一般事故",
        "较大事故",
        "重大事故",
        "特别重大事故",
    ]
    assert [g.rank for g in AccidentGrade] == [0, 1, 2, 3]


def test_thresholds_cite_regulation_article_3_items() -> None:
    assert ACCIDENT_GRADE_CITATION.law == "ARR"
    assert ACCIDENT_GRADE_CITATION.article == 3
    assert [(t.grade, t.source.item) for t in ACCIDENT_GRADE_THRESHOLDS] == [
        (ESPECIALLY_MAJOR, 1),
        (MAJOR, 2),
        (LARGER, 3),
    ]
    assert ACCIDENT_GRADE_THRESHOLDS[0].source.label_zh == (
        "《生产安全事故报告和调查处理条例》（2007）第三条第一款第（一）项"
    )


measures = st.tuples(
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=300_000_000),
)


@given(base=measures, extra=measures)
def test_more_of_any_measure_never_lowers_the_grade(
    base: tuple[int, int, int], extra: tuple[int, int, int]
) -> None:
    deaths, injuries, loss = base
    more = grade_accident(deaths + extra[0], injuries + extra[1], loss + extra[2])
    assert more.rank >= grade_accident(deaths, injuries, loss).rank


@given(base=measures, which=st.integers(min_value=0, max_value=2))
def test_one_more_unit_of_one_measure_never_lowers_the_grade(
    base: tuple[int, int, int], which: int
) -> None:
    bumped = list(base)
    bumped[which] += 1
    assert grade_accident(*bumped).rank >= grade_accident(*base).rank

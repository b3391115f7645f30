"""Accident grades (事故等级) per 生产安全事故报告和调查处理条例 (2007) Art 3.

An accident takes the highest grade reached by any of its three measures (deaths, serious
injuries including acute industrial poisoning, direct economic loss). In Art 3 para 1
"以上" includes the figure and "以下" excludes it (Art 3 para 3), so 30 deaths is 特别重大 and
29 is 重大. Plain Python; no Django, no catalog import (the catalog imports this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "ACCIDENT_GRADE_CITATION",
    "ACCIDENT_GRADE_THRESHOLDS",
    "AccidentGrade",
    "GradeThreshold",
    "ThresholdSource",
    "grade_accident",
]


class AccidentGrade(StrEnum):
    ORDINARY = "ordinary"  # 一般事故
    LARGER = "larger"  # 较大事故
    MAJOR = "major"  # 重大事故
    ESPECIALLY_MAJOR = "especially_major"  # 特别重大事故

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self]

    @property
    def rank(self) -> int:
        """0 for 一般 up to 3 for 特别重大; compare grades with this."""
        return _RANK[self]


_LABELS_ZH: dict[AccidentGrade, str] = {
    AccidentGrade.ORDINARY: "一般事故",
    AccidentGrade.LARGER: "较大事故",
    AccidentGrade.MAJOR: "重大事故",
    AccidentGrade.ESPECIALLY_MAJOR: "特别重大事故",
}
_RANK: dict[AccidentGrade, int] = {
    AccidentGrade.ORDINARY: 0,
    AccidentGrade.LARGER: 1,
    AccidentGrade.MAJOR: 2,
    AccidentGrade.ESPECIALLY_MAJOR: 3,
}


@dataclass(frozen=True, slots=True)
class ThresholdSource:
    """Where a threshold comes from (same fields as catalog.Citation, kept here to avoid a cycle)."""

    law: str
    law_version: str
    article: int
    paragraph: int | None
    item: int | None
    confidence: str = "confirmed"
    label_zh: str = ""


ACCIDENT_GRADE_CITATION = ThresholdSource(
    law="ARR",
    law_version="2007",
    article=3,
    paragraph=1,
    item=None,
    label_zh="《生产安全事故报告和调查处理条例》（2007）第三条",
)


@dataclass(frozen=True, slots=True)
class GradeThreshold:
    """The lower bounds (inclusive: "以上包括本数") at which an accident reaches ``grade``."""

    grade: AccidentGrade
    deaths_at_least: int
    serious_injuries_at_least: int
    direct_loss_yuan_at_least: int
    source: ThresholdSource


def _source(item: int) -> ThresholdSource:
    return ThresholdSource(
        law="ARR",
        law_version="2007",
        article=3,
        paragraph=1,
        item=item,
        label_zh=f"《生产安全事故报告和调查处理条例》（2007）第三条第一款第（{'一二三四'[item - 1]}）项",
    )


#: Highest grade first. Values copied from 条例 Art 3 para 1 items (一)–(三); item (四) 一般事故
#: is everything below 较大 (3人以下死亡、10人以下重伤、1000万元以下, "以下" excluding the figure).
ACCIDENT_GRADE_THRESHOLDS: tuple[GradeThreshold, ...] = (
    GradeThreshold(AccidentGrade.ESPECIALLY_MAJOR, 30, 100, 100_000_000, _source(1)),
    GradeThreshold(AccidentGrade.MAJOR, 10, 50, 50_000_000, _source(2)),
    GradeThreshold(AccidentGrade.LARGER, 3, 10, 10_000_000, _source(3)),
)


def grade_accident(
    deaths: int, serious_injuries: int, direct_loss_yuan: int | Decimal
) -> AccidentGrade:
    """The grade of an accident: the highest grade any one measure reaches.

    ``serious_injuries`` includes acute industrial poisoning (急性工业中毒). An accident below
    every 较大 threshold (including one with no casualties and no loss) is 一般.
    Raises ValueError for a negative measure.
    """
    if isinstance(deaths, bool) or isinstance(serious_injuries, bool):
        raise TypeError("deaths and serious_injuries must be integers")
    for name, value in (
        ("deaths", deaths),
        ("serious_injuries", serious_injuries),
        ("direct_loss_yuan", direct_loss_yuan),
    ):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    for threshold in ACCIDENT_GRADE_THRESHOLDS:
        if (
            deaths >= threshold.deaths_at_least
            or serious_injuries >= threshold.serious_injuries_at_least
            or direct_loss_yuan >= threshold.direct_loss_yuan_at_least
        ):
            return threshold.grade
    return AccidentGrade.ORDINARY

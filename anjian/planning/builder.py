"""The plan builder: enterprises → classes → groups → MIP → named inspections and draw quotas.

Plain Python (no Django): the service loads the rows, this module decides, the service writes.
Used as is by ``benchmarks/planning_solver.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from anjian.planning import solver
from anjian.planning.rules import FrequencyTable


@dataclass(frozen=True)
class EnterpriseRow:
    enterprise_id: int
    risk_grade: str
    tags: tuple[str, ...]
    last_inspected: dt.date | None


@dataclass(frozen=True)
class PlanSettings:
    year: int
    capacity: tuple[float, ...]  # plannable officer-days per month
    yearly_cap: int
    random_share: float
    visit_decay: float
    time_limit: float = 60.0
    mip_rel_gap: float = 1e-3


class Placement(NamedTuple):
    enterprise_id: int
    class_code: str
    group_key: str
    risk_weight: float
    visits: int
    months: tuple[int, ...]
    in_random_pool: bool


@dataclass(frozen=True)
class BuildResult:
    solution: solver.Solution
    placements: list[Placement]
    seconds: float
    class_counts: dict[str, int]

    def summary(self, table: FrequencyTable, settings: PlanSettings) -> dict[str, Any]:
        """What the plan stores and shows: the solver's figures plus each class's rule."""
        data = self.solution.as_dict()
        rules = table.by_code()
        for row in data["classes"]:
            rule = rules[row["code"]]
            row.update(
                {
                    "title_zh": rule.title_zh,
                    "title_en": rule.title_en,
                    "min_visits_per_year": rule.min_visits_per_year,
                    "max_visits_per_year": min(rule.max_visits_per_year, settings.yearly_cap),
                    "weight": rule.weight,
                    "random_draw": rule.random_draw,
                    "unit_officer_days": rule.officer_days,
                }
            )
        data["build_seconds"] = round(self.seconds, 3)
        data["settings"] = {
            "year": settings.year,
            "yearly_cap": settings.yearly_cap,
            "random_share": settings.random_share,
            "visit_decay": settings.visit_decay,
            "time_limit": settings.time_limit,
            "mip_rel_gap": settings.mip_rel_gap,
        }
        data["rules_version"] = table.version
        return data


def build(
    rows: Iterable[EnterpriseRow], table: FrequencyTable, settings: PlanSettings
) -> BuildResult:
    started = time.perf_counter()
    year_start = dt.date(settings.year, 1, 1)
    long_ago = (year_start - dt.timedelta(days=365)).toordinal()
    groups: dict[str, dict[str, Any]] = {}
    candidates: list[solver.Candidate] = []
    meta: dict[int, tuple[str, float]] = {}
    class_counts: dict[str, int] = {}
    classified: dict[tuple[str, tuple[str, ...]], Any] = {}
    for row in rows:
        signature = (row.risk_grade, row.tags)
        enterprise_class = classified.get(signature)
        if enterprise_class is None:
            enterprise_class = classified[signature] = table.classify(row.risk_grade, row.tags)
        last = row.last_inspected.toordinal() if row.last_inspected else 0
        # Ours: +0.1 per key tag beyond the first (at most +0.5); +0.2 if not inspected for a year.
        multiplier = round(
            1.0 + 0.1 * min(max(len(set(row.tags)) - 1, 0), 5) + (0.2 if last < long_ago else 0.0),
            1,
        )
        key = f"{enterprise_class.code}x{multiplier:.1f}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "class": enterprise_class,
                "count": 0,
                "weight": round(enterprise_class.weight * multiplier, 3),
            }
        group["count"] += 1
        code = enterprise_class.code
        class_counts[code] = class_counts.get(code, 0) + 1
        candidates.append(solver.Candidate(row.enterprise_id, key, group["weight"], last))
        meta[row.enterprise_id] = (code, group["weight"])
    problem = solver.Problem(
        classes=tuple(
            solver.ClassRule(
                code=c.code,
                min_visits=c.min_visits,
                min_share=c.min_share,
                officer_days=c.officer_days,
                random_draw=c.random_draw,
                weight=c.weight,
            )
            for c in table.classes
        ),
        groups=tuple(
            solver.Group(
                key=key,
                class_code=g["class"].code,
                count=g["count"],
                weight=g["weight"],
                max_visits=min(g["class"].max_visits_per_year, settings.yearly_cap),
            )
            for key, g in sorted(groups.items())
        ),
        capacity=tuple(settings.capacity),
        random_share=settings.random_share,
        visit_decay=settings.visit_decay,
        time_limit=settings.time_limit,
        mip_rel_gap=settings.mip_rel_gap,
    )
    solution = solver.solve(problem)
    random_classes = {c.code for c in table.classes if c.random_draw}
    placements = []
    for enterprise_id, key, visits, months in solver.assign(candidates, solution.group_patterns):
        code, weight = meta[enterprise_id]
        placements.append(
            Placement(
                enterprise_id,
                code,
                key,
                weight,
                visits,
                months,
                visits == 0 and code in random_classes,
            )
        )
    return BuildResult(
        solution=solution,
        placements=placements,
        seconds=time.perf_counter() - started,
        class_counts=class_counts,
    )


def monthly_load(
    placements: Sequence[tuple[str, Sequence[int]]],
    quotas: Mapping[str, Sequence[int]],
    officer_days: Mapping[str, float],
) -> list[float]:
    """Officer-days per month of named inspections (class, months) plus draw quotas per class."""
    load = [0.0] * 12
    for class_code, months in placements:
        for month in months:
            load[month - 1] += officer_days[class_code]
    for class_code, per_month in quotas.items():
        for index, count in enumerate(per_month):
            load[index] += count * officer_days[class_code]
    return [round(x, 2) for x in load]

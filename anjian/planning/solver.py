"""The plan builder's optimisation: which enterprises, how many inspections, which month.

Plain Python + HiGHS (``highspy``), no Django. The formulation (docs/planning/README.md):

* Enterprises are aggregated into *groups* of identical enterprises (same class, same risk
  multiplier): the model decides counts per group, never per enterprise, so 100,000 enterprises
  make a model of a few hundred integer variables.
* A named inspection schedule is a *pattern*: v inspections a year, evenly spaced (v divides 12:
  1, 2, 3, 4, 6 or 12) starting in month s. ``n[g, p]`` = enterprises of group g on pattern p.
* Random-draw quotas ``q[c, t]`` = enterprises of class c to draw in month t, from the class's
  enterprises that have no named inspection (each drawn at most once a year).
* Capacity: for each month, Σ officer_days × inspections ≤ plannable officer-days.
* Mandatory frequencies are soft: ``s[c]`` = inspections missing to reach the class minimum,
  reported per class (never a silent cut).
* Random-draw share is soft too: ``r`` = random inspections missing to reach the share.
* Objective, lexicographic (one MIP solve per phase, each phase's optimum fixed as a bound for
  the next): (1) minimise the shortfall of each class in turn, highest class weight first, so that
  scarce capacity goes to the riskiest class; (2) minimise the random-share gap; (3) maximise risk
  covered = Σ weight × (1 + δ + δ² + … for v inspections). The per-enterprise cap bounds v.

After solving, :func:`assign` hands patterns to enterprises deterministically: within a group,
highest risk first, then longest since the last inspection, then lowest id.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

PATTERN_VISITS = (1, 2, 3, 4, 6, 12)
MONTHS = 12


@dataclass(frozen=True)
class Pattern:
    visits: int
    start: int  # 0-based month of the first inspection

    @property
    def months(self) -> tuple[int, ...]:
        step = MONTHS // self.visits
        return tuple(self.start + k * step for k in range(self.visits))


def patterns_up_to(max_visits: int) -> list[Pattern]:
    return [
        Pattern(visits, start)
        for visits in PATTERN_VISITS
        if visits <= max_visits
        for start in range(MONTHS // visits)
    ]


@dataclass(frozen=True)
class Group:
    """Identical enterprises: one class, one risk weight."""

    key: str
    class_code: str
    count: int
    weight: float
    max_visits: int


@dataclass(frozen=True)
class ClassRule:
    code: str
    min_visits: int  # every enterprise, this many (0: see min_share)
    min_share: float  # share of the class to inspect at least once (when min_visits == 0)
    officer_days: float
    random_draw: bool
    weight: float  # base weight, the value of a random inspection


@dataclass(frozen=True)
class Problem:
    classes: tuple[ClassRule, ...]
    groups: tuple[Group, ...]
    capacity: tuple[float, ...]  # plannable officer-days per month
    random_share: float
    visit_decay: float
    time_limit: float = 60.0
    mip_rel_gap: float = 1e-3


@dataclass(frozen=True)
class ClassResult:
    code: str
    count: int
    required: int  # inspections the minimum asks for (counted as the shortfall counts them)
    named_visits: int
    random_visits: int
    shortfall: int  # inspections missing to reach the minimum
    enterprises_short: int  # enterprises below their minimum (estimate for share classes)
    quotas: tuple[int, ...]  # random-draw quota per month
    officer_days: float


@dataclass(frozen=True)
class Solution:
    status: str
    objective: float
    dual_bound: float
    gap: float
    seconds: float
    load: tuple[float, ...]
    capacity: tuple[float, ...]
    classes: tuple[ClassResult, ...]
    group_patterns: dict[str, list[tuple[int, int, int]]]  # group key → (visits, start, count)
    random_shortfall: int
    random_share: float
    risk_covered: float
    variables: int
    constraints: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    phases: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def has_shortfall(self) -> bool:
        return any(c.shortfall > 0 for c in self.classes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "dual_bound": self.dual_bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "load": [round(x, 2) for x in self.load],
            "capacity": [round(x, 2) for x in self.capacity],
            "classes": [
                {
                    "code": c.code,
                    "count": c.count,
                    "required": c.required,
                    "named_visits": c.named_visits,
                    "random_visits": c.random_visits,
                    "shortfall": c.shortfall,
                    "enterprises_short": c.enterprises_short,
                    "quotas": list(c.quotas),
                    "officer_days": round(c.officer_days, 2),
                }
                for c in self.classes
            ],
            "group_patterns": {k: [list(x) for x in v] for k, v in self.group_patterns.items()},
            "random_shortfall": self.random_shortfall,
            "random_share": self.random_share,
            "risk_covered": round(self.risk_covered, 3),
            "variables": self.variables,
            "constraints": self.constraints,
            "notes": list(self.notes),
            "phases": list(self.phases),
        }


def visit_value(visits: int, decay: float) -> float:
    """Risk covered by ``visits`` inspections of one enterprise, in first-inspection units."""
    return float(sum(decay**k for k in range(visits)))


def required_visits(rule: ClassRule, count: int) -> int:
    if rule.min_visits >= 1:
        return rule.min_visits * count
    return math.ceil(rule.min_share * count - 1e-9)


class _Builder:
    """Columns and rows of the MIP, collected as lists then handed to HiGHS in CSC form."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def column(self, cost: float, lower: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def row(self, coefficients: dict[int, float], lower: float, upper: float) -> int:
        self.rows.append((coefficients, lower, upper))
        return len(self.rows) - 1


def solve(problem: Problem) -> Solution:
    import highspy

    started = time.perf_counter()
    inf = highspy.kHighsInf
    rules = {c.code: c for c in problem.classes}
    decay = problem.visit_decay
    builder = _Builder()
    pattern_columns: dict[str, list[tuple[Pattern, int]]] = {}
    quota_columns: dict[str, list[int]] = {}
    shortfall_column: dict[str, int] = {}
    class_count: dict[str, int] = {}
    risk_of: dict[int, float] = {}  # column → risk covered per unit (the last phase's objective)
    for group in problem.groups:
        class_count[group.class_code] = class_count.get(group.class_code, 0) + group.count

    # Columns: patterns per group.
    for group in problem.groups:
        columns = []
        for pattern in patterns_up_to(group.max_visits):
            col = builder.column(0.0, 0, group.count, True)
            risk_of[col] = group.weight * visit_value(pattern.visits, decay)
            columns.append((pattern, col))
        pattern_columns[group.key] = columns
    # Columns: random-draw quotas per class and month; shortfall per class; random-share shortfall.
    for rule in problem.classes:
        count = class_count.get(rule.code, 0)
        if rule.random_draw and count:
            cols = [builder.column(0.0, 0, count, True) for _ in range(MONTHS)]
            for col in cols:
                risk_of[col] = rule.weight
            quota_columns[rule.code] = cols
        required = required_visits(rule, count)
        shortfall_column[rule.code] = builder.column(0.0, 0, max(required, 0), False)
    random_gap = builder.column(0.0, 0, inf, False)
    # Even spread of each class's draws over the months: a small cost on the largest monthly quota.
    peak_column = {code: builder.column(0.0, 0, inf, False) for code in quota_columns}
    for code, col in peak_column.items():
        risk_of[col] = -0.01 * rules[code].weight

    # Rows: at most the class's enterprises on named patterns plus drawn (drawn ⊂ not named).
    for group in problem.groups:
        builder.row({col: 1.0 for _, col in pattern_columns[group.key]}, -inf, group.count)
    for rule in problem.classes:
        coefficients: dict[int, float] = {}
        for group in problem.groups:
            if group.class_code == rule.code:
                for _, col in pattern_columns[group.key]:
                    coefficients[col] = 1.0
        for col in quota_columns.get(rule.code, []):
            coefficients[col] = 1.0
        if coefficients:
            builder.row(coefficients, -inf, class_count.get(rule.code, 0))
    # Rows: mandatory minimum per class (soft).
    for rule in problem.classes:
        count = class_count.get(rule.code, 0)
        required = required_visits(rule, count)
        if required <= 0:
            continue
        per_enterprise = max(rule.min_visits, 1)
        coefficients = {shortfall_column[rule.code]: 1.0}
        for group in problem.groups:
            if group.class_code == rule.code:
                for pattern, col in pattern_columns[group.key]:
                    coefficients[col] = float(min(per_enterprise, pattern.visits))
        for col in quota_columns.get(rule.code, []):
            coefficients[col] = 1.0
        builder.row(coefficients, required, inf)
    # Rows: capacity per month.
    for month in range(MONTHS):
        coefficients = {}
        for group in problem.groups:
            days = rules[group.class_code].officer_days
            for pattern, col in pattern_columns[group.key]:
                if month in pattern.months:
                    coefficients[col] = days
        for code, cols in quota_columns.items():
            coefficients[cols[month]] = rules[code].officer_days
        builder.row(coefficients, -inf, max(0.0, problem.capacity[month]))
    for code, cols in quota_columns.items():
        for col in cols:
            builder.row({peak_column[code]: 1.0, col: -1.0}, 0.0, inf)
    # Row: random-draw share (soft): (1-ρ) Σq − ρ Σ v·n + r ≥ 0.
    rho = problem.random_share
    if rho > 0:
        coefficients = {random_gap: 1.0}
        for cols in quota_columns.values():
            for col in cols:
                coefficients[col] = 1.0 - rho
        for group in problem.groups:
            for pattern, col in pattern_columns[group.key]:
                coefficients[col] = -rho * pattern.visits
        builder.row(coefficients, 0.0, inf)

    phases: list[tuple[str, dict[int, float]]] = [
        (f"shortfall:{rule.code}", {shortfall_column[rule.code]: 1.0})
        for rule in sorted(problem.classes, key=lambda r: (-r.weight, r.code))
        if required_visits(rule, class_count.get(rule.code, 0)) > 0
    ]
    if rho > 0:
        phases.append(("random_share", {random_gap: 1.0}))
    phases.append(("risk", {col: -value for col, value in risk_of.items()}))
    values, status, objective, dual_bound, gap, phase_log = _run_phases(builder, problem, phases)
    # Read the solution back.
    load = [0.0] * MONTHS
    group_patterns: dict[str, list[tuple[int, int, int]]] = {}
    named_by_class: dict[str, int] = {}
    covered_by_class: dict[str, int] = {}
    short_enterprises: dict[str, int] = {}
    risk = 0.0
    for group in problem.groups:
        rule = rules[group.class_code]
        chosen = []
        assigned = 0
        for pattern, col in pattern_columns[group.key]:
            n = round(values[col])
            if n <= 0:
                continue
            chosen.append((pattern.visits, pattern.start, n))
            assigned += n
            named_by_class[rule.code] = named_by_class.get(rule.code, 0) + n * pattern.visits
            per_enterprise = max(rule.min_visits, 1)
            covered_by_class[rule.code] = covered_by_class.get(rule.code, 0) + n * min(
                per_enterprise, pattern.visits
            )
            if rule.min_visits and pattern.visits < rule.min_visits:
                short_enterprises[rule.code] = short_enterprises.get(rule.code, 0) + n
            risk += n * group.weight * visit_value(pattern.visits, decay)
            for month in pattern.months:
                load[month] += n * rule.officer_days
        group_patterns[group.key] = chosen
    results = []
    random_total = 0
    named_total = 0
    for rule in problem.classes:
        count = class_count.get(rule.code, 0)
        quotas = tuple(round(values[col]) for col in quota_columns.get(rule.code, []))
        quotas = quotas or (0,) * MONTHS
        for month, n in enumerate(quotas):
            load[month] += n * rule.officer_days
        random_visits = sum(quotas)
        random_total += random_visits
        named = named_by_class.get(rule.code, 0)
        named_total += named
        risk += random_visits * rule.weight
        required = required_visits(rule, count)
        covered = covered_by_class.get(rule.code, 0) + random_visits
        shortfall = max(0, required - covered)
        if rule.min_visits >= 1:
            named_enterprises = sum(
                n
                for group in problem.groups
                if group.class_code == rule.code
                for _, _, n in group_patterns[group.key]
            )
            unnamed = count - named_enterprises
            enterprises_short = short_enterprises.get(rule.code, 0) + max(
                0, unnamed - random_visits if rule.min_visits == 1 else unnamed
            )
        else:
            enterprises_short = shortfall
        results.append(
            ClassResult(
                code=rule.code,
                count=count,
                required=required,
                named_visits=named,
                random_visits=random_visits,
                shortfall=shortfall,
                enterprises_short=enterprises_short,
                quotas=quotas,
                officer_days=(named + random_visits) * rule.officer_days,
            )
        )
    total = random_total + named_total
    random_needed = math.ceil(rho * total - 1e-9) if rho > 0 else 0
    notes = []
    if status not in {"optimal"}:
        notes.append(f"solver stopped: {status}")
    return Solution(
        status=status,
        objective=objective,
        dual_bound=dual_bound,
        gap=gap,
        seconds=time.perf_counter() - started,
        load=tuple(load),
        capacity=tuple(problem.capacity),
        classes=tuple(results),
        group_patterns=group_patterns,
        random_shortfall=max(0, random_needed - random_total),
        random_share=(random_total / total) if total else 0.0,
        risk_covered=risk,
        variables=len(builder.cost),
        constraints=len(builder.rows),
        notes=tuple(notes),
        phases=tuple(phase_log),
    )


def _run_phases(
    builder: _Builder, problem: Problem, phases: list[tuple[str, dict[int, float]]]
) -> tuple[list[float], str, float, float, float, list[dict[str, Any]]]:
    """Solve the phases in order; each optimum becomes an upper bound for the next phases."""
    import highspy

    num_col = len(builder.cost)
    num_row = len(builder.rows)
    per_column: list[list[tuple[int, float]]] = [[] for _ in range(num_col)]
    for row_index, (coefficients, _, _) in enumerate(builder.rows):
        for col, value in coefficients.items():
            if value != 0.0:
                per_column[col].append((row_index, value))
    starts = [0]
    index: list[int] = []
    value_list: list[float] = []
    for entries in per_column:
        for row_index, value in entries:
            index.append(row_index)
            value_list.append(value)
        starts.append(len(index))

    lp = highspy.HighsLp()
    lp.num_col_ = num_col
    lp.num_row_ = num_row
    lp.col_cost_ = np.zeros(num_col, dtype=np.float64)
    lp.col_lower_ = np.array(builder.lower, dtype=np.float64)
    lp.col_upper_ = np.array(builder.upper, dtype=np.float64)
    lp.row_lower_ = np.array([r[1] for r in builder.rows], dtype=np.float64)
    lp.row_upper_ = np.array([r[2] for r in builder.rows], dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value_list, dtype=np.float64)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in builder.integer
    ]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", float(problem.mip_rel_gap))
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.passModel(lp)
    deadline = time.perf_counter() + float(problem.time_limit)
    all_columns = np.arange(num_col, dtype=np.int32)
    log: list[dict[str, Any]] = []
    values: list[float] = [0.0] * num_col
    status, objective, dual_bound, gap = "unknown", math.nan, math.nan, math.inf
    for name, costs in phases:
        remaining = max(0.5, deadline - time.perf_counter())
        highs.setOptionValue("time_limit", remaining)
        cost = np.zeros(num_col, dtype=np.float64)
        for col, value in costs.items():
            cost[col] = value
        highs.changeColsCost(num_col, all_columns, cost)
        if values and any(values):
            highs.setSolution(_solution(highspy, values))
        phase_started = time.perf_counter()
        highs.run()
        phase_seconds = time.perf_counter() - phase_started
        model_status = highs.getModelStatus()
        info = highs.getInfo()
        solution = highs.getSolution()
        if model_status == highspy.HighsModelStatus.kOptimal:
            status = "optimal"
        elif model_status == highspy.HighsModelStatus.kTimeLimit:
            status = "time_limit"
        elif model_status == highspy.HighsModelStatus.kInfeasible:
            status = "infeasible"
        else:
            status = highs.modelStatusToString(model_status).lower() or "unknown"
        if not solution.value_valid:
            log.append({"phase": name, "status": status})
            break
        values = list(solution.col_value)
        objective = float(info.objective_function_value)
        dual_bound = float(info.mip_dual_bound)
        gap = float(info.mip_gap)
        if not math.isfinite(gap) or gap < 0:
            gap = 0.0 if status == "optimal" else math.inf
        if abs(objective) < 1e-9 and abs(dual_bound) < 1e-9:
            gap = 0.0
        log.append(
            {
                "phase": name,
                "status": status,
                "objective": round(objective, 6),
                "gap": gap,
                "seconds": round(phase_seconds, 3),
                "nodes": int(info.mip_node_count),
            }
        )
        if name != "risk":
            # Keep this phase's optimum as a bound for the next phases (with a hair of slack).
            for col in costs:
                bound = values[col] + max(1e-6, 1e-9 * abs(values[col]))
                highs.changeColBounds(col, builder.lower[col], max(bound, builder.lower[col]))
        if status != "optimal":
            break
    worst_gap = max((entry.get("gap", math.inf) for entry in log), default=math.inf)
    return values, status, objective, dual_bound, worst_gap, log


def _solution(highspy: Any, values: list[float]) -> Any:
    start = highspy.HighsSolution()
    start.col_value = values
    start.value_valid = True
    return start


# ---------------------------------------------------------------------------------------------
# Enterprises to patterns


class Candidate(NamedTuple):
    """One enterprise as the assignment sees it (a tuple: 100,000 of them are cheap)."""

    enterprise_id: int
    group_key: str
    score: float  # higher first
    last_inspected_ordinal: int  # date.toordinal() of the last inspection; 0 = never


class Assignment(NamedTuple):
    enterprise_id: int
    group_key: str
    visits: int
    months: tuple[int, ...]  # 1-based months


def assign(
    candidates: Sequence[Candidate], group_patterns: dict[str, list[tuple[int, int, int]]]
) -> list[Assignment]:
    """Give each group's patterns to its enterprises: most visits to the highest priority first
    (higher score, then longest since the last inspection, then lowest id)."""
    by_group: dict[str, list[tuple[float, int, int]]] = {}
    for enterprise_id, key, score, last in candidates:
        by_group.setdefault(key, []).append((-score, last, enterprise_id))
    result: list[Assignment] = []
    for key, members in by_group.items():
        members.sort()
        slots: list[tuple[int, tuple[int, ...]]] = []
        for visits, start, count in sorted(
            group_patterns.get(key, []), key=lambda x: (-x[0], x[1])
        ):
            months = tuple(m + 1 for m in Pattern(visits, start).months)
            slots.extend([(visits, months)] * count)
        free = len(members) - len(slots)
        if free > 0:
            slots.extend([(0, ())] * free)
        result.extend(
            Assignment(member[2], key, slot[0], slot[1])
            for member, slot in zip(members, slots, strict=False)
        )
    return result

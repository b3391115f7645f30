"""The plan builder's MIP (HiGHS) and capacity arithmetic, without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.planning import builder, rules, solver
from anjian.planning.capacity import CapacityInput, monthly_capacity


def rule(code, min_visits=0, min_share=0.0, days=1.0, random_draw=False, weight=1.0):
    return solver.ClassRule(code, min_visits, min_share, days, random_draw, weight)


def problem(classes, groups, capacity, random_share=0.0, decay=0.5):
    return solver.Problem(
        classes=tuple(classes),
        groups=tuple(groups),
        capacity=tuple(capacity),
        random_share=random_share,
        visit_decay=decay,
        time_limit=30,
    )


def by_code(solution):
    return {c.code: c for c in solution.classes}


def test_capacity_is_officers_times_working_days_minus_training_and_leave():
    months = monthly_capacity(
        CapacityInput(
            officers=10,
            working_days=(20,) * 12,
            training_days_per_officer=12,
            training_months=(3, 9),
            leave_days_per_officer=24,
            inspection_share=0.5,
            reserve_share=0.2,
        )
    )
    march = months[2]
    assert march.officer_days == 200.0
    assert march.training == 60.0  # 10 officers × 12 days, split over March and September
    assert march.leave == 20.0  # 10 × 24 days spread by working days: 240 / 12
    assert march.available == 120.0
    assert march.inspection == 60.0
    assert march.reserve == 12.0
    assert march.plannable == 48.0
    assert months[0].plannable == 72.0  # (200 - 20) × 0.5 × 0.8


def test_mandatory_frequencies_met_within_capacity():
    classes = [
        rule("A", min_visits=4, days=2, weight=10),
        rule("B", min_visits=2, days=2, weight=5),
    ]
    groups = [
        solver.Group("A", "A", 10, 10.0, 12),
        solver.Group("B", "B", 20, 5.0, 6),
    ]
    solution = solver.solve(problem(classes, groups, [100.0] * 12))
    result = by_code(solution)
    assert solution.status == "optimal"
    assert solution.gap <= 1e-3
    assert result["A"].shortfall == 0
    assert result["A"].named_visits >= 40
    assert result["B"].shortfall == 0
    assert result["B"].named_visits >= 40
    assert all(
        load <= cap + 1e-9 for load, cap in zip(solution.load, solution.capacity, strict=True)
    )


def test_capacity_is_never_exceeded_in_any_month():
    classes = [
        rule("A", min_visits=4, days=2, weight=10),
        rule("E", min_share=0.5, days=1, random_draw=True),
    ]
    groups = [solver.Group("A", "A", 30, 10.0, 4), solver.Group("E", "E", 500, 1.0, 1)]
    capacity = [10.0, 0.0, 25.0, 5.0, 30.0, 12.0, 8.0, 40.0, 3.0, 17.0, 22.0, 9.0]
    solution = solver.solve(problem(classes, groups, capacity))
    for month, (load, cap) in enumerate(zip(solution.load, capacity, strict=True), start=1):
        assert load <= cap + 1e-9, f"month {month}: {load} > {cap}"


def test_shortfall_is_reported_per_class_when_capacity_is_short():
    # 10 enterprises × 4 inspections × 2 officer-days = 80 officer-days; 5 a month fits 2 inspections.
    classes = [rule("A", min_visits=4, days=2, weight=10)]
    solution = solver.solve(problem(classes, [solver.Group("A", "A", 10, 10.0, 4)], [5.0] * 12))
    result = by_code(solution)["A"]
    assert result.required == 40
    assert result.named_visits == 24
    assert result.shortfall == 16
    assert result.enterprises_short >= 4
    assert solution.has_shortfall


def test_short_capacity_goes_to_the_highest_risk_class_first():
    classes = [
        rule("A", min_visits=1, days=1, weight=10),
        rule("E", min_visits=1, days=1, weight=1),
    ]
    groups = [solver.Group("A", "A", 12, 10.0, 1), solver.Group("E", "E", 12, 1.0, 1)]
    solution = solver.solve(problem(classes, groups, [1.0] * 12))
    result = by_code(solution)
    assert result["A"].shortfall == 0
    assert result["E"].shortfall == 12


def test_share_class_minimum_counts_enterprises_inspected_once():
    classes = [rule("D", min_share=0.5, days=1, random_draw=True, weight=2)]
    solution = solver.solve(problem(classes, [solver.Group("D", "D", 21, 2.0, 2)], [1.0] * 12))
    result = by_code(solution)["D"]
    assert result.required == 11  # ceil(0.5 × 21)
    assert result.named_visits + result.random_visits == 12
    assert result.shortfall == 0


def test_yearly_cap_bounds_each_enterprise():
    classes = [rule("A", min_visits=1, days=1, weight=10)]
    solution = solver.solve(problem(classes, [solver.Group("A", "A", 3, 10.0, 2)], [100.0] * 12))
    assert max(v for v, _, _ in solution.group_patterns["A"]) <= 2


def test_random_share_is_met_or_its_gap_reported():
    classes = [
        rule("A", min_visits=2, days=1, weight=10),
        rule("E", min_share=0.1, days=1, random_draw=True, weight=1),
    ]
    groups = [solver.Group("A", "A", 10, 10.0, 2), solver.Group("E", "E", 10, 1.0, 1)]
    solution = solver.solve(problem(classes, groups, [100.0] * 12, random_share=0.7))
    # 20 named inspections of A are mandatory; only 10 E enterprises can be drawn (once each).
    assert solution.random_share == pytest.approx(10 / 30)
    assert solution.random_shortfall == 11  # ceil(0.7 × 30) − 10


def test_assignment_gives_the_most_inspections_to_the_highest_priority():
    candidates = [
        solver.Candidate(1, "A", 1.0, 0),
        solver.Candidate(2, "A", 2.0, 0),
        solver.Candidate(3, "A", 1.0, dt.date(2020, 1, 1).toordinal()),
    ]
    assignment = solver.assign(candidates, {"A": [(1, 0, 1), (4, 0, 1)]})
    visits = {a.enterprise_id: (a.visits, a.months) for a in assignment}
    assert visits[2] == (4, (1, 4, 7, 10))
    assert visits[1] == (1, (1,))  # never inspected before enterprise 3 (inspected in 2020)
    assert visits[3] == (0, ())


def test_builder_classifies_by_the_frequency_table_and_is_deterministic():
    table = rules.frequency_table()
    rows = [
        builder.EnterpriseRow(1, "major", (), None),
        builder.EnterpriseRow(2, "low", ("hazchem_storage",), None),
        builder.EnterpriseRow(3, "moderate", ("confined_space",), dt.date(2026, 6, 1)),
        builder.EnterpriseRow(4, "low", (), None),
    ]
    settings = builder.PlanSettings(
        year=2027, capacity=(50.0,) * 12, yearly_cap=4, random_share=0.0, visit_decay=0.5
    )
    first = builder.build(rows, table, settings)
    second = builder.build(rows, table, settings)
    classes = {p.enterprise_id: p.class_code for p in first.placements}
    assert classes == {1: "A", 2: "B", 3: "C", 4: "E"}
    assert [(p.enterprise_id, p.visits, p.months) for p in first.placements] == [
        (p.enterprise_id, p.visits, p.months) for p in second.placements
    ]
    visits = {p.enterprise_id: p.visits for p in first.placements}
    assert visits[1] == 4
    assert visits[2] >= 2


def test_frequency_figures_are_marked_unverified():
    table = rules.frequency_table()
    assert table.yearly_cap.confidence == "unverified"
    assert table.random_share.confidence == "unverified"
    assert table.capacity.confidence == "unverified"
    confirmed = [b for b in table.basis if b.confidence == "confirmed"]
    assert [(b.law, b.article) for b in confirmed] == [("WSL", 62)]

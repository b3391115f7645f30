"""The consistency report: cases outside the legal or tier range, far from the median of like
cases, wrongly fined despite a waiver, unreadable; streaming with one engine call per key."""

from __future__ import annotations

import json
import random
import statistics
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from anjian.law.core.catalog import Party, Stage, default_catalog
from anjian.law.core.consistency import (
    FLAG_FAR_FROM_MEDIAN,
    FLAG_INVALID_RECORD,
    FLAG_NO_FINE_RULE,
    FLAG_OUTSIDE_LEGAL_RANGE,
    FLAG_OUTSIDE_TIER_RANGE,
    FLAG_SHOULD_BE_WAIVED,
    CaseRecord,
    ConsistencyReport,
    Finding,
    _evaluate,
    _Expected,
    _judge,
    _Row,
    check_consistency,
)
from anjian.law.core.discretion import Tier

TODAY = date(2026, 11, 29)


def record(case_id: str, amount: int | str, **facts: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "violation_code": facts.pop("violation_code", "WSL2021-097-03"),
        "party": facts.pop("party", "unit"),
        "stage": facts.pop("stage", "first_order"),
        "act_date": facts.pop("act_date", "2023-03-01"),
        "decision_date": facts.pop("decision_date", "2023-06-01"),
        "amount": amount,
        **facts,
    }


def report_of(records: list[dict[str, Any]], **options: Any) -> ConsistencyReport:
    return check_consistency(records, today=TODAY, **options)


def flags_by_case(report: ConsistencyReport) -> dict[str, tuple[str, ...]]:
    return {f.case_id: f.flags for f in report.findings}


# ------------------------------------------------------------------ range and median checks


def test_amounts_outside_the_legal_or_tier_range_or_far_from_the_median_are_flagged() -> None:
    # Art 97 first order, unit, no circumstances: legal ≤100000, ordinary tier 10000–30000.
    report = report_of(
        [
            record("A", 20000),
            record("B", 20000),
            record("C", 25000),
            record("D", 90000),
            record("E", 200000),
        ]
    )
    flags = flags_by_case(report)
    assert "A" not in flags
    assert "B" not in flags
    assert "C" not in flags
    assert flags["D"] == (FLAG_OUTSIDE_TIER_RANGE, FLAG_FAR_FROM_MEDIAN)
    assert flags["E"] == (FLAG_OUTSIDE_LEGAL_RANGE, FLAG_OUTSIDE_TIER_RANGE, FLAG_FAR_FROM_MEDIAN)
    d = next(f for f in report.findings if f.case_id == "D")
    assert d.median_yuan == Decimal(25000)
    assert d.deviation_share == Decimal("2.6000")
    assert (d.tier_min_yuan, d.tier_max_yuan) == (Decimal(10000), Decimal(30000))
    assert d.legal_max_yuan == Decimal(100000)
    assert d.tier == "ordinary"
    assert "不在一般处罚幅度（10000元至30000元" in d.message_zh
    assert "高于同类案件中位数25000元达260.0%" in d.message_zh
    assert report.total_records == 5
    assert report.flagged_records == 2
    assert report.engine_evaluations == 1
    assert report.flag_counts == (
        (FLAG_OUTSIDE_LEGAL_RANGE, 1),
        (FLAG_OUTSIDE_TIER_RANGE, 2),
        (FLAG_FAR_FROM_MEDIAN, 2),
    )
    group = report.groups[0]
    assert (group.violation_code, group.party, group.stage, group.tier) == (
        "WSL2021-097-03",
        "unit",
        "first_order",
        "ordinary",
    )
    assert (group.count, group.median_yuan, group.min_yuan, group.max_yuan) == (
        5,
        Decimal(25000),
        Decimal(20000),
        Decimal(200000),
    )


def test_median_share_is_configurable() -> None:
    records = [record("A", 20000), record("B", 20000), record("C", 29000)]
    assert flags_by_case(report_of(records, median_share="0.4")) == {"C": (FLAG_FAR_FROM_MEDIAN,)}
    assert flags_by_case(report_of(records)) == {}  # default 50 %: 45 % is within


def test_exactly_the_share_is_not_far() -> None:
    records = [record("A", 20000), record("B", 20000), record("C", 30000)]
    assert flags_by_case(report_of(records)) == {}  # 30000 is 50 % above 20000


def test_small_groups_are_not_compared_with_their_median() -> None:
    records = [record("A", 10000), record("B", 29000)]
    assert flags_by_case(report_of(records)) == {}
    assert flags_by_case(report_of(records, min_group_size=2, median_share="0.2")) == {
        "A": (FLAG_FAR_FROM_MEDIAN,),
        "B": (FLAG_FAR_FROM_MEDIAN,),
    }


def test_like_cases_are_grouped_by_the_engine_tier() -> None:
    records = [
        record("L1", 5000, circumstances=["first_offence"]),
        record("L2", 5000, circumstances=["first_offence"]),
        record("L3", 6000, circumstances=["first_offence"]),
        record("O1", 20000),
        record("O2", 20000),
        record("O3", 21000),
    ]
    report = report_of(records)
    assert flags_by_case(report) == {}
    assert {(g.tier, g.count) for g in report.groups} == {("lighter", 3), ("ordinary", 3)}
    assert report.engine_evaluations == 2


# ------------------------------------------------------------------ waivers and reductions


def test_a_fine_despite_a_mandatory_waiver_is_flagged() -> None:
    must = ["minor_violation", "corrected_promptly", "no_harm"]
    report = report_of(
        [record("W1", 5000, circumstances=must), record("W0", 0, circumstances=must)]
    )
    assert flags_by_case(report) == {"W1": (FLAG_SHOULD_BE_WAIVED,)}
    assert "第三十三条" in report.findings[0].message_zh


def test_no_fine_under_the_first_offence_waiver_is_lawful() -> None:
    may = ["first_offence", "minor_consequence", "corrected_promptly"]
    report = report_of([record("M0", 0, circumstances=may), record("M1", 5000, circumstances=may)])
    assert flags_by_case(report) == {}


def test_a_lawful_reduction_below_the_minimum_is_not_outside_the_legal_range() -> None:
    art32 = ["eliminated_harm", "confessed"]
    principal = {"violation_code": "WSL2021-094", "party": "principal_person"}
    report = report_of(
        [
            record("R1", 15000, circumstances=art32, **principal),
            record("R2", 5000, circumstances=art32, **principal),
            record("R3", 15000, **principal),
        ]
    )
    assert flags_by_case(report) == {
        "R2": (FLAG_OUTSIDE_TIER_RANGE,),
        "R3": (FLAG_OUTSIDE_LEGAL_RANGE, FLAG_OUTSIDE_TIER_RANGE),
    }


def test_a_fine_where_the_rule_has_none_is_flagged() -> None:
    report = report_of([record("N", 10000, violation_code="WSL2021-102", stage="refused")])
    assert flags_by_case(report) == {"N": (FLAG_NO_FINE_RULE,)}


def test_the_old_law_range_applies_to_an_old_act_decided_later() -> None:
    # Act in 2020 (2014 law, unit ≤50000, ordinary 5000–15000) decided in 2023.
    report = report_of(
        [
            record("OLD1", 10000, act_date="2020-03-01"),
            record("OLD2", 60000, act_date="2020-03-01"),
        ]
    )
    assert flags_by_case(report)["OLD2"][0] == FLAG_OUTSIDE_LEGAL_RANGE
    assert "OLD1" not in flags_by_case(report)


# ------------------------------------------------------------------ bad records


def test_unreadable_or_invalid_records_are_reported_not_raised() -> None:
    report = report_of(
        [
            record("U1", 1000, violation_code="WSL2021-999"),
            {"case_id": "U2", "violation_code": "WSL2021-097-03"},  # no amount
            record("U3", 1000, party="alien"),
            record("U4", 1000, act_date="2027-01-01", decision_date="2027-02-01"),
            record("U5", -1),
            record("U6", 1000, circumstances=["bribery"]),
            record("OK", 20000),
        ]
    )
    flags = flags_by_case(report)
    assert set(flags) == {"U1", "U2", "U3", "U4", "U5", "U6"}
    assert all(f == (FLAG_INVALID_RECORD,) for f in flags.values())
    assert report.invalid_records == 6
    assert report.evaluated_records == 1
    messages = {f.case_id: f.message_zh for f in report.findings}
    assert messages["U1"] == "未知的违法行为代码：WSL2021-999"
    assert "记录无法解析" in messages["U2"]
    assert "未知的情节代码" in messages["U6"]


# ------------------------------------------------------------------ input forms and output


def test_records_may_be_dataclasses_or_mappings_with_nested_facts() -> None:
    as_record = CaseRecord(
        case_id="X1",
        violation_code="WSL2021-114",
        party=Party.UNIT,
        stage=Stage.ACCIDENT,
        act_date=date(2023, 3, 1),
        decision_date=date(2023, 6, 1),
        amount_yuan=Decimal(650000),
        accident_grade=None,
    )
    nested = {
        "case_id": "X2",
        "violation_code": "WSL2021-114",
        "party": "unit",
        "stage": "accident",
        "act_date": "2023-03-01",
        "decision_date": "2023-06-01",
        "amount_yuan": "650000",
        "facts": {"accident_grade": "ordinary", "circumstances": "major_hazard"},
    }
    report = report_of([as_record, nested])  # type: ignore[list-item]
    flags = flags_by_case(report)
    assert flags["X1"] == (FLAG_INVALID_RECORD,)  # the grade is missing
    assert flags["X2"] == (FLAG_OUTSIDE_TIER_RANGE,)  # heavier tier: 790000–1000000


def test_report_is_json() -> None:
    report = report_of([record("A", 20000), record("E", 200000)])
    data = json.loads(report.to_json())
    assert data == report.to_dict()
    assert data["findings"][0]["case_id"] == "E"
    assert data["findings"][0]["amount_yuan"] == "200000"
    assert data["findings"][0]["flags"] == ["outside_legal_range", "outside_tier_range"]
    assert data["parameters"] == {"median_share": "0.5", "min_group_size": 3, "today": "2026-11-29"}


def test_streams_many_records_with_one_engine_call_per_distinct_key() -> None:
    def stream(n: int) -> Iterator[dict[str, Any]]:
        amounts = (15000, 20000, 25000, 90000)
        for i in range(n):
            overdue = i % 2 == 1
            yield record(
                f"S{i}",
                amounts[i % 4] * (6 if overdue else 1),
                stage="overdue_not_corrected" if overdue else "first_order",
                circumstances=["first_offence"] if i % 3 == 0 else [],
            )

    report = check_consistency(stream(20_000), today=TODAY)
    assert report.total_records == 20_000
    assert report.engine_evaluations == 4  # 2 stages × 2 circumstance sets
    assert report.invalid_records == 0
    assert report.flagged_records > 0
    assert sum(g.count for g in report.groups) == 20_000


# ------------------------------------------------------------------ the fast path is the plain one


def _straightforward(
    records: list[Any], *, median_share: Decimal = Decimal("0.5"), min_group_size: int = 3
) -> list[Finding]:
    """The report computed the plain way: every case read with ``CaseRecord.from_mapping``, the
    engine asked for every case (no cache), ``statistics.median`` per group, ``_judge`` per case."""
    catalog = default_catalog()
    rows: list[_Row] = []
    amounts: dict[tuple[str, str, str, str], list[Decimal]] = {}
    for number, raw in enumerate(records, 1):
        try:
            case = CaseRecord.from_mapping(raw)
        except (KeyError, ValueError, TypeError) as exc:
            error = _Expected(error_zh=f"记录无法解析：{exc}", error_en=f"unreadable record: {exc}")
            rows.append(_Row(str(raw.get("case_id", f"#{number}")), None, error, None))
            continue
        decided = case.decision_date or TODAY
        reference = case.act_end_date or case.act_date
        if case.amount_yuan < 0:
            expected = _Expected(error_zh="罚款数额为负数", error_en="negative amount")
        elif case.act_date > TODAY or reference > TODAY:
            expected = _Expected(
                error_zh="违法行为日期晚于今天", error_en="act date is in the future"
            )
        elif reference > decided:
            expected = _Expected(
                error_zh="违法行为日期晚于作出决定日期",
                error_en="act date is after the decision date",
            )
        else:
            expected = _evaluate(case, decided, catalog=catalog, today=TODAY)
        group = None
        if (
            expected.error_zh is None
            and expected.tier not in (None, Tier.NONE)
            and expected.has_fine
        ):
            assert expected.tier is not None
            group = (case.violation_code, case.party.value, case.stage.value, expected.tier.value)
            amounts.setdefault(group, []).append(case.amount_yuan)
        rows.append(_Row(case.case_id, case, expected, group))
    medians = {g: statistics.median(v) for g, v in amounts.items() if len(v) >= min_group_size}
    return [f for row in rows if (f := _judge(row, medians, median_share)) is not None]


def _random_records(rng: random.Random, n: int) -> list[dict[str, Any]]:
    codes = ["WSL2021-097-03", "WSL2021-099-02", "WSL2021-101-01", "WSL2021-099-05", "NO-SUCH"]
    circumstances = [
        [],
        ["first_offence"],
        ["corrected_promptly", "first_offence"],
        ["first_offence", "corrected_promptly", "first_offence"],
        ["refused_to_correct"],
        "first_offence; corrected_promptly",
        ["no_such_circumstance"],
    ]
    amounts: list[Any] = [
        0, 5000, 8000, 15000, 20000, "20000.00", Decimal("20000.0"), 25000.5, Decimal("30000"),
        45000, 60000, 500000, -1, "abc", True,
    ]  # fmt: skip
    records: list[dict[str, Any]] = []
    for i in range(n):
        act = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2900))
        row: dict[str, Any] = {
            "case_id": f"R{i}",
            "violation_code": rng.choice(codes),
            "party": rng.choice(["unit", "unit", "unit", "principal_person", "nobody"]),
            "stage": rng.choice(["first_order", "first_order", "overdue_not_corrected"]),
            "act_date": act if rng.random() < 0.7 else act.isoformat(),
            "decision_date": act + timedelta(days=rng.randrange(-5, 200)),
            "amount": rng.choice(amounts),
            "circumstances": rng.choice(circumstances),
        }
        if rng.random() < 0.05:
            row["act_end_date"] = act + timedelta(days=rng.randrange(0, 60))
        if rng.random() < 0.05:
            row["illegal_gains"] = Decimal(rng.choice([0, 5000, 200000]))
        if rng.random() < 0.03:
            row["decision_date"] = None
        if rng.random() < 0.02:
            del row["violation_code"]
        if rng.random() < 0.03:
            row = {"case_id": row.pop("case_id"), "facts": row}
        records.append(row)
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_gives_the_same_findings_as_the_straightforward_computation(seed: int) -> None:
    records = _random_records(random.Random(seed), 1500)
    report = check_consistency(records, today=TODAY)
    expected = _straightforward(records)
    assert [f.flags for f in report.findings] == [f.flags for f in expected]
    assert list(report.findings) == expected
    # The same amounts as written (20000 and 20000.00 are equal but print differently).
    assert [f.amount_yuan for f in report.findings] == [f.amount_yuan for f in expected]
    assert [str(f.amount_yuan) for f in report.findings] == [str(f.amount_yuan) for f in expected]
    assert report.flagged_records == len(expected) > 100


def test_to_dict_is_the_json_text_read_back() -> None:
    report = check_consistency(_random_records(random.Random(7), 800), today=TODAY)
    assert report.to_dict() == json.loads(report.to_json())
    assert json.dumps(report.to_dict(), ensure_ascii=False) == report.to_json()
    # Like cases share their values in the report, not their lists in the dictionaries.
    findings = report.to_dict()["findings"]
    first, second = [f for f in findings if f["flags"] == findings[0]["flags"]][:2]
    first["flags"].append("changed")
    assert "changed" not in second["flags"]

"""The consistency report (裁量一致性): which decided cases stray from the discretion engine or
from like cases.

Plain Python; no Django. :func:`check_consistency` streams over decided cases (any iterable of
:class:`CaseRecord` or mappings) once, asks the engine (:func:`anjian.law.core.discretion.evaluate`)
once per distinct key (violation code, party, stage, circumstances, accident grade, gains, income,
jurisdiction, act-time version, decision-time law and standard version) and keeps only a small row
per case, so 100,000 records take seconds. A case is flagged when

- ``outside_legal_range``: the amount is outside the statutory range for its party and stage
  (below the minimum is lawful only as 减轻 with an 行政处罚法 Art 32 circumstance);
- ``outside_tier_range``: the amount is outside the sub-range of the tier the engine finds from
  the recorded circumstances (the bands are our documented default, unverified);
- ``should_be_waived``: a fine although 行政处罚法 Art 33 says 不予行政处罚;
- ``no_fine_rule``: a fine although the applicable rule has none for this party and stage;
- ``far_from_median``: the amount differs from the median of like cases (same violation code,
  party, stage and tier, at least ``min_group_size`` of them) by more than ``median_share``;
- ``invalid_record``: the record cannot be evaluated (the message says why).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from anjian.law.core.accidents import AccidentGrade
from anjian.law.core.catalog import Catalog, Party, Stage, default_catalog
from anjian.law.core.discretion import (
    NATIONAL_DEFAULT,
    DiscretionBook,
    FactSheet,
    FactSheetError,
    MoneyRange,
    Tier,
    WaiverStatus,
    default_discretion,
    evaluate,
    today_in_china,
)

__all__ = [
    "FLAG_FAR_FROM_MEDIAN",
    "FLAG_INVALID_RECORD",
    "FLAG_NO_FINE_RULE",
    "FLAG_OUTSIDE_LEGAL_RANGE",
    "FLAG_OUTSIDE_TIER_RANGE",
    "FLAG_SHOULD_BE_WAIVED",
    "CaseRecord",
    "ConsistencyReport",
    "Finding",
    "GroupSummary",
    "ReportParameters",
    "check_consistency",
]

FLAG_OUTSIDE_LEGAL_RANGE = "outside_legal_range"
FLAG_OUTSIDE_TIER_RANGE = "outside_tier_range"
FLAG_SHOULD_BE_WAIVED = "should_be_waived"
FLAG_NO_FINE_RULE = "no_fine_rule"
FLAG_FAR_FROM_MEDIAN = "far_from_median"
FLAG_INVALID_RECORD = "invalid_record"

_FLAG_ORDER = (
    FLAG_INVALID_RECORD,
    FLAG_SHOULD_BE_WAIVED,
    FLAG_NO_FINE_RULE,
    FLAG_OUTSIDE_LEGAL_RANGE,
    FLAG_OUTSIDE_TIER_RANGE,
    FLAG_FAR_FROM_MEDIAN,
)


# =========================================================================== input


def _as_date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError(f"{name} must be a date or an ISO string, got {value!r}")


def _as_decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number")
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One decided case: what was decided (``amount_yuan``) and the facts it was decided on."""

    case_id: str
    violation_code: str
    party: Party
    stage: Stage
    act_date: date
    amount_yuan: Decimal
    circumstances: tuple[str, ...] = ()
    accident_grade: AccidentGrade | None = None
    illegal_gains_yuan: Decimal | None = None
    last_year_income_yuan: Decimal | None = None
    jurisdiction: str = NATIONAL_DEFAULT
    decision_date: date | None = None
    act_end_date: date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CaseRecord:
        """From a mapping (e.g. a CSV/JSON row). Facts may sit at the top level or under
        ``facts``; ``amount`` / ``illegal_gains`` / ``last_year_income`` are accepted without
        the ``_yuan`` suffix. Raises ValueError/KeyError on bad rows."""
        nested = data.get("facts")
        merged: Mapping[str, Any] = {**nested, **data} if nested else data
        get = merged.get
        amount = get("amount_yuan")
        if amount is None:
            amount = get("amount")
        if amount is None:
            raise KeyError("amount_yuan")
        circumstances = get("circumstances") or ()
        if isinstance(circumstances, str):
            circumstances = [c.strip() for c in circumstances.replace(";", ",").split(",")]
        gains = get("illegal_gains_yuan", get("illegal_gains"))
        income = get("last_year_income_yuan", get("last_year_income"))
        grade = get("accident_grade")
        decided = get("decision_date")
        ended = get("act_end_date")
        return cls(
            case_id=str(merged["case_id"]),
            violation_code=str(merged["violation_code"]),
            party=Party(merged["party"]),
            stage=Stage(merged["stage"]),
            act_date=_as_date(merged["act_date"], "act_date"),
            amount_yuan=_as_decimal(amount, "amount_yuan"),
            circumstances=tuple(sorted({str(c) for c in circumstances if c})),
            accident_grade=AccidentGrade(grade) if grade else None,
            illegal_gains_yuan=None if gains is None else _as_decimal(gains, "illegal_gains_yuan"),
            last_year_income_yuan=(
                None if income is None else _as_decimal(income, "last_year_income_yuan")
            ),
            jurisdiction=str(get("jurisdiction") or NATIONAL_DEFAULT),
            decision_date=_as_date(decided, "decision_date") if decided else None,
            act_end_date=_as_date(ended, "act_end_date") if ended else None,
        )


# =========================================================================== output


@dataclass(frozen=True, slots=True)
class ReportParameters:
    median_share: Decimal
    min_group_size: int
    today: date


@dataclass(frozen=True, slots=True)
class Finding:
    case_id: str
    violation_code: str
    party: str
    stage: str
    tier: str | None
    amount_yuan: Decimal | None
    flags: tuple[str, ...]
    legal_min_yuan: Decimal | None = None
    legal_max_yuan: Decimal | None = None
    tier_min_yuan: Decimal | None = None
    tier_max_yuan: Decimal | None = None
    median_yuan: Decimal | None = None
    deviation_share: Decimal | None = None  # |amount − median| / median, 4 decimals
    message_zh: str = ""
    message_en: str = ""


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """Like cases: same violation code, party, stage and engine tier."""

    violation_code: str
    party: str
    stage: str
    tier: str
    count: int
    median_yuan: Decimal
    min_yuan: Decimal
    max_yuan: Decimal


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    parameters: ReportParameters
    total_records: int
    evaluated_records: int
    flagged_records: int
    invalid_records: int
    engine_evaluations: int  # distinct engine keys evaluated (the cache misses)
    flag_counts: tuple[tuple[str, int], ...]
    findings: tuple[Finding, ...]  # flagged cases only, in input order
    groups: tuple[GroupSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only (amounts as decimal strings, dates ISO)."""
        result: dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self) -> str:
        return json.dumps(self, default=_json_default, ensure_ascii=False)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _json_default(value: Any) -> Any:
    """For ``json.dumps(default=...)``: dataclasses (shallow), Decimal, date, Enum."""
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
        return {name: getattr(value, name) for name in names}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# =========================================================================== engine cache


@dataclass(frozen=True, slots=True)
class _Expected:
    tier: Tier | None = None
    waiver: WaiverStatus = WaiverStatus.NONE
    legal_range: MoneyRange | None = None
    tier_range: MoneyRange | None = None
    has_fine: bool = False
    error_zh: str | None = None
    error_en: str | None = None


@dataclass(slots=True)
class _Row:
    case_id: str
    record: CaseRecord | None
    expected: _Expected
    group: tuple[str, str, str, str] | None


def _yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{int(value)}元"
    return f"{value:f}元"


# =========================================================================== the report


def check_consistency(
    records: Iterable[CaseRecord | Mapping[str, Any]],
    *,
    median_share: Decimal | float | str = Decimal("0.5"),
    min_group_size: int = 3,
    catalog: Catalog | None = None,
    book: DiscretionBook | None = None,
    today: date | None = None,
) -> ConsistencyReport:
    """Check decided cases against the engine and against like cases (see the module doc).

    ``median_share``: how far (as a share of the median) an amount may lie from the median of
    like cases before it is flagged; ``min_group_size``: groups smaller than this are not
    compared with their median.
    """
    share = Decimal(str(median_share))
    if share < 0:
        raise ValueError("median_share must not be negative")
    if min_group_size < 1:
        raise ValueError("min_group_size must be at least 1")
    catalog = catalog or default_catalog()
    book = book or default_discretion()
    today = today or today_in_china()
    cache: dict[tuple[Any, ...], _Expected] = {}
    version_cache: dict[tuple[str, date], str | None] = {}
    law_cache: dict[tuple[str, date], str | None] = {}
    standard_cache: dict[tuple[str, date], str | None] = {}
    rows: list[_Row] = []
    amounts: dict[tuple[str, str, str, str], list[Decimal]] = {}

    def act_version(code: str, on: date) -> str | None:
        key = (code, on)
        if key not in version_cache:
            try:
                found = catalog.version_for_act(code, on)
            except KeyError:
                found = None
            version_cache[key] = found.code if found else None
        return version_cache[key]

    law_of: dict[str, str | None] = {}

    def law_version(code: str, on: date) -> str | None:
        if code not in law_of:
            try:
                law_of[code] = catalog.violation(code).law
            except KeyError:
                law_of[code] = None
        law = law_of[code]
        if law is None:
            return None
        key = (law, on)
        if key not in law_cache:
            found = catalog.law_in_force(law, on)
            law_cache[key] = found.version if found else None
        return law_cache[key]

    def standard_version(jurisdiction: str, on: date) -> str | None:
        key = (jurisdiction, on)
        if key not in standard_cache:
            try:
                found = book.standard_for(jurisdiction, on)
                standard_cache[key] = f"{found.jurisdiction}@{found.version}"
            except LookupError:
                standard_cache[key] = None
        return standard_cache[key]

    def expected_for(record: CaseRecord) -> _Expected:
        decided = record.decision_date or today
        reference = record.act_end_date or record.act_date
        if record.act_date > today or reference > today:
            return _Expected(error_zh="违法行为日期晚于今天", error_en="act date is in the future")
        if reference > decided:
            return _Expected(
                error_zh="违法行为日期晚于作出决定日期",
                error_en="act date is after the decision date",
            )
        key = (
            record.violation_code,
            record.party,
            record.stage,
            record.circumstances,
            record.accident_grade,
            record.illegal_gains_yuan,
            record.last_year_income_yuan,
            record.jurisdiction,
            act_version(record.violation_code, reference),
            record.act_end_date is not None and record.act_end_date != record.act_date,
            law_version(record.violation_code, decided),
            standard_version(record.jurisdiction, decided),
            decided >= date(2021, 7, 15),  # 行政处罚法 2021: 首违可不罚, no-fault waiver
        )
        if key not in cache:
            cache[key] = _evaluate(record, decided)
        return cache[key]

    def _evaluate(record: CaseRecord, decided: date) -> _Expected:
        try:
            facts = FactSheet(
                violation_codes=(record.violation_code,),
                act_date=record.act_date,
                act_end_date=record.act_end_date,
                party=record.party,
                stage=record.stage,
                accident_grade=record.accident_grade,
                illegal_gains_yuan=record.illegal_gains_yuan,
                last_year_income_yuan=record.last_year_income_yuan,
                circumstances=record.circumstances,
                jurisdiction=record.jurisdiction,
                decision_date=decided,
            )
            decision = evaluate(facts, catalog=catalog, today=today)
        except FactSheetError as exc:
            return _Expected(error_zh=exc.message, error_en=exc.message_en)
        v = decision.violations[0]
        return _Expected(
            tier=v.tier,
            waiver=v.waiver,
            legal_range=v.legal_range,
            tier_range=v.tier_range,
            has_fine=v.legal_range is not None,
        )

    total = 0
    for raw in records:
        total += 1
        if isinstance(raw, CaseRecord):
            record: CaseRecord | None = raw
        else:
            try:
                record = CaseRecord.from_mapping(raw)
            except (KeyError, ValueError, TypeError) as exc:
                case_id = (
                    str(raw.get("case_id", f"#{total}"))
                    if isinstance(raw, Mapping)
                    else f"#{total}"
                )
                rows.append(
                    _Row(
                        case_id,
                        None,
                        _Expected(
                            error_zh=f"记录无法解析：{exc}", error_en=f"unreadable record: {exc}"
                        ),
                        None,
                    )
                )
                continue
        assert record is not None
        if record.amount_yuan < 0:
            expected = _Expected(error_zh="罚款数额为负数", error_en="negative amount")
        else:
            expected = expected_for(record)
        group = None
        if (
            expected.error_zh is None
            and expected.tier is not None
            and expected.tier is not Tier.NONE
            and expected.has_fine
        ):
            group = (
                record.violation_code,
                record.party.value,
                record.stage.value,
                expected.tier.value,
            )
            amounts.setdefault(group, []).append(record.amount_yuan)
        rows.append(_Row(record.case_id, record, expected, group))

    medians = {
        group: statistics.median(values)
        for group, values in amounts.items()
        if len(values) >= min_group_size
    }
    findings: list[Finding] = []
    flag_counts: dict[str, int] = {}
    invalid = 0
    for row in rows:
        finding = _judge(row, medians, share)
        if finding is None:
            continue
        findings.append(finding)
        for flag in finding.flags:
            flag_counts[flag] = flag_counts.get(flag, 0) + 1
        if FLAG_INVALID_RECORD in finding.flags:
            invalid += 1
    groups = tuple(
        GroupSummary(
            violation_code=g[0],
            party=g[1],
            stage=g[2],
            tier=g[3],
            count=len(values),
            median_yuan=statistics.median(values),
            min_yuan=min(values),
            max_yuan=max(values),
        )
        for g, values in sorted(amounts.items())
    )
    return ConsistencyReport(
        parameters=ReportParameters(median_share=share, min_group_size=min_group_size, today=today),
        total_records=total,
        evaluated_records=total - invalid,
        flagged_records=len(findings),
        invalid_records=invalid,
        engine_evaluations=len(cache),
        flag_counts=tuple((f, flag_counts[f]) for f in _FLAG_ORDER if f in flag_counts),
        findings=tuple(findings),
        groups=groups,
    )


def _judge(
    row: _Row, medians: Mapping[tuple[str, str, str, str], Decimal], share: Decimal
) -> Finding | None:
    record, expected = row.record, row.expected
    if record is None or expected.error_zh is not None:
        return Finding(
            case_id=row.case_id,
            violation_code=record.violation_code if record else "",
            party=record.party.value if record else "",
            stage=record.stage.value if record else "",
            tier=None,
            amount_yuan=record.amount_yuan if record else None,
            flags=(FLAG_INVALID_RECORD,),
            message_zh=expected.error_zh or "",
            message_en=expected.error_en or "",
        )
    amount = record.amount_yuan
    flags: list[str] = []
    zh: list[str] = []
    en: list[str] = []
    legal, tier_range = expected.legal_range, expected.tier_range
    tier = expected.tier
    if expected.waiver is WaiverStatus.MUST:
        if amount > 0:
            flags.append(FLAG_SHOULD_BE_WAIVED)
            zh.append(f"依照行政处罚法第三十三条应当不予行政处罚，却处罚款{_yuan(amount)}")
            en.append("fined although Art 33 requires no penalty")
    elif not expected.has_fine or legal is None:
        if amount > 0:
            flags.append(FLAG_NO_FINE_RULE)
            zh.append(f"适用的罚则对该当事人在该阶段没有罚款，却处罚款{_yuan(amount)}")
            en.append("fined although the rule has no fine for this party and stage")
    elif not (amount == 0 and expected.waiver is WaiverStatus.MAY):
        lawful_reduction = (
            tier is Tier.REDUCED
            and legal.min_yuan is not None
            and amount < legal.min_yuan
            and amount >= 0
        )
        if not legal.contains(amount) and not lawful_reduction:
            flags.append(FLAG_OUTSIDE_LEGAL_RANGE)
            zh.append(
                f"罚款{_yuan(amount)}不在法定幅度（{_yuan(legal.min_yuan)}至{_yuan(legal.max_yuan)}）内"
            )
            en.append(f"amount {amount} is outside the legal range")
        if tier_range is not None and not tier_range.contains(amount):
            flags.append(FLAG_OUTSIDE_TIER_RANGE)
            label = tier.label_zh if tier else ""
            zh.append(
                f"罚款{_yuan(amount)}不在{label}幅度（{_yuan(tier_range.min_yuan)}至"
                f"{_yuan(tier_range.max_yuan)}，本平台默认幅度）内"
            )
            en.append(f"amount {amount} is outside the {tier.value if tier else ''} tier range")
    median = medians.get(row.group) if row.group else None
    deviation: Decimal | None = None
    if median is not None and median > 0:
        deviation = (abs(amount - median) / median).quantize(Decimal("0.0001"))
        if deviation > share:
            flags.append(FLAG_FAR_FROM_MEDIAN)
            direction = "高于" if amount > median else "低于"
            zh.append(
                f"{direction}同类案件中位数{_yuan(median)}达{(deviation * 100).quantize(Decimal('0.1'))}%"
            )
            en.append(f"{deviation:.2%} away from the median {median} of like cases")
    if not flags:
        return None
    return Finding(
        case_id=row.case_id,
        violation_code=record.violation_code,
        party=record.party.value,
        stage=record.stage.value,
        tier=tier.value if tier else None,
        amount_yuan=amount,
        flags=tuple(flags),
        legal_min_yuan=legal.min_yuan if legal else None,
        legal_max_yuan=legal.max_yuan if legal else None,
        tier_min_yuan=tier_range.min_yuan if tier_range else None,
        tier_max_yuan=tier_range.max_yuan if tier_range else None,
        median_yuan=median,
        deviation_share=deviation,
        message_zh="；".join(zh),
        message_en="; ".join(en),
    )

"""The consistency report (裁量一致性): which decided cases stray from the discretion engine or
from like cases.

Plain Python; no Django. :func:`check_consistency` streams over decided cases (any iterable of
:class:`CaseRecord` or mappings) once, asks the engine (:func:`anjian.law.core.discretion.evaluate`)
once per distinct key (violation code, party, stage, circumstances, accident grade, gains, income,
jurisdiction, act-time version, decision-time law and standard version) and keeps only a small row
per case; like cases with the same amount share one verdict, so the work per case is a few
dictionary lookups (docs/benchmarks/README.md: law_consistency). A case is flagged when

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

import copy
import functools
import gc
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from operator import attrgetter
from typing import Any, ParamSpec, TypeVar

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


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _gc_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a bulk step with Python's cyclic garbage collector paused (and restored after).

    The report allocates a few hundred thousand small acyclic objects (rows, findings, their
    dictionaries); each allocation burst would otherwise trigger collections that walk every
    live object and find nothing to free, a third of the report's time at 100,000 cases.
    Reference counting still frees everything as usual."""

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


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
        """Plain JSON types only (amounts as decimal strings, dates ISO): equal to
        ``json.loads(self.to_json())``, built directly (no text round trip per finding)."""
        return {
            name: (
                _findings_plain(self.findings)
                if name == "findings"
                else _plain(getattr(self, name))
            )
            for name in _REPORT_NAMES
        }

    def to_json(self) -> str:
        return json.dumps(self, default=_json_default, ensure_ascii=False)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_REPORT_NAMES = tuple(f.name for f in fields(ConsistencyReport))
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_FINDING_VALUES = attrgetter(*_FINDING_FIELDS)


def _plain(value: Any) -> Any:
    """What ``json.loads(json.dumps(value, default=_json_default))`` gives, without the text."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        return str(value)
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


@_gc_paused
def _findings_plain(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The findings as plain dictionaries. Like cases share their values (the same objects: one
    verdict, many cases), so each distinct set of values is converted once, recognised by the
    identity of its objects (stable while the findings hold them, i.e. during this call)."""
    converted: dict[tuple[int, ...], tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]] = {}
    result = []
    for finding in findings:
        key = tuple(map(id, _FINDING_TAIL(finding)))
        known = converted.get(key)
        if known is None:
            rest = _finding_dict(finding)
            del rest["case_id"]
            # Lists (the flags) are copied per finding, as json.loads would give them: a
            # shallow copy for a list of strings, a deep one for anything nested.
            known = converted[key] = (
                rest,
                tuple(k for k, v in rest.items() if type(v) is list),
                tuple(
                    k
                    for k, v in rest.items()
                    if type(v) is list and any(isinstance(i, list | dict) for i in v)
                ),
            )
        rest, lists, nested = known
        case_id = finding.case_id
        row = {"case_id": case_id if type(case_id) is str else _plain(case_id), **rest}
        for name in lists:
            row[name] = copy.deepcopy(row[name]) if name in nested else row[name].copy()
        result.append(row)
    return result


def _finding_dict(finding: Finding) -> dict[str, Any]:
    result = dict(zip(_FINDING_FIELDS, _FINDING_VALUES(finding), strict=True))
    for name, value in result.items():
        kind = type(value)
        if kind is str or value is None:
            continue
        result[name] = str(value) if kind is Decimal else _plain(value)
    return result


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


class _Unreadable(Exception):
    """The fast reader gives up on a row; :meth:`CaseRecord.from_mapping` reads it (or says why not)."""


#: What the report needs of one case, in CaseRecord field order.
_Fields = tuple[
    str,  # case_id
    str,  # violation_code
    Party,
    Stage,
    date,  # act_date
    Decimal,  # amount_yuan
    tuple[str, ...],  # circumstances
    AccidentGrade | None,
    Decimal | None,  # illegal gains
    Decimal | None,  # last year's income
    str,  # jurisdiction
    date | None,  # decision date
    date | None,  # act end date
]


class _Reader:
    """Reads mappings (database rows, JSON) into :data:`_Fields` exactly as
    :meth:`CaseRecord.from_mapping` does, but remembers every conversion (party, stage, dates,
    circumstance lists, accident grades), so a repeated value costs one dictionary lookup. Anything
    unusual (nested ``facts``, a circumstance string, a value that does not convert) is left to
    ``from_mapping``, which gives the same result or the same error."""

    __slots__ = ("circumstances", "dates", "grades", "parties", "stages")

    def __init__(self) -> None:
        self.parties: dict[Any, Party] = {}
        self.stages: dict[Any, Stage] = {}
        self.grades: dict[Any, AccidentGrade] = {}
        self.circumstances: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self.dates: dict[str, date] = {}

    def fields(self, raw: CaseRecord | Mapping[str, Any]) -> _Fields:
        if type(raw) is dict and not raw.get("facts"):
            try:
                return self._fast(raw)
            except _Unreadable:
                pass
        record = raw if isinstance(raw, CaseRecord) else CaseRecord.from_mapping(raw)
        return (
            record.case_id,
            record.violation_code,
            record.party,
            record.stage,
            record.act_date,
            record.amount_yuan,
            record.circumstances,
            record.accident_grade,
            record.illegal_gains_yuan,
            record.last_year_income_yuan,
            record.jurisdiction,
            record.decision_date,
            record.act_end_date,
        )

    def _fast(self, data: dict[str, Any]) -> _Fields:
        get = data.get
        amount = get("amount_yuan")
        if amount is None:
            amount = get("amount")
        if not isinstance(amount, Decimal):
            if amount is None or isinstance(amount, bool):
                raise _Unreadable
            try:
                amount = Decimal(str(amount))
            except (InvalidOperation, ValueError):
                raise _Unreadable from None
        try:
            case_id = data["case_id"]
            code = data["violation_code"]
            party = self.parties.get(data["party"])
            stage = self.stages.get(data["stage"])
            act = data["act_date"]
        except (KeyError, TypeError):  # missing, or an unhashable value
            raise _Unreadable from None
        if type(case_id) is not str:
            case_id = str(case_id)
        if type(code) is not str:
            code = str(code)
        if party is None:
            party = self.parties[data["party"]] = self._enum(Party, data["party"])
        if stage is None:
            stage = self.stages[data["stage"]] = self._enum(Stage, data["stage"])
        act = self._date(act)
        raw_circumstances = get("circumstances") or ()
        if type(raw_circumstances) is list:
            raw_circumstances = tuple(raw_circumstances)
        elif type(raw_circumstances) is not tuple:
            raise _Unreadable
        try:
            circumstances = self.circumstances.get(raw_circumstances)
        except TypeError:  # an unhashable element
            raise _Unreadable from None
        if circumstances is None:
            circumstances = self.circumstances[raw_circumstances] = tuple(
                sorted({str(c) for c in raw_circumstances if c})
            )
        grade = get("accident_grade")
        if grade:
            try:
                found = self.grades.get(grade)
            except TypeError:
                raise _Unreadable from None
            if found is None:
                found = self.grades[grade] = self._enum(AccidentGrade, grade)
            grade = found
        else:
            grade = None
        gains = get("illegal_gains_yuan", get("illegal_gains"))
        income = get("last_year_income_yuan", get("last_year_income"))
        if gains is not None and type(gains) is not Decimal:
            raise _Unreadable
        if income is not None and type(income) is not Decimal:
            raise _Unreadable
        jurisdiction = get("jurisdiction") or NATIONAL_DEFAULT
        if type(jurisdiction) is not str:
            jurisdiction = str(jurisdiction)
        decided = get("decision_date")
        ended = get("act_end_date")
        return (
            case_id,
            code,
            party,
            stage,
            act,
            amount,
            circumstances,
            grade,
            gains,
            income,
            jurisdiction,
            self._date(decided) if decided else None,
            self._date(ended) if ended else None,
        )

    @staticmethod
    def _enum(kind: Any, value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise _Unreadable from None

    def _date(self, value: Any) -> date:
        if isinstance(value, date):
            return value
        if type(value) is str:
            found = self.dates.get(value)
            if found is None:
                try:
                    found = self.dates[value] = date.fromisoformat(value)
                except ValueError:
                    raise _Unreadable from None
            return found
        raise _Unreadable


_MISSING = object()


def _median(ordered: list[Decimal]) -> Decimal:
    """``statistics.median`` of an already sorted list (the same element or the same mean)."""
    n = len(ordered)
    i = n // 2
    if n % 2 == 1:
        return ordered[i]
    return (ordered[i - 1] + ordered[i]) / 2  # type: ignore[no-any-return]


_FINDING_TAIL = attrgetter(*_FINDING_FIELDS[1:])  # every field but case_id


@_gc_paused
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

    The work per case is a few dictionary lookups: conversions are remembered (:class:`_Reader`),
    the engine runs once per distinct key, the dates' versions once per (violation, jurisdiction,
    dates), and the verdict once per (engine result, violation, party, stage, amount), since like
    cases with the same amount get the same flags and messages; each group's amounts are sorted
    once for its median, minimum and maximum. ``tests/law/test_consistency.py`` checks the result
    against the straightforward computation, case by case.
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
    refusals: dict[tuple[Any, ...], _Expected] = {}
    act_versions: dict[tuple[str, date], Any] = {}
    law_versions: dict[tuple[str, date], Any] = {}
    standards: dict[tuple[str, date], Any] = {}
    rows: list[tuple[Any, ...] | _Row] = []
    amounts: dict[tuple[str, str, str, str], list[Decimal]] = {}
    groups_of: dict[tuple[Any, ...], tuple[str, str, str, str]] = {}
    reader = _Reader()
    law_of: dict[str, str | None] = {}
    waiver_law_from = date(2021, 7, 15)  # 行政处罚法 2021: 首违可不罚, no-fault waiver

    own_version: dict[str, Any] = {}

    def act_version(code: str, on: date) -> str | None:
        # Mostly the violation's own version is in force on the day: asked once per code
        # (``Catalog.version_for_act`` looks at the code itself first, then its predecessors).
        if code not in own_version:
            try:
                own_version[code] = catalog.violation(code)
            except KeyError:
                own_version[code] = None
        own = own_version[code]
        if own is not None and own.is_in_force(on):
            return str(own.code)
        try:
            found = catalog.version_for_act(code, on)
        except KeyError:
            found = None
        return found.code if found else None

    def law_version(code: str, on: date) -> str | None:
        if code not in law_of:
            try:
                law_of[code] = catalog.violation(code).law
            except KeyError:
                law_of[code] = None
        law = law_of[code]
        if law is None:
            return None
        found = catalog.law_in_force(law, on)
        return found.version if found else None

    def standard_version(jurisdiction: str, on: date) -> str | None:
        try:
            found = book.standard_for(jurisdiction, on)
        except LookupError:
            return None
        return f"{found.jurisdiction}@{found.version}"

    total = 0
    for raw in records:
        total += 1
        try:
            values = reader.fields(raw)
        except (KeyError, ValueError, TypeError) as exc:
            case_id = (
                str(raw.get("case_id", f"#{total}")) if isinstance(raw, Mapping) else f"#{total}"
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
        (
            case_id,
            code,
            party,
            stage,
            act_date,
            amount,
            circumstances,
            grade,
            gains,
            income,
            jurisdiction,
            decision_date,
            act_end_date,
        ) = values
        error: _Expected | None = None
        if amount < 0:
            error = _Expected(error_zh="罚款数额为负数", error_en="negative amount")
        else:
            decided = decision_date or today
            reference = act_end_date or act_date
            if act_date > today or reference > today:
                error = _Expected(
                    error_zh="违法行为日期晚于今天", error_en="act date is in the future"
                )
            elif reference > decided:
                error = _Expected(
                    error_zh="违法行为日期晚于作出决定日期",
                    error_en="act date is after the decision date",
                )
        if error is not None:
            rows.append(_Row(case_id, CaseRecord(*values), error, None))
            continue
        # The versions in force depend on one date each: remembered per (violation, date),
        # (law, date) and (jurisdiction, date), a few thousand keys for any number of cases.
        act_key = (code, reference)
        act_in_force = act_versions.get(act_key, _MISSING)
        if act_in_force is _MISSING:
            act_in_force = act_versions[act_key] = act_version(code, reference)
        law_key = (code, decided)
        law_in_force = law_versions.get(law_key, _MISSING)
        if law_in_force is _MISSING:
            law_in_force = law_versions[law_key] = law_version(code, decided)
        standard_key = (jurisdiction, decided)
        standard = standards.get(standard_key, _MISSING)
        if standard is _MISSING:
            standard = standards[standard_key] = standard_version(jurisdiction, decided)
        key = (
            code,
            party,
            stage,
            circumstances,
            grade,
            gains,
            income,
            jurisdiction,
            act_in_force,
            act_end_date is not None and act_end_date != act_date,
            law_in_force,
            standard,
            decided >= waiver_law_from,
        )
        expected = cache.get(key)
        if expected is None:
            expected = cache[key] = _evaluate(
                CaseRecord(*values), decided, catalog=catalog, today=today
            )
        if expected.error_zh is not None:
            # The engine's refusal names this case's dates: asked again per distinct dates.
            dated_key = (key, act_date, act_end_date, decided)
            refusal = refusals.get(dated_key)
            if refusal is None:
                refusal = refusals[dated_key] = _evaluate(
                    CaseRecord(*values), decided, catalog=catalog, today=today
                )
            rows.append(_Row(case_id, CaseRecord(*values), refusal, None))
            continue
        tier = expected.tier
        group = None
        if tier is not None and tier is not Tier.NONE and expected.has_fine:
            kind = (code, party, stage, tier)
            group = groups_of.get(kind)
            if group is None:
                group = groups_of[kind] = (code, party.value, stage.value, tier.value)
            bucket = amounts.get(group)
            if bucket is None:
                amounts[group] = [amount]
            else:
                bucket.append(amount)
        rows.append((case_id, code, party, stage, amount, expected, group))

    ordered = {group: sorted(values) for group, values in amounts.items()}
    medians = {
        group: _median(values) for group, values in ordered.items() if len(values) >= min_group_size
    }
    findings: list[Finding] = []
    flag_counts: dict[str, int] = {}
    invalid = 0
    verdicts: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}
    flag_sets: dict[tuple[str, ...], int] = {}
    for row in rows:
        if type(row) is _Row:
            finding = _judge(row, medians, share)
        else:
            case_id, code, party, stage, amount, expected, group = row  # type: ignore[misc]
            # Same engine result (the cached object), same case kind, same amount (its exact
            # decimal text: 20000 and 20000.00 read alike but print differently) → same verdict.
            verdict_key = (id(expected), code, party, stage, str(amount))
            tail = verdicts.get(verdict_key, _MISSING)
            if tail is None:
                continue
            if tail is _MISSING:
                finding = _judge_amount(
                    case_id, code, party, stage, amount, expected, group, medians, share
                )
                verdicts[verdict_key] = None if finding is None else _FINDING_TAIL(finding)
            else:
                finding = Finding(case_id, *tail)  # type: ignore[misc]
        if finding is None:
            continue
        findings.append(finding)
        flag_sets[finding.flags] = flag_sets.get(finding.flags, 0) + 1
    for flags, count in flag_sets.items():
        for flag in flags:
            flag_counts[flag] = flag_counts.get(flag, 0) + count
        if FLAG_INVALID_RECORD in flags:
            invalid += count
    groups = tuple(
        GroupSummary(
            violation_code=g[0],
            party=g[1],
            stage=g[2],
            tier=g[3],
            count=len(values),
            median_yuan=_median(ordered[g]),
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


def _evaluate(record: CaseRecord, decided: date, *, catalog: Catalog, today: date) -> _Expected:
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
    return _judge_amount(
        row.case_id,
        record.violation_code,
        record.party,
        record.stage,
        record.amount_yuan,
        expected,
        row.group,
        medians,
        share,
    )


def _judge_amount(
    case_id: str,
    violation_code: str,
    party: Party,
    stage: Stage,
    amount: Decimal,
    expected: _Expected,
    group: tuple[str, str, str, str] | None,
    medians: Mapping[tuple[str, str, str, str], Decimal],
    share: Decimal,
) -> Finding | None:
    """The flags of one evaluable case (its amount against the engine's ranges and the median)."""
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
    median = medians.get(group) if group else None
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
        case_id=case_id,
        violation_code=violation_code,
        party=party.value,
        stage=stage.value,
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

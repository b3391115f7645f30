"""Legal time limits as data, and the one function that turns a trigger into a due date.

The rules live in ``anjian/law/data/time_limits.yaml`` and are validated here with frozen
pydantic models. Each rule has versions keyed by ``valid_from``/``valid_to``; the version in
force on the trigger date (or on ``on``) is used, and the result records which one.

Nothing is computed silently: when the calendar does not know a year the result has
``due=None`` and the flag ``unknown_calendar_year``; when no version is in force, ``due=None``
and ``no_version_in_force``; an hour period with a date-only trigger gives
``trigger_time_required``.

Plain Python: no Django imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from anjian.core.yamlio import load_yaml
from anjian.law.core.catalog import zh_number
from anjian.law.core.workcalendar import UnknownCalendarYear, WorkingCalendar, default_calendar

__all__ = [
    "CONFIRMABLE_TEXTS",
    "FLAG_EXTENDED",
    "FLAG_NO_VERSION_IN_FORCE",
    "FLAG_REST_DAY_ROLLOVER",
    "FLAG_TRIGGER_TIME_REQUIRED",
    "FLAG_UNKNOWN_CALENDAR_YEAR",
    "LAW_TITLES_ZH",
    "DueDate",
    "EventDefinition",
    "Extension",
    "LegalBasis",
    "Period",
    "RuleVersion",
    "Surcharge",
    "SurchargeVersion",
    "TimeLimitBook",
    "TimeLimitRule",
    "UnknownTimeLimitRule",
    "basis_label",
    "compute_deadlines",
    "compute_due",
    "get_rule",
    "late_surcharge",
    "load_time_limits",
    "time_limit_book",
]

LawCode = Literal["APL", "AEL", "WSL", "ARB", "ALL", "REF", "WSPR", "CPL", "CC"]
Unit = Literal["working_days", "natural_days", "months", "years", "hours"]
Direction = Literal["after", "before"]
Kind = Literal["deadline", "waiting_period", "max_duration", "limitation"]
Confidence = Literal["confirmed", "unverified"]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]

LAW_TITLES_ZH: Mapping[str, str] = {
    "APL": "中华人民共和国行政处罚法",
    "AEL": "中华人民共和国行政强制法",
    "WSL": "中华人民共和国安全生产法",
    "ARB": "中华人民共和国行政复议法",
    "ALL": "中华人民共和国行政诉讼法",
    "REF": "行政执法机关移送涉嫌犯罪案件的规定",
    "WSPR": "安全生产违法行为行政处罚办法",
    "CPL": "中华人民共和国民事诉讼法",
    "CC": "中华人民共和国民法典",
}

#: (law, version) -> file in ../shared/law/. Only these texts can make a figure ``confirmed``.
CONFIRMABLE_TEXTS: Mapping[tuple[str, str], str] = {
    ("APL", "2021-01-22"): "行政处罚法(2021-01-22).md",
    ("AEL", "2011-06-30"): "行政强制法(2011-06-30).md",
    ("WSL", "2021-06-10"): "安全生产法(2021-06-10).md",
    ("ARB", "2023-09-01"): "行政复议法(2023-09-01).md",
    ("ALL", "2017-06-27"): "行政诉讼法(2017-06-27).md",
    ("REF", "2020-08-07"): "行政执法机关移送涉嫌犯罪案件的规定(2020-08-07).md",
}

FLAG_UNKNOWN_CALENDAR_YEAR = "unknown_calendar_year"
FLAG_NO_VERSION_IN_FORCE = "no_version_in_force"
FLAG_TRIGGER_TIME_REQUIRED = "trigger_time_required"
FLAG_REST_DAY_ROLLOVER = "rest_day_rollover"
FLAG_EXTENDED = "extended"

_DAY_UNITS: frozenset[str] = frozenset({"working_days", "natural_days", "months", "years"})


class UnknownTimeLimitRule(KeyError):
    """No rule with this id in the time-limit table."""


# ----------------------------------------------------------------------------- models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LegalBasis(_Frozen):
    """A citation: law code, text version, article, paragraph (款), item (项)."""

    law: LawCode
    version: str
    edition_zh: str | None = None
    article: int | None = Field(default=None, ge=1)
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)
    quote: str | None = None
    source: str | None = None

    @property
    def is_confirmable(self) -> bool:
        """The cited text is in ../shared/law, an article is given, and a quote from it."""
        return (
            (self.law, self.version) in CONFIRMABLE_TEXTS
            and self.article is not None
            and bool(self.quote)
        )

    @property
    def label(self) -> str:
        return basis_label(self)


class Period(_Frozen):
    amount: int = Field(ge=1)
    unit: Unit

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


class Extension(_Frozen):
    amount: int = Field(ge=1)
    unit: Unit
    condition_zh: str
    basis: LegalBasis


class RuleVersion(_Frozen):
    version: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    period: Period
    basis: LegalBasis
    unit_basis: LegalBasis | None = None
    confidence: Confidence
    extension: Extension | None = None
    cap: str | None = None
    rest_day_rollover: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> RuleVersion:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"{self.version}: valid_to is before valid_from")
        if self.extension is not None and self.extension.unit != self.period.unit:
            raise ValueError(f"{self.version}: extension unit differs from the period unit")
        if self.confidence == "confirmed":
            citations = [self.basis]
            if self.unit_basis is not None:
                citations.append(self.unit_basis)
            if self.extension is not None:
                citations.append(self.extension.basis)
            for citation in citations:
                if not citation.is_confirmable:
                    raise ValueError(
                        f"{self.version}: 'confirmed' needs an article and a quote from a text in "
                        f"../shared/law (CONFIRMABLE_TEXTS); {citation.law} {citation.version} "
                        f"art. {citation.article} does not qualify"
                    )
            if self.period.unit == "working_days" and self.unit_basis is None:
                raise ValueError(
                    f"{self.version}: a confirmed working-day period needs unit_basis (the "
                    f"article that makes the days working days)"
                )
        elif not self.basis.source:
            raise ValueError(f"{self.version}: an unverified figure needs basis.source")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class TimeLimitRule(_Frozen):
    id: Identifier
    title_zh: str
    title_en: str
    trigger: Identifier
    direction: Direction
    kind: Kind
    versions: tuple[RuleVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> TimeLimitRule:
        ordered = sorted(self.versions, key=lambda v: v.valid_from)
        names = [v.version for v in ordered]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: duplicate version names")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(
                    f"{self.id}: versions {earlier.version} and {later.version} overlap"
                )
        for version in self.versions:
            unit = version.period.unit
            if self.direction == "before":
                if unit not in ("working_days", "natural_days"):
                    raise ValueError(f"{self.id}: 'before' supports working or natural days only")
                if unit == "natural_days" and version.rest_day_rollover:
                    raise ValueError(f"{self.id}: 'before' in natural days cannot roll forward")
                if version.extension is not None:
                    raise ValueError(f"{self.id}: 'before' rules take no extension")
        return self

    def version_on(self, day: dt.date) -> RuleVersion | None:
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None


class EventDefinition(_Frozen):
    title_zh: str
    title_en: str


class SurchargeVersion(_Frozen):
    version: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    daily_rate: Decimal = Field(gt=0)
    capped_at_principal: bool
    basis: LegalBasis
    cap_basis: LegalBasis | None = None
    confidence: Confidence
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> SurchargeVersion:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"{self.version}: valid_to is before valid_from")
        if self.confidence == "confirmed" and not self.basis.is_confirmable:
            raise ValueError(f"{self.version}: 'confirmed' needs a quote from ../shared/law")
        if self.confidence == "unverified" and not self.basis.source:
            raise ValueError(f"{self.version}: an unverified figure needs basis.source")
        if self.cap_basis is not None and not self.cap_basis.is_confirmable:
            raise ValueError(f"{self.version}: cap_basis must cite a text in ../shared/law")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Surcharge(_Frozen):
    id: Identifier
    title_zh: str
    title_en: str
    versions: tuple[SurchargeVersion, ...] = Field(min_length=1)

    def version_on(self, day: dt.date) -> SurchargeVersion | None:
        for version in self.versions:
            if version.in_force_on(day):
                return version
        return None


class TimeLimitBook(_Frozen):
    schema_version: Literal[1]
    events: dict[Identifier, EventDefinition]
    rules: tuple[TimeLimitRule, ...]
    surcharges: tuple[Surcharge, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> TimeLimitBook:
        ids = [rule.id for rule in self.rules]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"duplicate rule ids: {sorted(duplicates)}")
        for rule in self.rules:
            if rule.trigger not in self.events:
                raise ValueError(f"{rule.id}: trigger {rule.trigger!r} is not a declared event")
        return self

    def rule(self, rule_id: str) -> TimeLimitRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise UnknownTimeLimitRule(rule_id)

    def surcharge(self, surcharge_id: str) -> Surcharge:
        for surcharge in self.surcharges:
            if surcharge.id == surcharge_id:
                return surcharge
        raise UnknownTimeLimitRule(surcharge_id)


def load_time_limits(path: Path | str | None = None) -> TimeLimitBook:
    """Read and validate a time-limit YAML file (the packaged one by default)."""
    if path is None:
        text = resources.files("anjian.law").joinpath("data/time_limits.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data: Any = load_yaml(text)
    return TimeLimitBook.model_validate(data)


@lru_cache(maxsize=1)
def time_limit_book() -> TimeLimitBook:
    """The packaged time-limit table, loaded once."""
    return load_time_limits()


def get_rule(rule_id: str) -> TimeLimitRule:
    return time_limit_book().rule(rule_id)


# ----------------------------------------------------------------------------- labels


def basis_label(basis: LegalBasis) -> str:
    """Chinese citation, e.g. 《中华人民共和国行政处罚法》第六十四条第（一）项."""
    label = f"《{LAW_TITLES_ZH[basis.law]}》"
    if basis.edition_zh:
        label += f"（{basis.edition_zh}）"
    if basis.article is None:
        return label + "（条文未核实）"
    label += f"第{zh_number(basis.article)}条"
    if basis.paragraph is not None:
        label += f"第{zh_number(basis.paragraph)}款"
    if basis.item is not None:
        label += f"第（{zh_number(basis.item)}）项"
    return label


# ----------------------------------------------------------------------------- computing


@dataclass(frozen=True, slots=True)
class DueDate:
    """The due date of one rule for one trigger, with the version and basis that produced it.

    ``due`` is a ``date`` (a ``datetime`` for hour periods), or ``None`` when it could not be
    computed -- then ``flags`` says why. For ``direction == "before"`` it is the latest day to
    act; for ``kind == "waiting_period"`` the last day of the wait (act after it); for
    ``max_duration`` the last day the measure may last; for ``limitation`` the last day.
    """

    rule_id: str
    due: dt.date | dt.datetime | None
    basis: str | None
    confidence: Confidence | None
    version: str | None
    flags: tuple[str, ...] = ()
    title_zh: str = ""
    kind: Kind = "deadline"
    direction: Direction = "after"
    trigger: str = ""
    trigger_date: dt.date | None = None
    period: str | None = None
    unit_basis: str | None = None
    extended: bool = False
    unknown_calendar_year: int | None = None


def _day_of(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def compute_due(
    rule_id: str,
    trigger_date: dt.date | dt.datetime,
    *,
    on: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
    extended: bool = False,
) -> DueDate:
    """Due date of ``rule_id`` for an event on ``trigger_date``.

    The rule version is the one in force on ``on`` if given, else on the trigger date.
    ``extended`` adds the rule's extension (e.g. a seizure's further 30 days); asking for it on
    a rule without one is a ``ValueError``. Unknown ``rule_id`` raises
    :class:`UnknownTimeLimitRule`.
    """
    rule = time_limit_book().rule(rule_id)
    cal = calendar if calendar is not None else default_calendar()
    trigger_day = _day_of(trigger_date)
    version = rule.version_on(_day_of(on) if on is not None else trigger_day)
    common: dict[str, Any] = {
        "rule_id": rule.id,
        "title_zh": rule.title_zh,
        "kind": rule.kind,
        "direction": rule.direction,
        "trigger": rule.trigger,
        "trigger_date": trigger_date,
        "extended": extended,
    }
    if version is None:
        return DueDate(
            due=None,
            basis=None,
            confidence=None,
            version=None,
            flags=(FLAG_NO_VERSION_IN_FORCE,),
            **common,
        )
    if extended and version.extension is None:
        raise ValueError(f"{rule.id} ({version.version}) has no extension")

    amount = version.period.amount + (
        version.extension.amount if extended and version.extension else 0
    )
    unit = version.period.unit
    flags: list[str] = [FLAG_EXTENDED] if extended else []
    common.update(
        basis=basis_label(version.basis),
        confidence=version.confidence,
        version=version.version,
        period=f"{amount} {unit}",
        unit_basis=basis_label(version.unit_basis) if version.unit_basis else None,
    )

    due: dt.date | dt.datetime | None
    try:
        if unit == "hours":
            if not isinstance(trigger_date, dt.datetime):
                return DueDate(due=None, flags=(*flags, FLAG_TRIGGER_TIME_REQUIRED), **common)
            delta = dt.timedelta(hours=amount)
            due = trigger_date + delta if rule.direction == "after" else trigger_date - delta
        elif unit == "working_days":
            if rule.direction == "after":
                due = cal.add_working_days(trigger_day, amount)
            else:
                due = cal.subtract_working_days(trigger_day, amount)
        elif rule.direction == "before":  # natural days, validated: no roll-over
            due = trigger_day - dt.timedelta(days=amount)
        else:
            if unit == "natural_days":
                last = trigger_day + dt.timedelta(days=amount)
            elif unit == "months":
                last = cal.add_months(trigger_day, amount, roll_forward=False)
            else:
                last = cal.add_years(trigger_day, amount, roll_forward=False)
            due = cal.next_working_day(last) if version.rest_day_rollover else last
            if due != last:
                flags.append(FLAG_REST_DAY_ROLLOVER)
    except UnknownCalendarYear as error:
        return DueDate(
            due=None,
            flags=(*flags, FLAG_UNKNOWN_CALENDAR_YEAR),
            unknown_calendar_year=error.year,
            **common,
        )
    return DueDate(due=due, flags=tuple(flags), **common)


def _sort_key(item: DueDate) -> tuple[int, dt.date, str]:
    if item.due is None:
        return (1, dt.date.max, item.rule_id)
    return (0, _day_of(item.due), item.rule_id)


def compute_deadlines(
    events: Mapping[str, dt.date | dt.datetime],
    *,
    calendar: WorkingCalendar | None = None,
) -> list[DueDate]:
    """Every rule whose trigger is among ``events`` (event name -> date), sorted by due date.

    Rules with no version in force on the event date are included with the flag
    ``no_version_in_force`` rather than left out. Undeclared event names raise ``ValueError``.
    """
    book = time_limit_book()
    unknown = sorted(set(events) - set(book.events))
    if unknown:
        raise ValueError(f"undeclared events: {unknown}")
    results = [
        compute_due(rule.id, events[rule.trigger], calendar=calendar)
        for rule in book.rules
        if rule.trigger in events
    ]
    return sorted(results, key=_sort_key)


_CENT = Decimal("0.01")


def late_surcharge(
    fine: Decimal | int | str,
    due_date: dt.date,
    on_date: dt.date,
    *,
    excluded_days: int = 0,
) -> Decimal:
    """加处罚款 accrued by ``on_date`` on a fine that fell due on ``due_date``.

    3% of the fine for each day after ``due_date`` up to and including ``on_date``, capped at
    the fine (行政处罚法第七十二条第一款第（一）项), rounded half-up to the fen.
    ``excluded_days`` are days not counted (Art 73 ¶3: review or suit pending). The version is
    the one in force on ``due_date``; none raises ``ValueError``.
    """
    if isinstance(fine, float):
        raise TypeError("pass the fine as Decimal, int or str, not float")
    principal = Decimal(fine)
    if principal < 0:
        raise ValueError("fine must not be negative")
    if excluded_days < 0:
        raise ValueError("excluded_days must not be negative")
    surcharge = time_limit_book().surcharge("late_payment_surcharge")
    version = surcharge.version_on(due_date)
    if version is None:
        raise ValueError(f"no late-payment surcharge rule in force on {due_date}")
    days = max(0, (on_date - due_date).days - excluded_days)
    amount = principal * version.daily_rate * days
    if version.capped_at_principal:
        amount = min(amount, principal)
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)

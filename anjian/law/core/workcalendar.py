"""Working-day calendar for legal time limits (plain Python, no Django).

A *working day* (工作日) is a day that is neither a weekend day nor a statutory holiday
(法定节假日), and every make-up working day (调休上班日) is a working day even when it falls on
a Saturday or Sunday. The national arrangement comes from the ``chinese_calendar`` library;
an administrator's override table (``overrides``) takes precedence over it, for arrangements the
library does not know yet (a new year's 放假安排, a local emergency closure).

Nothing here guesses. A date whose status is not known -- its year is neither in the library
nor declared complete by the administrator, and it has no override -- raises
:class:`UnknownCalendarYear`; the time-limit engine turns that into a flag instead of a date.

Counting conventions (see ``COUNTING_CONVENTIONS`` and docs/law/time-limits.md):

* the day of the triggering event is not counted; the period starts the next day;
* "N 日" counted in working days: the N-th working day after the trigger is the last day;
* "N 日/月/年" in natural days: the same calendar day N days/months/years on is the last day,
  and when that day is a rest day the period ends on the next working day (if asked to roll).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import chinese_calendar

__all__ = [
    "COUNTING_CONVENTIONS",
    "CountingConvention",
    "DayInfo",
    "UnknownCalendarYear",
    "WorkingCalendar",
    "default_calendar",
]

Confidence = Literal["confirmed", "unverified"]


class UnknownCalendarYear(LookupError):
    """A computation needed a day in a year whose holiday arrangement is not known."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"the holiday arrangement for {year} is not known: add the year's overrides and "
            f"declare it complete, or upgrade chinese_calendar"
        )
        self.year = year


@dataclass(frozen=True, slots=True)
class CountingConvention:
    """A rule of period counting, with where it comes from and how sure we are of it."""

    id: str
    rule_zh: str
    rule_en: str
    basis: str
    confidence: Confidence
    note: str


COUNTING_CONVENTIONS: tuple[CountingConvention, ...] = (
    CountingConvention(
        id="working_days_short_periods",
        rule_zh="“二日”“三日”“五日”“七日”是指工作日，不含法定节假日",
        rule_en="2, 3, 5 and 7-day periods of the Administrative Penalty Law are working days",
        basis="《中华人民共和国行政处罚法》第八十五条",
        confidence="confirmed",
        note="Text in ../shared/law/行政处罚法(2021-01-22).md. Only these four figures; "
        "the 15-day payment and 90-day decision periods are natural days.",
    ),
    CountingConvention(
        id="working_days_coercion",
        rule_zh="本法中十日以内期限的规定是指工作日，不含法定节假日",
        rule_en="periods of ten days or less in the Administrative Coercion Law are working days",
        basis="《中华人民共和国行政强制法》第六十九条",
        confidence="confirmed",
        note="Text in ../shared/law/行政强制法(2011-06-30).md. '以内' includes the number "
        "itself, so 10 days are working days; the 30-day seizure period is natural days.",
    ),
    CountingConvention(
        id="working_days_review",
        rule_zh="本法关于行政复议期间有关“三日”、“五日”、“七日”、“十日”的规定是指工作日",
        rule_en="3, 5, 7 and 10-day periods of the Administrative Review Law are working days",
        basis="《中华人民共和国行政复议法》第八十八条第二款",
        confidence="confirmed",
        note="Text in ../shared/law/行政复议法(2023-09-01).md; the 60-day request period is "
        "natural days.",
    ),
    CountingConvention(
        id="start_day_not_counted",
        rule_zh="期间开始的时和日，不计算在期间内（按日计算的，开始的当日不计入，自下一日开始计算）",
        rule_en="the day of the triggering event is not counted; the period starts the next day",
        basis="《中华人民共和国民事诉讼法》第八十五条第二款；《中华人民共和国民法典》第二百零一条",
        confidence="unverified",
        note="Neither text is in ../shared/law. Applied to administrative procedure by "
        "analogy; 行政诉讼法第一百零一条 and 行政复议法第八十八条第一款 (both confirmed) send "
        "the counting of their own periods to the Civil Procedure Law.",
    ),
    CountingConvention(
        id="rest_day_rollover",
        rule_zh="期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期",
        rule_en="a natural-day, month or year period whose last day is a rest day ends on the "
        "next working day",
        basis="《中华人民共和国民事诉讼法》第八十五条第三款；《中华人民共和国民法典》第二百零三条",
        confidence="unverified",
        note="Neither text is in ../shared/law. 行政诉讼法(2017)第一百零一条 and "
        "行政复议法(2023)第八十八条第一款 (confirmed) apply the Civil Procedure Law's rules on "
        "期间; 行政诉讼法第五十一条 is about 登记立案, not counting. A rest day here is any "
        "non-working day (weekends included, make-up working days excluded).",
    ),
    CountingConvention(
        id="month_end",
        rule_zh="按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日",
        rule_en="a month or year period ends on the same day of the final month, or on its "
        "last day if that month is shorter",
        basis="《中华人民共和国民法典》第二百零二条",
        confidence="unverified",
        note="Text not in ../shared/law.",
    ),
)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What the calendar knows about one day, and where it learned it."""

    day: dt.date
    is_working_day: bool
    name: str | None
    source: Literal["override", "library", "declared_year"]


def _library_knows_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _as_date(value: dt.date) -> dt.date:
    # datetime is a subclass of date; legal periods in days count calendar days.
    if isinstance(value, dt.datetime):
        return value.date()
    return value


class WorkingCalendar:
    """PRC working-day calendar: weekends and statutory holidays off, make-up days on.

    ``overrides`` maps a date to ``True`` (working day) or ``False`` (rest day) and wins over
    the library. ``declared_years`` lists years the administrator declares complete: every day
    of such a year that has no override follows the weekday rule (Monday to Friday work).
    A day is known when it has an override, or its year is known to the library or declared.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        *,
        declared_years: Iterable[int] | None = None,
    ) -> None:
        cleaned: dict[dt.date, bool] = {}
        for day, working in (overrides or {}).items():
            if not isinstance(day, dt.date) or not isinstance(working, bool):
                raise TypeError(f"override {day!r}: {working!r} must map a date to a bool")
            cleaned[_as_date(day)] = working
        self._overrides: dict[dt.date, bool] = cleaned
        self._declared_years: frozenset[int] = frozenset(declared_years or ())
        self._library_years: dict[int, bool] = {}

    # -- knowledge -------------------------------------------------------------------------

    @property
    def overrides(self) -> Mapping[dt.date, bool]:
        return dict(self._overrides)

    @property
    def declared_years(self) -> frozenset[int]:
        return self._declared_years

    @property
    def known_years(self) -> frozenset[int]:
        """Years the library knows plus the years declared complete."""
        library_years = {day.year for day in chinese_calendar.holidays}
        return frozenset(range(min(library_years), max(library_years) + 1)) | self._declared_years

    def knows_year(self, year: int) -> bool:
        """True if every day of ``year`` can be classified."""
        return year in self._declared_years or self._library_knows(year)

    def describe(self, day: dt.date) -> DayInfo:
        """Classify ``day``; raises :class:`UnknownCalendarYear` if it cannot."""
        day = _as_date(day)
        if day in self._overrides:
            return DayInfo(day, self._overrides[day], None, "override")
        if not self.knows_year(day.year):
            raise UnknownCalendarYear(day.year)
        if day.year in self._declared_years and not self._library_knows(day.year):
            return DayInfo(day, day.weekday() < 5, None, "declared_year")
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        return DayInfo(day, not is_holiday, name, "library")

    def _library_knows(self, year: int) -> bool:
        known = self._library_years.get(year)
        if known is None:
            known = _library_knows_year(year)
            self._library_years[year] = known
        return known

    def is_working_day(self, day: dt.date) -> bool:
        return self.describe(day).is_working_day

    def is_rest_day(self, day: dt.date) -> bool:
        return not self.describe(day).is_working_day

    # -- arithmetic ------------------------------------------------------------------------

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        day = _as_date(day)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``add_working_days(d, 0)`` is ``d``.
        """
        if n < 0:
            raise ValueError("n must not be negative; use subtract_working_days")
        day = _as_date(start)
        remaining = n
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, end: dt.date, n: int) -> dt.date:
        """The latest working day D with ``add_working_days(D, n) <= end``.

        For "notify N working days before the event": a notice given on D or earlier leaves
        at least N working days, the event day counted as the last of them.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        day = _as_date(end)
        counted = 0  # working days in (day, end]
        while True:
            if counted >= n and self.is_working_day(day):
                return day
            if self.is_working_day(day):
                counted += 1
            day -= dt.timedelta(days=1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Number of working days in (start, end]."""
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise ValueError("end must not be before start")
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_natural_days(self, start: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
        """``start`` + n days; if that last day is a rest day, the next working day.

        The roll-forward rule is 民事诉讼法第八十五条第三款 / 民法典第二百零三条 (unverified:
        texts not in ../shared/law), applied through 行政诉讼法第一百零一条 and
        行政复议法第八十八条 (confirmed). With ``roll_forward=False`` no calendar is consulted.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = _as_date(start) + dt.timedelta(days=n)
        return self.next_working_day(day) if roll_forward else day

    def add_months(self, start: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
        """The same day ``n`` months after ``start`` (month end if the month is shorter).

        Month arithmetic per 民法典第二百零二条 (unverified); ``roll_forward`` as in
        :meth:`add_natural_days`.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        start = _as_date(start)
        month_index = start.month - 1 + n
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        last = _stdlib_calendar.monthrange(year, month)[1]
        day = dt.date(year, month, min(start.day, last))
        return self.next_working_day(day) if roll_forward else day

    def add_years(self, start: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
        """``add_months(start, 12 * n)``: 29 February becomes 28 February."""
        return self.add_months(start, 12 * n, roll_forward=roll_forward)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The national calendar of the installed ``chinese_calendar``, without overrides."""
    return WorkingCalendar()

"""WorkingCalendar: statutory holidays, make-up working days, overrides, unknown years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.law.core.workcalendar import (
    COUNTING_CONVENTIONS,
    UnknownCalendarYear,
    WorkingCalendar,
    default_calendar,
)

CAL = WorkingCalendar()


# -- what the library says about 2025 and 2026 (verified against chinese_calendar 1.11) ----


def test_national_day_2025_is_eight_rest_days_with_two_make_up_days() -> None:
    for offset in range(8):
        assert not CAL.is_working_day(date(2025, 10, 1) + timedelta(days=offset))
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday, make-up working day
    assert CAL.is_working_day(date(2025, 10, 11))  # Saturday, make-up working day
    assert not CAL.is_working_day(date(2025, 10, 12))  # ordinary Sunday


def test_spring_festival_2026_is_nine_rest_days_with_make_up_saturdays() -> None:
    for offset in range(9):
        assert not CAL.is_working_day(date(2026, 2, 15) + timedelta(days=offset))
    assert CAL.is_working_day(date(2026, 2, 14))  # Saturday, make-up working day
    assert CAL.is_working_day(date(2026, 2, 28))  # Saturday, make-up working day
    assert CAL.is_working_day(date(2026, 2, 24))


def test_describe_names_the_holiday_and_the_source() -> None:
    info = CAL.describe(date(2025, 10, 6))
    assert not info.is_working_day
    assert info.name == "Mid-autumn Festival"
    assert info.source == "library"
    assert CAL.describe(date(2025, 9, 28)).is_working_day


# -- working days ---------------------------------------------------------------------------


def test_trigger_day_is_not_counted() -> None:
    assert CAL.add_working_days(date(2025, 6, 9), 1) == date(2025, 6, 10)  # Mon -> Tue
    assert CAL.add_working_days(date(2025, 6, 13), 1) == date(2025, 6, 16)  # Fri -> Mon
    assert CAL.add_working_days(date(2025, 6, 13), 0) == date(2025, 6, 13)


def test_five_working_days_across_national_day_2025() -> None:
    # Tue 30 Sep: 9 Oct, 10 Oct, 11 Oct (make-up Saturday), 13 Oct, 14 Oct.
    assert CAL.add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)
    # Fri 26 Sep: 28 Sep (make-up Sunday), 29 Sep, 30 Sep, 9 Oct, 10 Oct.
    assert CAL.add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)


def test_five_working_days_across_spring_festival_2026() -> None:
    # Thu 12 Feb: 13 Feb, 14 Feb (make-up Saturday), 24, 25, 26 Feb.
    assert CAL.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    # Tue 24 Feb: 25, 26, 27, 28 Feb (make-up Saturday), 2 Mar.
    assert CAL.add_working_days(date(2026, 2, 24), 5) == date(2026, 3, 2)


def test_subtract_working_days_gives_latest_notice_day() -> None:
    # Hearing on Mon 13 Oct 2025: 28 Sep, 29 Sep, 30 Sep, 9, 10, 11, 13 Oct are the seven.
    assert CAL.subtract_working_days(date(2025, 10, 13), 7) == date(2025, 9, 26)
    # Hearing on Mon 2 Mar 2026: 14 Feb, 24-28 Feb and 2 Mar are the seven.
    assert CAL.subtract_working_days(date(2026, 3, 2), 7) == date(2026, 2, 13)
    # Hearing on a Saturday rest day: the Saturday itself does not count.
    assert CAL.subtract_working_days(date(2025, 6, 14), 7) == date(2025, 6, 4)


def test_working_days_between_counts_the_half_open_interval() -> None:
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert CAL.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        CAL.subtract_working_days(date(2025, 1, 1), 0)
    with pytest.raises(ValueError):
        CAL.add_natural_days(date(2025, 1, 1), -1)


# -- natural days and months ----------------------------------------------------------------


def test_natural_days_ending_in_a_holiday_roll_to_next_working_day() -> None:
    assert CAL.add_natural_days(date(2025, 9, 19), 15) == date(2025, 10, 9)
    assert CAL.add_natural_days(date(2025, 9, 19), 15, roll_forward=False) == date(2025, 10, 4)


def test_natural_days_ending_on_a_make_up_saturday_do_not_roll() -> None:
    assert CAL.add_natural_days(date(2025, 9, 26), 15) == date(2025, 10, 11)


def test_natural_days_ending_on_a_weekend_roll_to_monday() -> None:
    assert CAL.add_natural_days(date(2025, 3, 10), 90) == date(2025, 6, 9)


def test_add_months_uses_the_month_end_when_there_is_no_same_day() -> None:
    assert CAL.add_months(date(2025, 1, 31), 1, roll_forward=False) == date(2025, 2, 28)
    assert CAL.add_months(date(2024, 2, 29), 12, roll_forward=False) == date(2025, 2, 28)
    assert CAL.add_months(date(2025, 11, 15), 2, roll_forward=False) == date(2026, 1, 15)


def test_add_months_rolls_over_rest_days_but_not_make_up_days() -> None:
    assert CAL.add_months(date(2025, 8, 31), 3) == date(2025, 12, 1)  # 30 Nov is a Sunday
    assert CAL.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)  # make-up Saturday


def test_add_years_without_roll_over_needs_no_calendar() -> None:
    assert CAL.add_years(date(2025, 6, 15), 5, roll_forward=False) == date(2030, 6, 15)


# -- unknown years --------------------------------------------------------------------------


def test_unknown_year_raises_instead_of_guessing() -> None:
    with pytest.raises(UnknownCalendarYear) as error:
        CAL.is_working_day(date(2030, 3, 1))
    assert error.value.year == 2030
    assert not CAL.knows_year(2030)
    assert CAL.knows_year(2026)


def test_period_crossing_into_an_unknown_year_raises() -> None:
    with pytest.raises(UnknownCalendarYear) as error:
        CAL.add_working_days(date(2026, 12, 28), 5)
    assert error.value.year == 2027


def test_natural_day_roll_over_in_unknown_year_raises() -> None:
    with pytest.raises(UnknownCalendarYear):
        CAL.add_natural_days(date(2026, 12, 20), 15)
    assert CAL.add_natural_days(date(2026, 12, 20), 15, roll_forward=False) == date(2027, 1, 4)


# -- overrides ------------------------------------------------------------------------------


def test_override_makes_a_holiday_a_working_day() -> None:
    cal = WorkingCalendar({date(2025, 10, 4): True})
    assert cal.is_working_day(date(2025, 10, 4))
    assert cal.describe(date(2025, 10, 4)).source == "override"
    # 4 Oct, 9 Oct, 10 Oct, 11 Oct, 13 Oct.
    assert cal.add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 13)


def test_override_makes_a_weekday_a_rest_day() -> None:
    cal = WorkingCalendar({date(2025, 7, 1): False})
    assert not cal.is_working_day(date(2025, 7, 1))
    assert cal.add_working_days(date(2025, 6, 30), 1) == date(2025, 7, 2)


def test_declared_year_follows_overrides_then_weekdays() -> None:
    cal = WorkingCalendar(
        {date(2027, 1, 1): False, date(2027, 1, 2): False, date(2027, 1, 3): False},
        declared_years={2027},
    )
    assert cal.knows_year(2027)
    assert {2025, 2026, 2027} <= cal.known_years
    assert 2027 not in WorkingCalendar().known_years
    assert cal.describe(date(2027, 1, 4)).source == "declared_year"
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not cal.is_working_day(date(2027, 1, 9))  # Saturday


def test_override_in_undeclared_year_answers_only_for_its_own_day() -> None:
    cal = WorkingCalendar({date(2027, 2, 6): True})
    assert cal.is_working_day(date(2027, 2, 6))
    with pytest.raises(UnknownCalendarYear):
        cal.is_working_day(date(2027, 2, 8))


def test_override_values_must_be_booleans() -> None:
    with pytest.raises(TypeError):
        WorkingCalendar({date(2025, 10, 4): 1})  # type: ignore[dict-item]


def test_default_calendar_is_shared_and_has_no_overrides() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar().overrides == {}


def test_counting_conventions_mark_civil_law_sources_unverified() -> None:
    by_id = {c.id: c for c in COUNTING_CONVENTIONS}
    assert by_id["working_days_short_periods"].confidence == "confirmed"
    assert by_id["working_days_coercion"].confidence == "confirmed"
    assert by_id["start_day_not_counted"].confidence == "unverified"
    assert by_id["rest_day_rollover"].confidence == "unverified"


# -- properties -----------------------------------------------------------------------------

known_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 11, 30))
short_counts = st.integers(min_value=1, max_value=20)


@settings(max_examples=200, deadline=None)
@given(start=known_days, n=short_counts)
def test_add_working_days_lands_on_the_nth_working_day(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n


@settings(max_examples=200, deadline=None)
# The check counts up to n + 1 working days past ``end``: ``end`` stays a month inside the last
# known year, or the calendar (rightly) refuses to count into an unknown one.
@given(end=st.dates(min_value=date(2024, 3, 1), max_value=date(2026, 11, 30)), n=short_counts)
def test_subtract_is_the_latest_day_whose_period_fits(end: date, n: int) -> None:
    latest = CAL.subtract_working_days(end, n)
    assert CAL.is_working_day(latest)
    assert CAL.add_working_days(latest, n) <= end
    later = CAL.add_working_days(latest, 1)
    assert CAL.add_working_days(later, n) > end


@settings(max_examples=200, deadline=None)
@given(start=known_days, n=st.integers(min_value=1, max_value=30))
def test_natural_days_never_end_on_a_rest_day(start: date, n: int) -> None:
    end = CAL.add_natural_days(start, n)
    assert CAL.is_working_day(end)
    assert end >= start + timedelta(days=n)

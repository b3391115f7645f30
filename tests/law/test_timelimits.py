"""Legal time limits: data validation, version choice, exact due dates."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest

from anjian.law.core.catalog import zh_number
from anjian.law.core.timelimits import (
    CONFIRMABLE_TEXTS,
    FLAG_NO_VERSION_IN_FORCE,
    FLAG_REST_DAY_ROLLOVER,
    FLAG_TRIGGER_TIME_REQUIRED,
    FLAG_UNKNOWN_CALENDAR_YEAR,
    LegalBasis,
    RuleVersion,
    TimeLimitRule,
    UnknownTimeLimitRule,
    basis_label,
    compute_deadlines,
    compute_due,
    late_surcharge,
    time_limit_book,
)
from anjian.law.core.workcalendar import WorkingCalendar

CST = timezone(timedelta(hours=8))
SHARED_LAW = Path(
    os.environ.get("ANJIAN_SHARED_LAW", Path(__file__).resolve().parents[3] / "shared" / "law")
)


# -- the data -------------------------------------------------------------------------------


def test_required_rules_are_present() -> None:
    ids = {rule.id for rule in time_limit_book().rules}
    assert {
        "decision_after_filing",
        "hearing_request",
        "hearing_notice",
        "decision_delivery",
        "fine_payment",
        "evidence_preservation_decision",
        "seizure_duration",
        "court_enforcement_application",
        "enforcement_reminder_wait",
        "referral_approval",
        "referral_transfer",
        "limitation_period",
        "limitation_period_life_health",
        "administrative_review_request",
        "administrative_suit_filing",
        "rectification_reinspection",
    } <= ids


def _normalize(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _confirmed_citations() -> list[LegalBasis]:
    citations: list[LegalBasis] = []
    book = time_limit_book()
    for rule in book.rules:
        for version in rule.versions:
            if version.confidence != "confirmed":
                continue
            citations.append(version.basis)
            if version.unit_basis:
                citations.append(version.unit_basis)
            if version.extension:
                citations.append(version.extension.basis)
    for surcharge in book.surcharges:
        for surcharge_version in surcharge.versions:
            if surcharge_version.confidence == "confirmed":
                citations.append(surcharge_version.basis)
            if surcharge_version.cap_basis:
                citations.append(surcharge_version.cap_basis)
    return citations


def _articles(raw: str) -> dict[str, str]:
    """Article heading (第六十七条) -> the article's text, whitespace removed."""
    articles: dict[str, str] = {}
    for chunk in re.split(r"(?m)^(?=第[一二三四五六七八九十百零]+条)", raw):
        heading = re.match(r"第[一二三四五六七八九十百零]+条", chunk)
        if heading:
            articles[heading.group(0)] = _normalize(chunk)
    return articles


@pytest.mark.skipif(not SHARED_LAW.is_dir(), reason="../shared/law not available")
def test_every_confirmed_quote_is_verbatim_in_the_cited_article() -> None:
    citations = _confirmed_citations()
    assert len(citations) > 20
    for citation in citations:
        raw = (SHARED_LAW / CONFIRMABLE_TEXTS[(citation.law, citation.version)]).read_text("utf-8")
        label = basis_label(citation)
        heading = "第" + label.split("》第", 1)[1].split("条", 1)[0] + "条"
        assert citation.quote is not None
        assert _normalize(citation.quote) in _articles(raw)[heading], label


def test_every_unverified_version_says_where_the_figure_came_from() -> None:
    for rule in time_limit_book().rules:
        for version in rule.versions:
            if version.confidence == "unverified":
                assert version.basis.source, (rule.id, version.version)


def test_pre_2021_penalty_law_variants_are_unverified_and_end_on_14_july_2021() -> None:
    book = time_limit_book()
    for rule_id in ("hearing_request", "decision_delivery", "fine_payment", "limitation_period"):
        old = book.rule(rule_id).version_on(date(2021, 7, 14))
        assert old is not None
        assert old.confidence == "unverified"
        assert old.valid_to == date(2021, 7, 14)
    old_hearing = book.rule("hearing_request").version_on(date(2020, 1, 1))
    assert old_hearing is not None
    assert old_hearing.period.amount == 3


def test_a_confirmed_figure_must_quote_a_shared_text() -> None:
    with pytest.raises(pydantic.ValidationError, match="confirmed"):
        RuleVersion.model_validate(
            {
                "version": "X",
                "valid_from": date(2020, 1, 1),
                "period": {"amount": 10, "unit": "natural_days"},
                "basis": {"law": "WSPR", "version": "2015-04-02", "article": 13, "quote": "十日"},
                "confidence": "confirmed",
            }
        )


def test_an_unverified_figure_must_name_its_source() -> None:
    with pytest.raises(pydantic.ValidationError, match="source"):
        RuleVersion.model_validate(
            {
                "version": "X",
                "valid_from": date(2020, 1, 1),
                "period": {"amount": 10, "unit": "natural_days"},
                "basis": {"law": "WSPR", "version": "2015-04-02"},
                "confidence": "unverified",
            }
        )


def _version(valid_from: date, valid_to: date | None, **period: Any) -> dict[str, Any]:
    return {
        "version": f"V{valid_from.year}",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "period": period or {"amount": 3, "unit": "natural_days"},
        "basis": {"law": "WSPR", "version": "2015-04-02", "source": "test"},
        "confidence": "unverified",
    }


def test_overlapping_versions_are_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="overlap"):
        TimeLimitRule.model_validate(
            {
                "id": "x",
                "title_zh": "x",
                "title_en": "x",
                "trigger": "case_filed",
                "direction": "after",
                "kind": "deadline",
                "versions": [
                    _version(date(2020, 1, 1), date(2021, 1, 1)),
                    _version(date(2021, 1, 1), None),
                ],
            }
        )


def test_before_rule_in_natural_days_must_not_roll_forward() -> None:
    with pytest.raises(pydantic.ValidationError, match="roll forward"):
        TimeLimitRule.model_validate(
            {
                "id": "x",
                "title_zh": "x",
                "title_en": "x",
                "trigger": "hearing_scheduled",
                "direction": "before",
                "kind": "deadline",
                "versions": [_version(date(2020, 1, 1), None)],
            }
        )


def test_rules_are_frozen() -> None:
    rule = time_limit_book().rule("fine_payment")
    with pytest.raises(pydantic.ValidationError):
        rule.id = "other"  # type: ignore[misc]


# -- labels ---------------------------------------------------------------------------------


def test_basis_labels_use_chinese_article_numbers() -> None:
    assert compute_due("decision_after_filing", date(2025, 1, 15)).basis == (
        "《中华人民共和国行政处罚法》第六十条"
    )
    assert compute_due("hearing_request", date(2025, 9, 30)).basis == (
        "《中华人民共和国行政处罚法》第六十四条第（一）项"
    )

    def label(article: int) -> str:
        return basis_label(LegalBasis(law="ALL", version="2017-06-27", article=article))

    assert label(10) == "《中华人民共和国行政诉讼法》第十条"
    assert label(20) == "《中华人民共和国行政诉讼法》第二十条"
    assert label(101) == "《中华人民共和国行政诉讼法》第一百零一条"
    assert label(110) == "《中华人民共和国行政诉讼法》第一百一十条"
    assert label(119) == "《中华人民共和国行政诉讼法》第一百一十九条"


def test_article_numbers_0_to_999_are_written_as_the_labels_need() -> None:
    # The labels use the catalog's zh_number (timelimits had a copy, up to 999). The rule, written
    # out: hundreds, then tens (十 alone below 20, 一十 after a hundred), a 零 for missing tens.
    digits = "零一二三四五六七八九"

    def written(n: int) -> str:
        if n == 0:
            return "零"
        hundreds, tens, units = n // 100, n // 10 % 10, n % 10
        out = f"{digits[hundreds]}百" if hundreds else ""
        if tens:
            out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
        elif hundreds and units:
            out += "零"
        return out + (digits[units] if units else "")

    assert [zh_number(n) for n in range(1000)] == [written(n) for n in range(1000)]
    assert [zh_number(n) for n in (0, 7, 10, 15, 40, 100, 101, 110, 111, 230, 999)] == [
        "零",
        "七",
        "十",
        "十五",
        "四十",
        "一百",
        "一百零一",
        "一百一十",
        "一百一十一",
        "二百三十",
        "九百九十九",
    ]
    basis = LegalBasis(law="APL", version="2021", article=999, paragraph=10, item=101)
    assert basis_label(basis).endswith("第九百九十九条第十款第（一百零一）项")


# -- hearing --------------------------------------------------------------------------------


def test_hearing_request_window_crosses_national_day_2025() -> None:
    due = compute_due("hearing_request", date(2025, 9, 30))
    assert due.due == date(2025, 10, 14)
    assert due.confidence == "confirmed"
    assert due.version == "APL-2021"
    assert due.unit_basis == "《中华人民共和国行政处罚法》第八十五条"
    assert due.flags == ()
    # The make-up Sunday 28 Sep counts as a working day.
    assert compute_due("hearing_request", date(2025, 9, 26)).due == date(2025, 10, 10)


def test_hearing_request_window_crosses_spring_festival_2026() -> None:
    assert compute_due("hearing_request", date(2026, 2, 12)).due == date(2026, 2, 26)
    assert compute_due("hearing_request", date(2026, 2, 13)).due == date(2026, 2, 27)
    assert compute_due("hearing_request", date(2026, 2, 24)).due == date(2026, 3, 2)


def test_hearing_request_before_15_july_2021_uses_the_old_three_days() -> None:
    due = compute_due("hearing_request", date(2021, 7, 12))
    assert due.version == "APL-2017"
    assert due.confidence == "unverified"
    assert due.due == date(2021, 7, 15)


def test_on_selects_the_version_instead_of_the_trigger_date() -> None:
    due = compute_due("hearing_request", date(2021, 7, 12), on=date(2021, 7, 15))
    assert due.version == "APL-2021"
    assert due.due == date(2021, 7, 19)


def test_hearing_notice_is_seven_working_days_before_the_hearing() -> None:
    due = compute_due("hearing_notice", date(2025, 10, 13))
    assert due.direction == "before"
    assert due.due == date(2025, 9, 26)


# -- decision, delivery, payment ------------------------------------------------------------


def test_decision_is_due_ninety_days_after_filing() -> None:
    due = compute_due("decision_after_filing", date(2025, 1, 15))
    assert due.due == date(2025, 4, 15)
    assert due.flags == ()
    assert due.period == "90 natural_days"


def test_decision_period_ending_on_a_sunday_rolls_to_monday() -> None:
    due = compute_due("decision_after_filing", date(2025, 3, 10))
    assert due.due == date(2025, 6, 9)
    assert due.flags == (FLAG_REST_DAY_ROLLOVER,)


def test_delivery_is_seven_working_days_after_the_announcement() -> None:
    # Thu 25 Sep: 26, 28 (make-up Sunday), 29, 30 Sep, 9, 10, 11 Oct (make-up Saturday).
    assert compute_due("decision_delivery", date(2025, 9, 25)).due == date(2025, 10, 11)


def test_evidence_preservation_decision_is_seven_working_days() -> None:
    # Wed 11 Feb: 12, 13, 14 (make-up Saturday), 24, 25, 26, 27 Feb.
    assert compute_due("evidence_preservation_decision", date(2026, 2, 11)).due == date(2026, 2, 27)


def test_payment_period_ending_in_national_day_rolls_to_the_next_working_day() -> None:
    due = compute_due("fine_payment", date(2025, 9, 19))
    assert due.due == date(2025, 10, 9)  # 19 Sep + 15 days = Sat 4 Oct, a holiday
    assert FLAG_REST_DAY_ROLLOVER in due.flags
    assert due.basis == "《中华人民共和国行政处罚法》第六十七条第三款"


def test_penalty_publication_is_seven_working_days() -> None:
    due = compute_due("penalty_publication", date(2025, 9, 30))
    assert due.due == date(2025, 10, 16)  # 9, 10, 11, 13, 14, 15, 16 Oct
    assert due.unit_basis == "《中华人民共和国安全生产法》第七十八条第二款"


# -- late surcharge -------------------------------------------------------------------------


def test_surcharge_is_three_percent_a_day() -> None:
    assert late_surcharge(Decimal("10000"), date(2025, 10, 9), date(2025, 10, 19)) == Decimal(
        "3000.00"
    )
    assert late_surcharge(10000, date(2025, 10, 9), date(2025, 10, 9)) == Decimal("0.00")
    assert late_surcharge(10000, date(2025, 10, 9), date(2025, 10, 1)) == Decimal("0.00")


def test_surcharge_is_capped_at_the_fine() -> None:
    assert late_surcharge(Decimal("10000"), date(2025, 10, 9), date(2025, 11, 20)) == Decimal(
        "10000.00"
    )
    assert late_surcharge("50000", date(2025, 10, 9), date(2025, 11, 11)) == Decimal("49500.00")
    assert late_surcharge("50000", date(2025, 10, 9), date(2025, 11, 12)) == Decimal("50000.00")


def test_surcharge_rounds_half_up_to_the_fen() -> None:
    assert late_surcharge("333.33", date(2025, 10, 9), date(2025, 10, 10)) == Decimal("10.00")
    assert late_surcharge("0.50", date(2025, 10, 9), date(2025, 10, 10)) == Decimal("0.02")


def test_surcharge_skips_days_of_pending_review() -> None:
    assert late_surcharge(
        "10000", date(2025, 10, 9), date(2025, 10, 19), excluded_days=8
    ) == Decimal("600.00")


def test_surcharge_refuses_floats_and_unknown_periods() -> None:
    with pytest.raises(TypeError):
        late_surcharge(100.0, date(2025, 10, 9), date(2025, 10, 10))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        late_surcharge("100", date(2011, 12, 31), date(2012, 1, 10))


# -- coercion -------------------------------------------------------------------------------


def test_seizure_is_thirty_natural_days_and_sixty_when_extended() -> None:
    plain = compute_due("seizure_duration", date(2025, 9, 1))
    assert plain.due == date(2025, 10, 9)  # 1 Oct is a holiday -> 9 Oct
    assert plain.kind == "max_duration"
    extended = compute_due("seizure_duration", date(2025, 9, 1), extended=True)
    assert extended.due == date(2025, 10, 31)
    assert extended.period == "60 natural_days"
    assert "extended" in extended.flags


def test_extension_on_a_rule_without_one_is_an_error() -> None:
    with pytest.raises(ValueError):
        compute_due("fine_payment", date(2025, 9, 1), extended=True)


def test_reminder_wait_is_ten_working_days() -> None:
    due = compute_due("enforcement_reminder_wait", date(2025, 9, 30))
    assert due.due == date(2025, 10, 21)
    assert due.kind == "waiting_period"
    assert due.unit_basis == "《中华人民共和国行政强制法》第六十九条"


def test_court_application_three_months_ending_on_a_make_up_saturday() -> None:
    due = compute_due("court_enforcement_application", date(2025, 11, 30))
    assert due.due == date(2026, 2, 28)
    assert due.flags == ()


def test_emergency_measure_report_within_24_hours() -> None:
    taken = datetime(2025, 10, 3, 22, 15, tzinfo=CST)
    assert compute_due("emergency_measure_report", taken).due == datetime(
        2025, 10, 4, 22, 15, tzinfo=CST
    )


# -- referral -------------------------------------------------------------------------------


def test_referral_transfer_is_24_hours_after_approval() -> None:
    approved = datetime(2025, 9, 30, 16, 40, tzinfo=CST)
    due = compute_due("referral_transfer", approved)
    assert due.due == datetime(2025, 10, 1, 16, 40, tzinfo=CST)
    assert due.basis == "《行政执法机关移送涉嫌犯罪案件的规定》第五条第二款"
    assert due.confidence == "confirmed"


def test_hour_period_needs_a_time() -> None:
    due = compute_due("referral_transfer", date(2025, 9, 30))
    assert due.due is None
    assert due.flags == (FLAG_TRIGGER_TIME_REQUIRED,)


def test_referral_approval_is_three_natural_days() -> None:
    assert compute_due("referral_approval", date(2025, 6, 9)).due == date(2025, 6, 12)
    # 29 Sep + 3 = 2 Oct, a holiday.
    assert compute_due("referral_approval", date(2025, 9, 29)).due == date(2025, 10, 9)


# -- limitation and remedies ----------------------------------------------------------------


def test_limitation_needs_no_calendar_and_does_not_roll() -> None:
    two = compute_due("limitation_period", date(2025, 6, 15))
    assert two.due == date(2027, 6, 15)
    assert two.flags == ()
    five = compute_due("limitation_period_life_health", date(2025, 6, 15))
    assert five.due == date(2030, 6, 15)


def test_five_year_limitation_did_not_exist_before_2021() -> None:
    due = compute_due("limitation_period_life_health", date(2020, 5, 1))
    assert due.due is None
    assert due.flags == (FLAG_NO_VERSION_IN_FORCE,)
    old = compute_due("limitation_period", date(2020, 5, 1))
    assert old.due == date(2022, 5, 1)
    assert old.confidence == "unverified"


def test_review_sixty_days_and_suit_six_months() -> None:
    review = compute_due("administrative_review_request", date(2025, 9, 19))
    assert review.due == date(2025, 11, 18)
    assert review.basis == "《中华人民共和国行政复议法》第二十条第一款"
    suit = compute_due("administrative_suit_filing", date(2025, 9, 19))
    assert suit.due == date(2026, 3, 19)
    assert suit.basis == "《中华人民共和国行政诉讼法》第四十六条第一款"


def test_review_before_2024_uses_the_old_law_unverified() -> None:
    due = compute_due("administrative_review_request", date(2023, 6, 1))
    assert due.version == "ARB-2017"
    assert due.confidence == "unverified"


# -- unverified ministry rules --------------------------------------------------------------


def test_rectification_reinspection_is_unverified_and_ends_with_order_15() -> None:
    due = compute_due("rectification_reinspection", date(2025, 6, 9))
    assert due.due == date(2025, 6, 19)
    assert due.confidence == "unverified"
    version = time_limit_book().rule("rectification_reinspection").versions[0]
    assert "15号令" in (version.basis.source or "")
    after = compute_due("rectification_reinspection", date(2026, 3, 2))
    assert after.due is None
    assert after.flags == (FLAG_NO_VERSION_IN_FORCE,)


# -- unknown years and overrides ------------------------------------------------------------


def test_deadline_in_2030_is_flagged_not_computed() -> None:
    due = compute_due("decision_after_filing", date(2030, 1, 10))
    assert due.due is None
    assert due.flags == (FLAG_UNKNOWN_CALENDAR_YEAR,)
    assert due.unknown_calendar_year == 2030
    assert due.version == "APL-2021"


def test_period_crossing_into_unknown_year_is_flagged() -> None:
    due = compute_due("hearing_request", date(2026, 12, 28))
    assert due.due is None
    assert due.unknown_calendar_year == 2027


def test_declared_year_lets_2030_be_computed() -> None:
    cal = WorkingCalendar({date(2030, 4, 10): False}, declared_years={2030})
    due = compute_due("decision_after_filing", date(2030, 1, 10), calendar=cal)
    assert due.due == date(2030, 4, 11)
    assert due.flags == (FLAG_REST_DAY_ROLLOVER,)


def test_override_turns_a_holiday_into_a_working_day_for_a_deadline() -> None:
    cal = WorkingCalendar({date(2025, 10, 4): True})
    assert compute_due("hearing_request", date(2025, 9, 30), calendar=cal).due == date(2025, 10, 13)
    assert compute_due("fine_payment", date(2025, 9, 19), calendar=cal).due == date(2025, 10, 4)


# -- the API --------------------------------------------------------------------------------


def test_unknown_rule_raises() -> None:
    with pytest.raises(UnknownTimeLimitRule):
        compute_due("no_such_rule", date(2025, 1, 1))


def test_due_date_is_frozen() -> None:
    due = compute_due("fine_payment", date(2025, 9, 19))
    with pytest.raises(dataclasses.FrozenInstanceError):
        due.due = date(2025, 1, 1)  # type: ignore[misc]


def test_compute_deadlines_lists_every_rule_of_the_given_events_by_due_date() -> None:
    results = compute_deadlines(
        {"decision_delivered": date(2025, 9, 19), "case_filed": date(2025, 3, 10)}
    )
    assert [(r.rule_id, r.due) for r in results] == [
        ("decision_after_filing", date(2025, 6, 9)),
        ("fine_payment", date(2025, 10, 9)),
        ("administrative_review_request", date(2025, 11, 18)),
        ("administrative_suit_filing", date(2026, 3, 19)),
    ]


def test_compute_deadlines_keeps_flagged_results_last() -> None:
    results = compute_deadlines({"violation_ended": date(2020, 5, 1)})
    assert [(r.rule_id, r.flags) for r in results] == [
        ("limitation_period", ()),
        ("limitation_period_life_health", (FLAG_NO_VERSION_IN_FORCE,)),
    ]


def test_compute_deadlines_rejects_undeclared_events() -> None:
    with pytest.raises(ValueError, match="undeclared"):
        compute_deadlines({"case_filled": date(2025, 1, 1)})

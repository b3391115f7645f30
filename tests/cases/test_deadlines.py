"""The next legal deadline stored on each open case, recomputed by every event."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.cases import services
from anjian.cases.models import Case
from anjian.law.calendar import current_calendar
from anjian.law.core.timelimits import compute_due
from tests.cases.conftest import (
    TODAY,
    act,
    days_ago,
    decided,
    executing,
    hearing_case,
    notified,
    propose,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_proposed_case_has_no_legal_deadline_yet(team):
    case = propose(team, on=days_ago(1))
    assert case.next_deadline_on is None
    assert case.next_deadline_flag == ""


def test_a_filed_case_is_due_for_decision_90_days_after_filing(team):
    case = act(propose(team, on=days_ago(10)), "approve_filing", team.head, on=days_ago(10))
    expected = compute_due("decision_after_filing", days_ago(10), calendar=current_calendar()).due
    assert case.decision_due_on == expected
    assert (case.next_deadline_on, case.next_deadline_rule) == (expected, "decision_after_filing")
    assert "第六十条" in case.next_deadline_basis


def test_a_notified_case_shows_the_statement_period(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(1))
    assert case.next_deadline_rule == "statement_period"
    assert case.next_deadline_on == current_calendar().add_working_days(days_ago(1), 3)


def test_a_hearing_right_shows_the_hearing_request_period_when_it_comes_first(team):
    case = hearing_case(team, notice=days_ago(1))
    due = current_calendar().add_working_days(days_ago(1), 5)
    assert case.hearing_request_due_on == due
    assert case.next_deadline_on == case.statement_due_on


def test_a_decided_case_shows_the_delivery_limit(team):
    case = decided(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(2))
    assert case.next_deadline_rule == "decision_delivery"
    assert case.next_deadline_on == current_calendar().add_working_days(days_ago(2), 7)


def test_an_executing_case_shows_the_payment_limit_and_turns_overdue(team):
    case = executing(
        team,
        filed=days_ago(80),
        notice=days_ago(70),
        decided_on=days_ago(50),
        delivered=days_ago(50),
    )
    assert case.next_deadline_rule == "fine_payment"
    assert case.next_deadline_on < TODAY
    row = client_for(team.lead).get("/api/v1/cases").json()["items"][0]
    assert row["next_deadline"]["overdue"] is True
    assert row["next_deadline"]["days_left"] == (case.next_deadline_on - TODAY).days
    page = client_for(team.lead).get("/cases/").content.decode()
    assert 'class="deadline overdue"' in page


def test_a_paid_case_with_a_pending_order_shows_the_order_deadline(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    case = act(
        case, "record_payment", team.lead, paid_on=days_ago(10), amount="20000", receipt_number="R"
    )
    assert case.next_deadline_rule == "correction_order"
    assert case.next_deadline_on == days_ago(0)


def test_an_unknown_calendar_year_is_flagged_never_guessed(team, monkeypatch):
    from anjian.law.core import workcalendar
    from anjian.law.models import CalendarOverride

    CalendarOverride.objects.all().delete()
    monkeypatch.setattr(workcalendar, "_library_knows_year", lambda year: year < TODAY.year - 5)
    case = act(propose(team, on=days_ago(3)), "approve_filing", team.head, on=days_ago(3))
    assert case.decision_due_on is None
    assert case.next_deadline_on is None
    assert case.next_deadline_flag == "unknown_calendar_year"
    row = client_for(team.lead).get("/api/v1/cases").json()["items"][0]["next_deadline"]
    assert row["due_on"] is None
    assert (
        row["flag_label"] == "作出处罚决定（立案之日起九十日）：该年度节假日安排未知，期限无法计算"
    )
    monkeypatch.undo()
    from tests.cases.conftest import declare_missing_years

    declare_missing_years()  # the administrator enters the missing years
    assert services.recompute_deadlines(actor=None) == 1
    case.refresh_from_db()
    assert case.next_deadline_on is not None
    assert case.next_deadline_flag == ""


def test_within_the_unknown_year_the_plain_90_days_still_allow_a_decision(team, monkeypatch):
    """The 90-day guard only needs the calendar when the decision falls after day 90."""
    case = notified(team, filed=days_ago(40), notice=days_ago(30))
    case = act(case, "end_notice_period", team.lead, on=days_ago(20))
    Case.objects.filter(pk=case.pk).update(decision_due_on=None)
    case.refresh_from_db()
    case = act(
        case,
        "decide",
        team.head,
        order_due_dates=[
            {"violation_id": case.violations.get().pk, "due_on": TODAY + dt.timedelta(days=10)}
        ],
    )
    assert case.status == "decided"


def test_deadline_lists_per_officer_and_per_agency_page(team):
    executing(
        team,
        filed=days_ago(80),
        notice=days_ago(70),
        decided_on=days_ago(50),
        delivered=days_ago(50),
    )
    body = client_for(team.lead).get("/cases/deadlines/").content.decode()
    assert "玄武区应急管理局" in body
    assert "xw_inspector2" in body
    assert 'class="overdue"' in body


def test_the_deadline_page_and_the_api_give_the_same_summary(team):
    executing(
        team,
        filed=days_ago(80),
        notice=days_ago(70),
        decided_on=days_ago(50),
        delivered=days_ago(50),
    )
    soon = act(propose(team, on=days_ago(3)), "approve_filing", team.head, on=days_ago(3))
    Case.objects.filter(pk=soon.pk).update(next_deadline_on=TODAY + dt.timedelta(days=7))
    unknown = act(propose(team, on=days_ago(2)), "approve_filing", team.head, on=days_ago(2))
    Case.objects.filter(pk=unknown.pk).update(
        next_deadline_on=None, next_deadline_flag="calendar_unknown"
    )
    client = client_for(team.lead)

    by_agency = client.get("/api/v1/cases/deadlines/by-agency").json()
    by_officer = client.get("/api/v1/cases/deadlines/by-officer").json()
    page = client.get("/cases/deadlines/").content.decode()

    figures = {"open_cases": 3, "overdue": 1, "due_within_7_days": 1, "undeterminable": 1}
    assert by_agency == [{"key": team.agency.pk, "name": "玄武区应急管理局", **figures}]
    assert [(r["name"], r["open_cases"]) for r in by_officer] == [
        (team.lead.officer.name, 3),
        ("xw_inspector2", 3),
    ]
    assert all({k: r[k] for k in figures} == figures for r in by_officer), by_officer
    row = '<td>{}</td><td>3</td><td><span class="overdue">1</span></td><td>1</td><td>1</td>'
    assert row.format("玄武区应急管理局") in page
    assert row.format("xw_inspector2") in page
    assert row.format(team.lead.officer.name) in page

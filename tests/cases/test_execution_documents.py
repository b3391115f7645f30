"""The execution documents of a case (催告书, 加处罚款决定书) print the case's own payment figures:
the day payment falls due after a deferral or an instalment plan, and the surcharge from that day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from anjian.cases.effects import surcharge_accrued
from anjian.cases.guards import effective_payment_due
from anjian.documents import services as document_services
from anjian.documents.providers import subject_kind
from tests.cases.conftest import TODAY, act, days_ago, executing

pytestmark = pytest.mark.django_db


def _printed(team, case, type_id: str) -> tuple[dict, str]:
    source = subject_kind("cases.case").build(team.lead, str(case.pk), type_id)
    draft = document_services.create_draft(
        actor=team.lead,
        type_id=type_id,
        agency=source.agency,
        region=source.region,
        subject_type="cases.case",
        subject_id=case.pk,
        context=source.context,
        case_key=source.case_key,
        title=source.title,
    )
    content, _ = document_services.lay_out(draft, number=None)
    return source.context, content.plain_text().replace("\n", "")


def _deferred(team):
    """A fine of 20,000 yuan delivered 60 days ago (15-day limit long past), deferred to 20 days
    ago: the surcharge runs 20 days, 3% a day, 12,000 yuan (not the 20,000 cap from the 15-day
    limit)."""
    case = executing(
        team,
        filed=days_ago(100),
        notice=days_ago(80),
        decided_on=days_ago(61),
        delivered=days_ago(60),
    )
    assert case.payment_due_on is not None
    assert case.payment_due_on < days_ago(40)
    return act(
        case,
        "approve_deferral",
        team.head,
        applied_on=days_ago(59),
        until=days_ago(20),
        reason="经营困难，申请暂缓缴纳",
    )


def test_a_deferred_cases_reminder_uses_the_deferred_due_date_and_its_surcharge(team):
    case = _deferred(team)

    context, text = _printed(team, case, "payment_reminder")

    assert effective_payment_due(case) == days_ago(20)
    assert surcharge_accrued(case, TODAY) == Decimal("12000.00")
    assert context["payment_due_on"] == days_ago(20)
    assert context["surcharge_amount"] == Decimal("12000.00")
    assert "至今未按期缴纳罚款人民币贰万元整（¥20,000.00）" in text
    assert "已加处罚款人民币壹万贰仟元整（¥12,000.00）" in text


def test_a_deferred_cases_surcharge_decision_runs_from_the_day_after_the_deferred_due_date(team):
    case = _deferred(team)
    day_after = days_ago(19)

    _, text = _printed(team, case, "surcharge_decision")

    assert f"本机关决定自{day_after.year}年{day_after.month}月{day_after.day}日起" in text
    assert "加处罚款为人民币壹万贰仟元整（¥12,000.00）" in text


def test_an_instalment_cases_reminder_runs_from_the_first_unpaid_instalment(team):
    case = executing(
        team,
        filed=days_ago(100),
        notice=days_ago(80),
        decided_on=days_ago(61),
        delivered=days_ago(60),
    )
    case = act(
        case,
        "approve_instalments",
        team.head,
        applied_on=days_ago(59),
        schedule=[
            {"due_on": days_ago(10), "amount": "10000"},
            {"due_on": TODAY + dt.timedelta(days=30), "amount": "10000"},
        ],
        reason="经济困难，申请分期缴纳",
    )

    context, text = _printed(team, case, "payment_reminder")

    assert context["payment_due_on"] == days_ago(10)
    # 10 days after the first instalment fell due: 20,000 × 3% × 10 = 6,000 yuan.
    assert "已加处罚款人民币陆仟元整（¥6,000.00）" in text

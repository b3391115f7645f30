"""The penalty hints on the case page come from the same assessment the proposal is checked and
stored with (discretion.assess_violation): same range, tier and recommendation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from anjian.cases.discretion import assess_violation, tier_label
from tests.cases.conftest import days_ago, investigated
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HINT = "法定幅度：100000元以下；裁量阶次：一般处罚（10000元至30000元）；建议：20000 元"


def test_the_hint_shows_the_engines_range_tier_and_recommendation(team):
    case = investigated(team, filed=days_ago(20))

    body = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()

    assert HINT in body
    assert "《中华人民共和国安全生产法》第九十七条第（一）项" in body
    assert f'name="pen-{case.violations.get().pk}_1-amount"' in body


def test_the_hint_names_the_tier_in_the_pages_language(team):
    case = investigated(team, filed=days_ago(20))
    client = client_for(team.lead)
    client.cookies["django_language"] = "en"

    body = client.get(f"/cases/{case.pk}/").content.decode()

    assert "Ordinary penalty（10000元至30000元）" in body


def test_the_proposal_stores_the_assessment_the_hint_showed(team):
    case = investigated(team, filed=days_ago(20))
    violation = case.violations.select_related("party").get()
    hint = assess_violation(violation, case=case, on=timezone.localdate())

    response = client_for(team.lead).post(
        f"/cases/{case.pk}/act/propose_penalty/",
        {
            "version": case.version,
            "on": days_ago(1).isoformat(),
            f"pen-{violation.pk}_1-kind": "fine",
            f"pen-{violation.pk}_1-amount": str(hint.recommended),
        },
    )

    assert response.status_code == 302
    penalty = case.penalties.get()
    assert (hint.legal_min, hint.legal_max) == (None, Decimal("100000"))
    assert (penalty.legal_min, penalty.legal_max) == (None, Decimal("100000.00"))
    assert (penalty.tier, tier_label(penalty.tier)) == ("ordinary", "一般处罚")
    assert (penalty.tier_min, penalty.tier_max) == (Decimal("10000.00"), Decimal("30000.00"))
    assert penalty.recommended == hint.recommended == Decimal("20000")
    assert penalty.amount == Decimal("20000.00")
    assert penalty.outside_tier is False


def test_a_violation_the_engine_cannot_assess_shows_why(team):
    case = investigated(team, filed=days_ago(20))
    case.violations.update(circumstances=["不存在的情节"])

    body = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()

    assert '<p class="bad">裁量所需事实有误' in body
    assert HINT not in body

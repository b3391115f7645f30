"""The lawful path passes: a case walked from filing to archive through the one service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anjian.cases.models import CaseEvent, CaseStatus
from tests.cases.conftest import act, days_ago, executing

pytestmark = pytest.mark.django_db


def test_case_walks_from_filing_to_archive(team):
    case = executing(
        team,
        filed=days_ago(60),
        notice=days_ago(40),
        decided_on=days_ago(30),
        delivered=days_ago(29),
    )
    assert case.status == CaseStatus.EXECUTING
    assert case.fine_total == Decimal("20000.00")
    case = act(
        case,
        "record_payment",
        team.lead,
        paid_on=days_ago(20),
        amount="20000",
        receipt_number="PJ-001",
    )
    order = case.orders.get()
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=order.pk,
        outcome="corrected",
        on=days_ago(5),
    )
    case = act(case, "request_closure", team.lead, on=days_ago(4))
    case = act(case, "approve_closure", team.head, on=days_ago(3))
    case = act(case, "archive", team.head, on=days_ago(2))
    assert case.status == CaseStatus.ARCHIVED
    assert not case.is_open
    assert CaseEvent.objects.filter(case=case).count() == case.version


def test_a_case_takes_over_an_inspection_finding(team):
    from anjian.cases import services
    from anjian.inspections.models import CaseProposal
    from tests.cases.conftest import inspection_proposal

    proposal = inspection_proposal(team)
    case = services.create_case(
        actor=team.lead,
        agency=team.agency,
        payload={
            "source_proposal_id": proposal.pk,
            "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
            "on": days_ago(20),
        },
    )
    assert case.source_kind == "inspection_finding"
    assert case.source_proposal_id == proposal.pk
    assert case.enterprise == team.enterprise
    violation = case.violations.get()
    assert violation.violation_code == "WSL2021-105-02b"
    assert "安全出口被货物堵塞" in violation.facts
    assert not case.is_accident_case
    proposal.refresh_from_db()
    assert proposal.status == "taken_over"
    assert proposal.case_reference == case.reference
    from anjian.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        services.create_case(
            actor=team.lead,
            agency=team.agency,
            payload={
                "source_proposal_id": proposal.pk,
                "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
            },
        )
    assert error.value.code == "proposal_taken"
    assert CaseProposal.objects.filter(status="proposed").count() == 0


def test_a_decided_fine_is_recorded_for_the_consistency_report(team):
    from anjian.law.models import DecisionRecord
    from tests.cases.conftest import decided

    case = decided(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    record = DecisionRecord.objects.get()
    assert record.reference.startswith(case.reference)
    assert (record.violation_code, record.party, record.amount) == (
        "WSL2021-097-01a",
        "unit",
        Decimal("20000.00"),
    )
    assert record.region == case.region
    assert record.decision_date == days_ago(30)

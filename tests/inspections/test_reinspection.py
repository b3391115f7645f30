"""Rectification orders, overdue listing, re-inspection and the case proposal on not rectified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import Conflict, DomainError
from anjian.inspections import selectors, services
from anjian.inspections.models import CaseProposal, Finding, RectificationOrder
from tests.inspections.conftest import filled

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def order(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    return RectificationOrder.objects.get(inspection=draft)


def move_deadline(order, days_ago: int) -> RectificationOrder:
    deadline = timezone.localdate() - dt.timedelta(days=days_ago)
    Finding.objects.filter(order=order).update(deadline=deadline)
    RectificationOrder.objects.filter(pk=order.pk).update(
        deadline=deadline, issued_on=deadline - dt.timedelta(days=10)
    )
    return RectificationOrder.objects.get(pk=order.pk)


def outcomes(order, value: str) -> list[services.OutcomeInput]:
    return [
        services.OutcomeInput(finding_id=f.pk, outcome=value, note="现场查看")
        for f in order.findings.all()
    ]


def test_reinspection_before_the_deadline_needs_a_reason(team, order):
    with pytest.raises(DomainError) as error:
        services.reinspect(
            actor=team.head,
            order=order,
            performed_on=timezone.localdate(),
            officers=team.officers,
            outcomes=outcomes(order, "rectified"),
        )
    assert error.value.code == "reinspection_early_reason"
    assert "届满前复查，须写明理由" in error.value.message

    reinspection = services.reinspect(
        actor=team.head,
        order=order,
        performed_on=timezone.localdate(),
        officers=team.officers,
        outcomes=outcomes(order, "rectified"),
        early_reason="单位书面申请提前复查，出口已清理",
    )
    assert reinspection.early_reason == "单位书面申请提前复查，出口已清理"
    assert RectificationOrder.objects.get(pk=order.pk).status == "rectified"


def test_rectified_after_the_deadline_closes_the_order_without_a_case(team, order):
    order = move_deadline(order, 1)
    year = timezone.localdate().year

    reinspection = services.reinspect(
        actor=team.head,
        order=order,
        performed_on=timezone.localdate(),
        officers=team.officers,
        outcomes=outcomes(order, "rectified"),
    )

    assert reinspection.number == f"（苏宁玄）应急复查〔{year}〕1号"
    assert reinspection.outcome == "rectified"
    assert reinspection.early_reason == ""
    assert set(order.findings.values_list("status", flat=True)) == {"rectified"}
    assert not CaseProposal.objects.exists()


def test_not_rectified_proposes_a_case_with_the_violation_codes(team, order):
    order = move_deadline(order, 3)

    reinspection = services.reinspect(
        actor=team.head,
        order=order,
        performed_on=timezone.localdate(),
        officers=team.officers,
        outcomes=outcomes(order, "not_rectified"),
    )

    order.refresh_from_db()
    assert (order.status, reinspection.outcome) == ("not_rectified", "not_rectified")
    proposal = CaseProposal.objects.get()
    assert proposal.source == "not_rectified"
    assert proposal.reinspection_id == reinspection.pk
    assert proposal.violation_codes == ["WSL2021-105-02b", "WSL2021-102"]
    assert list(proposal.findings.values_list("status", flat=True)) == ["not_rectified"]
    assert "第一百零二条" in proposal.reason


def test_reinspection_needs_two_certified_officers(team, order):
    order = move_deadline(order, 1)
    with pytest.raises(DomainError) as error:
        services.reinspect(
            actor=team.head,
            order=order,
            performed_on=timezone.localdate(),
            officers=[team.head.officer, team.expired.officer],
            outcomes=outcomes(order, "rectified"),
        )
    assert error.value.code == "officer_not_certified"


def test_reinspection_needs_an_outcome_for_every_finding(team, order):
    order = move_deadline(order, 1)
    with pytest.raises(DomainError) as error:
        services.reinspect(
            actor=team.head,
            order=order,
            performed_on=timezone.localdate(),
            officers=team.officers,
            outcomes=[],
        )
    assert error.value.code == "outcome_missing"


def test_a_closed_order_cannot_be_reinspected_again(team, order):
    order = move_deadline(order, 1)
    kwargs = {
        "actor": team.head,
        "order": order,
        "performed_on": timezone.localdate(),
        "officers": team.officers,
        "outcomes": outcomes(order, "rectified"),
    }
    services.reinspect(**kwargs)
    with pytest.raises(Conflict):
        services.reinspect(**kwargs)


def test_overdue_is_a_passed_deadline_without_an_outcome(cast, team, order):
    assert selectors.overdue_orders(cast.xuanwu) == []
    order = move_deadline(order, 2)

    assert [o.pk for o in selectors.overdue_orders(cast.xuanwu)] == [order.pk]
    assert [o.pk for o in selectors.overdue_orders(team.second, mine=True)] == [order.pk]
    assert selectors.overdue_orders(cast.gulou) == []

    services.reinspect(
        actor=team.head,
        order=order,
        performed_on=timezone.localdate(),
        officers=team.officers,
        outcomes=outcomes(order, "rectified"),
    )
    assert selectors.overdue_orders(cast.xuanwu) == []


def test_the_legal_reinspection_limit_is_never_invented(team, order):
    schedule = selectors.reinspection_schedule(order)
    assert schedule.scheduled_on == order.deadline
    if order.deadline > dt.date(2026, 1, 31):
        assert schedule.legal_due is None
        assert schedule.legal_text == "法定复查期限未核实"

    old = RectificationOrder(deadline=dt.date(2025, 6, 3), status="open")
    historic = selectors.reinspection_schedule(old, today=dt.date(2025, 6, 1))
    assert historic.legal_due == dt.date(2025, 6, 13)
    assert "未核实" in historic.legal_text
    assert historic.legal_confidence == "unverified"


def test_onsite_measure_only_for_a_major_hazard(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    finding = Finding.objects.get(inspection=draft)
    with pytest.raises(DomainError) as error:
        services.decide_onsite_measure(
            actor=team.head,
            inspection=draft,
            finding=finding,
            kind="withdraw_workers",
            target="一号车间",
        )
    assert error.value.code == "measure_needs_major_hazard"
    assert "第六十五条第一款第（三）项" in error.value.message

    data = filled(item_list)
    data.findings[0].id = finding.pk
    data.findings[0].hazard_level = "major"
    services.save_draft(actor=team.head, inspection=draft, data=data)
    finding.refresh_from_db()
    measure = services.decide_onsite_measure(
        actor=team.head,
        inspection=draft,
        finding=finding,
        kind="suspend_production",
        target="一号车间",
    )
    assert measure.number == f"（苏宁玄）应急现决〔{timezone.localdate().year}〕1号"
    with pytest.raises(DomainError):
        services.lift_onsite_measure(
            actor=team.head, measure=measure, lifted_on=timezone.localdate(), reason=""
        )
    lifted = services.lift_onsite_measure(
        actor=team.head,
        measure=measure,
        lifted_on=timezone.localdate(),
        reason="出口已清理，经审查同意恢复",
    )
    assert lifted.lifted_on == timezone.localdate()


def test_the_order_lists_on_the_teams_tasks_until_it_is_reinspected(cast, team, order):
    # The team copy is written at submit: one open row per officer, with the order's deadline.
    assert sorted(order.team.values_list("officer_id", "is_open", "deadline")) == sorted(
        (officer.pk, True, order.deadline) for officer in team.officers
    )
    assert [o["id"] for o in selectors.my_tasks(team.second).orders] == [order.pk]
    assert selectors.my_tasks(cast.xuanwu_viewer).orders == []  # same county, not on the team

    services.reinspect(
        actor=team.head,
        order=order,
        performed_on=timezone.localdate(),
        officers=team.officers,
        outcomes=outcomes(order, "rectified"),
        early_reason="单位报告已整改",
    )

    assert list(order.team.values_list("is_open", flat=True)) == [False, False]
    assert selectors.my_tasks(team.head).orders == []
    assert selectors.my_tasks(team.second).orders == []

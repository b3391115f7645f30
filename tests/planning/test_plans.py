"""Annual plans: the builder, capacity, the approval pipeline, tasks and completion."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError, PermissionDenied
from anjian.planning import rules, selectors, services
from anjian.planning.models import (
    AnnualPlan,
    InspectionTask,
    PlanEnterprise,
    PlanEvent,
    TaskKind,
    TaskStatus,
)
from tests.planning.helpers import APPROVAL, built_plan, plan_in

pytestmark = pytest.mark.django_db


def classes(plan):
    return {c["code"]: c for c in plan.solution["classes"]}


def test_builder_meets_every_mandatory_frequency_of_xuanwu(world):
    plan = built_plan(world)
    result = classes(plan)
    assert plan.solution["status"] == "optimal"
    assert plan.solution["gap"] <= 1e-3
    assert {code: c["count"] for code, c in result.items()} == {
        "A": 3,
        "B": 5,
        "C": 2,
        "D": 8,
        "E": 13,
    }  # with the cast's own 玄武化工
    assert result["A"]["named_visits"] == 12  # 3 enterprises × 4 (quarterly)
    assert result["B"]["named_visits"] == 10  # 5 × 2
    assert all(c["shortfall"] == 0 for c in result.values())
    assert PlanEnterprise.objects.filter(plan=plan).count() == 31
    quarterly = PlanEnterprise.objects.filter(plan=plan, class_code="A")
    assert all(len(e.months) == 4 and e.months[1] - e.months[0] == 3 for e in quarterly)


def test_capacity_below_the_frequencies_reports_the_shortfall_per_class(world):
    plan = built_plan(world, officers=1, inspection_share=0.15)
    result = classes(plan)
    short = plan.shortfall_classes
    assert short, "a plan over capacity must say which classes cannot be covered"
    assert result["A"]["shortfall"] == 0  # the highest risk is covered first
    assert sum(c["shortfall"] for c in short) == sum(c["required"] for c in result.values()) - sum(
        min(c["required"], c["named_visits"] + c["random_visits"]) for c in result.values()
    )
    load = plan.solution["load"]
    assert all(load[i] <= m["plannable"] + 1e-6 for i, m in enumerate(plan.capacity))


def test_a_plan_pushed_over_capacity_by_hand_is_refused_with_the_months(world):
    plan = built_plan(world, officers=1, inspection_share=0.15)
    enterprise = world.enterprises[-1]
    before = list(PlanEnterprise.objects.filter(plan=plan).values_list("months", flat=True))
    with pytest.raises(DomainError) as error:
        services.adjust_plan_enterprise(
            actor=world.cast.xuanwu,
            plan=plan,
            enterprise=enterprise,
            months=[1, 4, 7, 10],
            reason="加强检查",
        )
    assert error.value.code == "plan_over_capacity"
    assert "超过可计划能力" in error.value.message
    assert error.value.details[0]["month"] in {1, 4, 7, 10}
    assert list(PlanEnterprise.objects.filter(plan=plan).values_list("months", flat=True)) == before


def test_adjusting_within_capacity_is_recorded(world):
    plan = built_plan(world)
    enterprise = world.enterprises[-1]
    entry = services.adjust_plan_enterprise(
        actor=world.cast.xuanwu, plan=plan, enterprise=enterprise, months=[2, 8], reason="群众反映"
    )
    assert (entry.months, entry.named_visits, entry.is_manual) == ([2, 8], 2, True)
    assert AuditEntry.objects.filter(action="planning.adjust_plan_enterprise").count() == 1


def test_adjusting_beyond_the_yearly_cap_is_refused(world):
    plan = built_plan(world)
    with pytest.raises(DomainError) as error:
        services.adjust_plan_enterprise(
            actor=world.cast.xuanwu,
            plan=plan,
            enterprise=world.enterprises[0],
            months=[1, 2, 3, 4, 5],
            reason="x",
        )
    assert error.value.code == "plan_yearly_cap"


def test_submit_after_changing_parameters_needs_a_rebuild(world):
    plan = built_plan(world)
    plan = services.update_plan_parameters(
        actor=world.cast.xuanwu, plan=plan, parameters={"officers": 3}
    )
    with pytest.raises(DomainError) as error:
        services.transition_plan(actor=world.cast.xuanwu, plan=plan, action="submit")
    assert error.value.code == "plan_not_built"
    assert AnnualPlan.objects.get(pk=plan.pk).status == "draft"


def test_submit_refuses_a_plan_over_capacity(world):
    plan = built_plan(world)
    # Capacity revised down behind the allocation's back (as after a staff change).
    capacity = [dict(m, plannable=0.0) for m in plan.capacity]
    AnnualPlan.objects.filter(pk=plan.pk).update(capacity=capacity)
    plan.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.transition_plan(actor=world.cast.xuanwu, plan=plan, action="submit")
    assert error.value.code == "plan_over_capacity"


def test_bad_parameters_are_refused_with_reasons(world):
    with pytest.raises(DomainError) as error:
        services.create_plan(
            actor=world.cast.xuanwu,
            agency=world.cast.agencies["xuanwu"],
            year=world.year,
            parameters={"reserve_share": 2, "yearly_cap": "many", "training_months": [13]},
        )
    assert error.value.code == "plan_parameters"
    assert len(error.value.details) == 3
    assert not AnnualPlan.objects.exists()


STATES = ["draft", "submitted", "approved", "filed", "in_force"]
ACTIONS = [t.action for t in rules.workflows().plan.transitions]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action_is_allowed_or_refused_with_the_next_steps(world, state, action):
    plan = plan_in(world, state)
    pipeline = rules.workflows().plan
    transition = pipeline.transition(action)
    events = PlanEvent.objects.filter(plan=plan).count()
    kwargs = {
        "reason": "修订原因",
        "document_number": "文号〔2026〕1号",
        "approved_by": APPROVAL["approved_by"],
        "decided_on": dt.date(world.year - 1, 12, 28),
    }
    if state in transition.from_states:
        plan = services.transition_plan(actor=world.cast.xuanwu, plan=plan, action=action, **kwargs)
        assert plan.status == transition.to
        event = PlanEvent.objects.filter(plan=plan).last()
        assert (event.action, event.old_status, event.new_status) == (action, state, transition.to)
        assert event.actor == world.cast.xuanwu
        assert event.basis == transition.basis
    else:
        with pytest.raises(DomainError) as error:
            services.transition_plan(actor=world.cast.xuanwu, plan=plan, action=action, **kwargs)
        assert error.value.code == "transition_not_allowed"
        allowed = [t.action for t in pipeline.allowed_from(state)]
        assert error.value.details["allowed"] == allowed
        assert "可执行的下一步" in error.value.message
        assert AnnualPlan.objects.get(pk=plan.pk).status == state
        assert PlanEvent.objects.filter(plan=plan).count() == events


def test_approval_records_the_government_document_and_filing_the_upper_level(world):
    plan = plan_in(world, "filed")
    assert plan.approval_document == APPROVAL["document_number"]
    assert plan.approved_by == "南京市玄武区人民政府"
    assert plan.filed_with == world.cast.agencies["nanjing"]
    assert plan.filing_document == "宁应急备〔2026〕7号"
    assert [e.action for e in plan.events.all()] == ["create", "submit", "approve", "file"]
    assert (
        AuditEntry.objects.filter(action="planning.plan_approve", object_id=str(plan.pk)).count()
        == 1
    )


def test_approval_without_its_document_is_refused(world):
    plan = plan_in(world, "submitted")
    with pytest.raises(DomainError) as error:
        services.transition_plan(actor=world.cast.xuanwu, plan=plan, action="approve")
    assert error.value.code == "transition_incomplete"
    assert "文号" in error.value.message
    assert "批准机关" in error.value.message


def test_a_viewer_may_not_record_an_approval(world):
    plan = plan_in(world, "submitted")
    with pytest.raises(PermissionDenied):
        services.transition_plan(
            actor=world.cast.xuanwu_viewer,
            plan=plan,
            action="approve",
            **{"document_number": "x", "approved_by": "y", "decided_on": dt.date(world.year, 1, 1)},
        )
    assert AnnualPlan.objects.get(pk=plan.pk).status == "submitted"


def test_putting_a_plan_in_force_creates_monthly_tasks_for_the_teams(world):
    plan = plan_in(world, "in_force")
    named = sum(
        len(m) for m in PlanEnterprise.objects.filter(plan=plan).values_list("months", flat=True)
    )
    tasks = InspectionTask.objects.filter(plan=plan)
    assert tasks.count() == named == 22
    assert set(tasks.values_list("kind", flat=True)) == {TaskKind.PLANNED}
    assert set(tasks.values_list("team__name", flat=True)) == {"一中队", "二中队"}
    first = tasks.first()
    assert first.officers.count() == 2
    assert first.due_date.month == first.month.month


def test_a_revision_keeps_done_tasks_and_cancels_those_no_longer_planned(world):
    plan = plan_in(world, "in_force")
    done = InspectionTask.objects.filter(plan=plan).order_by("id").first()
    services.complete_task(
        actor=world.cast.xuanwu, task=done, completed_on=done.month, record_reference="检查记录-1"
    )
    plan = services.transition_plan(
        actor=world.cast.xuanwu, plan=plan, action="revise", reason="人员调整，减少B类频次"
    )
    assert (plan.status, plan.version) == ("draft", 2)
    entry = PlanEnterprise.objects.filter(plan=plan, class_code="B").first()
    cancelled_month = entry.months[-1]
    services.adjust_plan_enterprise(
        actor=world.cast.xuanwu,
        plan=plan,
        enterprise=entry.enterprise,
        months=entry.months[:-1],
        reason="人员调整",
    )
    for action in ["submit", "approve", "file", "enact"]:
        plan = services.transition_plan(
            actor=world.cast.xuanwu,
            plan=plan,
            action=action,
            document_number="第二版〔2026〕1号",
            approved_by="南京市玄武区人民政府",
            decided_on=dt.date(world.year, 1, 5),
        )
    done.refresh_from_db()
    assert done.status == TaskStatus.DONE
    cancelled = InspectionTask.objects.get(
        plan=plan, enterprise=entry.enterprise, month__month=cancelled_month
    )
    assert cancelled.status == TaskStatus.CANCELLED
    assert "第2版" in cancelled.cancel_reason
    assert plan.events.filter(action="revise").get().reason == "人员调整，减少B类频次"


def test_completion_figures_trace_to_the_tasks_and_their_records(world):
    plan = plan_in(world, "in_force")
    task = InspectionTask.objects.filter(plan=plan).order_by("month", "id").first()
    month = task.month.month
    before = selectors.plan_completion(world.cast.xuanwu, plan).months[month - 1]
    services.complete_task(
        actor=world.cast.xuanwu,
        task=task,
        completed_on=task.month,
        record_reference="玄应急现记〔2027〕1号",
    )
    after = selectors.plan_completion(world.cast.xuanwu, plan).months[month - 1]
    assert (before.done, after.done) == (0, 1)
    assert after.planned == before.planned
    assert (
        after.planned_named
        == InspectionTask.objects.filter(plan=plan, month=task.month, kind=TaskKind.PLANNED).count()
    )
    behind = selectors.tasks(
        world.cast.xuanwu,
        selectors.TaskFilters(plan_id=plan.pk, month=task.month, status=TaskStatus.DONE),
    )
    assert [(t.pk, t.completed_by_reference) for t in behind] == [
        (task.pk, "玄应急现记〔2027〕1号")
    ]


def test_only_one_plan_per_agency_and_year(world):
    built_plan(world)
    with pytest.raises(DomainError) as error:
        services.create_plan(
            actor=world.cast.xuanwu, agency=world.cast.agencies["xuanwu"], year=world.year
        )
    assert error.value.code == "plan_exists"

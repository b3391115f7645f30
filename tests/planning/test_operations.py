"""Joint, cross-region, covert and special operations; temporary scope grants; overlaps and gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.permissions import Role
from anjian.planning import selectors, services
from anjian.planning.models import (
    InspectionScheme,
    InspectionTask,
    Operation,
    PublicNotice,
    TaskKind,
    TaskStatus,
)
from anjian.registry import services as registry_services
from anjian.registry.models import Enterprise, Officer, ScopeGrant
from tests.conftest import client_for, make_officer
from tests.planning.conftest import add_enterprise
from tests.planning.helpers import built_plan, plan_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def officer(user):
    return Officer.objects.get(user=user)


def test_province_led_three_level_joint_operation_mixes_levels_and_merges_duplicates(world):
    cast = world.cast
    plan = plan_in(world, "in_force")
    planned = InspectionTask.objects.filter(plan=plan).order_by("month", "id").first()
    month = planned.month
    province_officer = officer(
        make_officer("province_inspector", cast.agencies["province"], [Role.INSPECTOR])
    )
    city_officer = officer(
        make_officer("nanjing_inspector", cast.agencies["nanjing"], [Role.INSPECTOR])
    )
    team = [
        officer(cast.province),
        province_officer,
        city_officer,
        officer(cast.nanjing),
        *world.inspectors[:2],
    ]
    targets = [planned.enterprise, world.enterprises[5], world.enterprises[6]]
    operation = services.create_operation(
        actor=cast.province,
        kind="joint",
        title="危化品三级联合执法",
        lead_agency=cast.agencies["province"],
        region=cast.regions["320102"],
        starts_on=month,
        ends_on=month + dt.timedelta(days=20),
        enterprises=targets,
        officers=team,
        participants=[cast.agencies["nanjing"], cast.agencies["xuanwu"]],
        items=["AQ-06", "AQ-07"],
    )
    assert operation.participants.count() == 3
    tasks = InspectionTask.objects.filter(operation=operation)
    assert tasks.count() == 3
    assert set(tasks.values_list("kind", flat=True)) == {TaskKind.JOINT}
    for task in tasks:
        agencies = {o.agency_id for o in task.officers.all()}
        assert len(agencies) == 2  # every team mixes two levels
    planned.refresh_from_db()
    assert planned.status == TaskStatus.CANCELLED
    assert "综合查一次" in planned.cancel_reason
    merged = tasks.get(enterprise=planned.enterprise)
    assert merged.plan == plan  # the joint task still counts for the county's plan
    scheme = InspectionScheme.objects.get(operation=operation)
    assert scheme.items == ["AQ-06", "AQ-07"]


def test_a_joint_operation_needs_two_agencies(world):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.create_operation(
            actor=cast.xuanwu,
            kind="joint",
            title="",
            lead_agency=cast.agencies["xuanwu"],
            region=cast.regions["320102"],
            starts_on=TODAY,
            ends_on=TODAY,
            enterprises=world.enterprises[:1],
            officers=world.inspectors[:2],
        )
    assert error.value.code == "joint_participants"
    assert not Operation.objects.exists()


def cross_operation(world, starts_on=TODAY, ends_on=None):
    cast = world.cast
    gulou_officers = [
        officer(cast.gulou),
        officer(make_officer("gulou_inspector", cast.agencies["gulou"], [Role.INSPECTOR])),
    ]
    return services.create_operation(
        actor=cast.nanjing,
        kind="cross_region",
        title="鼓楼区执法人员赴玄武区交叉执法",
        lead_agency=cast.agencies["nanjing"],
        region=cast.regions["320102"],
        starts_on=starts_on,
        ends_on=ends_on or starts_on + dt.timedelta(days=30),
        enterprises=world.enterprises[:4],
        officers=gulou_officers,
        acting_agency=cast.agencies["gulou"],
    ), gulou_officers


def test_cross_region_officers_see_the_host_region_while_their_grant_lasts(world):
    cast = world.cast
    target = world.enterprises[0]
    client = client_for(cast.gulou)
    assert client.get(f"/registry/enterprises/{target.pk}/").status_code == 404
    operation, gulou_officers = cross_operation(world)
    grants = ScopeGrant.objects.filter(operation_reference=operation.number)
    assert grants.count() == 2
    client = client_for(cast.gulou)  # a new request computes the scope afresh
    assert client.get(f"/registry/enterprises/{target.pk}/").status_code == 200
    task = InspectionTask.objects.filter(operation=operation, enterprise=target).get()
    assert task.agency == cast.agencies["gulou"]
    assert client.get(f"/api/v1/planning/tasks/{task.pk}").status_code == 200
    services.close_operation(actor=cast.nanjing, operation=operation, reason="行动结束")
    assert client_for(cast.gulou).get(f"/registry/enterprises/{target.pk}/").status_code == 404


def test_an_expired_grant_no_longer_opens_the_host_region(world):
    cast = world.cast
    target = world.enterprises[0]
    registry_services.grant_scope(
        actor=cast.nanjing,
        region=cast.regions["320102"],
        valid_from=TODAY - dt.timedelta(days=30),
        valid_to=TODAY - dt.timedelta(days=1),
        operation_reference="宁交〔2026〕1号",
        reason="交叉执法",
        granting_agency=cast.agencies["nanjing"],
        officer=officer(cast.gulou),
    )
    assert client_for(cast.gulou).get(f"/registry/enterprises/{target.pk}/").status_code == 404
    assert target.pk not in set(
        Enterprise.objects.visible_to(cast.gulou).values_list("pk", flat=True)
    )


def test_cross_region_officers_must_come_from_the_acting_agency(world):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.create_operation(
            actor=cast.nanjing,
            kind="cross_region",
            title="",
            lead_agency=cast.agencies["nanjing"],
            region=cast.regions["320102"],
            starts_on=TODAY,
            ends_on=TODAY,
            enterprises=world.enterprises[:2],
            officers=world.inspectors[:2],
            acting_agency=cast.agencies["gulou"],
        )
    assert error.value.code == "cross_officers"
    assert not ScopeGrant.objects.exists()


def test_covert_operation_marks_its_tasks_and_publishes_nothing(world):
    cast = world.cast
    operation = services.create_operation(
        actor=cast.xuanwu,
        kind="covert",
        title="有限空间作业暗查暗访",
        lead_agency=cast.agencies["xuanwu"],
        region=cast.regions["320102"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=10),
        enterprises=world.enterprises[8:10],
        officers=world.inspectors[:2],
    )
    tasks = InspectionTask.objects.filter(operation=operation)
    assert set(tasks.values_list("kind", "is_covert")) == {(TaskKind.COVERT, True)}
    assert operation.scheme.is_covert
    assert "四不两直" in operation.scheme.method
    assert not PublicNotice.objects.exists()
    # Hidden from an officer who neither runs operations nor is on the team.
    assert not selectors.operations(cast.xuanwu_viewer).filter(pk=operation.pk).exists()
    inspector = world.inspectors[0].user
    assert selectors.operations(inspector).filter(pk=operation.pk).exists()


def test_special_campaign_creates_a_scheme_and_tasks_spread_over_its_months(world):
    cast = world.cast
    start = dt.date(world.year, 4, 1)
    operation = services.create_operation(
        actor=cast.xuanwu,
        kind="special",
        title="粉尘涉爆专项执法行动",
        lead_agency=cast.agencies["xuanwu"],
        region=cast.regions["320102"],
        starts_on=start,
        ends_on=dt.date(world.year, 5, 31),
        enterprises=world.enterprises[:6],
        officers=world.inspectors,
    )
    tasks = InspectionTask.objects.filter(operation=operation)
    assert tasks.count() == 6
    assert sorted({t.month.month for t in tasks}) == [4, 5]
    assert set(tasks.values_list("kind", flat=True)) == {TaskKind.SPECIAL}


def test_operations_refuse_uncertified_officers(world):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.create_operation(
            actor=cast.xuanwu,
            kind="special",
            title="",
            lead_agency=cast.agencies["xuanwu"],
            region=cast.regions["320102"],
            starts_on=TODAY,
            ends_on=TODAY,
            enterprises=world.enterprises[:1],
            officers=[world.inspectors[0], officer(cast.uncertified)],
        )
    assert (
        error.value.code in {"not_certified", "uncertified", "too_few_officers"}
        or "执法证" in error.value.message
    )


def test_operation_outside_the_lead_agencys_region_is_refused(world):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.create_operation(
            actor=cast.xuanwu,
            kind="special",
            title="",
            lead_agency=cast.agencies["xuanwu"],
            region=cast.regions["320106"],
            starts_on=TODAY,
            ends_on=TODAY,
            enterprises=[cast.enterprises["gulou"]],
            officers=world.inspectors[:2],
        )
    assert error.value.code == "operation_region"


# ---------------------------------------------------------------------------------------------
# Overlaps and gaps


def test_an_enterprise_moved_to_another_agency_shows_up_twice_and_blocks_the_old_plan(world):
    cast = world.cast
    plan = built_plan(world)
    moved = world.enterprises[-1]
    registry_services.assign_supervising_agency(
        actor=cast.nanjing, enterprise=moved, agency=cast.agencies["nanjing"], reason="市级直管"
    )
    nanjing_plan = services.create_plan(
        actor=cast.nanjing, agency=cast.agencies["nanjing"], year=world.year
    )
    nanjing_plan = services.build_plan(actor=cast.nanjing, plan=nanjing_plan)
    report = selectors.overlap_report(cast.nanjing, world.year)
    assert [r["enterprise"].pk for r in report.in_two_plans] == [moved.pk]
    assert report.in_two_plans[0]["supervising_agency"] == cast.agencies["nanjing"]
    assert [r["enterprise"].pk for r in report.wrong_agency] == [moved.pk]
    with pytest.raises(DomainError) as error:
        services.transition_plan(actor=cast.xuanwu, plan=plan, action="submit")
    assert error.value.code == "plan_outside_jurisdiction"
    assert moved.name in error.value.message
    services.transition_plan(actor=cast.nanjing, plan=nanjing_plan, action="submit")


def test_an_enterprise_registered_after_the_build_is_reported_as_missing(world):
    built_plan(world)
    late = add_enterprise(world.cast, "新登记有限公司", 900, "high")
    report = selectors.overlap_report(world.cast.xuanwu, world.year)
    assert [r["enterprise"].pk for r in report.not_in_plan] == [late.pk]


def test_two_agencies_inspecting_the_same_enterprise_in_a_month_are_reported(world):
    cast = world.cast
    target = world.enterprises[0]
    month = dt.date(world.year, 6, 1)
    services.create_task(
        actor=cast.xuanwu, agency=cast.agencies["xuanwu"], enterprise=target, month=month
    )
    services.create_task(
        actor=cast.nanjing, agency=cast.agencies["nanjing"], enterprise=target, month=month
    )
    report = selectors.overlap_report(cast.nanjing, world.year)
    assert [(r["enterprise_id"], r["agencies"]) for r in report.duplicate_tasks] == [(target.pk, 2)]


def test_any_operation_absorbs_an_open_task_of_the_same_month(world):
    cast = world.cast
    plan = plan_in(world, "in_force")
    planned = InspectionTask.objects.filter(plan=plan).order_by("month", "id").first()
    operation = services.create_operation(
        actor=cast.xuanwu,
        kind="special",
        title="专项",
        lead_agency=cast.agencies["xuanwu"],
        region=cast.regions["320102"],
        starts_on=planned.month,
        ends_on=planned.month,
        enterprises=[planned.enterprise],
        officers=world.inspectors[:2],
    )
    planned.refresh_from_db()
    assert planned.status == TaskStatus.CANCELLED
    assert operation.number in planned.cancel_reason
    assert InspectionTask.objects.get(operation=operation).plan == plan
    assert selectors.overlap_report(cast.xuanwu, world.year).duplicate_tasks == []

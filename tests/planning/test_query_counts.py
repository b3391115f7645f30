"""Planning reads cost a fixed number of queries however many rows they show (no query per row)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.planning import selectors, services
from tests.conftest import client_for
from tests.planning.helpers import plan_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def queries(call):
    """The number of queries ``call()`` makes, and its result."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def add_operations(world, count, start=0):
    """``count`` special operations of 玄武区, each with its own enterprise and task."""
    cast = world.cast
    for i in range(start, start + count):
        services.create_operation(
            actor=cast.xuanwu,
            kind="special",
            title=f"专项检查{i}",
            lead_agency=cast.agencies["xuanwu"],
            region=cast.regions["320102"],
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=10),
            enterprises=[world.enterprises[i]],
            officers=world.inspectors[:2],
        )


def test_the_operation_list_api_costs_the_same_queries_for_one_and_for_four(world):
    client = client_for(world.cast.xuanwu)
    client.get("/api/v1/planning/operations")  # the session caches the roles and the officer
    add_operations(world, 1)
    few, response = queries(lambda: client.get("/api/v1/planning/operations"))
    assert [o["tasks"] for o in response.json()] == [1]
    assert response.json()[0]["participants"] == ["玄武区应急管理局"]
    assert response.json()[0]["scheme"]["title"].startswith("专项检查0")

    add_operations(world, 3, start=1)
    many, response = queries(lambda: client.get("/api/v1/planning/operations"))
    body = response.json()
    assert len(body) == 4
    assert [o["tasks"] for o in body] == [1, 1, 1, 1]
    assert all(o["participants"] == ["玄武区应急管理局"] for o in body)
    assert few == many == 4  # session, user, operations, participants with their agencies


def test_completion_by_agency_costs_the_same_queries_for_one_plan_and_for_three(world):
    cast = world.cast
    plan = plan_in(world, "in_force")
    selectors.completion_by_agency(cast.province, world.year)  # caches the roles and the scope
    few, rows = queries(lambda: selectors.completion_by_agency(cast.province, world.year))
    assert [(r.plan.pk, r.planned, r.done) for r in rows] == [
        (plan.pk, selectors.plan_completion(cast.xuanwu, plan).planned, 0)
    ]

    for user, agency in [(cast.gulou, "gulou"), (cast.nanjing, "nanjing")]:
        services.create_plan(actor=user, agency=cast.agencies[agency], year=world.year)
    many, rows = queries(lambda: selectors.completion_by_agency(cast.province, world.year))
    assert len(rows) == 3
    assert few == many == 3  # plans, planned enterprises, task counts

"""Planning reads cost a fixed number of queries however many rows they show (no query per row)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.planning import selectors, services
from tests.conftest import client_for
from tests.planning.helpers import plan_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A page: the session, the user, then its own reads.
PLAN_LIST_QUERIES = 3  # the plans with their agencies
DRAW_LIST_QUERIES = 3  # the draws with their agencies and plans (snapshots deferred)
OPERATION_LIST_QUERIES = 3  # the operations with their lead agencies and regions
TASK_LIST_QUERIES = 4  # the tasks with agency, enterprise and team; their officers
COMPLETION_QUERIES = 5  # the plans; their planned enterprises; their task counts


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


# ---------------------------------------------------------------------------------------------
# The list pages


def page_queries(client, url):
    client.get(url)  # the session caches the roles and the officer on the first request
    count, response = queries(lambda: client.get(url))
    assert response.status_code == 200
    return count, response.content.decode()


def test_the_plan_list_page_costs_the_same_queries_for_one_plan_and_for_three(world):
    cast = world.cast
    client = client_for(cast.province)
    services.create_plan(actor=cast.xuanwu, agency=cast.agencies["xuanwu"], year=world.year)
    few, page = page_queries(client, f"/planning/?year={world.year}")
    assert len(re.findall(r'href="/planning/plans/\d+/"', page)) == 1

    for user, agency in [(cast.gulou, "gulou"), (cast.nanjing, "nanjing")]:
        services.create_plan(actor=user, agency=cast.agencies[agency], year=world.year)
    many, page = page_queries(client, f"/planning/?year={world.year}")
    assert len(re.findall(r'href="/planning/plans/\d+/"', page)) == 3
    assert few == many == PLAN_LIST_QUERIES


def add_draws(world, months):
    for month in months:
        services.create_draw(
            actor=world.cast.xuanwu,
            agency=world.cast.agencies["xuanwu"],
            title="",
            month=dt.date(world.year, month, 1),
            strata=[{"name": "all", "select": "*", "count": 2}],
        )


def test_the_draw_list_page_costs_the_same_queries_for_one_draw_and_for_four(world):
    client = client_for(world.cast.xuanwu)
    add_draws(world, [3])
    few, page = page_queries(client, "/planning/draws/")
    assert len(re.findall(r'href="/planning/draws/\d+/"', page)) == 1

    add_draws(world, [4, 5, 6])
    many, page = page_queries(client, "/planning/draws/")
    assert len(re.findall(r'href="/planning/draws/\d+/"', page)) == 4
    assert few == many == DRAW_LIST_QUERIES


def test_the_operation_list_page_costs_the_same_queries_for_one_operation_and_for_four(world):
    client = client_for(world.cast.xuanwu)
    add_operations(world, 1)
    few, page = page_queries(client, "/planning/operations/")
    assert page.count("专项检查") == 1

    add_operations(world, 3, start=1)
    many, page = page_queries(client, "/planning/operations/")
    assert page.count("专项检查") == 4
    assert few == many == OPERATION_LIST_QUERIES


def test_the_task_list_page_costs_the_same_queries_for_one_task_and_for_four(world):
    client = client_for(world.cast.xuanwu)
    add_operations(world, 1)
    few, page = page_queries(client, "/planning/tasks/")
    assert len(re.findall(r'href="/planning/tasks/\d+/"', page)) == 1

    add_operations(world, 3, start=1)
    many, page = page_queries(client, "/planning/tasks/")
    assert len(re.findall(r'href="/planning/tasks/\d+/"', page)) == 4
    assert few == many == TASK_LIST_QUERIES


def test_the_completion_page_costs_the_same_queries_for_one_plan_and_for_three(world):
    cast = world.cast
    client = client_for(cast.province)
    plan_in(world, "in_force")
    few, page = page_queries(client, f"/planning/completion/?year={world.year}")
    assert len(re.findall(r'href="/planning/plans/\d+/completion/"', page)) == 1

    for user, agency in [(cast.gulou, "gulou"), (cast.nanjing, "nanjing")]:
        services.create_plan(actor=user, agency=cast.agencies[agency], year=world.year)
    many, page = page_queries(client, f"/planning/completion/?year={world.year}")
    assert len(re.findall(r'href="/planning/plans/\d+/completion/"', page)) == 3
    assert few == many == COMPLETION_QUERIES

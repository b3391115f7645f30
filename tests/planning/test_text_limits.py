"""Text longer than its column is refused before it reaches the database (PostgreSQL would refuse
the row with an error): on the pages with the form shown again and the input kept, in the API with
422; the message names the limit; nothing is saved. A title that other titles are made of (a
draw's notices, an operation's scheme, tasks and grants) is limited so that those fit too."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.core.permissions import Role
from anjian.planning import clock, services
from anjian.planning.models import (
    AnnualPlan,
    ConflictDeclaration,
    Draw,
    InspectionTask,
    Operation,
    PublicNotice,
    Team,
)
from anjian.registry.models import Officer, ScopeGrant
from tests.conftest import client_for, make_officer
from tests.planning.conftest import YEAR, at
from tests.planning.helpers import page_client, post_page

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STRATA = [{"name": "all", "select": "*", "count": 2, "weighting": "uniform"}]


def saved() -> int:
    return AuditEntry.objects.count()


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_derived_limits_leave_room_for_what_is_added():
    # 200 - len("：抽查任务公告（名录库、人员库冻结及种子承诺）"); min(200 - len("检查方案"),
    # 200 - len("（）") - 60 for the number, 300 - len("交叉执法："))
    assert services.DRAW_TITLE_MAX == 177
    assert services.OPERATION_TITLE_MAX == 138


# ---------------------------------------------------------------------------------------------
# Pages


def test_a_plan_title_over_200_is_refused_on_the_plan_list_with_the_input_kept(world):
    client = page_client(world.cast.xuanwu)
    before = saved()
    title = "计" * 201

    response = post_page(client, "/planning/", "/planning/", {"year": YEAR, "title": title})

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "名称不得超过200字。" in page
    assert f'value="{title}"' in page
    assert not AnnualPlan.objects.exists()
    assert saved() == before


def draw_form(**changes):
    return {
        "title": "三月双随机抽查",
        "month": f"{YEAR}-03-01",
        "strata": json.dumps(STRATA),
        "team_size": "2",
        **changes,
    }


def test_a_draw_title_over_its_limit_is_refused_on_the_new_draw_page_with_the_input_kept(world):
    client = page_client(world.cast.xuanwu)
    before = saved()
    title = "抽" * 178

    response = post_page(
        client, "/planning/draws/new/", "/planning/draws/new/", draw_form(title=title)
    )

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "名称不得超过177字。" in page
    assert f'value="{title}"' in page
    assert not Draw.objects.exists()
    assert saved() == before


def test_a_draw_title_at_its_limit_makes_notice_titles_that_fit(world):
    client = page_client(world.cast.xuanwu)

    response = post_page(
        client, "/planning/draws/new/", "/planning/draws/new/", draw_form(title="抽" * 177)
    )

    draw = Draw.objects.get()
    assert response.redirect_chain == [(f"/planning/draws/{draw.pk}/", 302)]
    with clock.at(at(dt.date(YEAR, 2, 10))):
        services.commit_draw(
            actor=world.cast.xuanwu,
            draw=draw,
            seed_description="上证综合指数收盘价",
            seed_value_date=dt.date(YEAR, 2, 13),
        )
    notice = PublicNotice.objects.get(draw=draw)
    assert len(notice.title) == 200


def operation_form(world, **changes):
    return {
        "kind": "special",
        "title": "有限空间专项检查",
        "region_code": "320102",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=20)).isoformat(),
        "enterprise_ids": f"{world.enterprises[8].pk},{world.enterprises[9].pk}",
        "officer_ids": ",".join(str(o.pk) for o in world.inspectors[:2]),
        "participant_ids": "",
        "basis_document": "玄应急〔2027〕3号",
        "scope_text": "有限空间作业",
        "method": "现场检查",
        **changes,
    }


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("title", 139, "名称不得超过138字。"),
        ("basis_document", 201, "依据文件不得超过200字。"),
        ("method", 201, "检查方式不得超过200字。"),
    ],
)
def test_operation_text_over_its_limit_is_refused_on_the_new_operation_page(
    world, field, length, message
):
    client = page_client(world.cast.xuanwu)
    before = (saved(), InspectionTask.objects.count())
    text = "行" * length

    response = post_page(
        client,
        "/planning/operations/new/",
        "/planning/operations/new/",
        operation_form(world, **{field: text}),
    )

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert message in page
    assert f'value="{text}"' in page
    assert not Operation.objects.exists()
    assert (saved(), InspectionTask.objects.count()) == before


def test_an_operation_title_at_its_limit_makes_scheme_task_and_grant_texts_that_fit(world):
    cast = world.cast
    gulou = [
        Officer.objects.get(user=cast.gulou),
        Officer.objects.get(
            user=make_officer("gulou_inspector", cast.agencies["gulou"], [Role.INSPECTOR])
        ),
    ]
    title = "交" * 138

    operation = services.create_operation(
        actor=cast.nanjing,
        kind="cross_region",
        title=title,
        lead_agency=cast.agencies["nanjing"],
        region=cast.regions["320102"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
        enterprises=world.enterprises[:2],
        officers=gulou,
        acting_agency=cast.agencies["gulou"],
    )

    assert operation.scheme.title == f"{title}检查方案"
    task_titles = set(InspectionTask.objects.filter(operation=operation).values_list("title"))
    assert task_titles == {(f"{title}（{operation.number}）",)}
    assert len(operation.number) <= 60
    reasons = set(
        ScopeGrant.objects.filter(operation_reference=operation.number).values_list("reason")
    )
    assert reasons == {(f"交叉执法：{title}",)}


def test_a_team_name_over_100_is_refused_on_the_team_page_with_the_input_kept(world):
    client = page_client(world.cast.xuanwu)
    before = saved()
    name = "组" * 101
    officers = f"{world.inspectors[0].pk},{world.inspectors[1].pk}"

    response = post_page(
        client, "/planning/teams/", "/planning/teams/", {"name": name, "officer_ids": officers}
    )

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "名称不得超过100字。" in page
    assert f'value="{name}"' in page
    assert f'value="{officers}"' in page
    assert Team.objects.count() == 2  # the world's two teams
    assert saved() == before


def test_a_conflict_note_over_300_is_refused_on_the_conflict_page_with_the_input_kept(world):
    client = page_client(world.cast.xuanwu)
    before = saved()
    note = "曾" * 301
    officer, enterprise = world.inspectors[0], world.enterprises[0]

    response = post_page(
        client,
        "/planning/conflicts/",
        "/planning/conflicts/",
        {
            "officer": str(officer.pk),
            "enterprise": str(enterprise.pk),
            "kind": "former_employer",
            "note": note,
        },
    )

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "说明不得超过300字。" in page
    assert f'value="{note}"' in page
    assert f'value="{officer.pk}"' in page
    assert '<option value="former_employer" selected>' in page
    assert not ConflictDeclaration.objects.exists()
    assert saved() == before


# ---------------------------------------------------------------------------------------------
# API


def assert_too_long(response, field, limit, label):
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "text_too_long"
    assert body["message"] == f"{label}不得超过{limit}字。"
    assert body["message_en"] == f"Too long: {field} (at most {limit} characters)."
    assert body["details"] == [{"field": field, "max_length": limit, "label": label}]


def test_a_plan_title_over_200_is_refused_by_the_api(world):
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = post_json(client, "/api/v1/planning/plans", {"year": YEAR, "title": "计" * 201})

    assert_too_long(response, "title", 200, "名称")
    assert not AnnualPlan.objects.exists()
    assert saved() == before


def test_a_draw_title_over_its_limit_is_refused_by_the_api(world):
    client = client_for(world.cast.xuanwu)
    before = saved()
    body = {"title": "抽" * 178, "month": f"{YEAR}-03-01", "strata": STRATA}

    response = post_json(client, "/api/v1/planning/draws", body)

    assert_too_long(response, "title", 177, "名称")
    assert not Draw.objects.exists()
    assert saved() == before


def test_a_stratum_name_over_50_is_refused_by_the_api(world):
    client = client_for(world.cast.xuanwu)
    before = saved()
    strata = [{**STRATA[0], "name": "层" * 51}]

    response = post_json(
        client, "/api/v1/planning/draws", {"month": f"{YEAR}-03-01", "strata": strata}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "text_too_long"
    assert response.json()["message"] == "抽取层名称不得超过50字（名称写入检查任务的名称）。"
    assert response.json()["message_en"] == "Too long: strata.name (at most 50 characters)."
    assert not Draw.objects.exists()
    assert saved() == before


@pytest.mark.parametrize(
    ("field", "length", "limit", "label"),
    [
        ("title", 139, 138, "名称"),
        ("basis_document", 201, 200, "依据文件"),
        ("method", 201, 200, "检查方式"),
    ],
)
def test_operation_text_over_its_limit_is_refused_by_the_api(world, field, length, limit, label):
    client = client_for(world.cast.xuanwu)
    before = (saved(), InspectionTask.objects.count())
    body = {
        "kind": "special",
        "title": "有限空间专项检查",
        "region_code": "320102",
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
        "enterprise_ids": [world.enterprises[8].pk],
        "officer_ids": [o.pk for o in world.inspectors[:2]],
        field: "行" * length,
    }

    response = post_json(client, "/api/v1/planning/operations", body)

    assert_too_long(response, field, limit, label)
    assert not Operation.objects.exists()
    assert (saved(), InspectionTask.objects.count()) == before


def test_a_team_name_over_100_is_refused_by_the_api(world):
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = post_json(
        client,
        "/api/v1/planning/teams",
        {"name": "组" * 101, "officer_ids": [o.pk for o in world.inspectors[:2]]},
    )

    assert_too_long(response, "name", 100, "名称")
    assert Team.objects.count() == 2
    assert saved() == before


def test_a_conflict_note_over_300_is_refused_by_the_api(world):
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = post_json(
        client,
        "/api/v1/planning/conflicts",
        {
            "officer_id": world.inspectors[0].pk,
            "enterprise_id": world.enterprises[0].pk,
            "kind": "former_employer",
            "note": "曾" * 301,
        },
    )

    assert_too_long(response, "note", 300, "说明")
    assert not ConflictDeclaration.objects.exists()
    assert saved() == before


def test_a_cancel_reason_over_300_is_refused_by_the_api_not_cut(world):
    cast = world.cast
    task = services.create_task(
        actor=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        enterprise=world.enterprises[0],
        month=dt.date(YEAR, 3, 1),
        title="三月检查",
    )
    client = client_for(cast.xuanwu)
    before = saved()

    response = post_json(client, f"/api/v1/planning/tasks/{task.pk}/cancel", {"reason": "因" * 301})

    assert_too_long(response, "cancel_reason", 300, "取消理由")
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("open", "")
    assert saved() == before

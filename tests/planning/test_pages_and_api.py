"""Pages, exports and the API: what users and the public see."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from anjian.planning import clock, services
from anjian.planning.models import InspectionTask, NoticeKind, PublicNotice
from tests.conftest import client_for
from tests.planning.conftest import at
from tests.planning.helpers import built_plan, plan_in, published_draw

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_public_notices_are_readable_without_login(world):
    draw = published_draw(world)
    anonymous = client_for(None)
    index = anonymous.get("/planning/public/")
    assert index.status_code == 200
    page = index.content.decode()
    assert "抽查结果公告" in page
    assert "抽查任务公告" in page
    assert "抽查计划公告" in page
    result = PublicNotice.objects.get(kind=NoticeKind.RESULT, draw=draw)
    detail = anonymous.get(f"/planning/public/notices/{result.pk}/").content.decode()
    assert draw.result_sha256 in detail
    assert draw.seed_value in detail
    exported = anonymous.get(f"/planning/public/notices/{result.pk}/?format=xlsx")
    assert exported["Content-Type"] == XLSX
    rows = sheet(exported)
    assert rows[0] == ["序号", "单位", "抽取层", "执法人员"]
    assert len(rows) == 1 + len(json.loads(draw.result_json)["draws"])
    task_notice = PublicNotice.objects.get(kind=NoticeKind.TASK, draw=draw)
    assert (
        draw.directory_sha256
        in anonymous.get(f"/planning/public/notices/{task_notice.pk}/").content.decode()
    )


def test_the_item_list_is_public_as_a_page_and_a_workbook(db):
    anonymous = client_for(None)
    page = anonymous.get("/planning/public/items/").content.decode()
    assert "安全生产责任制和规章制度" in page
    assert "清单之外无检查" in page
    rows = sheet(anonymous.get("/planning/public/items/?format=xlsx"))
    assert rows[0][:3] == ["编号", "抽查事项", "子项"]
    assert rows[1][0] == "AQ-01"


def test_a_draw_file_is_public_only_once_the_result_is_published(world):
    draw = services.create_draw(
        actor=world.cast.xuanwu,
        agency=world.cast.agencies["xuanwu"],
        title="",
        month=dt.date(world.year, 5, 1),
        strata=[{"name": "all", "select": "*", "count": 3}],
    )
    with clock.at(at(dt.date(world.year, 4, 20))):
        draw = services.commit_draw(
            actor=world.cast.xuanwu,
            draw=draw,
            seed_description="上证综指收盘价",
            seed_value_date=dt.date(world.year, 4, 23),
        )
    anonymous = client_for(None)
    assert anonymous.get(f"/planning/public/draws/{draw.pk}/file.json").status_code == 404
    with clock.at(at(dt.date(world.year, 4, 24))):
        draw = services.perform_draw(actor=world.cast.xuanwu, draw=draw, seed_value="3200.00")
        services.publish_draw(actor=world.cast.xuanwu, draw=draw)
    response = anonymous.get(f"/planning/public/draws/{draw.pk}/file.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    verdict = anonymous.post(
        "/api/v1/planning/public/verify", json.dumps(data), content_type="application/json"
    ).json()
    assert verdict["confirmed"] is True
    data["result"]["draws"][0][2] = "伪造层"
    verdict = anonymous.post(
        "/api/v1/planning/public/verify", json.dumps(data), content_type="application/json"
    ).json()
    assert verdict["confirmed"] is False
    assert verdict["code"] == "result_differs"
    uploaded = anonymous.post(
        "/planning/public/verify/",
        {"file": io.BytesIO(json.dumps(data).encode())},
    ).content.decode()
    assert "验证不通过" in uploaded


def test_plan_page_shows_the_shortfall_and_the_gap(world):
    plan = built_plan(world, officers=1, inspection_share=0.15)
    page = client_for(world.cast.xuanwu).get(f"/planning/plans/{plan.pk}/").content.decode()
    assert "检查能力低于最低频次要求" in page
    assert "最优性差距" in page
    assert "HiGHS：optimal" in page


def test_another_countys_plan_draw_and_task_do_not_exist(world):
    draw = published_draw(world)
    task = InspectionTask.objects.filter(draw=draw).first()
    gulou = client_for(world.cast.gulou)
    assert gulou.get(f"/planning/plans/{draw.plan_id}/").status_code == 404
    assert gulou.get(f"/planning/draws/{draw.pk}/").status_code == 404
    assert gulou.get(f"/planning/tasks/{task.pk}/").status_code == 404
    assert gulou.get(f"/api/v1/planning/plans/{draw.plan_id}").json()["code"] == "not_found"
    assert client_for(world.cast.xuanwu).get(f"/planning/tasks/{task.pk}/").status_code == 200


def test_task_and_enterprise_exports(world):
    plan = plan_in(world, "in_force")
    client = client_for(world.cast.xuanwu)
    tasks = sheet(client.get(f"/planning/tasks/?plan={plan.pk}&format=xlsx"))
    assert tasks[0][:3] == ["月份", "单位", "类型"]
    assert len(tasks) == 1 + InspectionTask.objects.filter(plan=plan).count()
    entries = sheet(client.get(f"/planning/plans/{plan.pk}/enterprises/?format=xlsx"))
    assert len(entries) == 1 + 31
    completion = sheet(client.get(f"/planning/plans/{plan.pk}/completion/?format=xlsx"))
    assert completion[0] == [
        "月份",
        "计划（点名检查）",
        "计划（随机抽查）",
        "计划合计",
        "已下达任务",
        "已完成",
        "完成率",
    ]
    assert len(completion) == 13


def test_the_pages_render_for_the_right_holder(world):
    plan = plan_in(world, "in_force")
    draw = published_draw(world, plan=plan)
    client = client_for(world.cast.xuanwu)
    for url in [
        "/planning/",
        f"/planning/plans/{plan.pk}/",
        f"/planning/plans/{plan.pk}/enterprises/?month=3",
        f"/planning/plans/{plan.pk}/completion/",
        f"/planning/completion/?year={world.year}",
        f"/planning/overlap/?year={world.year}",
        "/planning/tasks/",
        f"/planning/draws/{draw.pk}/",
        "/planning/draws/",
        "/planning/draws/new/",
        "/planning/operations/",
        "/planning/operations/new/",
        "/planning/conflicts/",
        "/planning/teams/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


# ---------------------------------------------------------------------------------------------
# API


def test_plan_lifecycle_through_the_api(world):
    client = client_for(world.cast.xuanwu)
    created = client.post(
        "/api/v1/planning/plans", json.dumps({"year": world.year}), content_type="application/json"
    )
    assert created.status_code == 201
    plan_id = created.json()["id"]
    refused = client.post(
        f"/api/v1/planning/plans/{plan_id}/transitions",
        json.dumps({"action": "approve"}),
        content_type="application/json",
    ).json()
    assert refused["code"] == "transition_not_allowed"
    assert refused["details"]["allowed"] == ["submit"]
    built = client.post(f"/api/v1/planning/plans/{plan_id}/build").json()
    assert built["solver_status"] == "optimal"
    assert built["gap"] <= 1e-3
    for body in [
        {"action": "submit"},
        {
            "action": "approve",
            "document_number": "玄政复〔2026〕1号",
            "approved_by": "玄武区人民政府",
            "decided_on": f"{world.year - 1}-12-20",
        },
        {
            "action": "file",
            "document_number": "宁应急备〔2026〕1号",
            "decided_on": f"{world.year - 1}-12-22",
        },
        {"action": "enact"},
    ]:
        response = client.post(
            f"/api/v1/planning/plans/{plan_id}/transitions",
            json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    plan = response.json()
    assert plan["status"] == "in_force"
    assert [e["action"] for e in plan["events"]] == ["create", "submit", "approve", "file", "enact"]
    completion = client.get(f"/api/v1/planning/plans/{plan_id}/completion").json()
    assert completion["planned"] > 0
    assert completion["done"] == 0
    records = client.get(completion["months"][0]["records"]).json()
    assert records["items"] == []
    assert client.get(f"/api/v1/planning/overlap?year={world.year}").json()["is_clean"] in {
        True,
        False,
    }


def test_over_capacity_adjustment_is_a_400_with_the_reason(world):
    plan = built_plan(world, officers=1, inspection_share=0.15)
    client = client_for(world.cast.xuanwu)
    response = client.post(
        f"/api/v1/planning/plans/{plan.pk}/adjust",
        json.dumps(
            {
                "enterprise_id": world.enterprises[-1].pk,
                "months": [1, 4, 7, 10],
                "reason": "加密检查",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "plan_over_capacity"
    assert "超过可计划能力" in body["message"]


def test_draw_through_the_api(world):
    client = client_for(world.cast.xuanwu)
    created = client.post(
        "/api/v1/planning/draws",
        json.dumps(
            {"month": f"{world.year}-07-01", "strata": [{"name": "all", "select": "*", "count": 4}]}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201
    draw_id = created.json()["id"]
    refused = client.post(
        f"/api/v1/planning/draws/{draw_id}/draw",
        json.dumps({"seed_value": "1"}),
        content_type="application/json",
    ).json()
    assert refused["code"] == "draw_without_commitment"
    with clock.at(at(dt.date(world.year, 6, 20))):
        committed = client.post(
            f"/api/v1/planning/draws/{draw_id}/commit",
            json.dumps(
                {"seed_description": "体彩大乐透开奖号码", "seed_value_date": f"{world.year}-06-23"}
            ),
            content_type="application/json",
        ).json()
    assert committed["status"] == "committed"
    assert len(committed["commit_sha256"]) == 64
    with clock.at(at(dt.date(world.year, 6, 24))):
        drawn = client.post(
            f"/api/v1/planning/draws/{draw_id}/draw",
            json.dumps({"seed_value": "05 12 19 27 33 + 02 11"}),
            content_type="application/json",
        ).json()
        assert drawn["status"] == "drawn"
        published = client.post(f"/api/v1/planning/draws/{draw_id}/publish").json()
    assert published["status"] == "published"
    tasks = client.get(f"/api/v1/planning/tasks?draw_id={draw_id}").json()["items"]
    assert len(tasks) == 4
    assert all(len(t["officers"]) == 2 for t in tasks)
    data = client.get(f"/api/v1/planning/draws/{draw_id}/file").json()
    assert client.post(
        "/api/v1/planning/public/verify", json.dumps(data), content_type="application/json"
    ).json()["confirmed"]
    assert (
        client_for(None)
        .post("/api/v1/planning/public/verify", "[1,2]", content_type="application/json")
        .json()["code"]
        == "not_a_draw_file"
    )


def test_operations_conflicts_and_teams_through_the_api(world):
    client = client_for(world.cast.xuanwu)
    today = dt.date.today()
    operation = client.post(
        "/api/v1/planning/operations",
        json.dumps(
            {
                "kind": "covert",
                "title": "暗查暗访",
                "region_code": "320102",
                "starts_on": today.isoformat(),
                "ends_on": (today + dt.timedelta(days=7)).isoformat(),
                "enterprise_ids": [world.enterprises[0].pk],
                "officer_ids": [o.pk for o in world.inspectors[:2]],
            }
        ),
        content_type="application/json",
    )
    assert operation.status_code == 201
    assert operation.json()["is_covert"] is True
    assert operation.json()["tasks"] == 1
    outside = client.post(
        "/api/v1/planning/operations",
        json.dumps(
            {
                "kind": "special",
                "region_code": "320106",
                "starts_on": today.isoformat(),
                "ends_on": today.isoformat(),
                "enterprise_ids": [world.cast.enterprises["gulou"].pk],
                "officer_ids": [o.pk for o in world.inspectors[:2]],
            }
        ),
        content_type="application/json",
    )
    assert outside.status_code == 403
    assert outside.json()["code"] == "outside_jurisdiction"
    conflict = client.post(
        "/api/v1/planning/conflicts",
        json.dumps(
            {
                "officer_id": world.inspectors[0].pk,
                "enterprise_id": world.enterprises[0].pk,
                "kind": "former_employer",
            }
        ),
        content_type="application/json",
    )
    assert conflict.status_code == 201
    assert client.get("/api/v1/planning/conflicts").json()[0]["kind"] == "former_employer"
    teams = client.get("/api/v1/planning/teams").json()
    assert {t["name"] for t in teams} == {"一中队", "二中队"}


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{"draw": 5}, {"draw": {"number": 7}}, [1, 2], "x"])
def test_verifying_a_malformed_draw_file_refutes_it_without_an_error(client, body):
    response = client.post(
        "/api/v1/planning/public/verify", json.dumps(body), content_type="application/json"
    )

    assert response.status_code in {200, 422}
    if response.status_code == 200:
        assert response.json()["confirmed"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "①", "12a"])
def test_a_number_that_is_not_decimal_digits_is_ignored_not_an_error(cast, value):
    client = client_for(cast.xuanwu)

    assert client.get("/planning/", {"year": value}).status_code == 200
    assert client.get("/planning/tasks/", {"month": value, "plan": value}).status_code == 200

"""Every planning list exports itself with ?format=xlsx: the same scope, the same filters, the cap."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from anjian.planning.models import InspectionTask
from tests.conftest import client_for
from tests.planning.helpers import plan_in, published_draw


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_plan_draw_and_operation_lists_export_the_users_scope(world):
    draw = published_draw(world)
    plan = draw.plan
    xuanwu = client_for(world.cast.xuanwu)
    plans = sheet(xuanwu.get(f"/planning/?year={world.year}&format=xlsx"))
    assert plans[0][:4] == ["年度", "名称", "执法机构", "状态"]
    assert [r[1] for r in plans[1:]] == [plan.title]
    assert plans[1][3] == "执行中"
    draws = sheet(xuanwu.get("/planning/draws/?format=xlsx"))
    assert draws[0][0] == "编号"
    assert [r[0] for r in draws[1:]] == [draw.number]
    assert draws[1][6] == draw.commit_sha256
    operations = sheet(xuanwu.get("/planning/operations/?format=xlsx"))
    assert operations[0][:3] == ["编号", "名称", "类型"]

    gulou = client_for(world.cast.gulou)
    assert sheet(gulou.get(f"/planning/?year={world.year}&format=xlsx"))[1:] == []
    assert sheet(gulou.get("/planning/draws/?format=xlsx"))[1:] == []


def test_plan_list_export_follows_the_year_filter(world):
    plan_in(world, "in_force")
    xuanwu = client_for(world.cast.xuanwu)
    assert sheet(xuanwu.get(f"/planning/?year={world.year - 1}&format=xlsx"))[1:] == []


def test_the_export_labels_stay_chinese_in_the_english_ui(world):
    plan_in(world, "in_force")
    xuanwu = client_for(world.cast.xuanwu)
    xuanwu.cookies["django_language"] = "en"
    plans = sheet(xuanwu.get(f"/planning/?year={world.year}&format=xlsx"))
    assert plans[1][3] == "执行中"


def test_a_task_export_over_the_cap_is_refused_not_cut(world, settings):
    plan = plan_in(world, "in_force")
    assert InspectionTask.objects.filter(plan=plan).count() > 1
    settings.ANJIAN_MAX_EXPORT_ROWS = 1
    response = client_for(world.cast.xuanwu).get(
        f"/planning/tasks/?plan={plan.pk}&format=xlsx", follow=True
    )
    assert response.redirect_chain == [(f"/planning/tasks/?plan={plan.pk}", 302)]
    assert "符合条件的记录超过1条，无法一次导出" in response.content.decode()

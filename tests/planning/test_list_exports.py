"""Every planning list exports itself with ?format=xlsx (registered with core.exports): the same
scope and filters on the page and in a background job; large exports go to the background."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from anjian.planning import services
from anjian.planning.models import InspectionTask
from anjian.registry import export_jobs
from anjian.registry.models import ExportJob
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


def test_a_task_export_over_the_threshold_goes_to_the_background_export_page(world, settings):
    plan = plan_in(world, "in_force")
    assert InspectionTask.objects.filter(plan=plan).count() > 1
    settings.ANJIAN_EXPORT_BACKGROUND_ROWS = 1

    response = client_for(world.cast.xuanwu).get(
        f"/planning/tasks/?plan={plan.pk}&page=2&format=xlsx"
    )

    assert response.status_code == 302
    assert response["Location"] == (f"/registry/exports/new/?list=planning.tasks&plan={plan.pk}")


def gulou_rows(world):
    """A plan and a task of 鼓楼区 (another county), to be left out of 玄武区's exports."""
    cast = world.cast
    services.create_plan(
        actor=cast.gulou, agency=cast.agencies["gulou"], year=world.year, title="鼓楼区年度计划"
    )
    services.create_task(
        actor=cast.gulou,
        agency=cast.agencies["gulou"],
        enterprise=cast.enterprises["gulou"],
        month=dt.date(world.year, 3, 1),
    )


def special_operation(world):
    cast = world.cast
    return services.create_operation(
        actor=cast.xuanwu,
        kind="special",
        title="危化品专项执法行动",
        lead_agency=cast.agencies["xuanwu"],
        region=cast.regions["320102"],
        starts_on=dt.date(world.year, 3, 1),
        ends_on=dt.date(world.year, 3, 20),
        enterprises=world.enterprises[:1],
        officers=world.inspectors[:2],
    )


def job_rows(job):
    assert job.status == "succeeded", job.message
    with job.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return [list(r) for ws in workbook.worksheets for r in ws.iter_rows(values_only=True)]


def test_each_planning_list_gives_the_same_rows_on_the_page_and_in_a_background_job(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draw = published_draw(world)
    operation = special_operation(world)
    gulou_rows(world)
    xuanwu = client_for(world.cast.xuanwu)
    lists = [
        ("planning.plans", "/planning/", {"year": str(world.year)}),
        ("planning.tasks", "/planning/tasks/", {"status": "open"}),
        ("planning.draws", "/planning/draws/", {}),
        ("planning.operations", "/planning/operations/", {}),
    ]

    for name, url, filters in lists:
        settings.ANJIAN_EXPORT_BACKGROUND_ROWS = 10_000
        at_once = sheet(xuanwu.get(url, {**filters, "format": "xlsx"}))
        settings.ANJIAN_EXPORT_BACKGROUND_ROWS = 0  # every export with a row is a job
        to_background = xuanwu.get(url, {**filters, "format": "xlsx"})
        started = xuanwu.post("/registry/exports/new/", {"list": name, **filters})
        job = ExportJob.objects.get(list_name=name)

        assert to_background.status_code == 302, name
        assert to_background["Location"].startswith(f"/registry/exports/new/?list={name}")
        assert started["Location"] == f"/registry/exports/{job.pk}/"
        assert (job.filters, job.row_count) == (filters, len(at_once) - 1)
        assert len(at_once) > 1, name
        assert job_rows(job) == at_once, name
        flat = {str(cell) for row in at_once for cell in row}
        assert "鼓楼区年度计划" not in flat, name
        assert "鼓楼化工有限公司" not in flat, name

    assert ExportJob.objects.get(list_name="planning.draws").title == "随机抽查"
    assert job_rows(ExportJob.objects.get(list_name="planning.draws"))[1][0] == draw.number
    assert job_rows(ExportJob.objects.get(list_name="planning.operations"))[1][:3] == [
        operation.number,
        "危化品专项执法行动",
        "专项执法行动",
    ]


def test_a_background_planning_export_holds_only_the_requesters_county(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan_in(world, "in_force")
    gulou_rows(world)
    gulou = world.cast.gulou

    plans = export_jobs.start_export(
        actor=gulou, list_name="planning.plans", filters={"year": str(world.year)}
    )
    tasks = export_jobs.start_export(actor=gulou, list_name="planning.tasks", filters={})
    draws = export_jobs.start_export(actor=gulou, list_name="planning.draws", filters={})

    assert [r[1:3] for r in job_rows(plans)[1:]] == [["鼓楼区年度计划", "鼓楼区应急管理局"]]
    assert [r[1] for r in job_rows(tasks)[1:]] == ["鼓楼化工有限公司"]
    assert job_rows(draws)[1:] == []

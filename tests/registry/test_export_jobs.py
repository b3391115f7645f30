"""Background list exports: large exports become jobs, scoped at run time, private to the requester."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anjian.audit.models import AuditEntry
from anjian.core.xlsx import XlsxWriter
from anjian.registry import export_jobs, exports, services
from anjian.registry.models import ExportJob, ExportStatus, Officer
from anjian.registry.scope import scope_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAGE_URL = "/registry/enterprises/export.xlsx"
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ANJIAN_EXPORT_BACKGROUND_ROWS = 1  # every export of 2 rows or more is a job here
    return tmp_path


def rows_of(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return [list(r) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)]


def downloaded(response: Any) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def queued_job(user: Any, filters: dict[str, str] | None = None) -> ExportJob:
    """A job as ``start_export`` leaves it for a worker, not yet run."""
    return ExportJob.objects.create(
        created_by=user,
        agency_id=scope_for(user).agency_id,
        list_name="registry.enterprises",
        title="生产经营单位",
        filters=filters or {},
    )


def test_a_large_list_export_becomes_a_job_whose_file_holds_the_rows_the_page_exports(
    cast, settings
):
    client = client_for(cast.xuanwu)

    to_background = client.get(PAGE_URL, {"status": "operating"})
    confirm = client.get(to_background["Location"])
    started = client.post(
        "/registry/exports/new/", {"list": "registry.enterprises", "status": "operating"}
    )
    job = ExportJob.objects.get()
    page = client.get(started["Location"])
    content = downloaded(client.get(f"/registry/exports/{job.pk}/download/"))
    settings.ANJIAN_EXPORT_BACKGROUND_ROWS = 10_000
    at_once = downloaded(client.get(PAGE_URL, {"status": "operating"}))

    assert to_background["Location"] == (
        "/registry/exports/new/?list=registry.enterprises&status=operating"
    )
    assert "记录数" in confirm.content.decode()
    assert "开始后台导出" in confirm.content.decode()
    assert started["Location"] == f"/registry/exports/{job.pk}/"
    assert (job.status, job.row_count, job.filters) == ("succeeded", 2, {"status": "operating"})
    assert job.agency == cast.agencies["xuanwu"]
    assert "下载导出文件（xlsx）" in page.content.decode()
    assert rows_of(content) == rows_of(at_once)
    assert {r[1] for r in rows_of(content)[1:]} == {"玄武化工有限公司", "演示街道仓储有限公司"}
    assert hashlib.sha256(content).hexdigest() == job.file_sha256
    assert job.file_size == len(content)
    assert job.expires_at == job.finished_at + dt.timedelta(days=7)


def test_the_worker_scopes_the_rows_for_the_requester_as_they_are_when_it_runs(cast):
    gulou_officer = Officer.objects.get(user=cast.gulou)
    job = queued_job(cast.gulou)
    services.grant_scope(  # after the job was queued: 鼓楼区's officer may act in 玄武区 too
        actor=cast.nanjing,
        region=cast.regions["320102"],
        valid_from=TODAY,
        valid_to=TODAY,
        operation_reference="宁交〔2026〕1号",
        reason="交叉执法",
        granting_agency=cast.agencies["nanjing"],
        officer=gulou_officer,
    )
    own_only = queued_job(cast.township)
    filtered_outside = queued_job(cast.township, {"region_code": "320106"})

    for queued in (job, own_only, filtered_outside):
        export_jobs.run_export(queued.pk)
        queued.refresh_from_db()

    def names(export: ExportJob) -> set[str]:
        return {r[1] for r in rows_of(export.file.read())[1:]}

    assert names(job) == {"鼓楼化工有限公司", "玄武化工有限公司", "演示街道仓储有限公司"}
    assert names(own_only) == {"演示街道仓储有限公司"}
    assert (filtered_outside.status, filtered_outside.row_count) == ("succeeded", 0)


def test_another_users_job_does_not_exist_for_them_even_for_the_province(cast):
    job = export_jobs.start_export(actor=cast.xuanwu, list_name="registry.enterprises", filters={})
    urls = [
        f"/registry/exports/{job.pk}/",
        f"/registry/exports/{job.pk}/progress/",
        f"/registry/exports/{job.pk}/download/",
        f"/api/v1/registry/exports/{job.pk}",
        f"/api/v1/registry/exports/{job.pk}/file",
    ]

    for user in (cast.province, cast.xuanwu_viewer, cast.gulou):
        client = client_for(user)
        assert [client.get(url).status_code for url in urls] == [404] * 5
        assert client.get("/api/v1/registry/exports").json()["items"] == []
    owner = client_for(cast.xuanwu)
    assert [owner.get(url).status_code for url in urls] == [200] * 5
    assert [item["id"] for item in owner.get("/api/v1/registry/exports").json()["items"]] == [
        job.pk
    ]


def test_a_failed_job_reports_its_error_on_the_page_and_the_api(cast):
    job = queued_job(cast.xuanwu)
    type(cast.xuanwu).objects.filter(pk=cast.xuanwu.pk).update(is_active=False)

    export_jobs.run_export(job.pk)
    type(cast.xuanwu).objects.filter(pk=cast.xuanwu.pk).update(is_active=True)
    job.refresh_from_db()
    client = client_for(cast.xuanwu)
    page = client.get(f"/registry/exports/{job.pk}/progress/").content.decode()
    api = client.get(f"/api/v1/registry/exports/{job.pk}").json()

    assert job.status == ExportStatus.FAILED
    assert job.message == "导出人的账号已停用，未生成文件。"
    failed = AuditEntry.objects.get(action="registry.export_failed")
    assert (failed.object_id, failed.actor_id) == (str(job.pk), None)
    assert failed.after["message"] == "导出人的账号已停用，未生成文件。"
    assert "导出人的账号已停用，未生成文件。" in page
    assert "hx-get" not in page  # finished: polling stops
    assert (api["status"], api["message_en"], api["file_url"]) == (
        "failed",
        "The requesting account is disabled; no file was made.",
        None,
    )
    assert client.get(f"/registry/exports/{job.pk}/download/").status_code == 404


def test_the_api_starts_an_export_and_serves_the_file(cast):
    client = client_for(cast.xuanwu)

    response = client.post(
        "/api/v1/registry/exports",
        {"list": "registry.enterprises", "filters": {"q": "玄武"}},
        content_type="application/json",
    )
    body = response.json()
    content = downloaded(client.get(body["file_url"]))

    assert response.status_code == 202
    assert (body["status"], body["row_count"], body["filters"]) == ("succeeded", 1, {"q": "玄武"})
    assert [r[1] for r in rows_of(content)] == ["名称", "玄武化工有限公司"]
    assert rows_of(content)[0] == exports.ENTERPRISE_HEADERS


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        (
            {"list": "registry.nothing"},
            "export_unknown_list",
            "没有名为“registry.nothing”的可导出列表",
        ),
        (
            {"list": "registry.enterprises", "filters": {"colour": "red"}},
            "export_unknown_filter",
            "没有筛选条件“colour”",
        ),
        (
            {"list": "registry.enterprises", "filters": {"status": "sleeping"}},
            "export_bad_filter",
            "筛选条件有误（状态：",
        ),
        (
            {"list": "registry.enterprises", "filters": {"q": ["a"]}},
            "export_bad_filter",
            "筛选条件“q”的值应为文字或数字",
        ),
        (
            {"list": "registry.enterprises", "filters": {"supervising_agency_id": "x"}},
            "export_bad_filter",
            "监管机构",
        ),
    ],
)
def test_bad_export_requests_get_a_clear_message_and_no_job(cast, payload, code, message):
    response = client_for(cast.xuanwu).post(
        "/api/v1/registry/exports", payload, content_type="application/json"
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code
    assert message in body["message"]
    assert body["message_en"]
    assert ExportJob.objects.count() == 0


def test_a_bad_list_name_on_the_page_is_a_message_not_a_500(cast):
    response = client_for(cast.xuanwu).get("/registry/exports/new/", {"list": "nope"})

    assert response.status_code == 422
    assert "没有名为“nope”的可导出列表" in response.content.decode()


def test_expired_exports_lose_their_file_and_keep_their_row(cast, media):
    job = export_jobs.start_export(actor=cast.xuanwu, list_name="registry.enterprises", filters={})
    path, name = job.file.path, job.file.name
    stale = queued_job(cast.xuanwu)
    ExportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=13))

    assert export_jobs.expire_exports() == (0, 1)
    assert export_jobs.expire_exports(now=job.expires_at + dt.timedelta(seconds=1)) == (1, 0)
    job.refresh_from_db()
    stale.refresh_from_db()
    client = client_for(cast.xuanwu)

    assert (job.status, job.file.name) == ("expired", "")
    assert not os.path.exists(path)
    assert stale.status == "failed"
    assert "超时" in stale.message
    assert client.get(f"/registry/exports/{job.pk}/download/").status_code == 404
    assert "已过保留期" in client.get(f"/registry/exports/{job.pk}/").content.decode()
    entries = {
        e.action: e
        for e in AuditEntry.objects.filter(
            action__in=["registry.expire_export", "registry.export_failed"]
        )
    }
    assert entries["registry.expire_export"].object_id == str(job.pk)
    assert entries["registry.expire_export"].actor_id is None
    assert entries["registry.expire_export"].after == {"file": name, "sha256": job.file_sha256}
    assert entries["registry.export_failed"].object_id == str(stale.pk)
    assert "超时" in entries["registry.export_failed"].after["message"]
    assert export_jobs.expire_exports(now=job.expires_at + dt.timedelta(days=1)) == (0, 0)
    assert AuditEntry.objects.filter(action="registry.expire_export").count() == 1


def test_a_sheet_that_fills_continues_on_the_next_with_the_header_row():
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer, headers=["名称"], sheet_title="单位", rows_per_sheet=2)
    for name in ["甲", "乙", "丙"]:
        writer.append([name])
    writer.close()

    book = load_workbook(buffer)
    assert book.sheetnames == ["单位", "单位2"]
    assert [[c.value for c in r] for r in book["单位2"].iter_rows()] == [["名称"], ["丙"]]
    assert writer.rows == 3


def test_my_exports_is_in_the_navigation_of_every_signed_in_officer(cast, client):
    link = '<a href="/registry/exports/">我的导出</a>'

    for user in (cast.xuanwu, cast.xuanwu_viewer, cast.township, cast.province):
        page = client_for(user).get("/planning/tasks/").content.decode()
        nav = page[page.index('<nav class="mainnav"') : page.index("</nav>")]
        assert link in nav, user
    english = client_for(cast.xuanwu_viewer)
    english.cookies["django_language"] = "en"
    assert (
        '<a href="/registry/exports/">My exports</a>'
        in english.get("/planning/tasks/").content.decode()
    )
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert "我的导出" not in login.content.decode()

"""Excel/CSV import of an enterprise directory: validation, all-or-nothing, audit, limits, scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from anjian.audit import services as audit
from anjian.audit.models import AuditEntry
from anjian.registry import imports
from anjian.registry.imports import COLUMNS, parse_tags
from anjian.registry.models import Enterprise, EnterpriseTag, ImportJob, ImportStatus
from tests.conftest import client_for, make_uscc

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]
IMPORT_URL = "/registry/enterprises/import/"
API_URL = "/api/v1/registry/imports"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def row(serial: int, region: str = "320102", **values: Any) -> dict[str, Any]:
    base = {
        "统一社会信用代码": make_uscc(serial, region[:6]),
        "名称": f"测试单位{serial}有限公司",
        "法定代表人": "李四",
        "地址": f"玄武区某路{serial}号",
        "区划代码": region,
        "行业代码": "26",
        "从业人员数": 20,
        "营业收入（万元）": 500.5,
        "状态": "在营",
        "风险等级": "一般风险",
        "监管机构": "",
        "重点监管类别": "",
    }
    base.update(values)
    return base


def xlsx_file(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    headers: list[str] = HEADERS,
    name: str = "名录.xlsx",
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_bytes(rows: list[dict[str, Any]], encoding: str) -> bytes:
    lines = [",".join(HEADERS)]
    for values in rows:
        lines.append(",".join(str(values.get(h, "") or "") for h in HEADERS))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(client: Any, path: Path | None = None, *, name: str = "", content: bytes = b"") -> Any:
    data = path.read_bytes() if path is not None else content
    file = io.BytesIO(data)
    file.name = name or (path.name if path is not None else "upload.xlsx")
    return client.post(IMPORT_URL, {"file": file})


def report_rows(job: ImportJob) -> list[tuple[Any, ...]]:
    with job.error_report.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).worksheets[0]
        return list(sheet.iter_rows(values_only=True))


# ---------------------------------------------------------------------------------------------
# A valid file


def test_valid_import_creates_enterprises_tags_and_audit_entries(cast, tmp_path):
    path = xlsx_file(
        tmp_path,
        [
            row(101, 监管机构="玄武区应急管理局", 重点监管类别="危险化学品储存;重大危险源(2级)"),
            row(102, region="320102001", 监管机构="演示街道办事处", 风险等级="较大风险（橙）"),
            row(
                103,
                状态="suspended",
                风险等级="high",
                从业人员数=None,
                **{"营业收入（万元）": None},
            ),
        ],
    )
    before = Enterprise.objects.count()

    response = upload(client_for(cast.xuanwu), path)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/enterprises/import/{job.pk}/"
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.total_rows, job.processed_rows, job.created_rows, job.error_count) == (3, 3, 3, 0)
    assert job.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert job.agency == cast.agencies["xuanwu"]
    assert job.created_by == cast.xuanwu
    assert Enterprise.objects.count() == before + 3

    first = Enterprise.objects.get(uscc=make_uscc(101))
    assert first.name == "测试单位101有限公司"
    assert first.status == "operating"
    assert first.risk_grade == "moderate"
    assert first.employees == 20
    assert str(first.revenue) == "500.50"
    assert first.supervising_agency == cast.agencies["xuanwu"]
    assert (first.province_code, first.city_code, first.county_code) == (
        "320000",
        "320100",
        "320102",
    )
    assert sorted(first.tags.values_list("tag", "grade")) == [
        ("hazchem_storage", None),
        ("major_hazard_source", 2),
    ]
    second = Enterprise.objects.get(uscc=make_uscc(102))
    assert second.region.code == "320102001"
    assert second.risk_grade == "high"
    third = Enterprise.objects.get(uscc=make_uscc(103))
    assert (third.status, third.risk_grade, third.employees, third.supervising_agency) == (
        "suspended",
        "high",
        0,
        None,
    )

    summary = AuditEntry.objects.get(action="registry.import_enterprises")
    assert summary.actor_id == cast.xuanwu.pk
    assert summary.object_id == str(job.pk)
    assert summary.after == {
        "file_name": "名录.xlsx",
        "sha256": job.file_sha256,
        "rows": 3,
        "created": 3,
    }
    per_enterprise = AuditEntry.objects.filter(action="registry.import_enterprise")
    assert sorted(per_enterprise.values_list("object_id", flat=True)) == sorted(
        str(pk)
        for pk in Enterprise.objects.filter(
            uscc__in=[make_uscc(n) for n in (101, 102, 103)]
        ).values_list("pk", flat=True)
    )
    entry = per_enterprise.get(object_id=str(first.pk))
    assert entry.after["uscc"] == first.uscc
    assert entry.after["import_job_id"] == job.pk
    assert entry.after["import_row"] == 2
    assert entry.after["tags"][1]["grade"] == 2
    assert audit.verify_chain().ok


def test_job_page_shows_the_outcome_without_polling_once_finished(cast, tmp_path):
    client = client_for(cast.xuanwu)
    upload(client, xlsx_file(tmp_path, [row(104)]))
    job = ImportJob.objects.get()

    page = client.get(f"/registry/enterprises/import/{job.pk}/").content.decode()

    assert "导入成功" in page
    assert "已导入 1 个单位" in page
    assert "hx-trigger" not in page


def test_utf8_csv_with_bom_imports(cast):
    content = b"\xef\xbb\xbf" + csv_bytes([row(105), row(106, 风险等级="低风险")], "utf-8")

    upload(client_for(cast.xuanwu), name="名录.csv", content=content)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.created_rows == 2
    assert Enterprise.objects.filter(uscc__in=[make_uscc(105), make_uscc(106)]).count() == 2


def test_headers_in_any_order_with_half_width_parentheses_and_extra_columns(cast, tmp_path):
    headers = [
        "备注",
        "行业代码",
        "名称",
        "地址",
        "区划代码",
        "法定代表人",
        "统一社会信用代码",
        "营业收入(万元)",
    ]
    values = row(107)
    values["营业收入(万元)"] = 12
    values["备注"] = "不读取"

    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [values, {}], headers=headers))

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.message
    assert job.created_rows == 1  # the empty row is skipped
    assert str(Enterprise.objects.get(uscc=make_uscc(107)).revenue) == "12.00"


# ---------------------------------------------------------------------------------------------
# Bad rows: nothing saved, every problem reported


def test_one_bad_row_saves_nothing(cast, tmp_path):
    before = Enterprise.objects.count()
    path = xlsx_file(tmp_path, [row(110), row(111), row(112, 行业代码="X1"), row(113)])

    upload(client_for(cast.xuanwu), path)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 1
    assert Enterprise.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="registry.import_enterprise").exists()
    assert (
        job.message
        == "发现1处问题（涉及1行），未导入任何数据。请下载问题清单，修改后重新上传整个文件。"
    )


def test_error_report_lists_row_column_value_and_problem(cast, tmp_path):
    good = make_uscc(120)
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    registered = cast.enterprises["xuanwu"].uscc
    path = xlsx_file(
        tmp_path,
        [
            row(120),  # row 2: valid
            row(121, 统一社会信用代码="9132010200000000I1"),  # 3: malformed
            row(122, 统一社会信用代码=wrong_check),  # 4: wrong check digit
            row(123, 区划代码="329999"),  # 5: unknown region
            row(124, region="320106"),  # 6: another county
            row(125, 行业代码="X1"),  # 7: unknown industry
            row(126, 名称=""),  # 8: missing required field
            row(127, 统一社会信用代码=good),  # 9: duplicate in the file
            row(128, 统一社会信用代码=registered),  # 10: already registered
            row(129, 统一社会信用代码="91320102ABC"),  # 11: too short
            row(130, 状态="歇业", 重点监管类别="重大危险源"),  # 12: unknown status, no grade
            row(131, 监管机构="鼓楼区应急管理局"),  # 13: agency outside the jurisdiction
        ],
    )
    before = Enterprise.objects.count()

    upload(client_for(cast.xuanwu), path)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert Enterprise.objects.count() == before
    expected = [
        ("行号", "列", "值", "问题"),
        (
            3,
            "统一社会信用代码",
            "9132010200000000I1",
            "统一社会信用代码“9132010200000000I1”格式错误（含非法字符或登记管理部门代码无效）。",
        ),
        (4, "统一社会信用代码", wrong_check, f"统一社会信用代码“{wrong_check}”校验位错误。"),
        (5, "区划代码", "329999", "未知的行政区划代码“329999”。"),
        (6, "区划代码", "320106", "区划“鼓楼区（320106）”不在您的管辖范围内。"),
        (7, "行业代码", "X1", "未知的国民经济行业代码“X1”（GB/T 4754-2017，填大类及以下）。"),
        (8, "名称", None, "名称不能为空。"),
        (9, "统一社会信用代码", good, "与第2行的统一社会信用代码重复。"),
        (
            10,
            "统一社会信用代码",
            registered,
            f"统一社会信用代码“{registered}”已登记（系统中已有该单位）。",
        ),
        (11, "统一社会信用代码", "91320102ABC", "统一社会信用代码“91320102ABC”应为18位。"),
        (12, "状态", "歇业", "未知的状态“歇业”。"),
        (12, "重点监管类别", "重大危险源", "重大危险源须注明等级（一级至四级）。"),
        (
            13,
            "监管机构",
            "鼓楼区应急管理局",
            "监管机构“鼓楼区应急管理局”不存在、已停用或不在您的管辖范围内（请填写机构全称）。",
        ),
    ]
    assert report_rows(job) == expected
    assert job.error_count == 12
    assert job.errors_preview[0] == {
        "row": 3,
        "column": "统一社会信用代码",
        "value": "9132010200000000I1",
        "problem": "统一社会信用代码“9132010200000000I1”格式错误（含非法字符或登记管理部门代码无效）。",
    }
    assert (
        job.message
        == "发现12处问题（涉及11行），未导入任何数据。请下载问题清单，修改后重新上传整个文件。"
    )


def test_error_report_downloads_from_page_and_api(cast, tmp_path):
    client = client_for(cast.xuanwu)
    upload(client, xlsx_file(tmp_path, [row(140, 区划代码="329999")]))
    job = ImportJob.objects.get()

    page = client.get(f"/registry/enterprises/import/{job.pk}/")
    from_page = client.get(f"/registry/enterprises/import/{job.pk}/errors.xlsx")
    from_api = client.get(f"{API_URL}/{job.pk}/errors")

    assert "未知的行政区划代码“329999”。" in page.content.decode()
    for response in (from_page, from_api):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        assert [c.value for c in sheet[2]] == [
            2,
            "区划代码",
            "329999",
            "未知的行政区划代码“329999”。",
        ]


def test_supervising_agency_must_contain_the_region(cast, tmp_path):
    path = xlsx_file(tmp_path, [row(150, 监管机构="演示街道办事处")])  # county-level enterprise

    upload(client_for(cast.xuanwu), path)

    job = ImportJob.objects.get()
    assert job.errors_preview == [
        {
            "row": 2,
            "column": "监管机构",
            "value": "演示街道办事处",
            "problem": "演示街道办事处的辖区不包含该单位所在区划（属地管辖，行政处罚法第二十二条）。",
        }
    ]


def test_tag_cell_syntax():
    tags, problems = parse_tags(
        "危险化学品储存;重大危险源(2级)；黑名单(2024-01-01至2026-12-31:拒不整改，屡查屡犯)、涉氨制冷"
    )
    assert tags == [
        {"tag": "hazchem_storage"},
        {"tag": "major_hazard_source", "grade": 2},
        {
            "tag": "blacklist",
            "valid_from": dt.date(2024, 1, 1),
            "valid_to": dt.date(2026, 12, 31),
            "reason": "拒不整改，屡查屡犯",
        },
        {"tag": "ammonia_refrigeration"},
    ]
    assert problems == []
    assert parse_tags("重大危险源（三级）")[0] == [{"tag": "major_hazard_source", "grade": 3}]
    assert parse_tags("重大危险源(5级)")[1] == [
        "“重大危险源(5级)”：重大危险源等级应写作1级至4级，如“重大危险源(2级)”。"
    ]
    assert parse_tags("煤矿;煤矿")[1] == ["重点监管类别“煤矿”重复。"]
    assert parse_tags("飞机制造") == ([{"tag": "飞机制造"}], [])


# ---------------------------------------------------------------------------------------------
# Bad files: a clear message, never a 500, nothing saved


def test_gbk_csv_gets_a_message_on_how_to_save_as_utf8(cast):
    content = csv_bytes([row(160)], "gbk")
    client = client_for(cast.xuanwu)

    page = upload(client, name="名录.csv", content=content)
    api = client.post(API_URL, {"file": _named(content, "名录.csv")})

    assert page.status_code == 400
    text = page.content.decode()
    assert "文件看起来是GBK编码" in text
    assert "CSV UTF-8（逗号分隔）" in text
    assert api.status_code == 400
    assert api.json()["code"] == "csv_gbk_encoded"
    assert api.json()["message"] == imports.GBK_MESSAGE
    assert not ImportJob.objects.exists()


def test_gbk_bytes_after_the_first_64_kb_fail_the_job_with_the_same_advice(cast):
    content = csv_bytes([row(n) for n in range(300, 1300)], "utf-8")
    assert len(content) > imports.SNIFF_BYTES
    content += csv_bytes([row(1300, 名称="鼓楼化工有限公司")], "gbk").split(b"\r\n", 1)[1]

    response = upload(client_for(cast.xuanwu), name="名录.csv", content=content)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.FAILED
    assert job.message == imports.GBK_MESSAGE
    assert not Enterprise.objects.filter(uscc=make_uscc(300)).exists()


def test_oversize_upload_is_refused(cast, tmp_path, settings):
    settings.ANJIAN_MAX_UPLOAD_BYTES = 1024 * 1024
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([row(161)], "utf-8") + b"x" * (1024 * 1024))
    client = client_for(cast.xuanwu)

    page = upload(client, path)
    api = client.post(API_URL, {"file": _named(path.read_bytes(), "big.csv")})

    assert page.status_code == 400
    assert (
        "文件大小为1.0 MB，超过单次导入上限1.0 MB。请拆分为多个文件后分批导入。"
        in page.content.decode()
    )
    assert api.status_code == 413
    assert api.json()["code"] == "upload_too_large"
    assert not ImportJob.objects.exists()


def test_png_named_xlsx_is_refused(cast):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    client = client_for(cast.xuanwu)

    page = upload(client, name="名录.xlsx", content=png)
    api = client.post(API_URL, {"file": _named(png, "名录.xlsx")})

    assert page.status_code == 400
    assert "文件扩展名是.xlsx，但内容不是Excel工作簿" in page.content.decode()
    assert api.status_code == 415
    assert api.json()["code"] == "upload_not_xlsx"
    assert not ImportJob.objects.exists()


def test_other_file_types_are_refused(cast):
    client = client_for(cast.xuanwu)

    pdf = client.post(API_URL, {"file": _named(b"%PDF-1.7 ...", "名录.pdf")})
    xls = client.post(
        API_URL, {"file": _named(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "名录.xls")}
    )
    zip_named_xlsx = client.post(API_URL, {"file": _named(_zip_without_content_types(), "a.xlsx")})
    binary_csv = client.post(API_URL, {"file": _named(b"a,b\x00c", "a.csv")})
    utf16_csv = client.post(API_URL, {"file": _named("名称,地址".encode("utf-16"), "a.csv")})

    assert (pdf.status_code, pdf.json()["code"]) == (415, "upload_type")
    assert (xls.status_code, xls.json()["code"]) == (415, "upload_old_excel")
    assert (zip_named_xlsx.status_code, zip_named_xlsx.json()["code"]) == (415, "upload_not_xlsx")
    assert (binary_csv.status_code, binary_csv.json()["code"]) == (415, "upload_not_csv")
    assert (utf16_csv.status_code, utf16_csv.json()["code"]) == (400, "csv_utf16")
    assert not ImportJob.objects.exists()


def test_empty_file_and_file_without_data_rows(cast, tmp_path):
    client = client_for(cast.xuanwu)

    empty = upload(client, name="名录.xlsx", content=b"")
    upload(client, xlsx_file(tmp_path, []))

    assert empty.status_code == 400
    assert "上传的文件是空的（0字节）。" in empty.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.message == "文件中只有列标题，没有数据行。"


def test_missing_header_columns_are_named(cast, tmp_path):
    headers = [h for h in HEADERS if h not in {"地址", "行业代码"}]

    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(170)], headers=headers))

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.message == "缺少必填列：地址、行业代码。第1行应为列标题（请使用导入模板）。"
    assert Enterprise.objects.filter(uscc=make_uscc(170)).count() == 0


def test_more_rows_than_the_limit_are_refused(cast, tmp_path, settings):
    settings.ANJIAN_MAX_IMPORT_ROWS = 3

    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(n) for n in range(180, 184)]))

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.message == "文件的数据行超过单次导入上限3行。请拆分为多个文件后分批导入。"
    assert Enterprise.objects.filter(name__startswith="测试单位18").count() == 0


def test_damaged_workbook_fails_the_job_with_a_message(cast, tmp_path):
    path = xlsx_file(tmp_path, [row(185)])
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)

    upload(client_for(cast.xuanwu), damaged)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert (
        job.message == "读到第1行时文件内容损坏，无法继续读取。请在Excel中打开后另存为.xlsx再上传。"
    )
    assert not Enterprise.objects.filter(uscc=make_uscc(185)).exists()
    failed = AuditEntry.objects.get(action="registry.import_failed")
    assert (failed.object_id, failed.actor_id) == (str(job.pk), None)
    assert failed.after == {"file": "damaged.xlsx", "message": job.message}


# ---------------------------------------------------------------------------------------------
# Authorization and scope


def test_user_without_the_import_role_is_denied_and_nothing_is_created(cast, tmp_path):
    path = xlsx_file(tmp_path, [row(190)])
    viewer = client_for(cast.xuanwu_viewer)  # archivist: may view, may not import
    before = (Enterprise.objects.count(), AuditEntry.objects.count())

    assert viewer.get(IMPORT_URL).status_code == 403
    assert upload(viewer, path).status_code == 403
    api = viewer.post(API_URL, {"file": _named(path.read_bytes(), "名录.xlsx")})
    assert api.status_code == 403
    assert api.json()["code"] == "permission_denied"
    assert viewer.get("/registry/enterprises/import/template.xlsx").status_code == 403
    anonymous = client_for(None)
    assert anonymous.get(IMPORT_URL).status_code == 302
    assert (
        anonymous.post(API_URL, {"file": _named(path.read_bytes(), "名录.xlsx")}).status_code == 401
    )

    assert not ImportJob.objects.exists()
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == before


def test_jobs_are_visible_within_the_importers_jurisdiction_only(cast, tmp_path):
    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(191)]))
    job = ImportJob.objects.get()

    gulou = client_for(cast.gulou)
    province = client_for(cast.province)

    assert gulou.get(f"/registry/enterprises/import/{job.pk}/").status_code == 404
    assert gulou.get(f"/registry/enterprises/import/{job.pk}/progress/").status_code == 404
    assert gulou.get(f"{API_URL}/{job.pk}").status_code == 404
    assert gulou.get(f"{API_URL}/{job.pk}/errors").status_code == 404
    assert gulou.get(API_URL).json()["items"] == []
    assert "名录.xlsx" not in gulou.get(IMPORT_URL).content.decode()
    assert province.get(f"{API_URL}/{job.pk}").json()["status"] == "succeeded"
    assert "名录.xlsx" in client_for(cast.xuanwu).get(IMPORT_URL).content.decode()


def test_township_user_cannot_import_into_the_county(cast, tmp_path, django_user_model):
    from anjian.core.permissions import Role
    from tests.conftest import make_officer

    street_head = make_officer("street_head", cast.agencies["street"], [Role.SECTION_HEAD])
    path = xlsx_file(tmp_path, [row(192), row(193, region="320102001")])

    upload(client_for(street_head), path)

    job = ImportJob.objects.get()
    assert job.errors_preview == [
        {
            "row": 2,
            "column": "区划代码",
            "value": "320102",
            "problem": "区划“玄武区（320102）”不在您的管辖范围内。",
        }
    ]


# ---------------------------------------------------------------------------------------------
# API flow, progress, template


def test_api_upload_returns_the_job_and_its_status(cast, tmp_path):
    client = client_for(cast.xuanwu)
    path = xlsx_file(tmp_path, [row(200), row(201)])

    created = client.post(API_URL, {"file": _named(path.read_bytes(), "名录.xlsx")})

    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "succeeded"
    assert (body["total_rows"], body["processed_rows"], body["created_rows"]) == (2, 2, 2)
    assert body["percent"] == 100
    assert body["errors"] == []
    assert body["errors_url"] is None
    assert body["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    status = client.get(f"{API_URL}/{body['id']}").json()
    assert status["status_label"] == "导入成功"
    assert client.get(f"{API_URL}/{body['id']}/errors").status_code == 404


def test_progress_is_written_every_batch_with_a_conditional_update(cast, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen: list[tuple[str, int, int]] = []
    original = imports.RowValidator.validate

    def spy(self: Any, number: int, values: dict[str, str]) -> Any:
        job = ImportJob.objects.get()
        seen.append((job.status, job.processed_rows, job.total_rows))
        return original(self, number, values)

    monkeypatch.setattr(imports.RowValidator, "validate", spy)

    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(n) for n in range(210, 215)]))

    assert [processed for _, processed, _ in seen] == [0, 0, 2, 2, 4]
    assert {status for status, _, _ in seen} == {"validating"}
    job = ImportJob.objects.get()
    assert (job.status, job.processed_rows, job.total_rows) == ("succeeded", 5, 5)


def test_progress_partial_polls_until_the_job_is_finished(cast, tmp_path):
    client = client_for(cast.xuanwu)
    upload(client, xlsx_file(tmp_path, [row(220)]))
    job = ImportJob.objects.get()
    url = f"/registry/enterprises/import/{job.pk}/progress/"
    ImportJob.objects.filter(pk=job.pk).update(
        status="validating", processed_rows=1000, total_rows=4000
    )

    running = client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="succeeded")
    finished = client.get(url).content.decode()

    assert f'hx-get="{url}"' in running
    assert 'hx-trigger="every 1s"' in running
    assert 'max="4000" value="1000"' in running
    assert "已校验 1000 / 4000 行" in running
    assert "hx-trigger" not in finished


def test_a_claimed_job_is_not_run_twice(cast, tmp_path):
    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(230)]))
    job = ImportJob.objects.get()
    entries = AuditEntry.objects.count()

    imports.run_import(job.pk)

    assert AuditEntry.objects.count() == entries
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED


def test_a_worker_that_cannot_read_the_upload_fails_the_job_clearly(cast, tmp_path, monkeypatch):
    from anjian.registry import tasks

    class NotRun:
        def enqueue(self, job_id: int) -> None:
            pass

    monkeypatch.setattr(tasks, "run_import_task", NotRun())
    upload(client_for(cast.xuanwu), xlsx_file(tmp_path, [row(231)]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    job.file.storage.delete(job.file.name)

    imports.run_import(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message.startswith("后台任务读不到上传的文件")


def test_template_downloads_with_the_columns_and_imports_once_filled(cast, tmp_path):
    client = client_for(cast.xuanwu)

    response = client.get("/registry/enterprises/import/template.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["单位名录", "填写说明"]
    sheet = workbook["单位名录"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert [c.value for c in workbook["填写说明"]["A"][1:13]] == HEADERS
    values = row(240)
    sheet.append([values[h] for h in HEADERS])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    upload(client, path)

    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert Enterprise.objects.filter(uscc=make_uscc(240)).exists()


# ---------------------------------------------------------------------------------------------
# audit.record_many


def test_record_many_appends_a_verifiable_chain(db):
    from django.db import transaction

    with transaction.atomic():
        audit.record(actor=None, action="test.before", object_type="test", object_id=1)
    with transaction.atomic():
        count = audit.record_many(
            actor=None,
            entries=(
                audit.EntryInput(
                    action="test.many",
                    object_type="test",
                    object_id=n,
                    after={"n": n, "when": dt.date(2025, 1, 1)},
                )
                for n in range(2500)
            ),
        )
    with transaction.atomic():
        audit.record(actor=None, action="test.after", object_type="test", object_id=2)

    assert count == 2500
    assert list(AuditEntry.objects.values_list("sequence", flat=True)) == list(range(1, 2503))
    assert AuditEntry.objects.get(sequence=2).after == {"n": 0, "when": "2025-01-01"}
    result = audit.verify_chain()
    assert (result.ok, result.checked) == (True, 2502)


def test_tags_of_imported_enterprises_satisfy_the_database_constraints(cast, tmp_path):
    path = xlsx_file(tmp_path, [row(250, 重点监管类别="黑名单(2024-01-01:重大事故隐患拒不整改)")])

    upload(client_for(cast.xuanwu), path)

    tag = EnterpriseTag.objects.get(enterprise__uscc=make_uscc(250))
    assert (tag.tag, tag.valid_from, tag.valid_to, tag.reason) == (
        "blacklist",
        dt.date(2024, 1, 1),
        None,
        "重大事故隐患拒不整改",
    )


# ---------------------------------------------------------------------------------------------


def _named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def _zip_without_content_types() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()

"""Imports and exports speak Chinese whatever language the user's pages are in: the import accepts
the Chinese labels of the template, and exports and the template write them (choice labels are
marked for translation, so they are English on English pages)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anjian.registry.imports import COLUMNS
from anjian.registry.models import Enterprise, EnterpriseStatus, ImportJob, ImportStatus, RiskGrade
from tests.conftest import client_for, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _english(user: Any) -> Any:
    client = client_for(user)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    return client


def test_choice_labels_are_english_on_english_pages_and_chinese_by_default():
    with translation.override("en"):
        english = (str(EnterpriseStatus.SUSPENDED.label), str(RiskGrade.HIGH.label))
    with translation.override("zh-hans"):
        chinese = (str(EnterpriseStatus.SUSPENDED.label), str(RiskGrade.HIGH.label))

    assert english == ("Suspended", "High risk (orange)")
    assert chinese == ("停产停业", "较大风险（橙）")


def test_an_import_run_in_english_accepts_the_chinese_labels(cast, tmp_path):
    headers = [c.header for c in COLUMNS]
    values = {
        "统一社会信用代码": make_uscc(301),
        "名称": "英文界面导入有限公司",
        "法定代表人": "李四",
        "地址": "玄武区某路301号",
        "区划代码": "320102",
        "行业代码": "26",
        "从业人员数": 20,
        "营业收入（万元）": 10,
        "状态": "停产停业",
        "风险等级": "较大风险（橙）",
        "监管机构": "",
        "重点监管类别": "危险化学品储存;重大危险源(2级)",
    }
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([values.get(h) for h in headers])
    path = tmp_path / "名录.xlsx"
    workbook.save(path)
    file = io.BytesIO(path.read_bytes())
    file.name = "名录.xlsx"

    response = _english(cast.xuanwu).post("/registry/enterprises/import/", {"file": file})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_rows, job.error_count) == (ImportStatus.SUCCEEDED, 1, 0)
    enterprise = Enterprise.objects.get(uscc=make_uscc(301))
    assert (enterprise.status, enterprise.risk_grade) == ("suspended", "high")
    assert sorted(enterprise.tags.values_list("tag", flat=True)) == [
        "hazchem_storage",
        "major_hazard_source",
    ]


def test_exports_and_the_template_stay_chinese_on_english_pages(cast):
    client = _english(cast.xuanwu)

    export = client.get("/registry/enterprises/export.xlsx")
    template = client.get("/registry/enterprises/import/template.xlsx")

    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    xuanwu = next(r for r in rows if r[1] == "玄武化工有限公司")
    assert (xuanwu[10], xuanwu[11]) == ("在营", "低风险（蓝）")
    notes = load_workbook(io.BytesIO(b"".join(template.streaming_content))).worksheets[1]
    texts = {row[0]: row[2] for row in notes.iter_rows(values_only=True) if row and row[0]}
    assert texts["状态可填"] == "在营、停产停业、关闭、注销"
    assert texts["风险等级可填"] == "重大风险（红）、较大风险（橙）、一般风险（黄）、低风险（蓝）"

"""Export of the registry lists to .xlsx: scoped, filtered, capped, text stays text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from anjian.registry import exports, services
from anjian.registry.imports import COLUMNS
from tests.conftest import client_for, make_uscc

pytestmark = pytest.mark.django_db

PAGE_URL = "/registry/enterprises/export.xlsx"
API_URL = "/api/v1/registry/enterprises/export.xlsx"


def sheet_of(response: Any) -> Any:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]


def values(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def names(sheet: Any) -> set[str]:
    return {r[1] for r in values(sheet)[1:]}


def test_enterprise_export_contains_only_the_users_jurisdiction(cast):
    sheet = sheet_of(client_for(cast.xuanwu).get(PAGE_URL))

    rows = values(sheet)
    assert rows[0] == exports.ENTERPRISE_HEADERS
    assert names(sheet) == {"玄武化工有限公司", "演示街道仓储有限公司"}
    xuanwu = next(r for r in rows if r[1] == "玄武化工有限公司")
    assert xuanwu == [
        cast.enterprises["xuanwu"].uscc,
        "玄武化工有限公司",
        "张三",
        "玄武区某路1号",
        "320102",
        "玄武区",
        "26",
        "化学原料和化学制品制造业",
        50,
        1000,
        "在营",
        "低风险（蓝）",
        "玄武区应急管理局",
        None,
    ]


def test_township_and_province_see_their_own_scope(cast):
    assert names(sheet_of(client_for(cast.township).get(PAGE_URL))) == {"演示街道仓储有限公司"}
    assert names(sheet_of(client_for(cast.province).get(API_URL))) == {
        "玄武化工有限公司",
        "鼓楼化工有限公司",
        "演示街道仓储有限公司",
    }


def test_export_applies_the_list_filters(cast):
    client = client_for(cast.nanjing)

    by_keyword = sheet_of(client.get(PAGE_URL, {"q": "鼓楼"}))
    by_region = sheet_of(client.get(PAGE_URL, {"region_code": "320102001"}))
    by_agency = sheet_of(client.get(API_URL, {"supervising_agency_id": cast.agencies["gulou"].pk}))
    nothing = sheet_of(client.get(API_URL, {"status": "closed"}))

    assert names(by_keyword) == {"鼓楼化工有限公司"}
    assert names(by_region) == {"演示街道仓储有限公司"}
    assert names(by_agency) == {"鼓楼化工有限公司"}
    assert values(nothing) == [exports.ENTERPRISE_HEADERS]


def test_export_over_the_cap_goes_to_the_background_page_and_the_api_asks_to_narrow(cast, settings):
    settings.ANJIAN_MAX_EXPORT_ROWS = 1
    client = client_for(cast.xuanwu)

    page = client.get(PAGE_URL, {"status": "operating"})
    api = client.get(API_URL)
    narrowed = client.get(PAGE_URL, {"q": "玄武"})

    assert page.status_code == 302
    assert page["Location"] == "/registry/exports/new/?list=registry.enterprises&status=operating"
    followed = client.get(page["Location"]).content.decode()
    assert "开始后台导出" in followed
    assert api.status_code == 400
    assert api.json()["code"] == "export_too_large"
    assert names(sheet_of(narrowed)) == {"玄武化工有限公司"}


def test_tags_are_exported_in_the_import_syntax_and_text_is_never_a_formula(cast):
    import datetime as dt

    services.register_enterprise(
        actor=None,
        data=services.EnterpriseInput(
            uscc=make_uscc(900),
            name='=HYPERLINK("http://example.invalid","点我")',
            legal_representative="王五",
            address="玄武区\x07某路",
            region_code="320102",
            industry_code="26",
            tags=[
                {"tag": "major_hazard_source", "grade": 2},
                {
                    "tag": "blacklist",
                    "valid_from": dt.date(2024, 1, 1),
                    "valid_to": dt.date(2026, 12, 31),
                    "reason": "拒不整改",
                },
            ],
        ),
    )

    response = client_for(cast.xuanwu).get(PAGE_URL, {"q": make_uscc(900)})

    sheet = sheet_of(response)
    name_cell, address_cell, tags_cell = sheet["B2"], sheet["D2"], sheet["N2"]
    assert name_cell.data_type == "s"
    assert name_cell.value == '=HYPERLINK("http://example.invalid","点我")'
    assert address_cell.value == "玄武区某路"
    assert (
        tags_cell.value == "安全生产失信（黑名单）(2024-01-01至2026-12-31:拒不整改);重大危险源(2级)"
    )


def test_enterprise_export_can_be_read_back_by_the_import(cast):
    sheet = sheet_of(client_for(cast.xuanwu).get(PAGE_URL))

    import_headers = {c.header for c in COLUMNS}
    assert import_headers <= set(values(sheet)[0])


def test_agency_and_officer_exports_are_scoped(cast):
    client = client_for(cast.xuanwu)

    agencies = values(sheet_of(client.get("/registry/agencies/export.xlsx")))
    officers = values(sheet_of(client.get("/api/v1/registry/officers/export.xlsx")))
    api_agencies = values(sheet_of(client.get("/api/v1/registry/agencies/export.xlsx")))

    assert agencies[0] == exports.AGENCY_HEADERS
    assert [r[0] for r in agencies[1:]] == ["玄武区应急管理局", "演示街道办事处"]
    assert agencies == api_agencies
    assert agencies[1] == [
        "玄武区应急管理局",
        "苏宁玄",
        "县级",
        "应急管理部门",
        "320102",
        "玄武区",
        "南京市应急管理局",
        "是",
    ]
    assert officers[0] == exports.OFFICER_HEADERS
    assert sorted(r[0] for r in officers[1:]) == sorted(
        ["xuanwu_head", "xuanwu_archivist", "xuanwu_expired", "street_inspector"]
    )
    expired = next(r for r in officers if r[0] == "xuanwu_expired")
    assert expired[4:] == [None, None]
    head = next(r for r in officers if r[0] == "xuanwu_head")
    assert head[4] == "JS-xuanwu_head"


def test_export_requires_sign_in_and_a_role(cast, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-very-long-password")

    assert client_for(None).get(PAGE_URL).status_code == 302
    assert client_for(None).get(API_URL).status_code == 401
    assert client_for(stranger).get(PAGE_URL).status_code == 403
    assert client_for(stranger).get("/registry/officers/export.xlsx").status_code == 403
    api = client_for(stranger).get(API_URL)
    assert api.status_code == 403
    assert api.json()["code"] == "permission_denied"


def test_list_page_links_the_export_with_the_current_filters(cast):
    page = client_for(cast.xuanwu).get("/registry/enterprises/", {"q": "玄武"}).content.decode()

    assert 'href="/registry/enterprises/export.xlsx?q=%E7%8E%84%E6%AD%A6"' in page
    assert 'href="/registry/enterprises/import/"' in page
    viewer = client_for(cast.xuanwu_viewer).get("/registry/enterprises/").content.decode()
    assert "/registry/enterprises/import/" not in viewer

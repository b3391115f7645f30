"""The case list exports itself (?format=xlsx): the user's jurisdiction, the list's filters."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.cases.conftest import days_ago, propose
from tests.conftest import client_for


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_case_export_holds_the_jurisdictions_cases_with_the_lists_filters(team, cast):
    case = propose(team, on=days_ago(3))
    rows = sheet(client_for(team.lead).get("/cases/?format=xlsx"))
    assert rows[0] == [
        "案件编号",
        "案由",
        "当事人",
        "状态",
        "程序",
        "事故案件",
        "立案日期",
        "办案机构",
        "下一期限",
        "期限日期",
    ]
    assert [(r[1], r[2], r[4], r[7]) for r in rows[1:]] == [
        (case.title, case.party_name, "普通程序", team.agency.name)
    ]
    filtered = sheet(client_for(team.lead).get("/cases/?q=不存在的案由&format=xlsx"))
    assert filtered[1:] == []
    assert sheet(client_for(cast.gulou).get("/cases/?format=xlsx"))[1:] == []


def test_case_list_links_its_export(team):
    page = client_for(team.lead).get("/cases/?status=proposed").content.decode()
    assert "/cases/?status=proposed&amp;format=xlsx" in page

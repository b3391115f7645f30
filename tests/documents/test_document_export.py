"""The document list exports itself (?format=xlsx): the user's jurisdiction, the list's filters."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.conftest import client_for
from tests.documents.conftest import draft_for


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def test_document_export_is_scoped_and_filtered(cast, profile, subjects):
    draft = draft_for(cast)
    rows = sheet(client_for(cast.xuanwu).get("/documents/?format=xlsx"))
    assert rows[0] == ["文书", "文号", "摘要", "制作机关", "状态", "签发时间"]
    assert [(r[2], r[3], r[4]) for r in rows[1:]] == [(draft.title, draft.agency.name, "草稿")]
    assert sheet(client_for(cast.xuanwu).get("/documents/?status=issued&format=xlsx"))[1:] == []
    assert sheet(client_for(cast.gulou).get("/documents/?format=xlsx"))[1:] == []


def test_document_list_pages_keep_the_filters(cast, profile, subjects):
    page = client_for(cast.xuanwu).get("/documents/?status=draft").content.decode()
    assert "/documents/?status=draft&amp;format=xlsx" in page

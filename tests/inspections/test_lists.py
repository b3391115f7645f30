"""Issue 4: the record and order lists: filters, scope, drafts, export, bad filters, query count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from anjian.inspections import services
from anjian.inspections.models import Finding, Inspection, RectificationOrder
from tests.conftest import client_for, make_enterprise
from tests.inspections.conftest import filled

pytestmark = pytest.mark.django_db


def _submitted(team, enterprise, agency, item_list, *, kind="planned"):
    draft = services.start_inspection(
        actor=team.head, enterprise=enterprise, agency=agency, kind=kind, officers=team.officers
    )
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    return Inspection.objects.get(pk=draft.pk)


def test_the_record_list_shows_submitted_records_in_scope_with_their_order(
    cast, team, item_list, media
):
    record = _submitted(team, cast.enterprises["xuanwu"], cast.agencies["xuanwu"], item_list)
    order = RectificationOrder.objects.get(inspection=record)
    services.start_inspection(  # a draft of the head: not listed by default
        actor=team.head,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="special",
        officers=team.officers,
    )

    body = client_for(cast.xuanwu).get("/api/v1/inspections/records").json()
    page = client_for(cast.xuanwu).get("/inspections/records/").content.decode()
    other = client_for(cast.gulou).get("/api/v1/inspections/records").json()

    assert [row["number"] for row in body["items"]] == [record.number]
    row = body["items"][0]
    assert row["status"] == "submitted"
    assert row["kind_label"] == "计划检查"
    assert row["finding_count"] == 1
    assert row["order_id"] == order.pk
    assert row["order_number"] == order.number
    assert row["enterprise_name"] == cast.enterprises["xuanwu"].name
    assert record.number in page
    assert order.number in page
    assert other["items"] == []


def test_drafts_are_listed_only_to_their_author(cast, team, item_list, media):
    draft = services.start_inspection(
        actor=team.head,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="special",
        officers=team.officers,
    )

    mine = client_for(team.head).get("/api/v1/inspections/records?status=draft").json()
    theirs = client_for(team.second).get("/api/v1/inspections/records?status=draft").json()
    everything = client_for(team.second).get("/api/v1/inspections/records?status=all").json()

    assert [row["id"] for row in mine["items"]] == [draft.pk]
    assert theirs["items"] == []
    assert everything["items"] == []


def test_record_filters_kind_dates_keyword_and_mine(cast, team, item_list, media):
    xuanwu, agency = cast.enterprises["xuanwu"], cast.agencies["xuanwu"]
    other = make_enterprise("玄武精密机械厂", cast.regions["320102"], agency, cast.industry, 41)
    planned = _submitted(team, xuanwu, agency, item_list)
    special = _submitted(team, other, agency, item_list, kind="special")
    Inspection.objects.filter(pk=planned.pk).update(
        started_at=timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))
    )
    client = client_for(cast.xuanwu)

    def numbers(query):
        response = client.get("/api/v1/inspections/records" + query)
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.json()["items"]]

    assert numbers("?kind=special") == [special.number]
    assert numbers("?date_from=2026-03-01&date_to=2026-03-02") == [planned.number]
    assert numbers("?date_to=2026-03-01") == []
    assert numbers("?q=精密") == [special.number]
    assert numbers(f"?q={xuanwu.uscc.lower()}") == [planned.number]
    assert numbers(f"?q={special.number}") == [special.number]
    assert sorted(numbers("?mine=true")) == sorted([planned.number, special.number])
    assert (
        client_for(cast.xuanwu_viewer).get("/api/v1/inspections/records?mine=true").json()["items"]
        == []
    )


@pytest.mark.parametrize(
    ("query", "filter_name"),
    [
        ("?date_from=2026-02-30", "date_from"),
        ("?date_to=yesterday", "date_to"),
        ("?kind=raid", "kind"),
        ("?status=deleted", "status"),
        ("?date_from=2026-03-02&date_to=2026-03-01", "date_from"),
        ("?date_to=9999-12-31", "date_to"),
        ("?date_from=0001-01-01", "date_from"),
    ],
)
def test_a_bad_record_filter_is_named_on_the_api_and_the_page(cast, query, filter_name):
    client = client_for(cast.xuanwu)

    api = client.get("/api/v1/inspections/records" + query)
    page = client.get("/inspections/records/" + query)
    english = client.get("/inspections/records/" + query, HTTP_ACCEPT_LANGUAGE="en")

    assert api.status_code == 422
    assert api.json()["code"] == "bad_filter"
    assert api.json()["details"]["filter"] == filter_name
    assert api.json()["message_en"]
    assert page.status_code == 422
    assert 'class="errorlist" role="alert"' in page.content.decode()
    assert api.json()["message"] in page.content.decode()
    assert api.json()["message_en"] in english.content.decode()


def test_the_order_list_filters_overdue_status_and_scope(cast, team, item_list, media):
    xuanwu, agency = cast.enterprises["xuanwu"], cast.agencies["xuanwu"]
    late = RectificationOrder.objects.get(inspection=_submitted(team, xuanwu, agency, item_list))
    current = RectificationOrder.objects.get(inspection=_submitted(team, xuanwu, agency, item_list))
    Finding.objects.filter(order=late).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    client = client_for(cast.xuanwu)

    page = client.get("/inspections/orders/").content.decode()
    overdue = client.get("/inspections/orders/?overdue=1").content.decode()
    closed = client.get("/inspections/orders/?status=rectified").content.decode()

    assert late.number in page
    assert current.number in page
    assert page.count("已逾期</span>") == 1
    assert late.number in overdue
    assert current.number not in overdue
    assert late.number not in closed
    assert "没有符合条件的整改指令。" in closed
    assert late.number not in client_for(cast.gulou).get("/inspections/orders/").content.decode()


def test_the_exports_hold_the_rows_the_page_shows(cast, team, item_list, media):
    record = _submitted(team, cast.enterprises["xuanwu"], cast.agencies["xuanwu"], item_list)
    order = RectificationOrder.objects.get(inspection=record)
    client = client_for(cast.xuanwu)

    records = client.get("/inspections/records/?format=xlsx")
    orders = client.get("/inspections/orders/?format=xlsx&status=open")
    nothing = client.get("/inspections/orders/?format=xlsx&status=rectified")

    assert records.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(records.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("文书编号", "被检查单位", "统一社会信用代码", "检查方式")
    assert rows[1][0] == record.number
    assert rows[1][3] == "计划检查"
    assert rows[1][7] == 1
    assert rows[1][8] == order.number
    sheet = load_workbook(io.BytesIO(b"".join(orders.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [order.number]
    assert (
        len(list(load_workbook(io.BytesIO(b"".join(nothing.streaming_content))).active.iter_rows()))
        == 1
    )


def test_list_query_counts_do_not_grow_with_rows(cast, team, item_list, media):
    xuanwu, agency = cast.enterprises["xuanwu"], cast.agencies["xuanwu"]
    client = client_for(cast.xuanwu)
    urls = ["/inspections/records/", "/api/v1/inspections/records", "/inspections/orders/"]

    def counts():
        result = []
        for url in urls:
            client.get(url)  # the first request of a session remembers roles and scope
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    _submitted(team, xuanwu, agency, item_list)
    baseline = counts()
    for _ in range(3):
        _submitted(team, xuanwu, agency, item_list)

    assert counts() == baseline
    assert len(client.get("/api/v1/inspections/records").json()["items"]) == 4

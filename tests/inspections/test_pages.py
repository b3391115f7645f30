"""The field pages: my tasks, find an enterprise, record, submit (kept values on failure), orders."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.inspections import services
from anjian.inspections.models import Attachment, Finding, Inspection, RectificationOrder
from anjian.planning import services as planning_services
from tests.conftest import client_for, make_enterprise
from tests.inspections.conftest import filled, item, photo

pytestmark = pytest.mark.django_db


def form_for(draft, item_list, team, **extra):
    exits = item(item_list, "GEN-24")
    data = {
        "started_at": timezone.localtime(draft.started_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "一号车间",
        "officers": [str(o.pk) for o in team.officers],
        f"r-{item(item_list, 'GEN-02').pk}": "compliant",
        f"r-{exits.pk}": "finding",
        f"fd-{exits.pk}": "一号车间东侧安全出口被货物堵塞",
        f"fl-{exits.pk}": "东门",
        f"fh-{exits.pk}": "ordinary",
        f"fv-{exits.pk}": "WSL2021-105-02b",
        f"fm-{exits.pk}": "rectification",
        f"fdl-{exits.pk}": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        f"ph-{exits.pk}": photo(),
        "representative_name": "王经理",
        "acknowledgement": "refused",
        "refusal_note": "拒绝签字",
        "witness_name": "李四",
        "action": "save",
    }
    data.update(extra)
    return data


def test_saving_a_draft_from_the_page_keeps_everything_and_the_photo(team, draft, item_list):
    response = client_for(team.head).post(
        f"/inspections/records/{draft.pk}/record/", form_for(draft, item_list, team)
    )

    assert response.status_code == 302
    finding = Finding.objects.get(inspection=draft)
    assert finding.description == "一号车间东侧安全出口被货物堵塞"
    assert Attachment.objects.get().finding_id == finding.pk
    page = client_for(team.head).get(f"/inspections/records/{draft.pk}/record/").content.decode()
    assert "一号车间东侧安全出口被货物堵塞" in page
    assert f"/inspections/attachments/{Attachment.objects.get().pk}/" in page


def test_a_failed_submit_shows_the_legal_reason_and_keeps_every_value(team, draft, item_list):
    data = form_for(draft, item_list, team, action="submit", officers=[str(team.head.officer.pk)])

    response = client_for(team.head).post(f"/inspections/records/{draft.pk}/record/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "未能提交（草稿已保存）" in page
    assert "执法人员不得少于2人" in page
    assert "一号车间东侧安全出口被货物堵塞" in page
    assert 'value="东门"' in page
    assert 'value="王经理"' in page
    assert Inspection.objects.get(pk=draft.pk).status == "draft"
    assert Attachment.objects.count() == 1


def test_a_bad_photo_is_refused_with_a_message_and_the_rest_is_saved(team, draft, item_list):
    exits = item(item_list, "GEN-24")
    data = form_for(draft, item_list, team)
    data[f"ph-{exits.pk}"] = photo("doc.jpg", b"GIF89a not allowed", "image/jpeg")

    response = client_for(team.head).post(f"/inspections/records/{draft.pk}/record/", data)

    assert response.status_code == 400
    assert "不是 JPEG、PNG 或 WebP 格式的图片" in response.content.decode()
    assert Finding.objects.get(inspection=draft).description == "一号车间东侧安全出口被货物堵塞"
    assert not Attachment.objects.exists()


def test_submit_from_the_page_issues_the_order_and_shows_it(team, draft, item_list):
    data = form_for(draft, item_list, team, action="submit")

    response = client_for(team.head).post(f"/inspections/records/{draft.pk}/record/", data)

    assert response.status_code == 302
    record = Inspection.objects.get(pk=draft.pk)
    order = RectificationOrder.objects.get(inspection=record)
    detail = client_for(team.second).get(response["Location"]).content.decode()
    assert record.number in detail
    assert order.number in detail
    assert "法定复查期限未核实" in detail or "未核实" in detail
    order_page = client_for(team.second).get(f"/inspections/orders/{order.pk}/").content.decode()
    assert "整改复查" in order_page


def test_reinspection_from_the_page_before_the_deadline_needs_a_reason(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    order = RectificationOrder.objects.get(inspection=draft)
    finding = order.findings.get()
    data = {
        "performed_on": timezone.localdate().isoformat(),
        "officers": [str(o.pk) for o in team.officers],
        f"o-{finding.pk}": "rectified",
        f"on-{finding.pk}": "已清理",
    }

    refused = client_for(team.head).post(f"/inspections/orders/{order.pk}/", data)
    assert refused.status_code == 400
    assert "届满前复查，须写明理由" in refused.content.decode()
    assert "已清理" in refused.content.decode()

    data["early_reason"] = "单位申请提前复查"
    done = client_for(team.head).post(f"/inspections/orders/{order.pk}/", data)
    assert done.status_code == 302
    assert RectificationOrder.objects.get(pk=order.pk).status == "rectified"


def test_overdue_order_shows_on_my_tasks_and_on_the_section_heads_page(
    cast, team, draft, item_list
):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    order = RectificationOrder.objects.get(inspection=draft)
    past = timezone.localdate() - dt.timedelta(days=3)
    Finding.objects.filter(order=order).update(deadline=past)
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=past)

    mine = client_for(team.second).get("/inspections/").content.decode()
    head = client_for(cast.xuanwu).get("/inspections/supervision/").content.decode()

    assert order.number in mine
    assert "已逾期" in mine
    assert order.number in head
    assert client_for(team.second).get("/inspections/supervision/").status_code == 403
    assert (
        order.number not in client_for(cast.gulou).get("/inspections/supervision/").content.decode()
    )


def test_find_an_enterprise_by_name_or_credit_code_and_start(cast, team, item_list, media):
    enterprise = cast.enterprises["xuanwu"]
    by_name = client_for(team.head).get("/inspections/start/", {"q": "玄武化工"}).content.decode()
    by_code = client_for(team.head).get("/inspections/start/", {"q": enterprise.uscc[:10]})
    assert enterprise.name in by_name
    assert enterprise.name in by_code.content.decode()
    assert (
        "鼓楼化工"
        not in client_for(team.head).get("/inspections/start/", {"q": "化工"}).content.decode()
    )

    response = client_for(team.head).post(
        f"/inspections/start/{enterprise.pk}/", {"kind": "covert"}
    )
    record = Inspection.objects.get()
    assert response["Location"] == f"/inspections/records/{record.pk}/record/"
    assert record.kind == "covert"
    page = client_for(team.head).get(response["Location"]).content.decode()
    assert "HC-01" in page  # industry 26: hazardous chemicals items
    assert "COAL-01" not in page


def test_another_county_gets_404_everywhere(cast, team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    order = RectificationOrder.objects.get(inspection=draft)
    other = client_for(cast.gulou)
    for url in [
        f"/inspections/records/{draft.pk}/",
        f"/inspections/records/{draft.pk}/record/",
        f"/inspections/orders/{order.pk}/",
        f"/inspections/enterprises/{draft.enterprise_id}/",
        f"/api/v1/inspections/records/{draft.pk}",
        f"/api/v1/inspections/orders/{order.pk}",
        f"/api/v1/inspections/enterprises/{draft.enterprise_id}/history",
    ]:
        assert other.get(url).status_code == 404, url
    assert other.post(f"/inspections/start/{draft.enterprise_id}/").status_code == 404


def test_anonymous_is_sent_to_login_and_an_archivist_cannot_record(cast, draft):
    assert client_for(None).get("/inspections/").status_code == 302
    assert (
        client_for(cast.xuanwu_viewer).get(f"/inspections/records/{draft.pk}/record/").status_code
        == 403
    )
    assert (
        client_for(cast.xuanwu_viewer).get(f"/inspections/records/{draft.pk}/").status_code == 200
    )


def _count(client, url):
    """Queries of a warm request (the first one may fill per-user caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_my_tasks_query_count_does_not_grow_with_rows(
    cast, team, item_list, media, django_assert_num_queries
):
    client = client_for(team.second)
    enterprise = cast.enterprises["xuanwu"]

    def add_work(n):
        for _ in range(n):
            planning_services.create_task(
                actor=None,
                agency=cast.agencies["xuanwu"],
                enterprise=enterprise,
                month=timezone.localdate().replace(day=1),
                officers=team.officers,
            )
            draft = services.start_inspection(
                actor=team.second,
                enterprise=enterprise,
                agency=cast.agencies["xuanwu"],
                kind="planned",
                officers=team.officers,
            )
            services.save_draft(actor=team.second, inspection=draft, data=filled(item_list))
            other = services.start_inspection(
                actor=team.second,
                enterprise=enterprise,
                agency=cast.agencies["xuanwu"],
                kind="planned",
                officers=team.officers,
            )
            services.save_draft(actor=team.second, inspection=other, data=filled(item_list))
            services.submit_inspection(actor=team.second, inspection=other)

    add_work(1)
    baseline = _count(client, "/inspections/")
    api_baseline = _count(client, "/api/v1/inspections/my-tasks")
    add_work(4)
    page = client.get("/inspections/").content.decode()
    assert page.count("开始检查") == 5

    with django_assert_num_queries(baseline):
        page = client.get("/inspections/").content.decode()
    with django_assert_num_queries(api_baseline):
        body = client.get("/api/v1/inspections/my-tasks").json()
    # Five of each: tasks, drafts, and orders to re-inspect (the team's open orders).
    assert (len(body["tasks"]), len(body["drafts"]), len(body["orders"])) == (5, 5, 5)
    assert page.count("开始检查") == 5
    assert page.count("继续填写") == 5
    assert page.count(">复查</a>") == 5


def test_enterprise_history_query_count_does_not_grow_with_rows(
    cast, team, item_list, media, django_assert_num_queries
):
    client = client_for(team.head)
    enterprise = cast.enterprises["xuanwu"]

    def submit(n):
        for _ in range(n):
            draft = services.start_inspection(
                actor=team.head,
                enterprise=enterprise,
                agency=cast.agencies["xuanwu"],
                kind="random_draw",
                officers=team.officers,
            )
            services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
            services.submit_inspection(actor=team.head, inspection=draft)

    url = f"/inspections/enterprises/{enterprise.pk}/"
    api = f"/api/v1/inspections/enterprises/{enterprise.pk}/history"
    submit(1)
    baseline, api_baseline = _count(client, url), _count(client, api)
    submit(4)

    with django_assert_num_queries(baseline):
        page = client.get(url).content.decode()
    with django_assert_num_queries(api_baseline):
        body = client.get(api).json()
    assert len(re.findall(r"应急现记〔\d+〕\d+号", page)) == 5
    assert [row["finding_count"] for row in body["items"]] == [1, 1, 1, 1, 1]
    assert body["items"][0]["order_status"] == "open"


def test_history_of_an_enterprise_of_another_county(cast, team, item_list):
    gulou = make_enterprise(
        "鼓楼五金厂", cast.regions["320106"], cast.agencies["gulou"], cast.industry, 7
    )
    assert client_for(team.head).get(f"/inspections/enterprises/{gulou.pk}/").status_code == 404
    assert client_for(cast.gulou).get(f"/inspections/enterprises/{gulou.pk}/").status_code == 200


def test_every_page_renders(cast, team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    client = client_for(cast.xuanwu)
    for url in [
        "/inspections/",
        "/inspections/start/",
        f"/inspections/records/{draft.pk}/",
        f"/inspections/records/{draft.pk}/record/",
        "/inspections/supervision/",
        "/inspections/schemes/",
        "/inspections/schemes/new/",
        "/inspections/items/",
        f"/inspections/items/{item_list.pk}/",
        "/inspections/figures/",
    ]:
        assert client.get(url).status_code == 200, url

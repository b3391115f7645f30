"""The API a mobile terminal uses: items, my tasks, start, save draft, photo, submit, orders,
re-inspection, schemes, case proposals, figures; errors as JSON with the legal reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from anjian.inspections.models import CaseProposal, Finding, RectificationOrder
from anjian.planning import services as planning_services
from tests.conftest import client_for
from tests.inspections.conftest import item, photo

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inspections"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def record_body(item_list, team, **extra):
    exits = item(item_list, "GEN-24")
    body = {
        "place": "一号车间",
        "officer_ids": [o.pk for o in team.officers],
        "results": [
            {"item_id": item(item_list, "GEN-02").pk, "result": "compliant"},
            {"item_id": exits.pk, "result": "finding"},
        ],
        "findings": [
            {
                "item_id": exits.pk,
                "description": "安全出口被堵塞",
                "location": "东门",
                "violation_code": "WSL2021-105-02b",
                "measure": "rectification",
                "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            }
        ],
        "representative_name": "王经理",
        "acknowledgement": "refused",
        "refusal_note": "拒绝签字",
        "witness_name": "李四",
    }
    body.update(extra)
    return body


def test_items_are_filtered_by_the_enterprises_industry(cast, team, item_list):
    client = client_for(team.head)
    everything = client.get(f"{BASE}/items").json()
    applicable = client.get(
        f"{BASE}/items", {"enterprise_id": cast.enterprises["xuanwu"].pk}
    ).json()
    assert len(everything) == 79
    codes = {i["code"] for i in applicable}
    assert "HC-01" in codes
    assert "COAL-01" not in codes
    basis = next(i for i in applicable if i["code"] == "GEN-08")["basis"][0]
    assert basis["citation"] == "WSL:2021:28:1"
    assert basis["label"] == "《中华人民共和国安全生产法》（2021）第二十八条第一款"
    lists = client.get(f"{BASE}/item-lists").json()
    assert [(row["version"], row["status"], row["item_count"]) for row in lists] == [
        (1, "published", 79)
    ]


def test_the_whole_walk_through_the_api(cast, team, item_list, media):
    client = client_for(team.head)
    task = planning_services.create_task(
        actor=None,
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["xuanwu"],
        month=timezone.localdate().replace(day=1),
        officers=team.officers,
        due_date=timezone.localdate(),
    )
    tasks = client.get(f"{BASE}/my-tasks").json()
    assert [t["id"] for t in tasks["tasks"]] == [task.pk]

    started = post(client, f"{BASE}/records", {"task_id": task.pk})
    assert started.status_code == 201
    record = started.json()
    assert (record["status"], record["task_id"], sorted(record["officer_ids"])) == (
        "draft",
        task.pk,
        sorted(o.pk for o in team.officers),
    )

    saved = put(client, f"{BASE}/records/{record['id']}", record_body(item_list, team))
    assert saved.status_code == 200
    finding = saved.json()["findings"][0]
    assert finding["provision"] == "WSL:2021:42:2"

    uploaded = client.post(
        f"{BASE}/records/{record['id']}/attachments",
        {"file": photo(), "finding_id": finding["id"]},
    )
    assert uploaded.status_code == 201
    assert len(uploaded.json()["sha256"]) == 64
    assert client.get(uploaded.json()["url"]).status_code == 200

    submitted = post(client, f"{BASE}/records/{record['id']}/submit", {})
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["number"].startswith("（苏宁玄）应急现记〔")
    assert body["rectification_order_id"] is not None
    assert client.get(f"{BASE}/my-tasks").json()["tasks"] == []

    order_id = body["rectification_order_id"]
    order = client.get(f"{BASE}/orders/{order_id}").json()
    assert order["schedule"]["scheduled_on"] == order["deadline"]
    early = post(
        client,
        f"{BASE}/orders/{order_id}/reinspections",
        {
            "performed_on": timezone.localdate().isoformat(),
            "officer_ids": [o.pk for o in team.officers],
            "outcomes": [{"finding_id": finding["id"], "outcome": "not_rectified"}],
        },
    )
    assert early.status_code == 400
    assert early.json()["code"] == "reinspection_early_reason"

    past = timezone.localdate() - dt.timedelta(days=1)
    Finding.objects.filter(pk=finding["id"]).update(deadline=past)
    RectificationOrder.objects.filter(pk=order_id).update(
        deadline=past, issued_on=past - dt.timedelta(days=5)
    )
    overdue = client.get(f"{BASE}/orders", {"overdue": True}).json()
    assert [o["id"] for o in overdue] == [order_id]
    assert overdue[0]["is_overdue"] is True

    done = post(
        client,
        f"{BASE}/orders/{order_id}/reinspections",
        {
            "performed_on": timezone.localdate().isoformat(),
            "officer_ids": [o.pk for o in team.officers],
            "outcomes": [
                {"finding_id": finding["id"], "outcome": "not_rectified", "note": "未清理"}
            ],
        },
    )
    assert done.status_code == 201
    result = done.json()
    assert (result["outcome"], result["order_status"]) == ("not_rectified", "not_rectified")
    proposals = client.get(f"{BASE}/case-proposals").json()
    assert [p["id"] for p in proposals] == [result["case_proposal_id"]]
    assert proposals[0]["violation_codes"] == ["WSL2021-105-02b", "WSL2021-102"]
    assert CaseProposal.objects.get().status == "proposed"


def test_a_refused_submit_answers_the_legal_reason_and_keeps_the_draft(
    cast, team, draft, item_list
):
    client = client_for(team.head)
    put(
        client,
        f"{BASE}/records/{draft.pk}",
        record_body(item_list, team, officer_ids=[team.head.officer.pk]),
    )

    refused = post(client, f"{BASE}/records/{draft.pk}/submit", {})

    assert refused.status_code == 400
    assert refused.json()["code"] == "too_few_officers"
    assert "第四十二条" in refused.json()["message"]
    kept = client.get(f"{BASE}/records/{draft.pk}").json()
    assert kept["status"] == "draft"
    assert kept["findings"][0]["description"] == "安全出口被堵塞"


def test_an_unpublished_item_is_refused_by_the_api(team, draft, item_list):
    from anjian.inspections import services
    from anjian.inspections.itemlist import load_item_list

    stray = services.import_item_list(actor=None, data=load_item_list()).items.get(code="GEN-05")
    body = record_body(item_list, team)
    body["results"].append({"item_id": stray.pk, "result": "compliant"})

    refused = put(client_for(team.head), f"{BASE}/records/{draft.pk}", body)

    assert refused.status_code == 400
    assert refused.json()["code"] == "item_not_published"
    assert "清单之外无检查" in refused.json()["message"]


def test_a_bad_photo_is_refused_by_the_api_with_a_clear_message(team, draft, item_list):
    refused = client_for(team.head).post(
        f"{BASE}/records/{draft.pk}/attachments", {"file": photo("x.png", b"<svg></svg>")}
    )
    assert refused.status_code == 415
    assert refused.json()["code"] == "photo_type"
    assert "不是 JPEG、PNG 或 WebP" in refused.json()["message"]


def test_an_onsite_measure_through_the_api(team, draft, item_list):
    client = client_for(team.head)
    body = record_body(item_list, team)
    body["findings"][0]["hazard_level"] = "major"
    finding_id = put(client, f"{BASE}/records/{draft.pk}", body).json()["findings"][0]["id"]

    decided = post(
        client,
        f"{BASE}/records/{draft.pk}/measures",
        {"finding_id": finding_id, "kind": "withdraw_workers", "target": "一号车间"},
    )
    assert decided.status_code == 201
    assert "应急现决" in decided.json()["number"]
    lifted = post(
        client, f"{BASE}/measures/{decided.json()['id']}/lift", {"reason": "隐患已排除，经审查同意"}
    )
    assert lifted.json()["lifted_on"] == timezone.localdate().isoformat()


def test_schemes_through_the_api(cast, team, item_list):
    today = timezone.localdate()
    body = {
        "title": "粉尘涉爆企业专项检查方案",
        "kind": "special",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=20)).isoformat(),
        "selection": {"tag": "combustible_dust"},
        "item_ids": [item(item_list, "DUST-01").pk, item(item_list, "DUST-02").pk],
        "officer_ids": [o.pk for o in team.officers],
    }
    created = post(client_for(team.second), f"{BASE}/schemes", body)
    assert created.status_code == 201
    scheme_id = created.json()["id"]
    assert (
        post(client_for(team.second), f"{BASE}/schemes/{scheme_id}/submit", {}).json()["status"]
        == "submitted"
    )
    denied = post(
        client_for(team.second), f"{BASE}/schemes/{scheme_id}/decision", {"approve": True}
    )
    assert denied.status_code == 403
    approved = post(
        client_for(cast.xuanwu), f"{BASE}/schemes/{scheme_id}/decision", {"approve": True}
    )
    assert approved.json()["status"] == "approved"
    assert client_for(cast.gulou).get(f"{BASE}/schemes/{scheme_id}").status_code == 404


def test_figures_count_by_kind_item_domain_and_hazard(cast, team, draft, item_list):
    from anjian.inspections import services
    from tests.inspections.conftest import filled

    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)
    month = timezone.localtime(draft.started_at).strftime("%Y-%m")
    agency = cast.agencies["xuanwu"].pk

    figures = client_for(cast.xuanwu).get(f"{BASE}/figures").json()

    assert figures["inspections_by_kind"] == [
        {
            "agency_id": agency,
            "agency": "玄武区应急管理局",
            "month": month,
            "kind": "planned",
            "count": 1,
        }
    ]
    assert figures["findings_by_item"] == [
        {
            "agency_id": agency,
            "month": month,
            "item_code": "GEN-24",
            "item_title": "安全出口和疏散通道",
            "domain": "work_safety",
            "count": 1,
        }
    ]
    assert figures["findings_by_domain"] == [
        {"agency_id": agency, "month": month, "domain": "work_safety", "count": 1}
    ]
    hazards = figures["hazards"][0]
    assert (hazards["found"], hazards["open"], hazards["overdue"], hazards["rectified"]) == (
        1,
        1,
        0,
        0,
    )
    assert client_for(cast.gulou).get(f"{BASE}/figures").json()["inspections_by_kind"] == []
    assert client_for(team.second).get(f"{BASE}/figures").status_code == 403


def test_anonymous_gets_401_and_another_county_404(cast, draft):
    assert client_for(None).get(f"{BASE}/my-tasks").status_code == 401
    assert client_for(cast.gulou).get(f"{BASE}/records/{draft.pk}").status_code == 404
    assert put(client_for(cast.gulou), f"{BASE}/records/{draft.pk}", {}).status_code == 404
    assert post(client_for(cast.gulou), f"{BASE}/records/{draft.pk}/submit", {}).status_code == 404

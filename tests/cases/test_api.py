"""The case API: 409 with the allowed next steps, 422 with the legal range, 404 outside the scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from anjian.cases.models import Case, CaseStatus
from tests.cases.conftest import CODE, TODAY, days_ago, investigated, propose, propose_payload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


def test_create_case_through_the_api(team):
    client = client_for(team.lead)
    response = post(client, "/api/v1/cases", {"payload": propose_payload(team, on=days_ago(1))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed"
    assert body["version"] == 1
    assert body["violations"][0]["code"] == CODE
    assert [e["proven"] for e in body["violations"][0]["elements"]] == [False, False, False]


def test_illegal_transition_answers_409_with_the_allowed_next_steps(team):
    case = propose(team, on=days_ago(2))
    response = post(
        client_for(team.head), f"/api/v1/cases/{case.pk}/actions/decide", {"version": case.version}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert [s["action"] for s in body["details"]["allowed"]] == [
        "approve_filing",
        "refuse_filing",
        "add_party",
        "edit_party",
        "remove_party",
        "add_violation",
        "edit_violation",
        "remove_violation",
        "set_officers",
        "add_evidence",
        "link_evidence",
        "unlink_evidence",
        "transfer_to_agency",
        "resolve_flag",
    ]
    assert "立案审批：同意立案" in body["message"]


def test_stale_version_answers_409_and_nothing_changes(team):
    case = propose(team, on=days_ago(2))
    client = client_for(team.head)
    ok = post(
        client,
        f"/api/v1/cases/{case.pk}/actions/approve_filing",
        {"version": 1, "payload": {"on": days_ago(1)}},
    )
    assert ok.status_code == 200
    again = post(
        client, f"/api/v1/cases/{case.pk}/actions/refuse_filing", {"version": 1, "reason": "x"}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "stale_version"
    assert again.json()["details"]["current_version"] == 2
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_blocked_guard_answers_409_with_the_article_and_the_allowed_steps(team):
    case = propose(team, on=days_ago(2), officer_ids=[team.lead.officer.pk, team.second.officer.pk])
    from anjian.registry.models import Certificate

    Certificate.objects.filter(officer=team.second.officer).update(valid_to=days_ago(10))
    response = post(
        client_for(team.head),
        f"/api/v1/cases/{case.pk}/actions/approve_filing",
        {"version": 1, "payload": {"on": days_ago(1)}},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_two_certified_officers"
    assert "第四十二条" in body["message"]
    assert body["details"]["allowed"]


def test_amount_with_three_decimals_answers_422_with_the_range(team):
    case = investigated(team, filed=days_ago(10))
    violation = case.violations.get()
    response = post(
        client_for(team.lead),
        f"/api/v1/cases/{case.pk}/actions/propose_penalty",
        {
            "version": case.version,
            "payload": {
                "penalties": [{"violation_id": violation.pk, "kind": "fine", "amount": "100.005"}]
            },
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "amount_precision"
    assert "100000元以下" in body["message"]
    assert body["details"]["legal_max"] == "100000"


def test_amount_beyond_the_legal_range_answers_422_with_the_range(team):
    case = investigated(team, filed=days_ago(10))
    violation = case.violations.get()
    response = post(
        client_for(team.lead),
        f"/api/v1/cases/{case.pk}/actions/propose_penalty",
        {
            "version": case.version,
            "payload": {
                "penalties": [{"violation_id": violation.pk, "kind": "fine", "amount": "150000"}]
            },
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "amount_outside_legal_range"
    assert (
        response.json()["details"] == {"field": None, "legal_min": None, "legal_max": "100000"}
        or response.json()["details"]["legal_max"] == "100000"
    )


def test_future_date_answers_422(team):
    case = propose(team, on=days_ago(2))
    response = post(
        client_for(team.head),
        f"/api/v1/cases/{case.pk}/actions/approve_filing",
        {"version": 1, "payload": {"on": TODAY + dt.timedelta(days=3)}},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "date_in_future"


def test_other_county_gets_404_from_every_case_endpoint(team, cast):
    case = propose(team, on=days_ago(2))
    client = client_for(cast.gulou)
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/timeline").status_code == 404
    assert (
        post(client, f"/api/v1/cases/{case.pk}/actions/approve_filing", {"version": 1}).status_code
        == 404
    )
    assert client.get("/api/v1/cases").json()["items"] == []
    assert Case.objects.get(pk=case.pk).version == 1


def test_anonymous_gets_401(team):
    case = propose(team, on=days_ago(2))
    assert client_for(None).get(f"/api/v1/cases/{case.pk}").status_code == 401


def test_permission_is_checked_after_the_scope(team, cast):
    case = propose(team, on=days_ago(2))
    response = post(
        client_for(cast.xuanwu_viewer),
        f"/api/v1/cases/{case.pk}/actions/approve_filing",
        {"version": 1},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_case_detail_lists_each_step_with_why_it_is_blocked(team):
    case = investigated(team, filed=days_ago(10))
    body = client_for(team.lead).get(f"/api/v1/cases/{case.pk}").json()
    steps = {a["action"]: a for a in body["actions"]}
    assert steps["propose_penalty"]["possible"] is True
    notice = steps["serve_notice"]
    assert notice["possible"] is False
    assert notice["blocked_by"][0]["guard"] == "proposal_exists"
    assert body["guide"].startswith("审查调查结果")
    assert body["next_deadline"]["rule"] == "decision_after_filing"


def test_timeline_lists_every_event(team):
    case = investigated(team, filed=days_ago(10))
    events = client_for(team.lead).get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [e["action"] for e in events] == [
        "propose",
        "approve_filing",
        "add_evidence",
        "submit_investigation",
    ]
    assert events[1]["from_status"] == "proposed"
    assert events[1]["to_status"] == "investigating"
    assert "第五十四条" in events[1]["legal_basis"]


def test_transitions_table_is_published(team):
    rows = client_for(team.lead).get("/api/v1/cases/transitions").json()
    decide = next(r for r in rows if r["action"] == "decide")
    assert decide["from"] == "under_review"
    assert decide["to"] == "decided"
    assert "within_decision_deadline" in decide["guards"]
    assert decide["permission"] == "cases.decide"


def test_list_orders_by_next_deadline_and_filters_per_officer_and_agency(team):
    from tests.cases.conftest import act

    old = act(propose(team, on=days_ago(80)), "approve_filing", team.head, on=days_ago(80))
    new = act(propose(team, on=days_ago(5)), "approve_filing", team.head, on=days_ago(5))
    proposed = propose(team, on=days_ago(1))
    client = client_for(team.lead)
    items = client.get("/api/v1/cases").json()["items"]
    assert [i["id"] for i in items] == [old.pk, new.pk, proposed.pk]
    assert items[0]["next_deadline"]["days_left"] == (old.next_deadline_on - TODAY).days
    assert items[2]["next_deadline"]["due_on"] is None
    mine = client.get(f"/api/v1/cases?officer_id={team.second.officer.pk}").json()["items"]
    assert len(mine) == 3
    assert (
        client.get(f"/api/v1/cases?agency_id={team.agency.pk}").json()["items"][0]["id"] == old.pk
    )
    by_officer = {r["name"]: r for r in client.get("/api/v1/cases/deadlines/by-officer").json()}
    assert by_officer["xw_inspector2"]["open_cases"] == 3
    by_agency = client.get("/api/v1/cases/deadlines/by-agency").json()
    assert by_agency[0]["open_cases"] == 3


def test_the_list_costs_the_same_queries_for_3_or_6_cases(team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(team.lead)

    def count() -> int:
        client.get("/api/v1/cases")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/cases").status_code == 200
            assert client.get("/cases/").status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        propose(team, on=days_ago(1))
    few = count()
    for _ in range(3):
        propose(team, on=days_ago(1))
    assert count() == few

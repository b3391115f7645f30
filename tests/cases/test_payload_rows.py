"""Lists of rows in a payload (parties, violations, penalties, proofs, instalments, …) must hold
objects: a string or a number where a row's fields are read is refused with a 422 naming the row,
in Chinese and English, and nothing is saved (it was a 500)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from anjian.cases.models import Case, CaseEvent
from anjian.evidence.models import Evidence
from tests.cases.conftest import TODAY, days_ago, executing, investigated, propose_payload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


@pytest.mark.parametrize(
    ("key", "value", "field", "message"),
    [
        ("parties", ["玄武化工有限公司"], "parties[0]", "当事人第1项应为一个含各字段的对象"),
        ("parties", [7], "parties[0]", "不能是数字“7”"),
        ("violations", [{"party": 0}, "WSL2021-097-01a"], "violations[1]", "违法行为第2项"),
        ("parties", "玄武化工有限公司", "parties", "当事人应为列表"),
    ],
)
def test_filing_with_rows_that_are_not_objects_is_refused(team, key, value, field, message):
    payload = propose_payload(team, on=days_ago(1))
    payload[key] = value

    response = post(client_for(team.lead), "/api/v1/cases", {"payload": payload})

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] in {"invalid_row", "invalid_rows"}
    assert body["details"] == {"field": field}
    assert message in body["message"]
    assert body["message_en"].startswith(field)
    assert Case.objects.count() == 0


def test_a_penalty_proposal_of_numbers_is_refused(team):
    case = investigated(team, filed=days_ago(20))

    response = post(
        client_for(team.lead),
        f"/api/v1/cases/{case.pk}/actions/propose_penalty",
        {"version": case.version, "payload": {"on": days_ago(1), "penalties": [20000]}},
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_row"
    assert body["message"] == "处罚建议第1项应为一个含各字段的对象，不能是数字“20000”。"
    assert body["message_en"] == "penalties[0] must be an object with its fields, not int."
    case.refresh_from_db()
    assert case.penalties.count() == 0
    assert case.version == case.events.count()


def test_evidence_proofs_of_strings_are_refused_and_no_evidence_is_saved(team):
    case = investigated(team, filed=days_ago(20))
    violation = case.violations.get()
    version = case.version

    response = post(
        client_for(team.lead),
        f"/api/v1/cases/{case.pk}/actions/add_evidence",
        {
            "version": version,
            "payload": {
                "kind": "inspection_record",
                "title": "现场检查笔录",
                "collected_at": f"{days_ago(2)}T10:00",
                "place": "厂区",
                "source": "现场检查",
                "method": "site_inspection",
                "collector_ids": [team.lead.officer.pk, team.second.officer.pk],
                "proofs": [f"{violation.pk}:0"],
            },
        },
    )

    assert response.status_code == 422, response.content
    assert response.json()["details"] == {"field": "proofs[0]"}
    assert Evidence.objects.count() == 1  # the one proved before, none added
    case.refresh_from_db()
    assert case.version == version


def test_an_instalment_schedule_of_strings_is_refused(team):
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(10))

    response = post(
        client_for(team.head),
        f"/api/v1/cases/{case.pk}/actions/approve_instalments",
        {
            "version": case.version,
            "reason": "经济困难",
            "payload": {"schedule": [str(TODAY + dt.timedelta(days=30)), "10000"]},
        },
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_row"
    assert body["details"] == {"field": "schedule[0]"}
    assert CaseEvent.objects.filter(case=case, action="approve_instalments").count() == 0


def test_circumstances_that_are_a_number_are_refused(team):
    payload = propose_payload(team, on=days_ago(1))
    payload["violations"][0]["circumstances"] = 5

    response = post(client_for(team.lead), "/api/v1/cases", {"payload": payload})

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_circumstances"
    assert body["details"] == {"field": "violations[0].circumstances"}
    assert Case.objects.count() == 0

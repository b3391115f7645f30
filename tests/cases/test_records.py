"""Written records of a case (询问笔录, 勘验笔录, …): kept through the services, the API and the
tablet page; bad input is refused field by field and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.cases import services
from anjian.cases.models import CaseRecord
from anjian.core.errors import DomainError
from tests.cases.conftest import act, days_ago, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int) -> str:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _inquiry(team) -> dict:
    return {
        "started_at": _at(2, 9),
        "ended_at": _at(2, 10),
        "place": "区应急管理局询问室",
        "interviewee_name": "王某某",
        "interviewee_gender": "男",
        "interviewee_id_number": "320102197401010011",
        "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
        "recorder": "记录员",
        "qa": "问：你是否申请回避？\n答：不申请。\n问：培训记录在哪里？\n答：没有记录。",
    }


@pytest.fixture
def filed(team):
    return act(propose(team, on=days_ago(5)), "approve_filing", team.head, on=days_ago(5))


def test_an_inquiry_record_keeps_questions_answers_and_the_officers_certificates(team, filed):
    record = services.add_record(
        actor=team.lead, case=filed, kind="inquiry", content=_inquiry(team)
    )
    assert record.content["qa"] == [
        {"q": "你是否申请回避？", "a": "不申请。"},
        {"q": "培训记录在哪里？", "a": "没有记录。"},
    ]
    assert [o["name"] for o in record.content["officer_ids"]] == [
        team.lead.officer.name,
        team.second.officer.name,
    ]
    assert all(o["certificate"] for o in record.content["officer_ids"])
    assert AuditEntry.objects.filter(action="cases.add_record").count() == 1


def test_bad_input_names_every_field_in_chinese_and_english_and_saves_nothing(team, filed):
    content = _inquiry(team)
    content.update(
        ended_at=_at(3, 9),  # before the start
        interviewee_gender="未知",
        officer_ids=[team.lead.officer.pk],
        qa="答：没有问题的回答",
        unknown_field="x",
    )
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        services.add_record(actor=team.lead, case=filed, kind="inquiry", content=content)
    assert error.value.status == 422
    assert error.value.code == "invalid_record"
    fields = [d["field"] for d in error.value.details]
    assert fields == ["interviewee_gender", "officer_ids", "qa", "unknown_field", "ended_at"]
    assert "结束时间不能早于开始时间" in error.value.message
    assert "询问人不得少于2人" in error.value.message
    assert error.value.message_en.startswith("The inquiry record is invalid")
    assert CaseRecord.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_the_api_refuses_an_unknown_kind_with_a_422_not_a_500(team, filed):
    client = client_for(team.lead)
    response = client.post(
        f"/api/v1/cases/{filed.pk}/records",
        {"kind": "gossip", "content": {}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_record_kind"
    assert response.json()["message_en"].startswith("Unknown record kind")
    response = client.post(
        f"/api/v1/cases/{filed.pk}/records",
        {"kind": "inquiry", "content": {"started_at": "not a time", "qa": 12}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "询问开始时间格式无效" in response.json()["message"]
    assert CaseRecord.objects.count() == 0


def test_the_api_keeps_and_revises_a_record_and_offers_its_document(team, filed):
    client = client_for(team.lead)
    created = client.post(
        f"/api/v1/cases/{filed.pk}/records",
        {"kind": "inquiry", "content": _inquiry(team)},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["document_type"], body["subject_type"]) == (
        "inquiry_record",
        "cases.record.inquiry",
    )
    revised = _inquiry(team) | {"place": "企业会议室"}
    response = client.post(
        f"/api/v1/cases/records/{body['id']}", {"content": revised}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["place"] == "企业会议室"
    draft = client.post(
        "/api/v1/documents",
        {
            "type_id": "inquiry_record",
            "subject_type": "cases.record.inquiry",
            "subject_id": str(body["id"]),
        },
        content_type="application/json",
    )
    assert draft.status_code == 201


def test_the_tablet_form_saves_a_survey_and_shows_errors_next_to_the_fields(team, filed):
    client = client_for(team.lead)
    url = f"/cases/{filed.pk}/records/new/survey/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.content.decode()
    refused = client.post(url, {"weather": "晴"})
    assert refused.status_code == 422
    assert "请填写勘验情况" in refused.content.decode()
    assert CaseRecord.objects.count() == 0
    response = client.post(
        url,
        {
            "started_at": timezone.localtime().strftime("%Y-%m-%dT08:00"),
            "ended_at": timezone.localtime().strftime("%Y-%m-%dT08:30"),
            "place": "储罐区",
            "weather": "晴",
            "officer_ids": [str(team.lead.officer.pk), str(team.second.officer.pk)],
            "present_name": "王某某",
            "recorder": "记录员",
            "observations": "现场有储罐4座。",
        },
    )
    record = CaseRecord.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/records/{record.pk}/"
    assert "现场有储罐4座" in client.get(response.headers["Location"]).content.decode()


def test_a_written_record_is_on_the_case_timeline_with_its_own_event(team, filed):
    version = filed.version
    record = services.add_record(
        actor=team.lead, case=filed, kind="inquiry", content=_inquiry(team)
    )
    services.revise_record(
        actor=team.lead, record=record, content={**_inquiry(team), "recorder": "李某"}
    )

    case = type(filed).objects.get(pk=filed.pk)
    assert case.version == version + 2
    assert case.events.count() == case.version
    added, revised = case.events.order_by("sequence")[version:]
    assert (added.action, revised.action) == ("add_record", "revise_record")
    assert added.payload == {
        "record_id": record.pk,
        "record_kind": "inquiry",
        "record_label": "询问笔录",
    }
    assert (added.from_status, added.to_status) == (case.status, case.status)
    assert added.occurred_on == days_ago(2)
    assert "第五十五条" in added.legal_basis
    assert AuditEntry.objects.get(action="cases.add_record").after["event"] == added.pk
    timeline = client_for(team.lead).get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [e["action"] for e in timeline[-2:]] == ["add_record", "revise_record"]
    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert f'制作笔录「<a href="/cases/records/{record.pk}/">询问笔录</a>」' in page


def test_an_act_on_a_page_loaded_before_a_record_was_written_is_told_to_reload(team, filed):
    seen = filed.version
    services.add_record(actor=team.lead, case=filed, kind="inquiry", content=_inquiry(team))

    with pytest.raises(DomainError) as error:
        services.perform(
            case=filed,
            action="submit_investigation",
            actor=team.lead,
            version=seen,
            payload={"on": days_ago(1).isoformat()},
        )

    assert error.value.code == "stale_version"

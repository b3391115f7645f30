"""A person party's particulars (性别, 身份证号, 工作单位, 职务, 联系电话, 住址): checked on entry
(422 in Chinese and English, nothing saved), kept on the party, shown by the API and the page, and
printed on the 行政处罚决定书（个人）."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from anjian.cases.models import Case, CaseParty
from tests.cases.conftest import CODE, Team, days_ago, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ID_MALE = "320102197503150030"  # born 1975-03-15, 17th digit 3: male
ID_FEMALE = "11010519491231002X"  # born 1949-12-31, 17th digit 2: female (GB 11643 example)


def person(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "person",
        "role": "principal_person",
        "name": "周某某",
        "gender": "male",
        "id_number": ID_MALE,
        "employer": "玄武化工有限公司",
        "job_title": "总经理",
        "phone": "025-84000002",
        "address": "南京市玄武区示例小区1幢101室",
        **extra,
    }


def person_payload(team: Team, party: dict[str, Any], on: dt.date) -> dict[str, Any]:
    return {
        "parties": [party],
        "violations": [
            {
                "party": 0,
                "violation_code": "WSL2021-094",
                "act_date": on - dt.timedelta(days=3),
                "facts": "未组织制定并实施本单位安全生产教育和培训计划。",
            }
        ],
        "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
        "source_kind": "inspection_finding",
        "discovered_on": on,
        "on": on,
    }


def create(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/cases",
        data=json.dumps({"payload": body}, default=str),
        content_type="application/json",
    )


def test_a_person_party_keeps_its_particulars_and_the_api_shows_them(team):
    response = create(client_for(team.lead), person_payload(team, person(), days_ago(2)))

    assert response.status_code == 201, response.content
    party = response.json()["parties"][0]
    assert {k: party[k] for k in party if k not in {"id", "enterprise_id"}} == {
        "kind": "person",
        "role": "principal_person",
        "name": "周某某",
        "gender": "male",
        "id_number": ID_MALE,
        "employer": "玄武化工有限公司",
        "job_title": "总经理",
        "phone": "025-84000002",
        "address": "南京市玄武区示例小区1幢101室",
    }


@pytest.mark.parametrize(
    ("changes", "code", "message", "field"),
    [
        (
            {"id_number": "320102197503150031"},
            "invalid_id_number",
            "身份证号“320102197503150031”校验位错误，请核对。",
            "id_number",
        ),
        (
            {"id_number": "32010219750315003"},
            "invalid_id_number",
            "身份证号“32010219750315003”应为18位（第一代15位身份证已停止使用）。",
            "id_number",
        ),
        (
            {"id_number": "320102197502300033"},
            "invalid_id_number",
            "身份证号“320102197502300033”中的出生日期无效，请核对。",
            "id_number",
        ),
        (
            {"gender": "female"},
            "gender_contradicts_id_number",
            "性别“女”与身份证号“320102197503150030”不符（第十七位为奇数，应为男），请核对。",
            "gender",
        ),
        ({"gender": "unknown"}, "invalid_gender", "性别“unknown”无效，应为男或女。", "gender"),
        (
            {"phone": "call me"},
            "invalid_phone",
            "联系电话“call me”格式不正确（只能包含数字、空格、+、-、括号，分机号写作“转123”）。",
            "phone",
        ),
    ],
)
def test_bad_particulars_answer_422_in_chinese_and_english_and_save_nothing(
    team, changes, code, message, field
):
    response = create(client_for(team.lead), person_payload(team, person(**changes), days_ago(2)))

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["message"] == message
    assert body["message_en"] != ""
    assert body["details"]["field"] == field
    assert Case.objects.count() == 0
    assert CaseParty.objects.count() == 0


def test_the_sex_is_read_from_the_identity_number_when_none_is_entered(team):
    party = person(gender="", id_number=ID_FEMALE.lower(), name="王某某")
    response = create(client_for(team.lead), person_payload(team, party, days_ago(2)))

    assert response.status_code == 201, response.content
    assert CaseParty.objects.get().gender == "female"
    assert CaseParty.objects.get().id_number == ID_FEMALE


def test_another_certificate_number_is_kept_as_given(team):
    party = person(gender="female", id_number="E12345678")
    response = create(client_for(team.lead), person_payload(team, party, days_ago(2)))

    assert response.status_code == 201, response.content
    assert CaseParty.objects.get().id_number == "E12345678"


def test_a_unit_party_takes_no_sex_employer_or_job_title(team):
    unit = {"kind": "unit", "role": "unit", "enterprise_id": team.enterprise.pk, "gender": "男"}
    payload = person_payload(team, unit, days_ago(2))
    payload["violations"][0]["violation_code"] = CODE
    response = create(client_for(team.lead), payload)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_party"
    assert Case.objects.count() == 0


def test_add_party_checks_the_identity_number_and_keeps_the_particulars(team):
    case = propose(team, on=days_ago(2))
    client = client_for(team.lead)
    url = f"/api/v1/cases/{case.pk}/actions/add_party"

    refused = client.post(
        url,
        data=json.dumps(
            {"version": case.version, "payload": person(id_number="320102197503150031")}
        ),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_id_number"
    assert case.parties.count() == 1

    added = client.post(
        url,
        data=json.dumps({"version": case.version, "payload": person(gender="男")}),
        content_type="application/json",
    )
    assert added.status_code == 200, added.content
    party = case.parties.get(kind="person")
    assert (party.gender, party.employer, party.job_title, party.phone) == (
        "male",
        "玄武化工有限公司",
        "总经理",
        "025-84000002",
    )


def test_the_new_case_page_refuses_a_wrong_check_digit_in_chinese_and_saves_nothing(team):
    client = client_for(team.lead)
    response = client.post(
        "/cases/new/",
        {
            "person_name": "周某某",
            "person_role": "principal_person",
            "person_gender": "male",
            "person_id_number": "320102197503150031",
            "person_address": "南京市玄武区示例小区1幢101室",
            "violation_code": "WSL2021-094",
            "act_date": days_ago(5).isoformat(),
            "facts": "未组织制定并实施本单位安全生产教育和培训计划。",
            "discovered_on": days_ago(2).isoformat(),
            "on": days_ago(2).isoformat(),
            "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
        },
    )

    assert response.status_code == 422
    assert "身份证号“320102197503150031”校验位错误，请核对。" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_new_case_page_keeps_a_person_party_with_its_particulars(team):
    client = client_for(team.lead)
    response = client.post(
        "/cases/new/",
        {
            "person_name": "周某某",
            "person_role": "principal_person",
            "person_gender": "male",
            "person_id_number": ID_MALE,
            "person_employer": "玄武化工有限公司",
            "person_job_title": "总经理",
            "person_phone": "13900000000",
            "person_address": "南京市玄武区示例小区1幢101室",
            "violation_code": "WSL2021-094",
            "act_date": days_ago(5).isoformat(),
            "facts": "未组织制定并实施本单位安全生产教育和培训计划。",
            "discovered_on": days_ago(2).isoformat(),
            "on": days_ago(2).isoformat(),
            "officer_ids": [team.lead.officer.pk, team.second.officer.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    party = CaseParty.objects.get()
    assert (party.name, party.gender, party.id_number, party.phone, party.address) == (
        "周某某",
        "male",
        ID_MALE,
        "13900000000",
        "南京市玄武区示例小区1幢101室",
    )
    page = client.get(response["Location"]).content.decode()
    assert f"周某某，男，证件号码 {ID_MALE}，玄武化工有限公司总经理" in page


def test_the_individual_decision_context_is_built_from_the_party_record(team):
    from anjian.cases.documents import decision_context

    case = Case.objects.get(
        pk=create(client_for(team.lead), person_payload(team, person(), days_ago(2))).json()["id"]
    )
    case.decided_on = dt.date(2026, 3, 14)  # the day before the 51st birthday

    assert decision_context(case)["party"] == {
        "kind": "individual",
        "name": "周某某",
        "gender": "男",
        "id_number": ID_MALE,
        "age": "50",
        "employer": "玄武化工有限公司",
        "position": "总经理",
        "phone": "025-84000002",
        "address": "南京市玄武区示例小区1幢101室",
    }

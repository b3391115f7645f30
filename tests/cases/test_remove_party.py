"""Removing a party entered by mistake (``remove_party``): on an open case before the decision,
through the case page and the API, with a reason, as an event and an audit entry; refused with its
reason once the case is decided, for the only party, and for a party with violations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from anjian.audit.models import AuditEntry
from anjian.cases.models import Case, CaseEvent, CaseParty, PartyKind
from tests.cases.conftest import act, days_ago, decided, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REASON = "立案时误将现场陪同人员录为当事人"


def two_parties(team: Any, *, filed: bool = True) -> Case:
    """A unit (the violation's party) and a person entered by mistake."""
    case = propose(
        team,
        on=days_ago(5),
        parties=[
            {"kind": "unit", "role": "unit", "enterprise_id": team.enterprise.pk},
            {"kind": "person", "role": "principal_person", "name": "周某某"},
        ],
    )
    return act(case, "approve_filing", team.head, on=days_ago(5)) if filed else case


def api(user: Any, case: Case, payload: dict[str, Any], reason: str = REASON) -> Any:
    return client_for(user).post(
        f"/api/v1/cases/{case.pk}/actions/remove_party",
        data=json.dumps({"version": case.version, "reason": reason, "payload": payload}),
        content_type="application/json",
    )


def test_a_mistaken_party_is_removed_on_the_case_page_with_its_reason_on_record(team):
    case = two_parties(team)
    person = case.parties.get(kind=PartyKind.PERSON)
    assert case.party_name == "玄武化工有限公司、周某某"

    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="step-remove_party"' in page
    response = client_for(team.lead).post(
        f"/cases/{case.pk}/act/remove_party/",
        {"version": case.version, "party_id": person.pk, "reason": REASON},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert list(case.parties.values_list("name", flat=True)) == ["玄武化工有限公司"]
    assert case.party_name == "玄武化工有限公司"
    assert case.enterprise_id == team.enterprise.pk
    event = case.events.get(action="remove_party")
    assert event.reason == REASON
    assert event.payload["removed"]["name"] == "周某某"
    assert event.payload["removed"]["party"] == person.pk
    entry = AuditEntry.objects.get(action="cases.remove_party")
    assert entry.after["reason"] == REASON
    assert entry.after["payload"]["removed"]["name"] == "周某某"


def test_a_mistaken_party_is_removed_through_the_api(team):
    case = two_parties(team, filed=False)
    person = case.parties.get(kind=PartyKind.PERSON)

    response = api(team.lead, case, {"party_id": person.pk})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "proposed"
    assert not CaseParty.objects.filter(pk=person.pk).exists()
    assert AuditEntry.objects.filter(action="cases.remove_party").count() == 1


def test_a_title_made_from_the_removed_partys_name_is_made_again(team):
    case = propose(
        team,
        on=days_ago(5),
        parties=[
            {"kind": "person", "role": "principal_person", "name": "周某某"},
            {"kind": "unit", "role": "unit", "enterprise_id": team.enterprise.pk},
        ],
        violations=[
            {
                "party": 1,
                "violation_code": "WSL2021-097-01a",
                "act_date": days_ago(15),
                "facts": "经查，该单位未按照规定设置安全生产管理机构。",
            }
        ],
    )
    assert case.title == "周某某未按照规定设置安全生产管理机构案"

    act(case, "remove_party", team.lead, party_id=case.parties.get(name="周某某").pk, reason=REASON)

    case.refresh_from_db()
    assert case.title == "玄武化工有限公司未按照规定设置安全生产管理机构案"
    assert case.party_name == "玄武化工有限公司"


def test_a_party_with_violations_is_refused_until_they_are_removed(team):
    case = two_parties(team)
    unit = case.parties.get(kind=PartyKind.UNIT)
    version = case.version

    response = api(team.lead, case, {"party_id": unit.pk})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "party_has_violations"
    assert body["message"] == (
        "已对“玄武化工有限公司”认定违法行为（未按照规定设置安全生产管理机构），不能删除该当事人；"
        "确属误录的，请先删除这些违法行为。"
    )
    assert body["message_en"] == "The party has violations recorded: remove them first."
    case.refresh_from_db()
    assert case.version == version
    assert case.parties.count() == 2


def test_the_only_party_is_not_offered_for_removal(team):
    from anjian.cases.services import action_states

    case = propose(team, on=days_ago(5))
    party = case.parties.get()

    state = next(s for s in action_states(case, team.lead) if s.action == "remove_party")
    response = api(team.lead, case, {"party_id": party.pk})

    assert [f.guard for f in state.failures] == ["has_other_parties"]
    assert state.failures[0].message.startswith("本案只有一个当事人，不能删除")
    assert state.idle is True
    assert response.status_code == 422  # it has the case's violation
    assert response.json()["code"] == "party_has_violations"
    assert CaseParty.objects.filter(pk=party.pk).exists()
    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="step-remove_party"' not in page
    assert 'id="blocked-remove_party"' not in page


def test_once_the_case_is_decided_a_party_is_refused_with_the_reason(team):
    case = decided(team, filed=days_ago(40), notice=days_ago(30), decided_on=days_ago(20))
    extra = CaseParty.objects.create(
        case=case, kind=PartyKind.PERSON, role="principal_person", name="周某某", position=9
    )
    events = CaseEvent.objects.filter(case=case).count()

    response = api(team.lead, case, {"party_id": extra.pk})

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_before_decision"
    assert body["message"] == (
        f"处罚决定已于{days_ago(20):%Y年%m月%d日}作出，决定载明的当事人不能再删除；"
        "确有错误的，应当依法更正或者撤销决定（《中华人民共和国行政处罚法》第五十九条第一款第（一）项）。"
    )
    assert CaseParty.objects.filter(pk=extra.pk).exists()
    assert CaseEvent.objects.filter(case=case).count() == events
    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="step-remove_party"' not in page


def test_a_removal_without_a_reason_is_refused(team):
    case = two_parties(team)
    person = case.parties.get(kind=PartyKind.PERSON)

    response = api(team.lead, case, {"party_id": person.pk}, reason="")

    assert response.status_code == 422
    assert response.json()["code"] == "reason_required"
    assert CaseParty.objects.filter(pk=person.pk).exists()


def test_an_officer_without_the_right_cannot_remove_a_party(team, cast):
    case = two_parties(team)
    person = case.parties.get(kind=PartyKind.PERSON)

    assert api(cast.xuanwu_viewer, case, {"party_id": person.pk}).status_code == 403
    assert api(cast.gulou, case, {"party_id": person.pk}).status_code == 404
    assert CaseParty.objects.filter(pk=person.pk).exists()

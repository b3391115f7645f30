"""Correcting a party's particulars after filing (``edit_party``): a person filed before 性别 and
身份证号 were asked gets them and with them the 行政处罚决定书（个人）; the correction is an event and
an audit entry; it is refused with its article once the decision document is issued, after the
notice for the party's identity, and after delivery (an illegal step); bad particulars save
nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.cases import services
from anjian.cases.documents import _party
from anjian.cases.models import Case, CaseEvent, CaseParty, CaseStatus
from anjian.core.errors import DomainError, PermissionDenied
from anjian.documents.models import Document
from tests.cases.conftest import act, days_ago, decided, notified, propose
from tests.cases.test_party_particulars import person_payload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ID_MALE = "320102197503150030"  # born 1975-03-15, male


def legacy_person_case(team: Any) -> Case:
    """A filed case whose person party has only a name, as recorded before the particulars existed."""
    on = days_ago(5)
    case = propose(
        team,
        on=on,
        parties=[
            {"kind": "unit", "role": "unit", "enterprise_id": team.enterprise.pk},
            {"kind": "person", "role": "principal_person", "name": "周某某"},
        ],
    )
    return act(case, "approve_filing", team.head, on=on)


def post_action(user: Any, case: Case, payload: dict[str, Any], version: int | None = None) -> Any:
    return client_for(user).post(
        f"/api/v1/cases/{case.pk}/actions/edit_party",
        data=json.dumps({"version": version or case.version, "payload": payload}),
        content_type="application/json",
    )


def test_a_person_filed_without_particulars_gets_them_for_the_individual_decision(team):
    on = days_ago(5)
    payload = person_payload(
        team, {"kind": "person", "role": "principal_person", "name": "周某某"}, on
    )
    case = services.create_case(actor=team.lead, agency=team.agency, payload=payload)
    case = act(case, "approve_filing", team.head, on=on)
    person = case.parties.get()
    assert (person.gender, person.id_number) == ("", "")
    assert "gender" not in _party(case, on)

    response = post_action(
        team.lead,
        case,
        {
            "party_id": person.pk,
            "id_number": ID_MALE,
            "employer": "玄武化工有限公司",
            "job_title": "总经理",
            "phone": "025-84000002",
            "address": "南京市玄武区示例小区1幢101室",
        },
    )

    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.gender, person.id_number, person.job_title) == ("male", ID_MALE, "总经理")
    case.refresh_from_db()
    assert (case.version, case.status) == (3, CaseStatus.INVESTIGATING)
    event = CaseEvent.objects.get(case=case, sequence=3)
    assert event.action == "edit_party"
    assert event.payload["changes"]["id_number"] == {"before": "", "after": ID_MALE}
    assert event.payload["changes"]["gender"] == {"before": "", "after": "male"}
    assert "第五十九条" in event.legal_basis
    entry = AuditEntry.objects.filter(action="cases.edit_party").get()
    assert entry.after["event"] == event.pk
    # The party block of the 行政处罚决定书（个人） now has what the form prints.
    block = _party(case, dt.date(2026, 3, 15))
    assert (block["gender"], block["id_number"], block["age"]) == ("男", ID_MALE, "51")


@pytest.mark.parametrize(
    ("changes", "code", "status"),
    [
        ({"id_number": "320102197503150031"}, "invalid_id_number", 422),
        ({"gender": "female", "id_number": ID_MALE}, "gender_contradicts_id_number", 422),
        ({"phone": "call me"}, "invalid_phone", 422),
        ({"name": ""}, "required", 422),
        ({}, "nothing_to_change", 422),
    ],
)
def test_bad_particulars_are_refused_and_nothing_changes(team, changes, code, status):
    case = legacy_person_case(team)
    person = case.parties.get(kind="person")

    response = post_action(team.lead, case, {"party_id": person.pk, **changes})

    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert body["message_en"]
    person.refresh_from_db()
    assert (person.name, person.id_number, person.gender, person.phone) == ("周某某", "", "", "")
    assert Case.objects.get(pk=case.pk).version == case.version
    assert not CaseEvent.objects.filter(case=case, action="edit_party").exists()


def test_a_unit_partys_name_is_the_enterprises_and_cannot_be_changed_here(team):
    case = legacy_person_case(team)
    unit = case.parties.get(kind="unit")

    with pytest.raises(DomainError) as error:
        act(case, "edit_party", team.lead, party_id=unit.pk, name="另一家公司")

    assert error.value.code == "invalid_party"
    assert error.value.status == 422
    assert CaseParty.objects.get(pk=unit.pk).name == team.enterprise.name


def test_a_unit_partys_phone_can_be_corrected(team):
    case = legacy_person_case(team)
    unit = case.parties.get(kind="unit")

    act(case, "edit_party", team.lead, party_id=unit.pk, phone="025-84001234")

    assert CaseParty.objects.get(pk=unit.pk).phone == "025-84001234"


def test_correcting_a_party_needs_the_handling_right(team):
    case = legacy_person_case(team)
    person = case.parties.get(kind="person")

    with pytest.raises(PermissionDenied):
        act(case, "edit_party", team.legal, party_id=person.pk, id_number=ID_MALE)

    assert CaseParty.objects.get(pk=person.pk).id_number == ""


def test_after_the_notice_the_notified_name_cannot_change(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(2))
    unit = case.parties.get()
    person = CaseParty.objects.create(
        case=case, kind="person", role="principal_person", name="周某某", position=9
    )

    with pytest.raises(DomainError) as error:
        act(case, "edit_party", team.lead, party_id=person.pk, name="周某")

    assert error.value.code == "guard_party_identity_as_notified"
    assert error.value.status == 409
    assert "第四十四条" in error.value.message
    assert CaseParty.objects.get(pk=person.pk).name == "周某某"
    assert unit.pk != person.pk


def test_after_the_notice_missing_particulars_may_still_be_added(team):
    case = notified(team, filed=days_ago(20), notice=days_ago(2))
    person = CaseParty.objects.create(
        case=case, kind="person", role="principal_person", name="周某某", position=9
    )

    updated = act(case, "edit_party", team.lead, party_id=person.pk, id_number=ID_MALE)

    assert updated.status == CaseStatus.NOTIFIED
    assert CaseParty.objects.get(pk=person.pk).gender == "male"


def test_after_the_decision_until_the_document_is_issued_the_party_can_be_completed(team):
    case = decided(team, filed=days_ago(40), notice=days_ago(20), decided_on=days_ago(1))
    unit = case.parties.get()

    updated = act(case, "edit_party", team.lead, party_id=unit.pk, phone="025-84001234")

    assert updated.status == CaseStatus.DECIDED
    assert CaseParty.objects.get(pk=unit.pk).phone == "025-84001234"


def test_once_the_decision_document_is_issued_the_party_cannot_change(team):
    case = decided(team, filed=days_ago(40), notice=days_ago(20), decided_on=days_ago(1))
    unit = case.parties.get()
    Document.objects.create(
        type_id="penalty_decision_unit",
        catalogue_version="test",
        agency=case.agency,
        region=case.agency.region,
        province_code=case.province_code,
        city_code=case.city_code,
        county_code=case.county_code,
        subject_type="cases.case",
        subject_id=str(case.pk),
        case_key=f"cases.case:{case.pk}",
        status="issued",
        number="玄应急罚〔2026〕7号",
        issued_at=timezone.now(),
        pdf_sha256="0" * 64,
    )

    with pytest.raises(DomainError) as error:
        act(case, "edit_party", team.lead, party_id=unit.pk, phone="025-84001234")

    assert error.value.code == "guard_decision_not_issued"
    assert "玄应急罚〔2026〕7号" in error.value.message
    assert "第五十九条" in error.value.message
    assert CaseParty.objects.get(pk=unit.pk).phone == ""
    # The case page says why the step is blocked.
    page = client_for(team.lead).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="blocked-edit_party"' in page


def test_after_delivery_correcting_a_party_is_an_illegal_step(team):
    case = decided(team, filed=days_ago(40), notice=days_ago(20), decided_on=days_ago(1))
    case = act(case, "deliver", team.lead, on=days_ago(1), method="direct", recipient="王某某")
    unit = case.parties.get()

    response = post_action(team.lead, case, {"party_id": unit.pk, "phone": "025-84001234"})

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert CaseParty.objects.get(pk=unit.pk).phone == ""


def test_the_case_page_offers_the_correction_and_the_form_corrects_the_party(team):
    case = legacy_person_case(team)
    person = case.parties.get(kind="person")
    client = client_for(team.lead)

    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="step-edit_party"' in page

    response = client.post(
        f"/cases/{case.pk}/act/edit_party/",
        {"version": case.version, "party_id": person.pk, "id_number": ID_MALE, "name": ""},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.gender, person.id_number) == ("周某某", "male", ID_MALE)


def test_services_refuse_a_stale_correction(team):
    case = legacy_person_case(team)
    person = case.parties.get(kind="person")

    with pytest.raises(DomainError) as error:
        services.perform(
            case=case,
            action="edit_party",
            actor=team.lead,
            version=case.version - 1,
            payload={"party_id": person.pk, "id_number": ID_MALE},
        )

    assert error.value.code == "stale_version"

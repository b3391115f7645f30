"""A preservation (先行登记保存) ordered in a case is decided by the case's step, which records it on
the case and flags a late decision; the evidence page and API defer to it (nothing decided there)."""

from __future__ import annotations

import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.cases.models import CaseEvent
from anjian.evidence.models import Preservation
from anjian.evidence.selectors import preservation_owner
from tests.cases.conftest import act, days_ago
from tests.cases.test_guards import _with_preservation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _case_and_preservation(team):
    case = _with_preservation(team, days_ago(2))
    return case, case.evidence_links.first().evidence.preservations.get()


def test_the_evidence_api_refuses_a_case_preservation_and_names_the_case(team):
    case, preservation = _case_and_preservation(team)
    entries = AuditEntry.objects.count()

    response = client_for(team.lead).post(
        f"/api/v1/evidence/preservations/{preservation.pk}/decision",
        data=json.dumps({"decision": "record_and_return", "decided_on": days_ago(1).isoformat()}),
        content_type="application/json",
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "preservation_decided_in_case"
    assert case.reference in body["message"]
    assert body["details"] == {"case": case.reference, "url": f"/cases/{case.pk}/"}
    assert "case's step" in body["message_en"]
    assert Preservation.objects.get(pk=preservation.pk).decided_on is None
    assert AuditEntry.objects.count() == entries


def test_the_preservation_page_links_to_the_case_and_a_post_decides_nothing(team):
    case, preservation = _case_and_preservation(team)
    client = client_for(team.lead)

    page = client.get(f"/evidence/preservations/{preservation.pk}/").content.decode()
    posted = client.post(
        f"/evidence/preservations/{preservation.pk}/",
        {"decision": "record_and_return", "decided_on": days_ago(1).isoformat()},
    )

    assert f'href="/cases/{case.pk}/"' in page
    assert 'name="decision"' not in page
    assert posted.status_code == 200
    assert "请在案件页面" in posted.content.decode()
    assert Preservation.objects.get(pk=preservation.pk).decided_on is None


def test_the_case_step_still_decides_it_and_records_it_on_the_case(team):
    case, preservation = _case_and_preservation(team)

    case = act(
        case,
        "decide_preservation",
        team.lead,
        preservation_id=preservation.pk,
        decision="record_and_return",
    )

    assert Preservation.objects.get(pk=preservation.pk).decision == "record_and_return"
    assert CaseEvent.objects.filter(case=case, action="decide_preservation").count() == 1


def test_a_preservation_outside_any_case_has_no_owner(cast, team):
    from django.utils import timezone

    from anjian.evidence import services
    from tests.cases.matrix_support import evidence

    today = timezone.localdate()
    loose = services.start_preservation(
        actor=team.lead,
        agency=team.agency,
        evidence=[evidence(cast)],
        items="灭火器3具",
        place="区局证物室",
        approved_by=team.head.officer,
        approved_on=today,
        started_on=today,
    )

    assert preservation_owner(loose) is None

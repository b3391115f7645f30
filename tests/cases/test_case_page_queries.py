"""The case page reads each fact the guards need once per request, whatever the number of steps:
its query count does not grow with the case's evidence or documents."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.documents import services as document_services
from anjian.documents.providers import subject_kind
from tests.cases.conftest import days_ago, executing, investigated, prove_all
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _queries(client, case) -> int:
    client.get(f"/cases/{case.pk}/")  # warm: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def _draft(team, case, type_id: str) -> None:
    source = subject_kind("cases.case").build(team.lead, str(case.pk), type_id)
    document_services.create_draft(
        actor=team.lead,
        type_id=type_id,
        agency=source.agency,
        region=source.region,
        subject_type="cases.case",
        subject_id=case.pk,
        context=source.context,
        case_key=source.case_key,
        title=source.title,
    )


def test_the_case_page_costs_the_same_queries_for_1_or_4_pieces_of_evidence(team):
    client = client_for(team.lead)
    case = investigated(team, filed=days_ago(20))
    assert case.evidence_links.count() == 1
    one = _queries(client, case)

    for _ in range(3):
        case = prove_all(team, case, on=days_ago(10))
    assert case.evidence_links.count() == 4

    # 48 before the guards' facts were shared and the approvers' roles read with them (36), one
    # more since removing a party counts the parties.
    assert (one, _queries(client, case)) == (37, 37)


def test_the_case_page_costs_the_same_queries_for_1_or_4_documents(team):
    client = client_for(team.lead)
    case = executing(team, filed=days_ago(60), notice=days_ago(40), decided_on=days_ago(30))
    _draft(team, case, "case_filing_approval")
    one = _queries(client, case)

    for type_id in ("penalty_notice", "penalty_decision_unit", "case_handling_approval"):
        _draft(team, case, type_id)

    assert (one, _queries(client, case)) == (27, 27)


def test_the_guards_of_all_steps_read_each_fact_once(team):
    """An investigating case offers a dozen steps whose guards read the violations, the officers,
    the proofs, the preservations, the issued decision: one query each, not one per step."""
    client = client_for(team.lead)
    case = investigated(team, filed=days_ago(20))
    client.get(f"/cases/{case.pk}/")

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/cases/{case.pk}/")

    sql = [q["sql"] for q in captured.captured_queries]
    officers = [s for s in sql if s.startswith('SELECT "cases_caseofficer"')]
    certificates = [s for s in sql if 'FROM "registry_certificate"' in s]
    issued = [s for s in sql if 'FROM "documents_document"' in s]
    roles = [s for s in sql if 'FROM "accounts_roleassignment"' in s]
    assert (len(officers), len(certificates), len(issued)) == (2, 1, 1)
    assert len(roles) == 1  # the preservation approvers' roles, read with them

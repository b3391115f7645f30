"""Documents rendered from real case records (anjian/cases/documents.py), issued and filed."""

# ruff: noqa: F811 -- the fixtures of tests/cases and tests/inspections are imported by name
from __future__ import annotations

import pytest

from anjian.cases import documents as case_documents
from anjian.documents import selectors, services
from anjian.documents.models import DocumentStatus
from anjian.documents.providers import subject_kind
from tests.cases.conftest import (  # noqa: F401 -- fixtures used by name
    act,
    days_ago,
    executing,
    known_calendar_years,
    team,
)
from tests.conftest import client_for
from tests.documents.conftest import make_profile
from tests.documents.helpers import flat, needs_poppler, pdf_text


@pytest.fixture
def case_subjects():
    """Registered at start-up by DocumentsConfig.ready() (discover_context_builders)."""
    return None


def _issue(team, case, type_id):
    source = subject_kind("cases.case").build(team.lead, str(case.pk), type_id)
    draft = services.create_draft(
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
    return services.issue(actor=team.lead, document=draft)


@needs_poppler
@pytest.mark.django_db
def test_a_closed_case_gives_its_documents_and_its_case_file(team, case_subjects):
    make_profile(team.agency)
    case = executing(
        team,
        filed=days_ago(60),
        notice=days_ago(40),
        decided_on=days_ago(30),
        delivered=days_ago(29),
    )
    filing = _issue(team, case, "case_filing_approval")
    decision = _issue(team, case, "penalty_decision_unit")
    case = act(
        case,
        "record_payment",
        team.lead,
        paid_on=days_ago(20),
        amount="20000",
        receipt_number="PJ-001",
    )
    order = case.orders.get()
    case = act(
        case,
        "record_order_outcome",
        team.lead,
        order_id=order.pk,
        outcome="corrected",
        on=days_ago(5),
    )
    case = act(case, "request_closure", team.lead, on=days_ago(4))
    case = act(case, "approve_closure", team.head, on=days_ago(3))
    closure = _issue(team, case, "closure_approval")

    text = flat(pdf_text(decision.pdf.read()))
    assert "罚款人民币贰万元整（¥20,000.00）" in text
    assert team.enterprise.name in text
    assert "六十日内" in text
    assert "六个月内" in text
    assert decision.number in closure.content["blocks"][0]["rows"][4][3]["runs"][0][
        "t"
    ] or decision.number in flat(pdf_text(closure.pdf.read()))
    assert filing.status == DocumentStatus.ISSUED

    case_file = selectors.assemble_case_file(
        team.lead, f"cases.case:{case.pk}", cover=case_documents.cover_context(case)
    )
    assert [e.document_id for e in case_file.entries] == [decision.pk, filing.pk, closure.pk]
    pages = pdf_text(case_file.pdf).split("\f")
    assert "安全生产行政执法案卷" in flat(pages[0])
    assert "卷内目录" in flat(pages[1])


@pytest.mark.django_db
def test_the_panel_offers_the_case_documents_and_generates_a_draft(team, case_subjects):
    make_profile(team.agency)
    case = executing(
        team,
        filed=days_ago(60),
        notice=days_ago(40),
        decided_on=days_ago(30),
        delivered=days_ago(29),
    )
    client = client_for(team.lead)
    panel = client.get(f"/documents/subjects/cases.case/{case.pk}/")
    assert panel.status_code == 200
    assert "生成行政处罚决定书（单位）" in panel.content.decode()
    response = client.post(
        f"/documents/subjects/cases.case/{case.pk}/generate/", {"type_id": "penalty_decision_unit"}
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    assert "签发（编号并定稿）" in detail.content.decode()
    assert client.get(f"/documents/subjects/cases.case/{case.pk + 999}/").status_code == 404

"""Documents rendered from real inspection records (anjian/inspections/documents.py)."""

# ruff: noqa: F811 -- the fixtures of tests/cases and tests/inspections are imported by name
from __future__ import annotations

import pytest

from anjian.documents import services as document_services
from anjian.documents.providers import subject_kind
from anjian.inspections import services
from tests.documents.conftest import make_profile
from tests.documents.helpers import flat, needs_poppler, pdf_text
from tests.inspections.conftest import (  # noqa: F401 -- fixtures used by name
    draft,
    filled,
    item_list,
    media,
    team,
)


@pytest.fixture
def inspection_subjects():
    """Registered at start-up by DocumentsConfig.ready() (discover_context_builders)."""
    return None


def _issue(user, inspection, type_id):
    source = subject_kind("inspections.inspection").build(user, str(inspection.pk), type_id)
    document = document_services.create_draft(
        actor=user,
        type_id=type_id,
        agency=source.agency,
        region=source.region,
        subject_type="inspections.inspection",
        subject_id=inspection.pk,
        context=source.context,
        title=source.title,
    )
    return document_services.issue(actor=user, document=document)


@needs_poppler
@pytest.mark.django_db
def test_a_submitted_inspection_gives_its_record_and_order_with_the_numbers_it_already_has(
    cast, team, draft, item_list, inspection_subjects
):
    make_profile(cast.agencies["xuanwu"])
    services.save_draft(
        actor=team.head,
        inspection=draft,
        data=filled(item_list, summary="检查了安全出口和消防通道。"),
    )
    record = services.submit_inspection(actor=team.head, inspection=draft)
    order = record.rectification_order

    record_document = _issue(team.head, record, "inspection_record")
    order_document = _issue(team.head, record, "rectification_order")

    assert record_document.number == record.number
    assert order_document.number == order.number
    record_text = flat(pdf_text(record_document.pdf.read()))
    assert "一号车间东侧安全出口被货物堵塞" in record_text
    assert "被检查单位负责人拒绝签字" in record_text
    order_text = flat(pdf_text(order_document.pdf.read()))
    cells = [
        run["t"]
        for block in order_document.content["blocks"]
        if block["kind"] == "table"
        for row in block["rows"]
        for cell in row
        for run in cell["runs"]
    ]
    assert "《中华人民共和国安全生产法》（2021）第四十二条第二款" in cells
    assert "六十日内" in order_text


@pytest.mark.django_db
def test_outside_the_jurisdiction_the_inspection_does_not_exist(
    cast, team, draft, inspection_subjects
):
    from django.http import Http404

    with pytest.raises(Http404):
        subject_kind("inspections.inspection").build(cast.gulou, str(draft.pk), "inspection_record")

"""Issue 6, "done when": every catalogue type renders from the demo's records (never from samples)
to PDF and DOCX, and is numbered, issued, verified and delivered, through the API.

The demo is made as an operator makes it (``seed_inspections`` then ``seed_cases``, through the
real services); each type's document is drafted from a record the demo holds, through the subject
kinds the upper apps register (``anjian/<app>/documents.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.utils import timezone

from anjian.cases.demo import seed_cases
from anjian.documents.catalogue import catalogue
from anjian.documents.models import Document, DocumentStatus
from anjian.documents.providers import subject_kinds
from anjian.documents.samples import SAMPLES
from anjian.inspections.demo import seed_inspections
from tests.conftest import make_enterprise, make_officer
from tests.documents.helpers import flat, needs_poppler, pdf_text

pytestmark = pytest.mark.django_db

#: Made by the engine itself, not from one record: the 送达回执 of a recorded delivery and the
#: 卷内目录 of an assembled case file (both checked below, from the demo's records too).
ENGINE_TYPES = {"delivery_receipt", "case_file_index"}


@pytest.fixture
def demo(cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    xuanwu = cast.agencies["xuanwu"]
    make_officer("xuanwu", xuanwu, ["inspector"])
    make_officer("xuanwu2", xuanwu, ["inspector"])
    make_officer("juzhang", xuanwu, ["bureau_head"])
    make_officer("fazhi", xuanwu, ["legal_reviewer"])
    for serial in range(10, 17):
        make_enterprise(
            f"玄武演示企业{serial}", cast.regions["320102"], xuanwu, cast.industry, serial
        )
    seed_inspections()
    seed_cases()
    return cast


def _age(decided_on: str) -> int:
    """The demo person's full years (born 1975-03-15) on the decision's date."""
    day = dt.date.fromisoformat(decided_on)
    return day.year - 1975 - ((day.month, day.day) < (3, 15))


def _subjects(user: Any) -> dict[str, list[tuple[str, str]]]:
    """Every demo record that offers a document type: type → [(subject_type, subject_id)]."""
    from anjian.cases.models import Case, CaseRecord
    from anjian.evidence.models import Preservation
    from anjian.inspections.models import Inspection, InspectionScheme

    ids = {
        "cases.case": Case.objects.order_by("id").values_list("pk", flat=True),
        "cases.preservation": Preservation.objects.order_by("id").values_list("pk", flat=True),
        "inspections.inspection": Inspection.objects.order_by("id").values_list("pk", flat=True),
        "inspections.scheme": InspectionScheme.objects.order_by("id").values_list("pk", flat=True),
    }
    for record in CaseRecord.objects.order_by("id"):
        ids.setdefault(f"cases.record.{record.kind}", []).append(record.pk)  # type: ignore[attr-defined]
    offered: dict[str, list[tuple[str, str]]] = {}
    for subject_type, kind in subject_kinds().items():
        if subject_type.startswith("tests."):
            continue
        for type_id in kind.document_types:
            for pk in ids.get(subject_type, []):
                offered.setdefault(type_id, []).append((subject_type, str(pk)))
    return offered


def _complete_draft(client: Any, type_id: str, candidates: list[tuple[str, str]]) -> dict:
    """The first demo record whose document is complete: drafted and issued through the API."""
    refusals = []
    for subject_type, subject_id in candidates:
        response = client.post(
            "/api/v1/documents",
            {"type_id": type_id, "subject_type": subject_type, "subject_id": subject_id},
            content_type="application/json",
        )
        if response.status_code != 201:
            refusals.append((subject_type, subject_id, response.json().get("message")))
            continue
        draft = response.json()
        issued = client.post(
            f"/api/v1/documents/{draft['id']}/issue", content_type="application/json"
        )
        if issued.status_code == 200:
            return issued.json()
        refusals.append((subject_type, subject_id, issued.json().get("message")))
    raise AssertionError(f"{type_id}: no demo record gives a complete document: {refusals}")


@needs_poppler
def test_every_catalogue_type_is_made_from_demo_records_issued_verified_and_delivered(demo):
    from anjian.accounts.models import User
    from tests.conftest import client_for

    head = User.objects.get(username="xuanwu")
    client = client_for(head)
    offered = _subjects(head)
    types = [t.id for t in catalogue().types]
    assert len(types) == 28
    assert sorted(set(types) - set(offered)) == sorted(ENGINE_TYPES)

    issued: dict[str, dict] = {}
    for type_id in types:
        if type_id in ENGINE_TYPES:
            continue
        document = _complete_draft(client, type_id, offered[type_id])
        issued[type_id] = document
        stored = Document.objects.get(pk=document["id"])
        # From the record, not from the samples: the sample's invented names are not in it.
        assert stored.context != {**SAMPLES[type_id], "issuer": stored.context["issuer"]}
        assert stored.status == DocumentStatus.ISSUED
        assert (stored.number != "") is catalogue().type(type_id).is_numbered, type_id
        pdf = client.get(f"/api/v1/documents/{stored.pk}/pdf")
        docx = client.get(f"/api/v1/documents/{stored.pk}/docx")
        assert pdf.status_code == docx.status_code == 200, type_id
        pdf_bytes = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
        docx_bytes = b"".join(docx.streaming_content) if docx.streaming else docx.content
        assert pdf_bytes.startswith(b"%PDF"), type_id
        assert docx_bytes.startswith(b"PK"), type_id
        assert "未填写" not in flat(pdf_text(pdf_bytes)), type_id
        verified = client.post(
            "/api/v1/documents/verify",
            {"sha256": hashlib.sha256(pdf_bytes).hexdigest()},
            content_type="application/json",
        )
        assert verified.status_code == 200, type_id
        assert verified.json()["found"] is True, type_id
        assert verified.json()["number"] == (stored.number or None), type_id
        delivered = client.post(
            f"/api/v1/documents/{stored.pk}/deliveries",
            {
                "method": "direct",
                "delivered_at": timezone.localtime().isoformat(),
                "recipient": "演示受送达人",
                "place": "当事人住所",
                "issue_receipt": type_id == "penalty_decision_unit",
            },
            content_type="application/json",
        )
        assert delivered.status_code == 201, (type_id, delivered.json())
        stored.refresh_from_db()
        assert stored.status == DocumentStatus.DELIVERED, type_id

    # The decision against a person: the demo's principal person, with the particulars of the form.
    individual = Document.objects.get(pk=issued["penalty_decision_individual"]["id"])
    assert individual.context["party"] == {
        "kind": "individual",
        "name": individual.context["party"]["name"],
        "gender": "男",
        "id_number": "320102197503150030",
        "age": str(_age(individual.context["decided_on"])),
        "employer": individual.context["party"]["employer"],
        "position": "总经理（主要负责人）",
        "phone": "025-84000002",
        "address": "南京市玄武区演示小区1幢101室（演示地址）",
    }
    assert re.fullmatch(r"（.+）应急罚〔\d{4}〕\d+号", individual.number), individual.number

    receipt = Document.objects.get(type_id="delivery_receipt")
    assert receipt.status == DocumentStatus.ISSUED
    assert receipt.number.startswith("（")

    # The case file of the demo's on-the-spot case: its issued documents behind the 卷内目录.
    from anjian.documents.selectors import assemble_case_file

    decision = Document.objects.get(pk=issued["summary_penalty_decision"]["id"])
    case_file = assemble_case_file(head, decision.case_key)
    assert "卷内目录" in flat(pdf_text(case_file.pdf))
    assert decision.pk in [e.document_id for e in case_file.entries]

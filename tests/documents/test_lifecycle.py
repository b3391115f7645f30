"""Draft → issued (numbered, frozen, hashed) → delivered; voided keeps its number; verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError
from anjian.documents import selectors, services
from anjian.documents.models import DocumentCounter, DocumentStatus
from tests.conftest import client_for
from tests.documents.conftest import draft_for, make_profile

YEAR = timezone.localdate().year


@pytest.mark.django_db
def test_issuing_numbers_renders_hashes_and_freezes(cast, profile):
    draft = draft_for(cast)
    audit_before = AuditEntry.objects.count()

    issued = services.issue(actor=cast.xuanwu, document=draft)

    assert issued.status == DocumentStatus.ISSUED
    assert issued.number == f"（苏宁玄）应急罚〔{YEAR}〕1号"
    assert (issued.code, issued.year, issued.sequence) == ("罚", YEAR, 1)
    pdf = issued.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
    assert hashlib.sha256(issued.docx.read()).hexdigest() == issued.docx_sha256
    assert issued.page_count == 1
    assert issued.context["issuer"]["court"] == "南京市玄武区人民法院"
    assert issued.content["number"] == issued.number
    assert [e.to_status for e in issued.events.all()] == ["draft", "issued"]
    assert AuditEntry.objects.count() == audit_before + 1
    with pytest.raises(DomainError) as refused:
        services.issue(actor=cast.xuanwu, document=issued)
    assert refused.value.code == "document_already_issued"


@pytest.mark.django_db
def test_numbers_run_per_agency_code_and_year_and_share_the_code_between_unit_and_person(
    cast, profile
):
    first = services.issue(actor=cast.xuanwu, document=draft_for(cast, "penalty_decision_unit"))
    second = services.issue(
        actor=cast.xuanwu, document=draft_for(cast, "penalty_decision_individual")
    )
    order = services.issue(actor=cast.xuanwu, document=draft_for(cast, "rectification_order"))
    make_profile(cast.agencies["gulou"])
    other = services.issue(
        actor=cast.gulou, document=draft_for(cast, "penalty_decision_unit", enterprise="gulou")
    )
    assert [first.sequence, second.sequence, order.sequence, other.sequence] == [1, 2, 1, 1]
    assert order.number == f"（苏宁玄）应急责改〔{YEAR}〕1号"
    assert other.number == f"（苏宁鼓）应急罚〔{YEAR}〕1号"


@pytest.mark.django_db
def test_a_type_without_a_national_number_is_issued_without_one(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast, "inquiry_record"))
    assert issued.number == ""
    assert issued.sequence is None
    assert issued.status == DocumentStatus.ISSUED
    assert DocumentCounter.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_field_blocks_issuing_takes_no_number_and_lists_what_is_missing(cast, profile):
    from anjian.documents.samples import sample_context

    context = sample_context("penalty_decision_unit", with_issuer=False)
    del context["facts"]
    context["party"]["legal_representative"] = ""
    draft = draft_for(cast, context=context)
    with pytest.raises(DomainError) as refused:
        services.issue(actor=cast.xuanwu, document=draft)
    assert refused.value.code == "document_incomplete"
    assert [d["label"] for d in refused.value.details] == ["法定代表人（负责人）", "违法事实"]
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT
    assert draft.number == ""
    assert DocumentCounter.objects.count() == 0
    # the next complete document still gets number 1: no gap
    assert services.issue(actor=cast.xuanwu, document=draft_for(cast)).sequence == 1


@pytest.mark.django_db
def test_without_the_agency_settings_a_decision_cannot_be_issued(cast):
    with pytest.raises(DomainError) as refused:
        services.issue(actor=cast.xuanwu, document=draft_for(cast))
    assert "行政复议机关（本机关文书设置）" in refused.value.message


@pytest.mark.django_db
def test_a_voided_document_keeps_its_number_and_the_next_one_does_not_reuse_it(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    with pytest.raises(DomainError):
        services.void(actor=cast.xuanwu, document=issued, reason="  ")
    voided = services.void(actor=cast.xuanwu, document=issued, reason="当事人名称有误，重新制作")
    assert voided.status == DocumentStatus.VOIDED
    assert voided.number == f"（苏宁玄）应急罚〔{YEAR}〕1号"
    assert voided.void_reason == "当事人名称有误，重新制作"
    assert services.issue(actor=cast.xuanwu, document=draft_for(cast)).sequence == 2
    result = selectors.verify(sha256=voided.pdf_sha256)
    assert result.found
    assert result.is_voided


@pytest.mark.django_db
def test_an_issued_document_is_frozen(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    with pytest.raises(DomainError) as refused:
        services.refresh_draft(actor=cast.xuanwu, document=issued, context={"facts": "改"})
    assert refused.value.code == "document_frozen"


@pytest.mark.django_db
def test_delivery_records_the_receipt_moves_to_delivered_and_can_issue_the_receipt_document(
    cast, profile
):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    when = timezone.now()
    receipt = services.record_delivery(
        actor=cast.xuanwu,
        document=issued,
        data=services.DeliveryInput(
            method="direct",
            delivered_at=when,
            recipient="玄武化工有限公司",
            received_by="张三",
            place="玄武区某路1号",
        ),
        scan=b"%PDF-1.4 scan",
        scan_name="回执.pdf",
        issue_receipt=True,
    )
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.DELIVERED
    assert receipt.scan_sha256 == hashlib.sha256(b"%PDF-1.4 scan").hexdigest()
    receipt_document = receipt.receipt_document
    assert receipt_document.type_id == "delivery_receipt"
    assert receipt_document.number == f"（苏宁玄）应急回〔{YEAR}〕1号"
    assert issued.number in "".join(
        r["t"]
        for b in receipt_document.content["blocks"]
        if b["kind"] == "table"
        for row in b["rows"]
        for c in row
        for r in c["runs"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "extra", "field"),
    [
        ("electronic", {}, "consent_reference"),
        ("left_at_premises", {"place": "某地"}, "witness"),
        ("carrier_pigeon", {}, "method"),
    ],
)
def test_delivery_rules_per_method(cast, profile, method, extra, field):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    with pytest.raises(DomainError) as refused:
        services.record_delivery(
            actor=cast.xuanwu,
            document=issued,
            data=services.DeliveryInput(
                method=method, delivered_at=timezone.now(), recipient="某公司", **extra
            ),
        )
    assert field in [d["field"] for d in refused.value.details]


@pytest.mark.django_db
def test_a_draft_cannot_be_delivered(cast, profile):
    with pytest.raises(DomainError) as refused:
        services.record_delivery(
            actor=cast.xuanwu,
            document=draft_for(cast),
            data=services.DeliveryInput(
                method="post", delivered_at=timezone.now(), recipient="某公司"
            ),
        )
    assert refused.value.code == "document_not_issued"


@pytest.mark.django_db
def test_verification_names_the_document_and_nothing_about_the_party(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    pdf = issued.pdf.read()
    found = selectors.verify(data=pdf).as_dict()
    assert found == {
        "sha256": issued.pdf_sha256,
        "found": True,
        "format": "pdf",
        "number": issued.number,
        "type": "行政处罚决定书（单位）",
        "agency": "玄武区应急管理局",
        "issued_on": timezone.localdate(issued.issued_at).isoformat(),
        "voided": False,
        "voided_on": None,
    }
    assert selectors.verify(data=issued.docx.read()).file_format == "docx"
    assert selectors.verify(data=pdf + b"\n").found is False
    with pytest.raises(DomainError):
        selectors.verify(sha256="not-a-hash")


@pytest.mark.django_db
def test_the_public_verification_page_and_api_need_no_login(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    anonymous = client_for(None)
    page = anonymous.post("/documents/verify/", {"sha256": issued.pdf_sha256})
    body = page.content.decode()
    assert page.status_code == 200
    assert issued.number in body
    assert "玄武化工有限公司" not in body  # no party data
    answer = anonymous.post(
        "/api/v1/documents/verify",
        json.dumps({"sha256": "0" * 64}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["found"] is False
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = anonymous.post(
        "/api/v1/documents/verify-file", {"file": SimpleUploadedFile("d.pdf", issued.pdf.read())}
    )
    assert upload.json()["number"] == issued.number


@pytest.mark.django_db
def test_issue_document_in_one_call_as_upper_apps_use_it(cast, profile):
    from anjian.documents.samples import sample_context

    target = cast.enterprises["xuanwu"]
    document = services.issue_document(
        actor=cast.xuanwu,
        type_id="rectification_order",
        agency=target.supervising_agency,
        region=target.region,
        subject_type="inspections.inspection",
        subject_id=1,
        context={
            **sample_context("rectification_order", with_issuer=False),
            "issued_on": dt.date(2026, 3, 2),
        },
    )
    assert document.status == DocumentStatus.ISSUED
    assert document.context["issued_on"] == "2026-03-02"


@pytest.mark.django_db
def test_a_record_number_given_by_the_upper_app_is_printed_and_never_handed_out_again(
    cast, profile
):
    from anjian.documents.samples import sample_context

    context = sample_context("rectification_order", with_issuer=False)
    context["record_number"] = f"（苏宁玄）应急责改〔{YEAR}〕7号"
    adopted = services.issue(
        actor=cast.xuanwu, document=draft_for(cast, "rectification_order", context=context)
    )
    assert adopted.number == f"（苏宁玄）应急责改〔{YEAR}〕7号"
    assert (
        services.issue(actor=cast.xuanwu, document=draft_for(cast, "rectification_order")).sequence
        == 8
    )
    context["record_number"] = "（苏宁鼓）应急责改〔2026〕1号"
    with pytest.raises(DomainError) as refused:
        services.issue(
            actor=cast.xuanwu, document=draft_for(cast, "rectification_order", context=context)
        )
    assert refused.value.code == "number_format"


@pytest.mark.django_db
def test_the_case_file_holds_cover_index_and_documents_in_file_order_with_page_numbers(
    cast, profile
):
    from tests.documents.helpers import flat, pdf_text

    notice = services.issue(actor=cast.xuanwu, document=draft_for(cast, "penalty_notice"))
    decision = services.issue(actor=cast.xuanwu, document=draft_for(cast, "penalty_decision_unit"))
    filing = services.issue(actor=cast.xuanwu, document=draft_for(cast, "case_filing_approval"))
    voided = services.issue(actor=cast.xuanwu, document=draft_for(cast, "inquiry_notice"))
    services.void(actor=cast.xuanwu, document=voided, reason="重发")
    case_key = decision.case_key
    from anjian.documents.samples import sample_context

    result = selectors.assemble_case_file(
        cast.xuanwu, case_key, cover=sample_context("case_file_cover", with_issuer=False)
    )
    assert [e.document_id for e in result.entries] == [decision.pk, filing.pk, notice.pk]
    assert [e.pages for e in result.entries] == ["3", "4", "5"]
    assert result.page_count == 5
    text = pdf_text(result.pdf)
    pages = text.split("\f")
    assert "卷内目录" in pages[1]
    assert flat(decision.number) in flat(pages[2])
    assert pages[4].strip().startswith("5")  # the page number, top right
    with pytest.raises(Exception):  # noqa: B017 -- Http404 outside the scope
        selectors.assemble_case_file(cast.gulou, case_key)


@pytest.mark.django_db
def test_a_delivery_time_that_is_no_real_time_is_asked_again_on_the_page(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))

    response = client_for(cast.xuanwu).post(
        f"/documents/{issued.pk}/deliver/",
        {
            "method": "direct",
            "delivered_at": "2025-02-30T10:00",
            "recipient": "玄武化工有限公司",
            "place": "玄武区某路1号",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "请填写送达时间" in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.ISSUED


@pytest.mark.django_db
def test_over_long_text_is_refused_with_the_limit_not_a_database_error(cast, profile):
    import json

    client = client_for(cast.xuanwu)
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))

    settings = client.put(
        "/api/v1/documents/profile",
        json.dumps({"review_body": "某" * 101, "court": "某区人民法院"}),
        content_type="application/json",
    )
    delivery = client.post(
        f"/api/v1/documents/{issued.pk}/deliveries",
        json.dumps(
            {
                "method": "direct",
                "delivered_at": timezone.localtime().isoformat(),
                "recipient": "玄" * 201,
                "place": "玄武区某路1号",
            }
        ),
        content_type="application/json",
    )

    assert (settings.status_code, settings.json()["code"]) == (422, "profile_invalid")
    assert [p["field"] for p in settings.json()["details"]] == ["review_body"]
    assert "不得超过100字" in settings.json()["message"]
    assert (delivery.status_code, delivery.json()["code"]) == (422, "delivery_invalid")
    assert "不得超过200字" in delivery.json()["message"]
    issued.refresh_from_db()
    assert issued.status == DocumentStatus.ISSUED

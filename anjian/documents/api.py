"""Document endpoints under /api/v1/documents. Thin: authorize, call one selector or service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from anjian.core.errors import DomainError
from anjian.core.pagination import MAX_PAGE_NUMBER
from anjian.documents import selectors, services
from anjian.documents.catalogue import catalogue
from anjian.documents.models import Document
from anjian.documents.providers import subject_kind

router = Router(tags=["documents"])


class RequiredOut(Schema):
    path: str
    label: str


class TypeOut(Schema):
    id: str
    name_zh: str
    code: str | None
    code_source: str
    step: str
    subject: str
    file_order: int
    required: list[RequiredOut]


class CatalogueOut(Schema):
    catalogue_version: str
    number_format: str
    number_prefix: str
    format_basis: str
    valid_from: dt.date
    types: list[TypeOut]


class DeliveryOut(Schema):
    id: int
    method: str
    delivered_at: dt.datetime
    recipient: str
    received_by: str
    place: str
    witness: str
    scan_sha256: str
    receipt_document_id: int | None


class FigureOut(Schema):
    """A figure the document prints from the law data, taken from an unverified version."""

    source: str
    title: str
    title_en: str
    version: str
    article: str
    figure: str


class DocumentOut(Schema):
    id: int
    type_id: str
    type_name: str
    status: str
    number: str
    title: str
    agency: str
    subject_type: str
    subject_id: str
    case_key: str
    issued_at: dt.datetime | None
    pdf_sha256: str
    docx_sha256: str
    page_count: int
    void_reason: str
    missing: list[RequiredOut]
    unverified_figures: list[FigureOut]
    deliveries: list[DeliveryOut]


class DocumentRow(Schema):
    id: int
    type_id: str
    status: str
    number: str
    title: str
    issued_at: dt.datetime | None


class DocumentPage(Schema):
    items: list[DocumentRow]
    page: int
    page_size: int
    has_next: bool


def _document(document: Document) -> dict[str, Any]:
    content, missing = selectors.preview_content(document)
    if not document.is_draft:
        missing = []
    return {
        "id": document.pk,
        "type_id": document.type_id,
        "type_name": catalogue().type(document.type_id).name_zh,
        "status": document.status,
        "number": document.number,
        "title": document.title,
        "agency": document.agency.name,
        "subject_type": document.subject_type,
        "subject_id": document.subject_id,
        "case_key": document.case_key,
        "issued_at": document.issued_at,
        "pdf_sha256": document.pdf_sha256,
        "docx_sha256": document.docx_sha256,
        "page_count": document.page_count,
        "void_reason": document.void_reason,
        "missing": [{"path": p, "label": label} for p, label in missing],
        "unverified_figures": content.unverified_figures,
        "deliveries": [
            {
                "id": r.pk,
                "method": r.method,
                "delivered_at": r.delivered_at,
                "recipient": r.recipient,
                "received_by": r.received_by,
                "place": r.place,
                "witness": r.witness,
                "scan_sha256": r.scan_sha256,
                "receipt_document_id": r.receipt_document_id,
            }
            for r in selectors.deliveries(document)
        ],
    }


@router.get("/catalogue", response=CatalogueOut)
def get_catalogue(request: HttpRequest) -> dict[str, Any]:
    selectors.require(request.user, "documents.view")
    c = catalogue()
    return {
        "catalogue_version": c.catalogue_version,
        "number_format": c.number_format,
        "number_prefix": c.number_prefix,
        "format_basis": c.format_basis,
        "valid_from": c.valid_from,
        "types": [t.model_dump() for t in c.types],
    }


class ListQuery(Schema):
    status: str = ""
    type_id: str = ""
    q: str = ""
    page: int = Field(1, ge=1, le=MAX_PAGE_NUMBER)
    page_size: int = Field(50, ge=1, le=200)


@router.get("", response=DocumentPage)
def list_documents(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    queryset = selectors.documents(
        request.user, status=query.status, type_id=query.type_id, q=query.q
    )
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size + 1])
    return {
        "items": [
            {
                "id": d.pk,
                "type_id": d.type_id,
                "status": d.status,
                "number": d.number,
                "title": d.title,
                "issued_at": d.issued_at,
            }
            for d in rows[: query.page_size]
        ],
        "page": query.page,
        "page_size": query.page_size,
        "has_next": len(rows) > query.page_size,
    }


class DraftIn(Schema):
    type_id: str
    subject_type: str = Field(..., description="e.g. inspections.inspection, cases.case")
    subject_id: str


@router.post("", response={201: DocumentOut})
def create_draft(request: HttpRequest, payload: DraftIn) -> tuple[int, dict[str, Any]]:
    selectors.require(request.user, "documents.draft")
    kind = subject_kind(payload.subject_type)
    if payload.type_id not in kind.document_types:
        raise DomainError(
            "document_type_not_applicable",
            "该记录不能制作此类文书。",
            "This document type does not apply to the record.",
            status=422,
        )
    source = kind.build(request.user, payload.subject_id, payload.type_id)
    document = services.create_draft(
        actor=request.user,
        type_id=payload.type_id,
        agency=source.agency,
        region=source.region,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
        context=source.context,
        case_key=source.case_key,
        title=source.title,
    )
    return 201, _document(document)


@router.get("/case-files/{case_key}", response={200: None})
def case_file(request: HttpRequest, case_key: str) -> HttpResponse:
    """All issued documents of a case as one PDF (cover, index, page numbers)."""
    result = selectors.assemble_case_file(request.user, case_key)
    response = HttpResponse(result.pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="case-file.pdf"'
    return response


class VerifyIn(Schema):
    sha256: str


class VerifyOut(Schema):
    sha256: str
    found: bool
    format: str | None
    number: str | None
    type: str | None
    agency: str | None
    issued_on: dt.date | None
    voided: bool
    voided_on: dt.date | None


@router.post("/verify", response=VerifyOut, auth=None)
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Public: is the file with this SHA-256 an issued document? Number, type, agency, date only."""
    return selectors.verify(sha256=payload.sha256).as_dict()


@router.post("/verify-file", response=VerifyOut, auth=None)
def verify_file(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Public: upload the PDF or DOCX itself (multipart field ``file``)."""
    from django.conf import settings

    if file.size and file.size > settings.ANJIAN_MAX_UPLOAD_BYTES:
        raise DomainError("file_too_large", "文件过大。", "File too large.", status=413)
    return selectors.verify(data=file.read()).as_dict()


class ProfileIO(Schema):
    review_body: str = ""
    court: str = ""
    payment_bank: str = ""
    payment_account: str = ""
    address: str = ""
    phone: str = ""


@router.get("/profile", response=ProfileIO)
def get_profile(request: HttpRequest) -> dict[str, Any]:
    profile = selectors.profile_of(selectors.own_agency(request.user))
    return profile.as_issuer() if profile else ProfileIO().dict()


@router.put("/profile", response=ProfileIO)
def put_profile(request: HttpRequest, payload: ProfileIO) -> dict[str, Any]:
    agency = selectors.own_agency(request.user)
    return services.save_profile(actor=request.user, agency=agency, data=payload.dict()).as_issuer()


@router.get("/{document_id}", response=DocumentOut)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    return _document(selectors.document_for(request.user, document_id))


@router.post("/{document_id}/refresh", response=DocumentOut)
def refresh(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = selectors.document_for(request.user, document_id, action="documents.draft")
    source = subject_kind(document.subject_type).build(
        request.user, document.subject_id, document.type_id
    )
    return _document(
        services.refresh_draft(
            actor=request.user, document=document, context=source.context, title=source.title
        )
    )


class IssueIn(Schema):
    acknowledge_unverified: bool = Field(
        False,
        description="Required (true) when the document prints figures from unverified law data "
        "(see unverified_figures); recorded in the audit entry.",
    )


@router.post("/{document_id}/issue", response=DocumentOut)
def issue(request: HttpRequest, document_id: int, payload: IssueIn | None = None) -> dict[str, Any]:
    document = selectors.document_for(request.user, document_id, action="documents.issue")
    acknowledged = payload is not None and payload.acknowledge_unverified
    return _document(
        services.issue(actor=request.user, document=document, acknowledge_unverified=acknowledged)
    )


class VoidIn(Schema):
    reason: str


@router.post("/{document_id}/void", response=DocumentOut)
def void(request: HttpRequest, document_id: int, payload: VoidIn) -> dict[str, Any]:
    document = selectors.document_for(request.user, document_id, action="documents.void")
    return _document(services.void(actor=request.user, document=document, reason=payload.reason))


class DeliveryIn(Schema):
    method: str = Field(
        ..., description="direct | left_at_premises | post | public_announcement | electronic"
    )
    delivered_at: dt.datetime
    recipient: str
    received_by: str = ""
    place: str = ""
    witness: str = ""
    consent_reference: str = ""
    note: str = ""
    issue_receipt: bool = False


@router.post("/{document_id}/deliveries", response={201: DocumentOut})
def deliver(
    request: HttpRequest, document_id: int, payload: DeliveryIn
) -> tuple[int, dict[str, Any]]:
    document = selectors.document_for(request.user, document_id, action="documents.deliver")
    data = payload.dict()
    issue_receipt = data.pop("issue_receipt")
    services.record_delivery(
        actor=request.user,
        document=document,
        data=services.DeliveryInput(**data),
        issue_receipt=issue_receipt,
    )
    document.refresh_from_db()
    return 201, _document(document)


def _file(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/{document_id}/pdf", response={200: None})
def pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for(request.user, document_id)
    return _file(selectors.pdf_bytes(document), f"document-{document.pk}.pdf", "application/pdf")


@router.get("/{document_id}/docx", response={200: None})
def docx(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for(request.user, document_id)
    return _file(
        selectors.docx_bytes(document),
        f"document-{document.pk}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

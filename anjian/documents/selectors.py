"""Reads on documents: always through the jurisdiction scope and the role check.

Also the two read-only products: the case file (all issued documents of a case as one PDF with
its cover, index and page numbers) and the public verification of a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.i18n import chinese
from anjian.core.permissions import user_can
from anjian.documents import previews
from anjian.documents.catalogue import catalogue
from anjian.documents.content import Content
from anjian.documents.layouts import build_content, missing_fields_error
from anjian.documents.models import (
    AgencyProfile,
    DeliveryReceipt,
    Document,
    DocumentEvent,
    DocumentStatus,
)
from anjian.documents.render import (
    page_count,
    render_case_file_pdf,
    render_docx,
    render_pdf,
)
from anjian.registry.models import Agency
from anjian.registry.scope import scope_for


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def documents(user: Any, *, status: str = "", type_id: str = "", q: str = "") -> QuerySet[Document]:
    require(user, "documents.view")
    queryset = Document.objects.visible_to(user).select_related("agency")
    if status:
        queryset = queryset.filter(status=status)
    if type_id:
        queryset = queryset.filter(type_id=type_id)
    if q.strip():
        queryset = queryset.filter(number__contains=q.strip()) | queryset.filter(
            title__contains=q.strip()
        )
    return queryset.order_by("-id")


def document_for(user: Any, pk: Any, *, action: str = "documents.view") -> Document:
    require(user, "documents.view")
    try:
        document: Document = (
            Document.objects.visible_to(user).select_related("agency", "region").get(pk=pk)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action != "documents.view":
        require(user, action)
    return document


def documents_of_subject(user: Any, subject_type: str, subject_id: str) -> QuerySet[Document]:
    require(user, "documents.view")
    return (
        Document.objects.visible_to(user)
        .filter(subject_type=subject_type, subject_id=str(subject_id))
        .order_by("id")
    )


def deliveries(document: Document) -> QuerySet[DeliveryReceipt]:
    return document.deliveries.select_related("receipt_document").order_by("delivered_at", "id")


def events(document: Document) -> QuerySet[DocumentEvent]:
    """The document's status changes, oldest first, with who made them."""
    return document.events.select_related("actor").order_by("id")


# ------------------------------------------------------------------------ agency settings


def own_agency(user: Any) -> Agency:
    """The agency whose document settings ``user`` manages (their own; refused without one)."""
    require(user, "documents.manage_profile")
    scope = scope_for(user)
    if scope.agency_id is None:
        raise PermissionDenied("documents.manage_profile")
    return Agency.objects.get(pk=scope.agency_id)


def profile_of(agency: Any) -> AgencyProfile | None:
    return AgencyProfile.objects.filter(agency=agency).first()


def issuer_of(agency: Any) -> dict[str, str]:
    """The issuer block documents print: the agency's names and its filled-in settings."""
    profile = profile_of(agency)
    issuer = {"agency_name": agency.name, "short_name": agency.short_name}
    if profile is not None:
        issuer.update({k: v for k, v in profile.as_issuer().items() if v})
    return issuer


def full_context(document: Document) -> dict[str, Any]:
    """The stored context with the issuer block: frozen into the context at issue, live before."""
    context = dict(document.context)
    if document.is_draft or "issuer" not in context:
        context["issuer"] = issuer_of(document.agency)
    return context


def lay_out(document: Document, *, number: str | None) -> tuple[Content, list[tuple[str, str]]]:
    document_type = catalogue().type(document.type_id)
    return build_content(
        document_type, full_context(document), number=number, draft=document.is_draft
    )


def receipt_context(document: Document, receipt: DeliveryReceipt) -> dict[str, Any]:
    """The 文书送达回执 of one delivery, from the documents app's own records."""
    type_name = catalogue().type(document.type_id).title_zh
    deliverer = getattr(receipt.recorded_by, "display_name", "") or getattr(
        receipt.recorded_by, "username", ""
    )
    officer = getattr(receipt.recorded_by, "officer", None)
    if officer is not None:
        deliverer = officer.name
    return {
        "documents": [{"title": type_name, "number": document.number}],
        "recipient": receipt.recipient,
        "delivered_at": receipt.delivered_at.isoformat(),
        "place": receipt.place or chinese(receipt.get_method_display()),
        "method": chinese(receipt.get_method_display()),
        "received_by": receipt.received_by,
        "witness": receipt.witness,
        "note": receipt.note or receipt.consent_reference,
        "deliverers": [deliverer],
    }


# ---------------------------------------------------------------------------------- files


def preview_content(document: Document) -> tuple[Content, list[tuple[str, str]]]:
    """A draft's current layout (number line shows where the number will go); an issued one's
    frozen layout."""
    if document.content and not document.is_draft:
        return _content_from_dict(document.content), []
    document_type = catalogue().type(document.type_id)
    content, missing = build_content(
        document_type,
        full_context(document),
        number="（签发时编号）" if document_type.code else None,
        draft=True,
    )
    return content, missing


def _content_from_dict(data: dict[str, Any]) -> Content:
    return Content(
        type_id=data["type"],
        agency=data["agency"],
        title=data["title"],
        number=data["number"],
        blocks=data["blocks"],
        subtitle=data.get("subtitle", ""),
        draft=data.get("draft", False),
        footer_note=data.get("footer_note", ""),
        figures=list(data.get("figures", [])),
    )


def pdf_bytes(document: Document) -> bytes:
    if not document.is_draft and document.pdf:
        with document.pdf.open("rb") as handle:
            return bytes(handle.read())
    content, _ = preview_content(document)
    return render_pdf(content)


def docx_bytes(document: Document) -> bytes:
    if not document.is_draft and document.docx:
        with document.docx.open("rb") as handle:
            return bytes(handle.read())
    content, _ = preview_content(document)
    return render_docx(content)


def preview_png(document: Document, page: int = 1) -> bytes:
    """One page as PNG (the page shows it inline: the CSP forbids framing a PDF); rendered once
    per version of the content and kept for the other pages and requests (``previews``)."""
    content, _ = preview_content(document)
    image = previews.page_png(document.pk, content, page)
    if image is None:
        raise Http404
    return image


def latest_issued(case_key: str, type_ids: tuple[str, ...] | list[str]) -> Document | None:
    """The latest issued, not voided document of these types in a case file (for an upper app that
    already holds the case through its own scoped selector, e.g. to cite the decision's number)."""
    return (
        Document.objects.filter(
            case_key=case_key,
            type_id__in=list(type_ids),
            status__in=[DocumentStatus.ISSUED, DocumentStatus.DELIVERED],
        )
        .order_by("-issued_at", "-id")
        .first()
    )


def latest_issued_of_subject(
    subject_type: str, subject_id: str | int, type_ids: tuple[str, ...] | list[str]
) -> Document | None:
    """The latest issued, not voided document of these types made from one record (e.g. the
    preservation notice a preservation decision cites); the caller holds the record through its
    own scoped selector."""
    return (
        Document.objects.filter(
            subject_type=subject_type,
            subject_id=str(subject_id),
            type_id__in=list(type_ids),
            status__in=[DocumentStatus.ISSUED, DocumentStatus.DELIVERED],
        )
        .order_by("-issued_at", "-id")
        .first()
    )


def case_file_totals(case_key: str) -> tuple[int, int]:
    """How many issued documents a case file holds and their pages (for its cover, 案卷首页)."""
    rows = list(
        Document.objects.filter(
            case_key=case_key, status__in=[DocumentStatus.ISSUED, DocumentStatus.DELIVERED]
        )
        .exclude(type_id__in=["case_file_cover", "case_file_index"])
        .values_list("page_count", flat=True)
    )
    return len(rows), sum(rows)


def agency_contact(agency: Any) -> dict[str, str]:
    """The address and telephone an agency's documents print (its document settings)."""
    profile = profile_of(agency)
    if profile is None:
        return {}
    return {k: v for k, v in {"address": profile.address, "phone": profile.phone}.items() if v}


# ------------------------------------------------------------------------------- case file

HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CaseFileEntry:
    document_id: int
    title: str
    number: str
    date: dt.date | None
    first_page: int
    last_page: int

    @property
    def pages(self) -> str:
        if self.first_page == self.last_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class CaseFile:
    case_key: str
    pdf: bytes
    entries: list[CaseFileEntry]
    page_count: int


def case_file_documents(user: Any, case_key: str) -> list[Document]:
    """The issued (and not voided) documents of a case, in file order (卷内顺序)."""
    require(user, "documents.case_file")
    rows = list(
        Document.objects.visible_to(user)
        .filter(case_key=case_key, status__in=[DocumentStatus.ISSUED, DocumentStatus.DELIVERED])
        .exclude(type_id__in=["case_file_cover", "case_file_index"])
    )
    if not rows:
        raise Http404
    order = {t.id: t.file_order for t in catalogue().types}
    rows.sort(key=lambda d: (order.get(d.type_id, 999), d.issued_at or timezone.now(), d.pk))
    return rows


def assemble_case_file(
    user: Any, case_key: str, *, cover: dict[str, Any] | None = None
) -> CaseFile:
    """案卷: the cover (if the caller gives its fields, or the issued 案卷首页), the index (卷内目录)
    with each document's pages, then the documents themselves, every page numbered top right.

    The documents are drawn again from their frozen content (the same layout engine), so the file
    is PDF/A-2b throughout; each issued PDF's SHA-256 stays the proof of what was issued.
    """
    rows = case_file_documents(user, case_key)
    issued_cover = (
        Document.objects.visible_to(user)
        .filter(
            case_key=case_key,
            type_id="case_file_cover",
            status__in=[DocumentStatus.ISSUED, DocumentStatus.DELIVERED],
        )
        .order_by("-id")
        .first()
    )
    contents = [_content_from_dict(d.content) for d in rows if d.content]
    agency = rows[0].agency
    issuer = issuer_of(agency)
    head: list[Content] = []
    if issued_cover is not None and issued_cover.content:
        head.append(_content_from_dict(issued_cover.content))
    elif cover:
        cover_context = {**cover, "issuer": issuer}
        cover_context.setdefault("document_count", len(rows))
        cover_context.setdefault("page_count", sum(d.page_count for d in rows))
        content, missing = build_content(
            catalogue().type("case_file_cover"), cover_context, number=None
        )
        if missing:
            raise missing_fields_error(missing)
        head.append(content)

    def index_for(start: int) -> tuple[Content, list[CaseFileEntry]]:
        entries: list[CaseFileEntry] = []
        page = start
        for document, body in zip(rows, contents, strict=True):
            count = document.page_count or 1
            entries.append(
                CaseFileEntry(
                    document_id=document.pk,
                    title=body.title
                    if document.type_id
                    not in {"penalty_decision_unit", "penalty_decision_individual"}
                    else catalogue().type(document.type_id).name_zh,
                    number=document.number,
                    date=document.document_date,
                    first_page=page,
                    last_page=page + count - 1,
                )
            )
            page += count
        context = {
            "issuer": issuer,
            "entries": [
                {
                    "title": e.title,
                    "number": e.number,
                    "date": e.date.isoformat() if e.date else "",
                    "pages": e.pages,
                }
                for e in entries
            ],
        }
        content, _ = build_content(catalogue().type("case_file_index"), context, number=None)
        return content, entries

    # The index's own length decides where the documents start: lay it out until it is stable.
    index_pages = 1
    for _ in range(3):
        index, entries = index_for(len(head) + index_pages + 1)
        actual = page_count(render_pdf(index))
        if actual == index_pages:
            break
        index_pages = actual
    pdf = render_case_file_pdf([*head, index, *contents])
    return CaseFile(case_key=case_key, pdf=pdf, entries=entries, page_count=page_count(pdf))


# ---------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    """What the public may learn about a file: only number, type, agency and date."""

    sha256: str
    found: bool
    file_format: str = ""  # "pdf" | "docx"
    number: str = ""
    type_name: str = ""
    agency: str = ""
    issued_on: dt.date | None = None
    is_voided: bool = False
    voided_on: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "found": self.found,
            "format": self.file_format or None,
            "number": self.number or None,
            "type": self.type_name or None,
            "agency": self.agency or None,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "voided": self.is_voided,
            "voided_on": self.voided_on.isoformat() if self.voided_on else None,
        }


def verify(*, data: bytes | None = None, sha256: str = "") -> Verification:
    """Is this file (or this SHA-256) an issued document, and which? Public: no scope, no party data."""
    digest = hashlib.sha256(data).hexdigest() if data is not None else sha256.strip().lower()
    if not HEX64.match(digest):
        raise DomainError(
            "invalid_sha256",
            "请上传文件或填写64位十六进制的SHA-256值。",
            "Upload a file or give a 64-character hexadecimal SHA-256.",
            details=[{"field": "sha256", "message": "SHA-256 格式不正确。"}],
            status=422,
        )
    for file_format, field in (("pdf", "pdf_sha256"), ("docx", "docx_sha256")):
        document = (
            Document.objects.filter(**{field: digest})
            .exclude(status=DocumentStatus.DRAFT)
            .exclude(issued_at__isnull=True)
            .select_related("agency")
            .first()
        )
        if document is not None:
            return Verification(
                sha256=digest,
                found=True,
                file_format=file_format,
                number=document.number,
                type_name=catalogue().type(document.type_id).name_zh,
                agency=document.agency.name,
                issued_on=timezone.localdate(document.issued_at) if document.issued_at else None,
                is_voided=document.status == DocumentStatus.VOIDED,
                voided_on=timezone.localdate(document.voided_at) if document.voided_at else None,
            )
    return Verification(sha256=digest, found=False)

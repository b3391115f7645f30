"""Writes on documents. Each service is one transaction that records its event and audit entry.

The engine takes a plain context (built by the upper app from its record) and a document type:
``issue_document`` drafts, numbers, renders (PDF and DOCX), hashes and freezes in one call; the
pages use the steps separately (``create_draft`` → ``issue`` → ``record_delivery``; ``void``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from anjian.audit import services as audit
from anjian.core.errors import Conflict, DomainError
from anjian.core.i18n import chinese
from anjian.documents.catalogue import DocumentType, catalogue
from anjian.documents.layouts import build_content, missing_fields_error
from anjian.documents.models import (
    AgencyProfile,
    DeliveryMethod,
    DeliveryReceipt,
    Document,
    DocumentCounter,
    DocumentEvent,
    DocumentStatus,
)
from anjian.documents.render import RenderError, page_count, render_docx, render_pdf
from anjian.documents.selectors import full_context, receipt_context
from anjian.documents.selectors import lay_out as lay_out  # the name upper apps' tests use

# ------------------------------------------------------------------------------------ helpers


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON-serialisable in a document context: {type(value).__name__}")


def normalise_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Dates to ISO text, Decimals to text: what is stored is what is rendered."""
    data: dict[str, Any] = json.loads(json.dumps(dict(context), default=_json_default))
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_type_or_error(type_id: str) -> DocumentType:
    try:
        return catalogue().type(type_id)
    except KeyError:
        raise DomainError(
            "unknown_document_type",
            f"未知的文书类型“{type_id}”。",
            f"Unknown document type {type_id!r}.",
            status=422,
        ) from None


def unverified_figures_error(figures: list[dict[str, str]]) -> DomainError:
    """Issuing refused: printed figures come from unverified law data and were not acknowledged."""
    zh = "；".join(f"{f['title']}“{f['figure']}”（{f['article']}）" for f in figures)
    en = "; ".join(f"{f['title_en']} {f['figure']} ({f['version']})" for f in figures)
    return DomainError(
        "unverified_figures_not_acknowledged",
        f"本文书打印的下列数字来自未核实的法规数据：{zh}。请核对后确认，再签发。",
        f"Figures this document prints come from unverified law data: {en}. "
        "Check them and acknowledge this to issue.",
        details=[{"field": "acknowledge_unverified", **f} for f in figures],
        status=422,
    )


def _event(
    document: Document, *, actor: Any, old: str, new: str, action: str, reason: str = ""
) -> None:
    DocumentEvent.objects.create(
        document=document,
        from_status=old,
        to_status=new,
        action=action,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
    )


def _store(prefix: str, suffix: str, data: bytes) -> str:
    name = f"documents/{timezone.localdate():%Y/%m}/{prefix}-{uuid.uuid4().hex}{suffix}"
    return default_storage.save(name, ContentFile(data))


def _audit_view(document: Document) -> dict[str, Any]:
    return audit.snapshot(
        document,
        [
            "type_id",
            "status",
            "number",
            "subject_type",
            "subject_id",
            "case_key",
            "pdf_sha256",
            "docx_sha256",
            "void_reason",
        ],
    )


# ------------------------------------------------------------------------------ agency profile


def _too_long(model: Any, values: Mapping[str, Any]) -> list[dict[str, str]]:
    """Text longer than its column allows (the pages' maxlength does not bind the API)."""
    problems = []
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and len(str(value or "").strip()) > limit:
            label = model._meta.get_field(name).verbose_name
            problems.append({"field": name, "message": f"{label}不得超过{limit}字。"})
    return problems


def save_profile(*, actor: Any, agency: Any, data: Mapping[str, str]) -> AgencyProfile:
    fields = ["review_body", "court", "payment_bank", "payment_account", "address", "phone"]
    problems = _too_long(AgencyProfile, {name: data[name] for name in fields if name in data})
    if problems:
        raise DomainError(
            "profile_invalid",
            "文书设置有误：" + "；".join(p["message"] for p in problems),
            "The document settings are invalid (text too long).",
            details=problems,
            status=422,
        )
    with transaction.atomic():
        profile, _ = AgencyProfile.objects.select_for_update().get_or_create(agency=agency)
        before = audit.snapshot(profile, fields)
        for name in fields:
            if name in data:
                setattr(profile, name, str(data[name] or "").strip())
        profile.save()
        audit.record(
            actor=actor,
            action="documents.save_profile",
            obj=profile,
            before=before,
            after=audit.snapshot(profile, fields),
        )
        return profile


# ----------------------------------------------------------------------------------- numbering


@dataclass(frozen=True)
class AllocatedNumber:
    agency_id: int
    code: str
    year: int
    sequence: int
    text: str


def allocate_number(*, agency: Any, type_id: str, on: dt.date | None = None) -> AllocatedNumber:
    """Take the next number of ``type_id``'s code for ``agency`` in ``on``'s year.

    Must run inside the caller's transaction: the counter row stays locked until it ends, so
    numbers are never duplicated, and a rolled-back transaction gives its number back (gapless).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside a transaction")
    document_type = document_type_or_error(type_id)
    if document_type.code is None:
        raise DomainError(
            "document_not_numbered",
            f"“{document_type.name_zh}”的国家式样不编文号。",
            f"{document_type.name_zh} carries no number in the national format.",
        )
    if not agency.short_name:
        raise DomainError(
            "agency_short_name_missing",
            f"{agency.name}未设置文号简称，不能编号。",
            "The agency has no short name for document numbers.",
        )
    year = (on or timezone.localdate()).year
    # Create the row if it is not there yet, racing safely (ON CONFLICT DO NOTHING), then lock it.
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, code=document_type.code, year=year)],
        ignore_conflicts=True,
    )
    counter = DocumentCounter.objects.select_for_update().get(
        agency=agency, code=document_type.code, year=year
    )
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    text = catalogue().format_number(
        short_name=agency.short_name,
        code=document_type.code,
        year=year,
        sequence=counter.last_sequence,
    )
    return AllocatedNumber(agency.pk, document_type.code, year, counter.last_sequence, text)


def adopt_number(*, agency: Any, type_id: str, text: str) -> AllocatedNumber:
    """Use a number an upper app already gave its record (e.g. inspections' own counter).

    The number must have this agency's short name and the type's code; the counter is moved up to
    it so this engine never hands it out again. Prefer ``allocate_number`` (one counter, gapless).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("adopt_number must run inside a transaction")
    document_type = document_type_or_error(type_id)
    prefix = f"（{agency.short_name}）{catalogue().number_prefix}{document_type.code}〔"
    match = re.fullmatch(re.escape(prefix) + r"(\d{4})〕(\d+)号", text or "")
    if document_type.code is None or match is None:
        raise DomainError(
            "number_format",
            f"文号“{text}”不符合本机关“{document_type.name_zh}”的编号格式。",
            "The number does not match this agency's format for the type.",
        )
    year, sequence = int(match.group(1)), int(match.group(2))
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(agency=agency, code=document_type.code, year=year)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(
        agency=agency, code=document_type.code, year=year
    )
    if counter.last_sequence < sequence:
        counter.last_sequence = sequence
        counter.save(update_fields=["last_sequence"])
    return AllocatedNumber(agency.pk, document_type.code, year, sequence, text)


# ------------------------------------------------------------------------------------- drafts


def create_draft(
    *,
    actor: Any,
    type_id: str,
    agency: Any,
    region: Any,
    subject_type: str,
    subject_id: str | int,
    context: Mapping[str, Any],
    case_key: str = "",
    title: str = "",
) -> Document:
    document_type = document_type_or_error(type_id)
    data = normalise_context(context)
    data.pop("issuer", None)  # the issuer block always comes from the agency's own settings
    with transaction.atomic():
        document = Document.objects.create(
            type_id=document_type.id,
            catalogue_version=catalogue().catalogue_version,
            agency=agency,
            region=region,
            province_code=region.province_code,
            city_code=region.city_code,
            county_code=region.county_code,
            subject_type=subject_type,
            subject_id=str(subject_id),
            case_key=case_key,
            title=title[:200],
            context=data,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _event(document, actor=actor, old="", new=DocumentStatus.DRAFT, action="draft")
        audit.record(
            actor=actor, action="documents.create_draft", obj=document, after=_audit_view(document)
        )
        return document


def refresh_draft(
    *, actor: Any, document: Document, context: Mapping[str, Any], title: str = ""
) -> Document:
    """Replace a draft's context with a fresh one from the record (an issued document is frozen)."""
    data = normalise_context(context)
    data.pop("issuer", None)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not locked.is_draft:
            raise Conflict(
                "document_frozen",
                "文书已签发，内容不可更改。",
                "The document was issued; its content is frozen.",
            )
        before = _audit_view(locked)
        locked.context = data
        if title:
            locked.title = title[:200]
        locked.save(update_fields=["context", "title"])
        audit.record(
            actor=actor,
            action="documents.refresh_draft",
            obj=locked,
            before=before,
            after=_audit_view(locked),
        )
        return locked


# -------------------------------------------------------------------------------------- issue


def issue(
    *,
    actor: Any,
    document: Document,
    number: AllocatedNumber | None = None,
    acknowledge_unverified: bool = False,
) -> Document:
    """Number, render, hash and freeze a draft. A missing required field refuses, naming it.

    A figure printed from a time-limit version marked ``unverified`` refuses too, naming it, unless
    the officer acknowledged it (``acknowledge_unverified``); the audit entry names those figures.
    """
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("agency").get(pk=document.pk)
        if not locked.is_draft:
            raise Conflict(
                "document_already_issued",
                f"文书已签发（{locked.number or locked.pk}），不能重复签发。",
                "The document was already issued.",
            )
        document_type = catalogue().type(locked.type_id)
        context = full_context(locked)
        # Check completeness before a number is taken (nothing to give back on refusal).
        probe, missing = build_content(document_type, context, number="（编号）")
        if missing:
            raise missing_fields_error(missing)
        unverified = probe.unverified_figures
        if unverified and not acknowledge_unverified:
            raise unverified_figures_error(unverified)
        now = timezone.now()
        today = timezone.localdate(now)
        if document_type.code is not None:
            record_number = str(locked.context.get("record_number") or "")
            if number is None and record_number:
                number = adopt_number(
                    agency=locked.agency, type_id=locked.type_id, text=record_number
                )
            if number is None:
                number = allocate_number(agency=locked.agency, type_id=locked.type_id, on=today)
            elif number.agency_id != locked.agency_id or number.code != document_type.code:
                raise DomainError(
                    "number_mismatch",
                    "预留的文号不属于本机关或本类文书。",
                    "The reserved number belongs to another agency or code.",
                )
            locked.code, locked.year, locked.sequence = number.code, number.year, number.sequence
            locked.number = number.text
        locked.status = DocumentStatus.ISSUED
        locked.context = context  # the issuer block is frozen with the rest
        content, _ = build_content(document_type, context, number=locked.number or None)
        try:
            pdf = render_pdf(content, moment=now)
            docx = render_docx(content)
        except RenderError as error:
            raise DomainError(
                "render_failed", str(error), "The document could not be rendered.", status=503
            ) from error
        locked.content = content.as_record()
        locked.pdf_sha256 = sha256_hex(pdf)
        locked.docx_sha256 = sha256_hex(docx)
        locked.page_count = page_count(pdf)
        locked.pdf.name = _store(locked.type_id, ".pdf", pdf)
        locked.docx.name = _store(locked.type_id, ".docx", docx)
        locked.issued_at = now
        locked.issued_by = actor if getattr(actor, "pk", None) else None
        locked.document_date = today
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise Conflict(
                "number_taken", "该文号已被使用。", "This number is already in use."
            ) from None
        _event(
            locked, actor=actor, old=DocumentStatus.DRAFT, new=DocumentStatus.ISSUED, action="issue"
        )
        after = _audit_view(locked)
        if unverified:
            after["unverified_figures_acknowledged"] = [
                {k: f[k] for k in ("title", "figure", "article", "version")} for f in unverified
            ]
        audit.record(actor=actor, action="documents.issue", obj=locked, after=after)
        return locked


def issue_document(
    *,
    actor: Any,
    type_id: str,
    agency: Any,
    region: Any,
    subject_type: str,
    subject_id: str | int,
    context: Mapping[str, Any],
    case_key: str = "",
    title: str = "",
    number: AllocatedNumber | None = None,
    acknowledge_unverified: bool = False,
) -> Document:
    """Draft and issue in one call: what an upper app's service uses when it makes its record.

    Runs in the caller's transaction if there is one (so the upper record and its document commit
    or roll back together).
    """
    with transaction.atomic():
        draft = create_draft(
            actor=actor,
            type_id=type_id,
            agency=agency,
            region=region,
            subject_type=subject_type,
            subject_id=subject_id,
            context=context,
            case_key=case_key,
            title=title,
        )
        return issue(
            actor=actor,
            document=draft,
            number=number,
            acknowledge_unverified=acknowledge_unverified,
        )


def void(*, actor: Any, document: Document, reason: str) -> Document:
    """作废: the document keeps its number (never reused) and records why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "void_reason_required",
            "作废文书必须填写理由。",
            "A reason is required to void a document.",
            details=[{"field": "reason", "message": "请填写作废理由。"}],
            status=422,
        )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == DocumentStatus.VOIDED:
            raise Conflict("document_already_voided", "文书已作废。", "Already voided.")
        before = _audit_view(locked)
        old = locked.status
        locked.status = DocumentStatus.VOIDED
        locked.void_reason = reason[:500]
        locked.voided_at = timezone.now()
        locked.save()
        _event(
            locked, actor=actor, old=old, new=DocumentStatus.VOIDED, action="void", reason=reason
        )
        audit.record(
            actor=actor,
            action="documents.void",
            obj=locked,
            before=before,
            after=_audit_view(locked),
        )
        return locked


# ----------------------------------------------------------------------------------- delivery


@dataclass(frozen=True)
class DeliveryInput:
    method: str
    delivered_at: dt.datetime
    recipient: str
    received_by: str = ""
    place: str = ""
    witness: str = ""
    consent_reference: str = ""
    note: str = ""


def _delivery_problems(data: DeliveryInput) -> list[dict[str, str]]:
    problems = []
    if data.method not in DeliveryMethod.values:
        problems.append({"field": "method", "message": "送达方式无效。"})
    if not data.recipient.strip():
        problems.append({"field": "recipient", "message": "请填写受送达人。"})
    if data.method == DeliveryMethod.ELECTRONIC and not data.consent_reference.strip():
        problems.append(
            {
                "field": "consent_reference",
                "message": "电子送达须经受送达人同意（行政处罚法第六十一条第二款），请填写同意书。",
            }
        )
    if data.method == DeliveryMethod.LEFT_AT_PREMISES and not data.witness.strip():
        problems.append(
            {"field": "witness", "message": "留置送达须有见证人（民事诉讼法第八十九条）。"}
        )
    if (
        data.method in {DeliveryMethod.DIRECT, DeliveryMethod.LEFT_AT_PREMISES}
        and not data.place.strip()
    ):
        problems.append({"field": "place", "message": "请填写送达地点。"})
    problems += _too_long(
        DeliveryReceipt,
        {
            name: getattr(data, name)
            for name in (
                "recipient",
                "received_by",
                "place",
                "witness",
                "consent_reference",
                "note",
            )
        },
    )
    if timezone.is_naive(data.delivered_at):
        problems.append({"field": "delivered_at", "message": "送达时间须带时区。"})
    elif data.delivered_at > timezone.now() + dt.timedelta(minutes=5):
        problems.append({"field": "delivered_at", "message": "送达时间不能晚于现在。"})
    return problems


def record_delivery(
    *,
    actor: Any,
    document: Document,
    data: DeliveryInput,
    scan: bytes | None = None,
    scan_name: str = "",
    issue_receipt: bool = False,
) -> DeliveryReceipt:
    """Record one delivery; the first moves the document to 已送达. Optionally issue its 送达回执."""
    problems = _delivery_problems(data)
    if problems:
        raise DomainError(
            "delivery_invalid",
            "送达记录有误：" + "；".join(p["message"] for p in problems),
            "The delivery record is invalid.",
            details=problems,
            status=422,
        )
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update()
            .select_related("agency", "region")
            .get(pk=document.pk)
        )
        if not locked.is_issued:
            raise Conflict(
                "document_not_issued",
                "只有已签发且未作废的文书才能送达。",
                "Only an issued, non-voided document can be delivered.",
            )
        issued_minute = (locked.issued_at or data.delivered_at).replace(second=0, microsecond=0)
        if data.delivered_at < issued_minute:
            raise DomainError(
                "delivery_before_issue",
                "送达时间早于签发时间。",
                "Delivered before it was issued.",
                details=[{"field": "delivered_at", "message": "送达时间早于签发时间。"}],
                status=422,
            )
        receipt = DeliveryReceipt(
            document=locked,
            method=data.method,
            delivered_at=data.delivered_at,
            recipient=data.recipient.strip(),
            received_by=data.received_by.strip(),
            place=data.place.strip(),
            witness=data.witness.strip(),
            consent_reference=data.consent_reference.strip(),
            note=data.note.strip(),
            recorded_by=actor,
        )
        if scan:
            suffix = "." + scan_name.rsplit(".", 1)[-1].lower()[:5] if "." in scan_name else ""
            receipt.scan.name = _store("receipt", suffix, scan)
            receipt.scan_sha256 = sha256_hex(scan)
        receipt.save()
        if issue_receipt:
            receipt_document = issue_document(
                actor=actor,
                type_id="delivery_receipt",
                agency=locked.agency,
                region=locked.region,
                subject_type="documents.document",
                subject_id=locked.pk,
                context=receipt_context(locked, receipt),
                case_key=locked.case_key,
                title=f"送达回执：{locked.number or locked.title}",
            )
            receipt.receipt_document = receipt_document
            receipt.save(update_fields=["receipt_document"])
        if locked.status == DocumentStatus.ISSUED:
            locked.status = DocumentStatus.DELIVERED
            locked.save(update_fields=["status"])
            _event(
                locked,
                actor=actor,
                old=DocumentStatus.ISSUED,
                new=DocumentStatus.DELIVERED,
                action="deliver",
                reason=chinese(receipt.get_method_display()),
            )
        audit.record(
            actor=actor,
            action="documents.record_delivery",
            obj=receipt,
            after=audit.snapshot(
                receipt,
                ["document", "method", "delivered_at", "recipient", "place", "scan_sha256"],
            ),
        )
        return receipt

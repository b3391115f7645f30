"""Document pages. Thin: authorize through the selectors (scope + role), call one service, render.

A refusal (``PermissionDenied``, any ``DomainError`` a read raises) is left to
``anjian.core.middleware.DomainErrorMiddleware``, which shows it as a page; a service's refusal of
a form is shown as a message next to the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError
from anjian.core.exports import export_response
from anjian.core.pagination import paginate
from anjian.core.permissions import user_can
from anjian.core.xlsx import wants_xlsx
from anjian.documents import selectors, services
from anjian.documents.catalogue import catalogue
from anjian.documents.models import DeliveryMethod, DocumentStatus
from anjian.documents.providers import subject_kind


def _file_response(
    data: bytes, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def _filename(document: Any, suffix: str) -> str:
    name = catalogue().type(document.type_id).name_zh
    return f"{name}{document.number or f'（草稿{document.pk}）'}{suffix}"


@login_required
def document_list(request: HttpRequest) -> HttpResponseBase:
    queryset = selectors.documents(
        request.user,
        status=request.GET.get("status", ""),
        type_id=request.GET.get("type", ""),
        q=request.GET.get("q", ""),
    )
    names = {t.id: t.name_zh for t in catalogue().types}
    if wants_xlsx(request):
        return export_response(request, "documents.documents")
    page = paginate(queryset, request.GET.get("page"), 50)
    rows = [(d, names.get(d.type_id, d.type_id)) for d in page.items]
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("format", None)
    return render(
        request,
        "documents/document_list.html",
        {
            "page": page,
            "rows": rows,
            "types": catalogue().types,
            "statuses": DocumentStatus.choices,
            "query": request.GET,
            "kept_query": kept.urlencode(),
        },
    )


@login_required
def catalogue_page(request: HttpRequest) -> HttpResponse:
    selectors.require(request.user, "documents.view")
    c = catalogue()
    return render(request, "documents/catalogue.html", {"catalogue": c, "types": c.types})


def _document_context(request: HttpRequest, document: Any) -> dict[str, Any]:
    content, missing = selectors.preview_content(document)
    user = request.user
    return {
        "document": document,
        "type": catalogue().type(document.type_id),
        "missing": missing,
        "unverified": content.unverified_figures,
        "pages": range(1, max(1, document.page_count or 1) + 1) if not document.is_draft else [1],
        "deliveries": selectors.deliveries(document),
        "events": selectors.events(document),
        "methods": DeliveryMethod.choices,
        "can_issue": document.is_draft and user_can(user, "documents.issue"),
        "can_void": document.status != DocumentStatus.VOIDED and user_can(user, "documents.void"),
        "can_deliver": document.is_issued and user_can(user, "documents.deliver"),
        "can_refresh": document.is_draft and user_can(user, "documents.draft"),
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    return render(request, "documents/document_detail.html", _document_context(request, document))


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    return _file_response(
        selectors.pdf_bytes(document),
        filename=_filename(document, ".pdf"),
        content_type="application/pdf",
        inline=request.GET.get("inline") == "1",
    )


@login_required
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    return _file_response(
        selectors.docx_bytes(document),
        filename=_filename(document, ".docx"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
def document_page_png(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk)
    return _file_response(
        selectors.preview_png(document, page),
        filename=f"{document.pk}-{page}.png",
        content_type="image/png",
        inline=True,
    )


@login_required
@require_POST
def document_issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk, action="documents.issue")
    try:
        issued = services.issue(
            actor=request.user,
            document=document,
            acknowledge_unverified=request.POST.get("acknowledge_unverified") == "1",
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(
            request,
            gettext("已签发：%(document)s")
            % {"document": issued.number or catalogue().type(issued.type_id).name_zh},
        )
    return redirect("documents:detail", pk=pk)


@login_required
@require_POST
def document_void(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk, action="documents.void")
    try:
        services.void(actor=request.user, document=document, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, gettext("文书已作废，文号保留。"))
    return redirect("documents:detail", pk=pk)


@login_required
@require_POST
def document_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk, action="documents.draft")
    kind = subject_kind(document.subject_type)
    source = kind.build(request.user, document.subject_id, document.type_id)
    try:
        services.refresh_draft(
            actor=request.user, document=document, context=source.context, title=source.title
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, gettext("已按最新记录重新生成草稿。"))
    return redirect("documents:detail", pk=pk)


def parse_local_datetime(text: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(text or "")
    except ValueError:  # well formed but not a real time (2025-02-30T10:00)
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@login_required
@require_POST
def document_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for(request.user, pk, action="documents.deliver")
    delivered_at = parse_local_datetime(request.POST.get("delivered_at", ""))
    scan = request.FILES.get("scan")
    if scan is not None and (scan.size or 0) > settings.ANJIAN_MAX_UPLOAD_BYTES:
        messages.error(request, gettext("扫描件过大。"))
        return redirect("documents:detail", pk=pk)
    if delivered_at is None:
        messages.error(request, gettext("请填写送达时间。"))
        return redirect("documents:detail", pk=pk)
    data = services.DeliveryInput(
        method=request.POST.get("method", ""),
        delivered_at=delivered_at,
        recipient=request.POST.get("recipient", ""),
        received_by=request.POST.get("received_by", ""),
        place=request.POST.get("place", ""),
        witness=request.POST.get("witness", ""),
        consent_reference=request.POST.get("consent_reference", ""),
        note=request.POST.get("note", ""),
    )
    try:
        services.record_delivery(
            actor=request.user,
            document=document,
            data=data,
            scan=scan.read() if scan else None,
            scan_name=(scan.name or "") if scan else "",
            issue_receipt=request.POST.get("issue_receipt") == "1",
        )
    except DomainError as error:
        messages.error(request, error.localized_message)
    else:
        messages.success(request, gettext("已记录送达。"))
    return redirect("documents:detail", pk=pk)


@login_required
def subject_panel(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    """The panel an inspection or case page includes: the documents of the record and buttons to
    generate each applicable type (``{% include "documents/_document_panel.html" %}``)."""
    kind = subject_kind(subject_type)
    existing = list(selectors.documents_of_subject(request.user, subject_type, subject_id))
    kind.build(request.user, subject_id, kind.document_types[0])  # 404 outside the scope
    names = {t.id: t.name_zh for t in catalogue().types}
    return render(
        request,
        "documents/_panel_body.html",
        {
            "kind": kind,
            "subject_id": subject_id,
            "types": [(t, names[t]) for t in kind.document_types],
            "documents": [(d, names.get(d.type_id, d.type_id)) for d in existing],
            "can_draft": user_can(request.user, "documents.draft"),
        },
    )


@login_required
@require_POST
def subject_generate(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    kind = subject_kind(subject_type)
    type_id = request.POST.get("type_id", "")
    if type_id not in kind.document_types:
        raise Http404
    selectors.require(request.user, "documents.draft")
    source = kind.build(request.user, subject_id, type_id)
    document = services.create_draft(
        actor=request.user,
        type_id=type_id,
        agency=source.agency,
        region=source.region,
        subject_type=subject_type,
        subject_id=subject_id,
        context=source.context,
        case_key=source.case_key,
        title=source.title,
    )
    return redirect("documents:detail", pk=document.pk)


@login_required
def case_file_pdf(request: HttpRequest, case_key: str) -> HttpResponse:
    case_file = selectors.assemble_case_file(request.user, case_key)
    return _file_response(
        case_file.pdf,
        filename=f"案卷-{case_key.replace(':', '-')}.pdf",
        content_type="application/pdf",
        inline=request.GET.get("inline") == "1",
    )


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Public: is this file an issued document? Shows number, type, agency and date only."""
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                if (upload.size or 0) > settings.ANJIAN_MAX_UPLOAD_BYTES:
                    raise DomainError("file_too_large", "文件过大。", "File too large.")
                result = selectors.verify(data=upload.read())
            else:
                result = selectors.verify(sha256=request.POST.get("sha256", ""))
        except DomainError as problem:
            error = problem.localized_message
    return render(request, "documents/verify.html", {"result": result, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    agency = selectors.own_agency(request.user)
    if request.method == "POST":
        try:
            services.save_profile(actor=request.user, agency=agency, data=request.POST.dict())
        except DomainError as error:
            messages.error(request, error.localized_message)
            # The typed values stay in the form (nothing was saved).
            return render(
                request, "documents/profile.html", {"agency": agency, "profile": request.POST}
            )
        messages.success(request, gettext("已保存。"))
        return redirect("documents:profile")
    profile = selectors.profile_of(agency)
    return render(request, "documents/profile.html", {"agency": agency, "profile": profile})

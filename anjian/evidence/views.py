"""Evidence pages: one evidence item (files, custody trail), the verified download, preservations.

Thin: authorize through the selectors (scope + role), call one service, render. Evidence is
created from the case page (anjian.cases), which links it to the case and its elements.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anjian.core.errors import DomainError
from anjian.core.permissions import user_can
from anjian.evidence import selectors, services
from anjian.evidence.models import CustodyAction, PreservationDecision
from anjian.evidence.services import CUSTODY_NEXT


def _parse_datetime(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for(request.user, pk)
    next_actions = [
        (action, CustodyAction(action).label)
        for action in CustodyAction.values
        if action in CUSTODY_NEXT[evidence.custody_status]
    ]
    return render(
        request,
        "evidence/evidence_detail.html",
        {
            "evidence": evidence,
            "custody_actions": next_actions,
            "can_collect": user_can(request.user, "evidence.collect"),
            "can_custody": user_can(request.user, "evidence.record_custody"),
            "can_exclude": user_can(request.user, "evidence.exclude"),
            "preservations": evidence.preservations.all(),
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )


@login_required
@require_POST
def upload_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for(request.user, pk)
    selectors.require(request.user, "evidence.collect")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            record = services.attach_file(actor=request.user, evidence=evidence, upload=upload)
            messages.success(
                request,
                _("已上传“%(name)s”，SHA-256 %(sha256)s。")
                % {"name": record.original_name, "sha256": record.sha256},
            )
        except DomainError as error:
            messages.error(request, error.localized_message)
    return redirect("evidence:detail", pk=evidence.pk)


@login_required
def download_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence_file = selectors.file_for(request.user, pk)
    services.verify_for_download(actor=request.user, evidence_file=evidence_file)
    handle = default_storage.open(evidence_file.file.name, "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_file.original_name,
        content_type=evidence_file.content_type,
    )
    response["X-Content-SHA256"] = evidence_file.sha256
    return response


@login_required
@require_POST
def record_custody(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for(request.user, pk)
    selectors.require(request.user, "evidence.record_custody")
    occurred_at = _parse_datetime(request.POST.get("occurred_at", ""))
    if occurred_at is None:
        messages.error(request, _("请填写有效的发生时间。"))
        return redirect("evidence:detail", pk=evidence.pk)
    try:
        services.record_custody(
            actor=request.user,
            evidence=evidence,
            action=request.POST.get("action", ""),
            occurred_at=occurred_at,
            to_holder=request.POST.get("to_holder", ""),
            place=request.POST.get("place", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已记录保管情况。"))
    except DomainError as error:
        messages.error(request, error.localized_message)
    return redirect("evidence:detail", pk=evidence.pk)


@login_required
@require_POST
def exclude(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for(request.user, pk)
    selectors.require(request.user, "evidence.exclude")
    try:
        services.exclude_evidence(
            actor=request.user, evidence=evidence, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已将该证据排除，不再作为认定事实的根据。"))
    except DomainError as error:
        messages.error(request, error.localized_message)
    return redirect("evidence:detail", pk=evidence.pk)


@login_required
@require_http_methods(["GET", "POST"])
def preservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    preservation = selectors.preservation_for(request.user, pk)
    error = None
    if request.method == "POST":
        selectors.require(request.user, "evidence.preserve")
        decided_on = _parse_date(request.POST.get("decided_on", ""))
        try:
            selectors.refuse_outside_owner(preservation)
            if decided_on is None:
                raise DomainError("invalid_date", "请填写有效的处理决定日期。", "Invalid date.")
            services.decide_preservation(
                actor=request.user,
                preservation=preservation,
                decision=request.POST.get("decision", ""),
                decided_on=decided_on,
                note=request.POST.get("note", ""),
                late_reason=request.POST.get("late_reason", ""),
            )
            messages.success(request, _("已记录处理决定。"))
            return redirect("evidence:preservation_detail", pk=preservation.pk)
        except DomainError as exc:
            error = exc
    today = timezone.localdate()
    days_left = (preservation.due_on - today).days if preservation.due_on else None
    owner = selectors.preservation_owner(preservation)
    return render(
        request,
        "evidence/preservation_detail.html",
        {
            "p": preservation,
            "error": error,
            "decisions": PreservationDecision.choices,
            "days_left": days_left,
            "today": today.isoformat(),
            "can_decide": owner is None
            and user_can(request.user, "evidence.preserve")
            and preservation.is_open,
            "owner": owner,
        },
    )

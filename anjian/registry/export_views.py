"""Pages of the background list exports (``anjian/registry/export_jobs.py``): thin views."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anjian.core.errors import DomainError
from anjian.core.exports import (
    background_threshold,
    clean_filters,
    export_list,
    max_background_rows,
    require_export,
)
from anjian.core.pagination import paginate
from anjian.core.xlsx import XLSX_CONTENT_TYPE
from anjian.registry import export_jobs
from anjian.registry.models import ExportJob


@login_required
@require_http_methods(["GET", "POST"])
def export_new(request: HttpRequest) -> HttpResponseBase:
    """GET: what would be exported (list, filters, row count) and a button; POST: queue it."""
    data = request.POST if request.method == "POST" else request.GET
    spec = export_list(data.get("list", ""))
    if request.method == "POST":
        job = export_jobs.start_export(
            actor=request.user, list_name=spec.name, filters=data, strict=False
        )
        messages.success(request, _("已开始在后台生成导出文件。"))
        return redirect("registry:export_job", pk=job.pk)
    require_export(request.user, spec)
    filters = clean_filters(spec, data, strict=False)
    limit = max_background_rows()
    count = spec.queryset(request.user, filters)[: limit + 1].count()
    return render(
        request,
        "registry/export_new.html",
        {
            "spec": spec,
            "filters": sorted(filters.items()),
            "count": count,
            "limit": limit,
            "too_large": count > limit,
            "threshold": background_threshold(),
        },
    )


@login_required
@require_GET
def export_list_page(request: HttpRequest) -> HttpResponseBase:
    page = paginate(export_jobs.export_jobs(request.user), request.GET.get("page"), 20)
    return render(
        request,
        "registry/export_list.html",
        {"page": page, "retention_days": export_jobs.retention_days()},
    )


@login_required
@require_GET
def export_job(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = export_jobs.export_job_for(request.user, pk)
    return render(request, "registry/export_job.html", _job_context(job))


@login_required
@require_GET
def export_job_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The polled partial: status, progress and (once finished) the download link."""
    job = export_jobs.export_job_for(request.user, pk)
    return render(request, "registry/_export_progress.html", _job_context(job))


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = export_jobs.export_job_for(request.user, pk)
    return file_response(job)


def file_response(job: ExportJob) -> FileResponse:
    response = FileResponse(
        export_jobs.export_file(job),
        as_attachment=True,
        filename=export_jobs.download_name(job),
        content_type=XLSX_CONTENT_TYPE,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _job_context(job: ExportJob) -> dict[str, object]:
    spec_url = ""
    with contextlib.suppress(DomainError):  # a list no longer registered: no link back
        spec_url = export_list(job.list_name).list_url_name
    return {"job": job, "filters": export_jobs.filter_description(job), "list_url_name": spec_url}

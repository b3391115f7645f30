"""Pages for the Excel import of enterprises and the .xlsx exports of the registry lists.

Thin, like ``views.py``: authorize (role through ``require``, jurisdiction through the scoped
selectors), call one service or selector, render or stream.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from anjian.core.errors import DomainError
from anjian.core.exports import export_response
from anjian.core.pagination import paginate
from anjian.core.xlsx import XLSX_CONTENT_TYPE, file_response
from anjian.registry import imports, selectors
from anjian.registry.models import ImportJob


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("单位名录文件（.xlsx，或UTF-8编码的.csv）"),
        allow_empty_file=True,  # the import explains an empty file itself
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


# ---------------------------------------------------------------------------------------------
# Import


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponseBase:
    selectors.require(request.user, imports.PERMISSION)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", error.localized_message)
        else:
            messages.success(
                request, _("已上传“%(name)s”，正在后台校验。") % {"name": job.original_name}
            )
            return redirect("registry:import_job", pk=job.pk)
    page = paginate(imports.import_jobs(request.user), request.GET.get("page"), 20)
    return render(
        request,
        "registry/import_page.html",
        {
            "form": form,
            "page": page,
            "columns": imports.COLUMNS,
            "max_rows": imports.max_rows(),
            "max_mb": imports.max_bytes() // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    selectors.require(request.user, imports.PERMISSION)
    buffer = io.BytesIO()
    imports.build_template(buffer)
    buffer.seek(0)
    return file_response(buffer, filename="生产经营单位导入模板.xlsx")


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = imports.import_job_for(request.user, pk)
    return render(request, "registry/import_job.html", {"job": job})


@login_required
@require_GET
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The polled partial: status, progress and (once finished) the outcome."""
    job = imports.import_job_for(request.user, pk)
    return render(request, "registry/_import_progress.html", {"job": job})


@login_required
@require_GET
def import_job_errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = imports.import_job_for(request.user, pk)
    return error_report_response(job)


def error_report_response(job: ImportJob) -> FileResponse:
    if not job.error_report:
        raise Http404
    try:
        handle = job.error_report.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"导入问题清单_{job.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Exports


@login_required
@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponseBase:
    """The list's rows as .xlsx (at once when small; otherwise the background export page)."""
    return export_response(request, "registry.enterprises")


@login_required
@require_GET
def agency_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, "registry.agencies")


@login_required
@require_GET
def officer_export(request: HttpRequest) -> HttpResponseBase:
    return export_response(request, "registry.officers")

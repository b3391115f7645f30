"""API for the Excel import of enterprises and the .xlsx exports (mounted on the registry router).

``register(router)`` is called by ``anjian/registry/api.py`` BEFORE its ``/enterprises/{id}``
routes, so that ``/enterprises/export.xlsx`` is matched first.

    POST /api/v1/registry/imports                  multipart ``file`` → 202 and the job
    GET  /api/v1/registry/imports                  the jobs of the caller's jurisdiction
    GET  /api/v1/registry/imports/{id}             status and progress
    GET  /api/v1/registry/imports/{id}/errors      the error report (.xlsx)
    GET  /api/v1/registry/imports/template.xlsx    the template
    GET  /api/v1/registry/enterprises/export.xlsx  ?q=&region_code=&industry_code=&status=&risk_grade=&tag=&supervising_agency_id=
    GET  /api/v1/registry/agencies/export.xlsx
    GET  /api/v1/registry/officers/export.xlsx
    POST /api/v1/registry/exports                  {"list": "registry.enterprises", "filters": {...}} → 202
    GET  /api/v1/registry/exports                  the caller's own export jobs
    GET  /api/v1/registry/exports/{id}             status and progress (someone else's job: 404)
    GET  /api/v1/registry/exports/{id}/file        the finished file (.xlsx)
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from anjian.core.exports import export_list, file_name
from anjian.core.i18n import chinese
from anjian.core.pagination import paginate
from anjian.core.xlsx import XLSX_CONTENT_TYPE, file_response, xlsx_response
from anjian.registry import export_jobs, exports, imports, selectors
from anjian.registry.export_views import file_response as export_file_response
from anjian.registry.io_views import error_report_response
from anjian.registry.models import ExportJob, ImportJob
from anjian.registry.selectors import EnterpriseFilters, require

XLSX_RESPONSE = {
    "responses": {
        200: {
            "description": "An .xlsx workbook",
            "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class ImportProblemOut(Schema):
    row: int
    column: str
    value: str
    problem: str


class ImportJobOut(Schema):
    id: int
    status: str
    status_label: str
    file_name: str
    file_sha256: str
    file_size: int
    total_rows: int
    processed_rows: int
    percent: int | None
    created_rows: int
    error_count: int
    errors: list[ImportProblemOut]
    errors_url: str | None
    message: str
    message_en: str
    created_by: str
    agency: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportJobPage(Schema):
    items: list[ImportJobOut]
    page: int
    page_size: int
    has_next: bool


def job_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": chinese(job.get_status_display()),
        "file_name": job.original_name,
        "file_sha256": job.file_sha256,
        "file_size": job.file_size,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "created_rows": job.created_rows,
        "error_count": job.error_count,
        "errors": job.errors_preview or [],
        "errors_url": f"/api/v1/registry/imports/{job.pk}/errors" if job.error_report else None,
        "message": job.message,
        "message_en": job.message_en,
        "created_by": job.created_by.username,
        "agency": job.agency.name if job.agency else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


class ExportIn(Schema):
    list: str
    filters: dict[str, Any] = {}


class ExportJobOut(Schema):
    id: int
    list: str
    title: str
    filters: dict[str, Any]
    status: str
    status_label: str
    total_rows: int
    processed_rows: int
    percent: int | None
    row_count: int
    file_url: str | None
    file_sha256: str
    file_size: int
    message: str
    message_en: str
    created_by: str
    agency: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None


class ExportJobPage(Schema):
    items: list[ExportJobOut]
    page: int
    page_size: int
    has_next: bool


def export_job_out(job: ExportJob) -> dict[str, Any]:
    ready = job.status == "succeeded" and bool(job.file)
    return {
        "id": job.pk,
        "list": job.list_name,
        "title": job.title,
        "filters": job.filters or {},
        "status": job.status,
        "status_label": chinese(job.get_status_display()),
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "row_count": job.row_count,
        "file_url": f"/api/v1/registry/exports/{job.pk}/file" if ready else None,
        "file_sha256": job.file_sha256,
        "file_size": job.file_size,
        "message": job.message,
        "message_en": job.message_en,
        "created_by": job.created_by.username,
        "agency": job.agency.name if job.agency else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
    }


class ExportQuery(Schema):
    q: str = ""
    region_code: str = ""
    industry_code: str = ""
    status: str = ""
    risk_grade: str = ""
    tag: str = ""
    supervising_agency_id: int | None = None


def register(router: Router) -> None:
    @router.get(
        "/enterprises/export.xlsx",
        summary="Export the filtered enterprise list (.xlsx, at most 200,000 rows)",
        openapi_extra=XLSX_RESPONSE,
    )
    def export_enterprises(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponseBase:
        require(request.user, exports.PERMISSION)
        queryset = selectors.enterprises(
            request.user,
            EnterpriseFilters(
                q=query.q,
                region_code=query.region_code,
                industry_code=query.industry_code,
                status=query.status,
                risk_grade=query.risk_grade,
                tag=query.tag,
                supervising_agency_id=query.supervising_agency_id,
            ),
        )
        exports.check_size(queryset)
        return xlsx_response(
            filename=file_name(export_list("registry.enterprises")),
            headers=exports.ENTERPRISE_HEADERS,
            rows=exports.enterprise_rows(queryset),
            sheet_title="生产经营单位",
            column_widths=exports.ENTERPRISE_WIDTHS,
        )

    @router.get(
        "/agencies/export.xlsx", summary="Export the agency list", openapi_extra=XLSX_RESPONSE
    )
    def export_agencies(request: HttpRequest) -> HttpResponseBase:
        require(request.user, exports.PERMISSION)
        queryset = selectors.agencies(request.user)
        exports.check_size(queryset)
        return xlsx_response(
            filename=file_name(export_list("registry.agencies")),
            headers=exports.AGENCY_HEADERS,
            rows=exports.agency_rows(queryset),
            sheet_title="执法机构",
            column_widths=exports.AGENCY_WIDTHS,
        )

    @router.get(
        "/officers/export.xlsx", summary="Export the officer list", openapi_extra=XLSX_RESPONSE
    )
    def export_officers(request: HttpRequest) -> HttpResponseBase:
        require(request.user, exports.PERMISSION)
        queryset = selectors.officers(request.user)
        exports.check_size(queryset)
        return xlsx_response(
            filename=file_name(export_list("registry.officers")),
            headers=exports.OFFICER_HEADERS,
            rows=exports.officer_rows(queryset),
            sheet_title="执法人员",
            column_widths=exports.OFFICER_WIDTHS,
        )

    @router.post(
        "/exports",
        response={202: ExportJobOut},
        summary="Export a registered list in the background (.xlsx; any size up to 2,000,000 rows)",
    )
    def create_export(request: HttpRequest, payload: ExportIn) -> tuple[int, dict[str, Any]]:
        job = export_jobs.start_export(
            actor=request.user, list_name=payload.list, filters=payload.filters
        )
        return 202, export_job_out(export_jobs.export_job_for(request.user, job.pk))

    @router.get("/exports", response=ExportJobPage, summary="Your own export jobs")
    def list_exports(request: HttpRequest, page: int = 1) -> dict[str, Any]:
        result = paginate(export_jobs.export_jobs(request.user), page, 50)
        return result.body([export_job_out(job) for job in result.items])

    @router.get("/exports/{int:job_id}", response=ExportJobOut, summary="An export job of yours")
    def get_export(request: HttpRequest, job_id: int) -> dict[str, Any]:
        return export_job_out(export_jobs.export_job_for(request.user, job_id))

    @router.get(
        "/exports/{int:job_id}/file",
        summary="The finished export file (.xlsx)",
        openapi_extra=XLSX_RESPONSE,
    )
    def get_export_file(request: HttpRequest, job_id: int) -> HttpResponseBase:
        return export_file_response(export_jobs.export_job_for(request.user, job_id))

    @router.post(
        "/imports",
        response={202: ImportJobOut},
        summary="Upload an enterprise directory (.xlsx or UTF-8 .csv) for import",
    )
    def create_import(request: HttpRequest, file: File[UploadedFile]) -> tuple[int, dict[str, Any]]:
        job = imports.start_import(actor=request.user, upload=file)
        return 202, job_out(imports.import_job_for(request.user, job.pk))

    @router.get("/imports", response=ImportJobPage, summary="Import jobs in your jurisdiction")
    def list_imports(request: HttpRequest, page: int = 1) -> dict[str, Any]:
        result = paginate(imports.import_jobs(request.user), page, 50)
        return result.body([job_out(job) for job in result.items])

    @router.get(
        "/imports/template.xlsx", summary="The import template", openapi_extra=XLSX_RESPONSE
    )
    def import_template(request: HttpRequest) -> HttpResponseBase:
        require(request.user, imports.PERMISSION)
        buffer = io.BytesIO()
        imports.build_template(buffer)
        buffer.seek(0)
        return file_response(buffer, filename="生产经营单位导入模板.xlsx")

    @router.get("/imports/{int:job_id}", response=ImportJobOut, summary="Status and progress")
    def get_import(request: HttpRequest, job_id: int) -> dict[str, Any]:
        return job_out(imports.import_job_for(request.user, job_id))

    @router.get(
        "/imports/{int:job_id}/errors",
        summary="The error report of a rejected import (.xlsx)",
        openapi_extra=XLSX_RESPONSE,
    )
    def get_import_errors(request: HttpRequest, job_id: int) -> HttpResponseBase:
        return error_report_response(imports.import_job_for(request.user, job_id))

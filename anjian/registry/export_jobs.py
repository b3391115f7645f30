"""List exports in the background (issue 2: "export of any list to xlsx", at a province's size).

A list registered with ``anjian.core.exports`` is exported by name with its filters as data:
``start_export`` checks the request (the list exists, the filters are its own, the user may export
it and the filters are valid: the queryset is built once, not read), stores an ``ExportJob`` row and
queues ``run_export_task`` in the same transaction. A worker (``anjian db_worker``) claims the job
(queued → running, a conditional update), rebuilds the queryset FOR THE REQUESTING USER AS THEY ARE
NOW (their active flag, roles and jurisdiction read again from the database: ``visible_to`` through
the list's selector), and streams the rows (``.iterator(chunk_size=...)`` inside the list's row
function) into an openpyxl write-only workbook in a temporary file: memory stays flat. The file is
then stored under MEDIA_ROOT (``exports/``; shared storage in a cluster) with its SHA-256, and the
job succeeds with one audit entry (``registry.export_list``: list, filters, rows, SHA-256).

Only the requester reads a job and downloads its file: the rows are what THEY may see (a head of
the same agency may hold a different temporary grant), so for anyone else the job does not exist.
Files are kept ``ANJIAN_EXPORT_RETENTION_DAYS`` (default 7) and then deleted by
``anjian expire_exports`` (run daily from cron), which marks the job ``expired``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.core.exports import (
    ExportList,
    clean_filters,
    export_list,
    max_background_rows,
    require_export,
)
from anjian.core.xlsx import XlsxWriter
from anjian.registry.models import ExportJob, ExportStatus
from anjian.registry.scope import scope_for

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5000  # rows between progress writes
DEFAULT_RETENTION_DAYS = 7
STALE_AFTER = dt.timedelta(hours=12)  # a job running this long lost its worker


def retention_days() -> int:
    return int(getattr(settings, "ANJIAN_EXPORT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


class ExportFailed(DomainError):
    pass


# ---------------------------------------------------------------------------------------------
# Starting


def start_export(*, actor: Any, list_name: Any, filters: Any, strict: bool = True) -> ExportJob:
    """Queue a background export of ``list_name`` with ``filters``. Raises DomainError (422) for an
    unknown list or filter, a bad filter value, and PermissionDenied without the list's right."""
    spec = export_list(list_name)
    if filters is None:
        filters = {}
    if not isinstance(filters, Mapping):
        raise DomainError(
            "export_bad_filter",
            '筛选条件应为“名称: 值”的对象，例如 {"region_code": "320102"}。',
            'Filters must be an object of name: value, e.g. {"region_code": "320102"}.',
            status=422,
        )
    require_export(actor, spec)
    cleaned = clean_filters(spec, filters, strict=strict)
    spec.queryset(actor, cleaned)  # the builder checks the filter values and the list's own right
    scope = scope_for(actor)
    with transaction.atomic():
        job = ExportJob.objects.create(
            created_by=actor,
            agency_id=scope.agency_id,
            list_name=spec.name,
            title=spec.title,
            filters=cleaned,
        )
        audit.record(
            actor=actor,
            action="registry.queue_export",
            obj=job,
            after={"list": spec.name, "filters": cleaned, "agency_id": job.agency_id},
        )
        # Queued in the same transaction as the job: a worker never sees one without the other.
        from anjian.registry.tasks import run_export_task

        run_export_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def background_page_url(name: str, filters: Mapping[str, str]) -> str:
    """Where a list page sends an export too large to write within the request."""
    return reverse("registry:export_new") + "?" + urlencode({"list": name, **filters})


# ---------------------------------------------------------------------------------------------
# Reads: the requester's own jobs only (anyone else: 404)


def export_jobs(user: Any) -> QuerySet[ExportJob]:
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return (
        ExportJob.objects.visible_to(user)
        .filter(created_by=user)
        .select_related("created_by", "agency")
        .order_by("-id")
    )


def export_job_for(user: Any, pk: Any) -> ExportJob:
    try:
        job: ExportJob = export_jobs(user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return job


def export_file(job: ExportJob) -> Any:
    """The finished job's file, opened; 404 when not ready or expired."""
    if job.status != ExportStatus.SUCCEEDED or not job.file:
        raise Http404
    try:
        return job.file.open("rb")
    except OSError:
        raise Http404 from None


def download_name(job: ExportJob) -> str:
    finished = timezone.localtime(job.finished_at or job.created_at)
    return f"{job.title}_{finished:%Y%m%d}_{job.pk}.xlsx"


def filter_description(job: ExportJob) -> list[tuple[str, str]]:
    return sorted((str(key), str(value)) for key, value in (job.filters or {}).items())


# ---------------------------------------------------------------------------------------------
# Running (the worker)


def run_export(job_id: int) -> None:
    """Write one queued export. Idempotent: a job already claimed is left alone."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ExportJob.objects.get(pk=job_id)
    try:
        _run(job)
    except DomainError as error:
        _fail(job, error.message, error.message_en)
    except Exception:
        logger.exception("export job %s failed", job_id)
        _fail(
            job,
            "生成导出文件时发生内部错误，未生成文件。错误已记录，请联系系统管理员。",
            "Internal error while writing the export; no file was made. It was logged.",
        )
        raise


def _fail(job: ExportJob, message: str, message_en: str, *, now: dt.datetime | None = None) -> bool:
    """The job ends as failed, with one audit entry (the system's: no one acted)."""
    with transaction.atomic():
        failed = (
            ExportJob.objects.filter(pk=job.pk)
            .exclude(status__in=[ExportStatus.SUCCEEDED, ExportStatus.EXPIRED])
            .update(
                status=ExportStatus.FAILED,
                message=message[:500],
                message_en=message_en[:500],
                finished_at=now or timezone.now(),
            )
        )
        if failed:
            audit.record(
                actor=None,
                action="registry.export_failed",
                obj=job,
                after={"list": job.list_name, "filters": job.filters, "message": message[:500]},
            )
    return bool(failed)


def _requester(job: ExportJob) -> Any:
    """The requesting user read afresh: roles and scope are computed now, not remembered."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=job.created_by_id)
    if not user.is_active:
        raise ExportFailed(
            "export_user_inactive",
            "导出人的账号已停用，未生成文件。",
            "The requesting account is disabled; no file was made.",
        )
    return user


def _run(job: ExportJob) -> None:
    user = _requester(job)
    spec = export_list(job.list_name)
    require_export(user, spec)
    queryset = spec.queryset(user, job.filters or {})
    limit = max_background_rows()
    total = queryset[: limit + 1].count()
    if total > limit:
        raise ExportFailed(
            "export_too_large",
            f"符合条件的记录超过{limit:,}条，超出后台导出的上限。请增加筛选条件（如区划、行业）"
            "分批导出。",
            f"More than {limit:,} rows match, over the background export limit; narrow the filter.",
        )
    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(total_rows=total)
    with tempfile.TemporaryFile() as buffer:
        # Data is Chinese whatever the requester's page language (choice labels in the rows).
        with translation.override("zh-hans"):
            rows = write_workbook(buffer, spec, _counted(job, spec.rows(queryset)))
        buffer.seek(0)
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: buffer.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        buffer.seek(0)
        job.file.save(f"{job.pk}.xlsx", File(buffer), save=False)
    now = timezone.now()
    try:
        with transaction.atomic():
            moved = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                status=ExportStatus.SUCCEEDED,
                file=job.file.name,
                file_sha256=digest.hexdigest(),
                file_size=size,
                row_count=rows,
                processed_rows=rows,
                total_rows=rows,
                finished_at=now,
                expires_at=now + dt.timedelta(days=retention_days()),
                message="",
                message_en="",
            )
            if not moved:  # expired or failed meanwhile (a stale job swept): keep no file
                raise ExportFailed("export_not_running", "导出任务已被终止。", "Job was stopped.")
            audit.record(
                actor=user,
                action="registry.export_list",
                obj=job,
                after={
                    "list": spec.name,
                    "filters": job.filters,
                    "rows": rows,
                    "sha256": digest.hexdigest(),
                    "size": size,
                },
            )
    except BaseException:
        job.file.delete(save=False)
        raise


def write_workbook(target: Any, spec: ExportList, rows: Iterable[Sequence[Any]]) -> int:
    writer = XlsxWriter(
        target, headers=spec.headers, sheet_title=spec.title, column_widths=spec.column_widths
    )
    for row in rows:
        writer.append(row)
    writer.close()
    return writer.rows


def _counted(job: ExportJob, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The rows, writing progress every ``PROGRESS_EVERY`` rows (a conditional update)."""
    for count, row in enumerate(rows, start=1):
        yield row
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                processed_rows=count
            )


# ---------------------------------------------------------------------------------------------
# Expiry (``anjian expire_exports``)


def expire_exports(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete the files of jobs past ``expires_at`` (the job row stays, ``expired``) and fail jobs
    left running longer than ``STALE_AFTER`` by a lost worker. Returns (expired, failed)."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(
        status=ExportStatus.SUCCEEDED, expires_at__lte=now
    ).iterator(chunk_size=500):
        with transaction.atomic():
            moved = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.SUCCEEDED).update(
                status=ExportStatus.EXPIRED, file=""
            )
            if moved:
                audit.record(
                    actor=None,
                    action="registry.expire_export",
                    obj=job,
                    after={"file": job.file.name, "sha256": job.file_sha256},
                )
        if moved and job.file:
            job.file.delete(save=False)  # after the commit: a succeeded row never lacks its file
        expired += moved
    failed = 0
    for job in ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lte=now - STALE_AFTER
    ).iterator(chunk_size=500):
        failed += _fail(
            job,
            "导出任务超时未完成（后台进程可能已停止），请重新导出。",
            "The export did not finish in time (its worker may have stopped); start again.",
            now=now,
        )
    return expired, failed

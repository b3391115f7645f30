"""Background tasks of the registry (the Django tasks API; the ``db_worker`` command runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(job_id: int) -> None:
    """Validate and import one uploaded enterprise directory (see ``anjian.registry.imports``)."""
    from anjian.registry.imports import run_import

    run_import(job_id)


@task()
def run_export_task(job_id: int) -> None:
    """Write one queued list export (see ``anjian.registry.export_jobs``)."""
    from anjian.registry.export_jobs import run_export

    run_export(job_id)

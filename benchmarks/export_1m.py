"""Benchmark: a background export of the province's whole enterprise list (1,000,000 rows).

    .venv/bin/python benchmarks/export_1m.py [--postgres postgres://postgres@127.0.0.1:5432/anjian_bench_registry]

What it does, against an EXISTING database that holds the enterprises (the registry benchmark
database: ``anjian_bench_registry``, one million enterprises, seeded by ``anjian seed``):

1. ``anjian migrate`` (adds the export job table when missing; nothing else is changed);
2. in one subprocess, as the provincial officer ``sheng``: ``start_export`` of the list
   ``registry.enterprises`` without filters (what the page's button and ``POST /api/v1/registry/exports``
   call), with the database task backend: a job row and a task row;
3. the real worker, ``anjian db_worker --batch --max-tasks 1``, in its own process: its wall time and
   peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``); an idle worker
   (``--batch`` with an empty queue) gives the baseline;
4. checks the result: the job succeeded with as many rows as the scoped queryset counts, the file's
   SHA-256 matches, and the worksheet holds that many data rows (counted in the zip stream);
5. writes ``docs/benchmarks/export_1m.json`` with the machine description, then deletes the file
   (MEDIA_ROOT is a temporary directory).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "export_1m.json"
ANJIAN = [str(ROOT / ".venv" / "bin" / "anjian")]

START = """
import django, json
django.setup()
from django.contrib.auth import get_user_model
from anjian.registry.export_jobs import start_export
user = get_user_model().objects.get(username={username!r})
job = start_export(actor=user, list_name="registry.enterprises", filters={{}})
print(json.dumps({{"job": job.pk}}))
"""

RESULT = """
import django, json
django.setup()
from django.contrib.auth import get_user_model
from anjian.registry.models import ExportJob, Enterprise
job = ExportJob.objects.get(pk={job})
user = get_user_model().objects.get(pk=job.created_by_id)
print(json.dumps({{
    "status": job.status, "message": job.message, "rows": job.row_count,
    "visible": Enterprise.objects.visible_to(user).count(),
    "path": job.file.path if job.file else None, "sha256": job.file_sha256,
    "size": job.file_size,
    "seconds_in_job": (job.finished_at - job.started_at).total_seconds() if job.finished_at else None,
}}))
"""


def _child_peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def run_worker(env: dict[str, str]) -> tuple[float, int]:
    """Run one db_worker process to completion; its wall time and its own peak RSS (kB)."""
    script = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True)\n"
        "print(json.dumps({'seconds': time.perf_counter() - start,"
        " 'peak_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    command = [*ANJIAN, "db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay"]
    out = subprocess.run(
        [sys.executable, "-c", script, *command],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["seconds"], data["peak_kb"]


def data_rows(path: str) -> int:
    """Rows of every worksheet but the header rows, counted in the zip stream."""
    rows = 0
    sheets = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                sheets += 1
                tail = b""
                with archive.open(name) as handle:
                    for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                        data = tail + chunk
                        rows += data.count(b"<row ")
                        tail = data[-5:]
                        rows -= tail.count(b"<row ")
                    rows += tail.count(b"<row ")
    return rows - sheets


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/anjian_bench_registry"
    )
    parser.add_argument("--username", default="sheng")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="anjian-export-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "MEDIA_ROOT": media,
        "ANJIAN_ALLOW_DEV_SECRET": "1",
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
        "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
    }
    env.pop("ANJIAN_TESTING", None)
    subprocess.run([*ANJIAN, "migrate", "--no-input", "-v", "0"], env=env, check=True)

    idle_seconds, idle_kb = run_worker(env)  # empty queue: the worker's own footprint

    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", START.format(username=args.username)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    job = json.loads(out.stdout.strip().splitlines()[-1])["job"]
    start_seconds = time.perf_counter() - started

    seconds, peak_kb = run_worker(env)

    out = subprocess.run(
        [sys.executable, "-c", RESULT.format(job=job)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == "succeeded", result
    assert result["rows"] == result["visible"], result
    digest = hashlib.sha256(Path(result["path"]).read_bytes()).hexdigest()
    assert digest == result["sha256"]
    counted = data_rows(result["path"])
    assert counted == result["rows"], (counted, result["rows"])
    Path(result["path"]).unlink()

    sys.path.insert(0, str(ROOT))
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "ANJIAN_ALLOW_DEV_SECRET")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    from benchmarks._common import machine

    report = {
        "what": "background export of the whole enterprise list of the province (registry.enterprises,"
        " no filter, the provincial officer), run by `anjian db_worker --batch --max-tasks 1`",
        "database": "postgresql (anjian_bench_registry)",
        "rows": result["rows"],
        "file_bytes": result["size"],
        "file_mb": round(result["size"] / 1024 / 1024, 1),
        "start_export_seconds": round(start_seconds, 2),
        "worker_wall_seconds": round(seconds, 1),
        "job_seconds": round(result["seconds_in_job"], 1),
        "rows_per_second": round(result["rows"] / result["seconds_in_job"]),
        "worker_peak_rss_mb": round(peak_kb / 1024, 1),
        "idle_worker_peak_rss_mb": round(idle_kb / 1024, 1),
        "extra_rss_mb": round((peak_kb - idle_kb) / 1024, 1),
        "checked": "job succeeded; rows == Enterprise.objects.visible_to(user).count();"
        " SHA-256 of the stored file matches; <row> elements in the sheets == rows",
        "machine": machine(),
    }
    OUTPUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

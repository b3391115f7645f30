"""Benchmark: documents per second and peak memory, PDF (Typst) and DOCX (python-docx), against
converting the same DOCX to PDF with LibreOffice headless (what offices do today).

    .venv/bin/python benchmarks/documents_render.py [--documents 200] [--lo-documents 10]

LibreOffice is not a dependency of the product; install it only to run this comparison:
    apt-get install -y --no-install-recommends libreoffice-writer-nogui
Without it the LibreOffice row is reported as skipped.

Each engine runs in its own child process (so peak RSS is that engine's alone), renders the
one-page 行政处罚决定书（单位） sample and the whole catalogue in a loop, and reports documents/s and
peak RSS (ru_maxrss of the child). LibreOffice is timed per document as offices use it: one
`soffice --headless --convert-to pdf` per file (start-up included), and also as a batch of files in
one call; its peak RSS is that of the soffice child processes. Writes docs/benchmarks/documents.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _contents() -> list:
    from anjian.documents.catalogue import catalogue
    from anjian.documents.layouts import build_content
    from anjian.documents.samples import sample_context

    out = []
    for document_type in catalogue().types:
        number = (
            catalogue().format_number(
                short_name="苏宁玄", code=document_type.code, year=2026, sequence=12
            )
            if document_type.code
            else None
        )
        content, _ = build_content(document_type, sample_context(document_type.id), number=number)
        out.append(content)
    return out


def child(engine: str, count: int) -> None:
    """Runs in a child process: render ``count`` documents, print JSON."""
    from anjian.documents.render import render_docx, render_pdf

    contents = _contents()
    decision = next(c for c in contents if c.type_id == "penalty_decision_unit")
    render = render_pdf if engine == "pdf" else render_docx
    render(decision)  # warm-up: fonts, compiler
    started = time.perf_counter()
    for _ in range(count):
        render(decision)
    one_page = time.perf_counter() - started
    started = time.perf_counter()
    rounds = max(1, count // len(contents))
    for _ in range(rounds):
        for content in contents:
            render(content)
    catalogue_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "engine": engine,
                "documents": count,
                "seconds": one_page,
                "per_document_ms": 1000 * one_page / count,
                "documents_per_second": count / one_page,
                "catalogue_documents": rounds * len(contents),
                "catalogue_documents_per_second": rounds * len(contents) / catalogue_seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_child(engine: str, count: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--documents", str(count)],
        capture_output=True,
        check=True,
        env={**os.environ, "ANJIAN_ALLOW_DEV_SECRET": "1"},
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def libreoffice(count: int) -> dict:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {
            "engine": "libreoffice",
            "skipped": "soffice not installed (apt-get install libreoffice-writer-nogui)",
        }
    from anjian.documents.render import render_docx

    decision = next(c for c in _contents() if c.type_id == "penalty_decision_unit")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "decision.docx"
        source.write_bytes(render_docx(decision))
        profile = work / "profile"
        base = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ]
        subprocess.run([*base, str(work / "warm"), str(source)], capture_output=True, check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        for index in range(count):
            subprocess.run(
                [*base, str(work / f"out{index}"), str(source)], capture_output=True, check=True
            )
        one_by_one = time.perf_counter() - started
        batch = work / "batch"
        batch.mkdir()
        files = []
        for index in range(count):
            target = batch / f"d{index}.docx"
            shutil.copyfile(source, target)
            files.append(str(target))
        started = time.perf_counter()
        subprocess.run([*base, str(work / "batch_out"), *files], capture_output=True, check=True)
        batched = time.perf_counter() - started
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        version = (
            subprocess.run([soffice, "--version"], capture_output=True).stdout.decode().strip()
        )
    return {
        "engine": "libreoffice",
        "version": version,
        "documents": count,
        "per_document_ms": 1000 * one_by_one / count,
        "documents_per_second": count / one_by_one,
        "batch_per_document_ms": 1000 * batched / count,
        "peak_rss_mb": peak / 1024,
    }


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import typst

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "typst_python": getattr(typst, "__version__", "?"),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--lo-documents", type=int, default=10)
    parser.add_argument("--child")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "documents.json"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.documents)
        return
    pdf = run_child("pdf", args.documents)
    docx = run_child("docx", args.documents)
    office = libreoffice(args.lo_documents)
    result = {
        "machine": machine(),
        "pdf_typst": pdf,
        "docx_python_docx": docx,
        "libreoffice_docx_to_pdf": office,
    }
    if "per_document_ms" in office:
        result["speed-up_pdf_vs_libreoffice"] = round(
            office["per_document_ms"] / pdf["per_document_ms"], 1
        )
        result["speed-up_pdf_vs_libreoffice_batch"] = round(
            office["batch_per_document_ms"] / pdf["per_document_ms"], 1
        )
    result["goals"] = {
        "at_least_10x_faster": result.get("speed-up_pdf_vs_libreoffice", 0) >= 10,
        "at_most_300_mb_per_worker": max(pdf["peak_rss_mb"], docx["peak_rss_mb"]) <= 300,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

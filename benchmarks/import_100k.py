"""Benchmark: import a 100,000-row enterprise directory (.xlsx) and report rows/second and peak RSS.

    .venv/bin/python benchmarks/import_100k.py                       # SQLite only
    .venv/bin/python benchmarks/import_100k.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/import_100k.py --rows 20000 --no-write   # a quick look

What it does:

1. builds an .xlsx of N rows the way Excel writes one (shared-strings table, a ``<dimension>``),
   with distinct, valid unified social credit codes (python-stdnum computes the check digits),
   95 real Jiangsu counties, several industry codes, a supervising agency on every row and
   key-supervision tags on every tenth;
2. for each database: creates a FRESH database (a temporary SQLite file; for PostgreSQL a new
   database ``anjian_bench_<pid>`` on the given server, dropped afterwards), migrates it in one
   subprocess, then in ANOTHER subprocess (so the peak RSS is the import's own) creates a
   provincial officer with the import role and runs exactly what production runs: ``start_import``
   (checks, stores the file, queues the task) and the task body ``run_import`` (what ``db_worker``
   executes);
3. checks the outcome (N enterprises, N + 2 audit entries, ``verify_chain`` ok) and writes
   rows/second, phase timings and peak RSS (``resource.getrusage(...).ru_maxrss``) with a machine
   description to ``docs/benchmarks/import_100k.json`` (one entry per database, merged).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "import_100k.json"
INDUSTRIES = ["26", "2614", "2661", "13", "1310", "33", "3311", "5162", "5951", "4411"]
TAGS = ["危险化学品储存;重大危险源(2级)", "粉尘涉爆", "涉氨制冷;有限空间作业"]


def agency_name(code: str, county: str) -> str:
    return f"{county}应急管理局（基准{code}）"  # county names repeat across cities


# The columns of anjian.registry.imports.COLUMNS (the import rejects the file if they drift).
HEADERS = [
    "统一社会信用代码",
    "名称",
    "法定代表人",
    "地址",
    "区划代码",
    "行业代码",
    "从业人员数",
    "营业收入（万元）",
    "状态",
    "风险等级",
    "监管机构",
    "重点监管类别",
]


# ---------------------------------------------------------------------------------------------
# The file


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def build_xlsx(path: Path, rows: int, counties: list[tuple[str, str]]) -> None:
    """Write the workbook by hand, streaming, with a shared-strings table as Excel does."""
    from stdnum.cn import uscc  # what anjian.registry.validation.uscc_with_check_digit uses

    def uscc_with_check_digit(first17: str) -> str:
        return first17 + str(uscc.calc_check_digit(first17))

    headers = HEADERS
    strings: dict[str, int] = {}

    def shared(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    generator = random.Random(4754)  # noqa: S311 -- reproducible test data
    sheet_path = path.with_suffix(".sheet.xml")
    with sheet_path.open("w", encoding="utf-8") as sheet:
        sheet.write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{_column(len(headers) - 1)}{rows + 1}"/><sheetData>'
        )

        def write_row(number: int, values: list[Any]) -> None:
            cells = []
            for index, value in enumerate(values):
                ref = f"{_column(index)}{number}"
                if value is None or value == "":
                    continue
                if isinstance(value, int | float):
                    cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" t="s"><v>{shared(str(value))}</v></c>')
            sheet.write(f'<row r="{number}">{"".join(cells)}</row>')

        write_row(1, headers)
        for n in range(1, rows + 1):
            code, name = counties[n % len(counties)]
            write_row(
                n + 1,
                [
                    uscc_with_check_digit(f"91{code}{n:09d}"),
                    f"基准测试{name}第{n:06d}号有限公司",
                    f"法人{n % 9973:04d}",
                    f"江苏省{name}测试路{n}号",
                    code,
                    INDUSTRIES[n % len(INDUSTRIES)],
                    generator.randint(1, 3000),
                    round(generator.uniform(0, 100000), 2),
                    "在营" if n % 20 else "停产停业",
                    ["低风险", "一般风险（黄）", "较大风险", "重大风险（红）"][n % 4],
                    agency_name(code, name),
                    TAGS[(n // 10) % len(TAGS)] if n % 10 == 0 else "",
                ],
            )
        sheet.write("</sheetData></worksheet>")

    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="单位名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.write(sheet_path, "xl/worksheets/sheet1.xml")
        with archive.open("xl/sharedStrings.xml", "w") as target:
            target.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                ).encode()
            )
            for text in strings:  # insertion order = index order
                target.write(f"<si><t>{escape(text)}</t></si>".encode())
            target.write(b"</sst>")
    sheet_path.unlink()


# ---------------------------------------------------------------------------------------------
# The child process: one import, measured


def child(args: argparse.Namespace) -> None:
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import UploadedFile
    from django.db import connection

    from anjian.audit.models import AuditEntry
    from anjian.audit.services import verify_chain
    from anjian.core.permissions import Role
    from anjian.registry import imports, services
    from anjian.registry.models import Enterprise, ImportJob, Industry, Region

    def rss_mb() -> float:  # the peak so far (Linux: kilobytes)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def current_rss_mb() -> float:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    # Reference data the file uses (industries come from a migration; create any that are missing).
    section, _ = Industry.objects.get_or_create(
        code="C", defaults={"name": "制造业", "level": "section"}
    )
    for code in INDUSTRIES:
        if not Industry.objects.filter(code=code).exists():
            Industry.objects.create(code=code, name=f"行业{code}", level="division", parent=section)
    province_region = Region.objects.get(code="320000")
    province = services.create_agency(
        actor=None,
        name="江苏省应急管理厅（基准）",
        short_name="苏基",
        kind="emergency_bureau",
        region=province_region,
        parent=None,
    )
    for county in Region.objects.filter(level="county"):
        services.create_agency(
            actor=None,
            name=agency_name(county.code, county.name),
            short_name=f"苏基{county.code}",
            kind="emergency_bureau",
            region=county,
            parent=None,
        )
    officer = services.create_officer(
        actor=None,
        username="bench_importer",
        name="基准导入人",
        agency=province,
        roles=[Role.SECTION_HEAD],
    )
    user = officer.user
    setup_rss = current_rss_mb()

    path = Path(args.file)
    timings: dict[str, float] = {}
    original_validate, original_insert = imports._validate, imports._insert

    def timed_validate(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_validate(*a, **k)
        finally:
            timings["read_and_validate_seconds"] = time.perf_counter() - start

    def timed_insert(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_insert(*a, **k)
        finally:
            timings["insert_and_audit_seconds"] = time.perf_counter() - start

    from anjian.audit import services as audit_services

    original_record_many = audit_services.record_many

    def timed_record_many(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_record_many(*a, **k)
        finally:
            # From here to the commit the audit chain head is locked: other writes wait.
            timings["audit_record_many_seconds"] = time.perf_counter() - start

    imports._validate = timed_validate  # type: ignore[assignment]
    imports._insert = timed_insert  # type: ignore[assignment]
    audit_services.record_many = timed_record_many  # type: ignore[assignment]
    load_before = os.getloadavg()

    def cpu_seconds() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    cpu_started = cpu_seconds()
    started = time.perf_counter()
    with path.open("rb") as handle:
        upload = UploadedFile(file=handle, name="基准名录.xlsx", size=path.stat().st_size)
        job = imports.start_import(actor=user, upload=upload)
    queued = time.perf_counter()
    imports.run_import(job.pk)  # what the db_worker runs for the queued task
    finished = time.perf_counter()
    cpu_used = cpu_seconds() - cpu_started
    load_after = os.getloadavg()
    peak = rss_mb()

    job = ImportJob.objects.get(pk=job.pk)
    if job.status != "succeeded":
        raise SystemExit(f"import failed: {job.message} {job.errors_preview[:5]}")
    enterprises = Enterprise.objects.count()
    entries = AuditEntry.objects.filter(action__startswith="registry.import_enterprise").count()
    verify_start = time.perf_counter()
    verified = verify_chain()
    verify_seconds = time.perf_counter() - verify_start
    version = ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    total = finished - started
    print(
        json.dumps(
            {
                "database": "postgresql" if connection.vendor == "postgresql" else "sqlite",
                "database_version": version,
                "rows": job.created_rows,
                "seconds": round(total, 2),
                "rows_per_second": round(job.created_rows / total),
                "cpu_seconds_of_the_import_process": round(cpu_used, 2),
                "upload_seconds": round(queued - started, 2),
                **{k: round(v, 2) for k, v in timings.items()},
                "peak_rss_mb": round(peak, 1),
                "load_average_1min_before_and_after": [
                    round(load_before[0], 1),
                    round(load_after[0], 1),
                ],
                "rss_before_import_mb": round(setup_rss, 1),
                "enterprises_in_database": enterprises,
                "audit_entries_for_import": entries,
                "verify_chain_ok": verified.ok,
                "verify_chain_seconds": round(verify_seconds, 2),
            }
        )
    )


# ---------------------------------------------------------------------------------------------
# The driver


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(command)}")
    return result.stdout


def run_against(database_url: str, file: Path, media: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ANJIAN_ALLOW_DEV_SECRET": "1",
        "MEDIA_ROOT": str(media),
        "ANJIAN_MAX_UPLOAD_BYTES": str(200 * 1024 * 1024),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("ANJIAN_TESTING", None)
    python = sys.executable
    _run([python, "-m", "anjian.cli", "migrate", "--noinput", "-v", "0"], env)
    output = _run([python, str(Path(__file__).resolve()), "--child", "--file", str(file)], env)
    return dict(json.loads(output.strip().splitlines()[-1]))


def machine() -> dict[str, Any]:
    import openpyxl

    from benchmarks._common import machine as common_machine

    return {**common_machine(), "openpyxl": openpyxl.__version__}


def _counties() -> list[tuple[str, str]]:
    import csv

    with (ROOT / "anjian" / "registry" / "data" / "regions_jiangsu.csv").open(
        encoding="utf-8"
    ) as f:
        return [(r["code"], r["name"]) for r in csv.DictReader(f) if r["level"] == "county"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="a server URL; a fresh database is made")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--no-write", action="store_true", help=f"print, do not write {OUTPUT}")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args)
        return

    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as scratch:
        work = Path(scratch)
        file = work / "directory.xlsx"
        start = time.perf_counter()
        build_xlsx(file, args.rows, _counties())
        file_info = {
            "rows": args.rows,
            "bytes": file.stat().st_size,
            "format": "xlsx with a shared-strings table and a <dimension>, as Excel writes it",
            "build_seconds": round(time.perf_counter() - start, 1),
        }
        print(f"built {file_info}", file=sys.stderr)
        runs: list[dict[str, Any]] = []
        if not args.no_sqlite:
            result = run_against(f"sqlite:///{work / 'bench.sqlite3'}", file, work / "media-sqlite")
            print(json.dumps(result), file=sys.stderr)
            runs.append(result)
        if args.postgres:
            runs.append(_postgres_run(args.postgres, file, work / "media-postgres"))
            print(json.dumps(runs[-1]), file=sys.stderr)

    report = {
        "command": "python benchmarks/import_100k.py [--postgres URL]",
        "notes": (
            "seconds/rows_per_second are wall-clock and depend on what else the machine runs "
            "(see load_average: the number of runnable processes on `cores` CPUs); "
            "cpu_seconds_of_the_import_process excludes the database server's own work."
        ),
        "machine": machine(),
        "file": file_info,
        "runs": runs,
    }
    if args.no_write:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    existing: dict[str, Any] = {}
    if OUTPUT.exists():
        existing = json.loads(OUTPUT.read_text(encoding="utf-8"))
    by_database = {r["database"]: r for r in existing.get("runs", [])}
    by_database.update({r["database"]: r for r in runs})
    report["runs"] = [by_database[k] for k in sorted(by_database)]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _postgres_run(server_url: str, file: Path, media: Path) -> dict[str, Any]:
    import psycopg

    name = f"anjian_bench_{os.getpid()}"
    base, _, _ = server_url.rpartition("/")
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        return run_against(f"{base}/{name}", file, media)
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

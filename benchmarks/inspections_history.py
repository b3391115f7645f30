"""Benchmark: "my tasks" and "enterprise history" (page and API) at 5,000,000 inspection records.

    .venv/bin/python benchmarks/inspections_history.py                  # generate (if needed) + measure
    .venv/bin/python benchmarks/inspections_history.py --records 500000 # a smaller run
    .venv/bin/python benchmarks/inspections_history.py --measure-only   # measure, no migrate
    .venv/bin/python benchmarks/inspections_history.py --regenerate     # drop and generate again

What it does:

1. reuses the PostgreSQL database ``anjian_bench_insp`` (``--database-url``) when it already holds
   ``--records`` generated records (migrating it to the current schema), otherwise drops and
   recreates it, migrates it in a subprocess and publishes the packaged item list;
2. generates the data SERVER-SIDE (``INSERT … SELECT … FROM generate_series``, one statement per
   table, with the table's secondary indexes and foreign-key triggers dropped during the load and
   rebuilt afterwards): 10 county agencies of Nanjing with 200 certified officers each, 200,000
   enterprises, N inspection records (default 5,000,000) with 2 officers each, 4 item results per
   record (20,000,000), a finding and a rectification order on every fifth record with the
   order's team copy (2 rows per order), and 1,000,000 planning tasks with 2 officers each; then
   ``ANALYZE``. ``--measure-only`` reuses the database (after ``anjian migrate`` if the schema
   changed);
3. in this process, through Django's WSGI handler as an application server calls it (no network;
   ``benchmarks._common.WsgiClient``), for one county inspector and one enterprise
   with 25 records, measures the median latency of the four reads — ``GET /inspections/``,
   ``GET /api/v1/inspections/my-tasks``, ``GET /inspections/enterprises/{id}/``,
   ``GET /api/v1/inspections/enterprises/{id}/history`` — and, for each, the median of running the
   exact SQL the ORM emitted for that request (session, user, scope and data queries, captured with
   ``connection.execute_wrapper``) directly on a psycopg connection with Django's protocol (client-side
   binding, no automatic prepared statements), interleaved with the requests; the ratio of the two
   is the ORM, view and rendering overhead (goal ≤ 1.5×); plus ``/api/v1/auth/me`` as the
   framework's floor per authenticated request;
4. writes everything, with the machine description and the generation timings, to
   ``docs/benchmarks/inspections.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "inspections.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anjian_bench_insp"
COUNTIES = [
    "320102",
    "320104",
    "320105",
    "320106",
    "320111",
    "320113",
    "320114",
    "320115",
    "320116",
    "320117",
]
OFFICERS_PER_COUNTY = 200
ENTERPRISES = 200_000
TASKS = 1_000_000


NOTES = [
    "Data generated server-side (INSERT … SELECT generate_series), not with COPY from the client: "
    "on 2 cores this avoids formatting 40 million rows in Python. Secondary indexes and FK "
    "triggers of the big tables are dropped for the load and rebuilt afterwards.",
    "ratio = median of the whole request (Django's WSGI handler in-process: middleware, session, "
    "auth, scope, selectors, template or JSON) / median of the same SQL statements (every query "
    "the request sent, captured with connection.execute_wrapper) replayed on a psycopg connection "
    "with the same protocol as Django's backend (client-side binding, no automatic prepared "
    "statements), one replay right after each request. Goal ≤ 1.5×.",
    "in_request_database_median_ms: the time the request itself spent in cursor.execute.",
    "floor_me_api (/api/v1/auth/me: session and user, nothing else) is the framework's fixed "
    "cost per authenticated request, for comparison; it is not one of the four reads.",
    "Orders to re-inspect are read through inspections.OrderOfficer (a copy of the order's "
    "team with is_open and the deadline, index (officer, is_open, deadline, order)); tasks "
    "still go through the officer's task links (planning_inspectiontask_officers by officer, "
    "1,000 links for the measured officer), about 2 ms of the page's SQL.",
    "The query count of each read is constant (asserted in tests/inspections/test_pages.py).",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def admin_url(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return f"{base}/postgres", name


def recreate_database(url: str) -> None:
    import psycopg

    server, name = admin_url(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def generated_records(url: str) -> int | None:
    """How many inspection records the benchmark database holds (None: no such database yet)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as connection:
            row = connection.execute(
                "SELECT count(*) FROM inspections_inspection WHERE number LIKE '（基准）%'"
            ).fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else None


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "ANJIAN_ALLOW_DEV_SECRET": "1"}
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "anjian"), "migrate", "--noinput", "-v", "0"],
        check=True,
        env=env,
        cwd=ROOT,
    )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    os.environ["DB_CONN_MAX_AGE"] = "600"
    # Plain static storage (no collectstatic manifest needed); DEBUG stays off.
    os.environ["ANJIAN_TESTING"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# Generation


def _defaults(model: Any, given: dict[str, str]) -> tuple[list[str], list[str]]:
    """Columns and SQL expressions for an INSERT … SELECT: the given ones, and a neutral value for
    every other concrete column (so columns added by other apps later do not break the benchmark)."""
    from django.db import models

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column == "id" and "id" not in given:
            continue
        columns.append(column)
        if column in given:
            expressions.append(given[column])
        elif field.null:
            expressions.append("NULL")
        elif isinstance(field, models.BooleanField):
            expressions.append("false")
        elif isinstance(field, models.JSONField):
            expressions.append("'[]'::jsonb" if field.default is list else "'{}'::jsonb")
        elif isinstance(field, models.CharField | models.TextField):
            expressions.append("''")
        elif isinstance(field, models.DateTimeField):
            expressions.append("now()")
        elif isinstance(field, models.DateField):
            expressions.append("current_date")
        elif isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
            expressions.append("0")
        else:
            raise RuntimeError(f"no default for {model.__name__}.{column}")
    return columns, expressions


def insert_select(cursor: Any, model: Any, given: dict[str, str], source: str) -> float:
    columns, expressions = _defaults(model, given)
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
        f"SELECT {', '.join(expressions)} {source}"
    )
    started = time.perf_counter()
    cursor.execute(sql)
    return time.perf_counter() - started


def secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND i.indexname NOT IN (
            SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
        """,
        [table],
    )
    return list(cursor.fetchall())


def generate(url: str, records: int) -> dict[str, Any]:
    global ENTERPRISES, TASKS
    ENTERPRISES = max(1000, records // 25)  # 25 records per enterprise
    TASKS = max(1000, records // 5)
    from django.db import connection
    from django.utils import timezone

    from anjian.inspections import services
    from anjian.inspections.models import (
        Finding,
        Inspection,
        ItemResult,
        OrderOfficer,
        RectificationOrder,
    )
    from anjian.planning.models import InspectionTask
    from anjian.registry.models import Agency, Certificate, Enterprise, Officer, Region

    timings: dict[str, float] = {}
    started = time.perf_counter()
    item_list = services.publish_packaged_item_list(actor=None)
    item_ids = list(item_list.items.order_by("position").values_list("pk", flat=True))
    today = timezone.localdate()
    regions = {r.code: r for r in Region.objects.filter(code__in=["320000", "320100", *COUNTIES])}
    from anjian.registry.models import Industry

    industry = Industry.objects.get(code="26")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '64MB'")
        t = time.perf_counter()
        agency_ids = []
        for code in COUNTIES:
            region = regions[code]
            agency = Agency.objects.create(
                name=f"基准{region.name}应急管理局",
                short_name=f"基{code[-2:]}",
                level="county",
                kind="emergency_bureau",
                region=region,
                province_code="320000",
                city_code="320100",
                county_code=code,
            )
            agency_ids.append(agency.pk)
        county_values = ",".join(
            f"({index}, {agency_ids[index]}, '{code}', {regions[code].pk})"
            for index, code in enumerate(COUNTIES)
        )
        cursor.execute(
            f"CREATE TEMP TABLE bench_county (n int, agency_id bigint, code text, region_id bigint);"
            f"INSERT INTO bench_county VALUES {county_values}"
        )
        officers = len(COUNTIES) * OFFICERS_PER_COUNTY
        from anjian.accounts.models import User

        insert_select(
            cursor,
            User,
            {
                "password": "'!'",
                "username": "'bench' || g",
                "is_active": "true",
                "date_joined": "now()",
                "full_name": "'基准执法人员' || g",
            },
            f"FROM generate_series(1, {officers}) g",
        )
        insert_select(
            cursor,
            Officer,
            {
                "user_id": "u.id",
                "agency_id": "c.agency_id",
                "name": "u.full_name",
                "is_active": "true",
                "province_code": "'320000'",
                "city_code": "'320100'",
                "county_code": "c.code",
            },
            f"FROM accounts_user u JOIN bench_county c ON c.n = (substr(u.username, 6)::int - 1) "
            f"/ {OFFICERS_PER_COUNTY} WHERE u.username LIKE 'bench%%'",
        )
        cursor.execute(
            "INSERT INTO accounts_roleassignment (user_id, role) SELECT id, 'inspector' FROM accounts_user WHERE username LIKE 'bench%%'"
        )
        insert_select(
            cursor,
            Certificate,
            {
                "officer_id": "o.id",
                "number": "'BENCH-' || o.id",
                "issuer": "'江苏省人民政府'",
                "valid_from": "current_date - 1000",
                "valid_to": "current_date + 1000",
                "status": "'valid'",
            },
            "FROM registry_officer o",
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_officer AS SELECT o.id, o.user_id, c.n AS county, "
            "row_number() OVER (PARTITION BY c.n ORDER BY o.id) - 1 AS k "
            "FROM registry_officer o JOIN bench_county c ON c.agency_id = o.agency_id"
        )
        cursor.execute("CREATE INDEX ON bench_officer (county, k)")
        timings["officers_s"] = time.perf_counter() - t

        t = time.perf_counter()
        insert_select(
            cursor,
            Enterprise,
            {
                "uscc": "'91BENCH' || lpad(g::text, 11, '0')",
                "name": "'基准生产经营单位' || g",
                "legal_representative": "'张三'",
                "address": "'南京市某路' || g || '号'",
                "region_id": "c.region_id",
                "industry_id": str(industry.pk),
                "employees": "50",
                "revenue": "1000",
                "status": "'operating'",
                "risk_grade": "'low'",
                "supervising_agency_id": "c.agency_id",
                "province_code": "'320000'",
                "city_code": "'320100'",
                "county_code": "c.code",
                "created_at": "now()",
                "updated_at": "now()",
            },
            f"FROM generate_series(0, {ENTERPRISES - 1}) g JOIN bench_county c ON c.n = g % {len(COUNTIES)}",
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_enterprise AS SELECT e.id, row_number() OVER (ORDER BY e.id) - 1 AS k, "
            "c.n AS county, c.agency_id, c.code, c.region_id FROM registry_enterprise e "
            "JOIN bench_county c ON c.code = e.county_code WHERE e.uscc LIKE '91BENCH%%'"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_enterprise (k)")
        cursor.execute("ANALYZE bench_enterprise; ANALYZE bench_officer")
        timings["enterprises_s"] = time.perf_counter() - t

        big = [
            Inspection._meta.db_table,
            "inspections_inspection_officers",
            ItemResult._meta.db_table,
            Finding._meta.db_table,
            RectificationOrder._meta.db_table,
            OrderOfficer._meta.db_table,
            InspectionTask._meta.db_table,
            "planning_inspectiontask_officers",
        ]
        dropped: list[tuple[str, str]] = []
        for table in big:
            for name, definition in secondary_indexes(cursor, table):
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append((name, definition))
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')

        # Inspections: g → enterprise g % ENTERPRISES (25 per enterprise at 5M), dates over 4 years.
        t = time.perf_counter()
        insert_select(
            cursor,
            Inspection,
            {
                "id": "g",
                "number": "'（基准）应急现记〔' || extract(year from now() - (g % 1460) * interval '1 day')::int || '〕' || g || '号'",
                "agency_id": "e.agency_id",
                "enterprise_id": "e.id",
                "item_list_id": str(item_list.pk),
                "kind": "(ARRAY['planned','random_draw','complaint','joint','covert','special'])[1 + g % 6]",
                "status": "CASE WHEN g % 1000 = 7 THEN 'draft' ELSE 'submitted' END",
                "started_at": "now() - (g % 1460) * interval '1 day' - (g % 8) * interval '1 hour'",
                "ended_at": "now() - (g % 1460) * interval '1 day'",
                "place": "'现场'",
                "team_snapshot": "'[]'::jsonb",
                "acknowledgement": "'signed'",
                "representative_name": "'李四'",
                "created_by_id": "o.user_id",
                "created_at": "now()",
                "updated_at": "now()",
                "submitted_at": "CASE WHEN g % 1000 = 7 THEN NULL ELSE now() END",
                "submitted_by_id": "CASE WHEN g % 1000 = 7 THEN NULL ELSE o.user_id END",
                "region_id": "e.region_id",
                "province_code": "'320000'",
                "city_code": "'320100'",
                "county_code": "e.code",
            },
            f"FROM generate_series(1, {records}) g "
            f"JOIN bench_enterprise e ON e.k = g % {ENTERPRISES} "
            f"JOIN bench_officer o ON o.county = e.county AND o.k = (g / {ENTERPRISES}) % {OFFICERS_PER_COUNTY}",
        )
        timings["inspections_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cursor.execute(
            "INSERT INTO inspections_inspection_officers (inspection_id, officer_id) "
            "SELECT i.id, o.id FROM inspections_inspection i "
            "JOIN bench_enterprise e ON e.id = i.enterprise_id "
            "JOIN generate_series(0, 1) s ON true "
            f"JOIN bench_officer o ON o.county = e.county AND o.k = (i.id / {ENTERPRISES} + s) % {OFFICERS_PER_COUNTY}"
        )
        timings["inspection_officers_s"] = time.perf_counter() - t
        t = time.perf_counter()
        items_array = "ARRAY[" + ",".join(str(i) for i in item_ids) + "]::bigint[]"
        insert_select(
            cursor,
            ItemResult,
            {
                "inspection_id": "i",
                "item_id": f"({items_array})[1 + ((i * 4 + s) % {len(item_ids)})]",
                "result": "CASE WHEN s = 0 AND i % 5 = 0 THEN 'finding' WHEN (i + s) % 9 = 0 THEN 'not_applicable' ELSE 'compliant' END",
                "note": "''",
            },
            f"FROM generate_series(1, {records}) i CROSS JOIN generate_series(0, 3) s",
        )
        timings["item_results_s"] = time.perf_counter() - t
        t = time.perf_counter()
        insert_select(
            cursor,
            RectificationOrder,
            {
                "id": "i.id / 5",
                "inspection_id": "i.id",
                "number": "'（基准）应急责改〔' || i.id || '〕号'",
                "issued_on": "(i.started_at)::date",
                "deadline": "(i.started_at)::date + 15",
                "status": "CASE WHEN i.started_at > now() - interval '25 days' THEN 'open' ELSE 'rectified' END",
                "closed_on": "CASE WHEN i.started_at > now() - interval '25 days' THEN NULL ELSE (i.started_at)::date + 16 END",
            },
            "FROM inspections_inspection i WHERE i.id % 5 = 0 AND i.status = 'submitted'",
        )
        insert_select(
            cursor,
            Finding,
            {
                "inspection_id": "i.id",
                "item_id": f"({items_array})[1 + ((i.id * 4) % {len(item_ids)})]",
                "description": "'安全出口被堵塞'",
                "location": "'一号车间'",
                "hazard_level": "CASE WHEN i.id % 50 = 0 THEN 'major' ELSE 'ordinary' END",
                "violation_code": "'WSL2021-105-02b'",
                "provision": "'WSL:2021:42:2'",
                "measure": "'rectification'",
                "deadline": "(i.started_at)::date + 15",
                "status": "CASE WHEN i.started_at > now() - interval '25 days' THEN 'open' ELSE 'rectified' END",
                "order_id": "i.id / 5",
                "position": "1",
            },
            "FROM inspections_inspection i WHERE i.id % 5 = 0 AND i.status = 'submitted'",
        )
        cursor.execute(
            f'INSERT INTO "{OrderOfficer._meta.db_table}" (order_id, officer_id, is_open, deadline) '
            "SELECT o.id, io.officer_id, o.status = 'open', o.deadline "
            f'FROM "{RectificationOrder._meta.db_table}" o '
            "JOIN inspections_inspection_officers io ON io.inspection_id = o.inspection_id"
        )
        timings["findings_and_orders_s"] = time.perf_counter() - t
        t = time.perf_counter()
        month = today.replace(day=1)
        insert_select(
            cursor,
            InspectionTask,
            {
                "id": "g",
                "agency_id": "e.agency_id",
                "enterprise_id": "e.id",
                "kind": "(ARRAY['planned','random_draw','complaint'])[1 + g % 3]",
                "month": f"(date '{month.isoformat()}' - ((g % 48) * interval '1 month'))::date",
                "due_date": f"(date '{month.isoformat()}' - ((g % 48) * interval '1 month') + interval '27 days')::date",
                "status": "CASE WHEN g % 48 < 2 THEN 'open' ELSE 'done' END",
                "title": "'计划检查'",
                "created_at": "now()",
            },
            f"FROM generate_series(1, {TASKS}) g JOIN bench_enterprise e ON e.k = (g * 7) % {ENTERPRISES}",
        )
        cursor.execute(
            "INSERT INTO planning_inspectiontask_officers (inspectiontask_id, officer_id) "
            "SELECT t.id, o.id FROM planning_inspectiontask t "
            "JOIN bench_enterprise e ON e.id = t.enterprise_id "
            "JOIN generate_series(0, 1) s ON true "
            f"JOIN bench_officer o ON o.county = e.county AND o.k = (t.id / 7 + s) % {OFFICERS_PER_COUNTY}"
        )
        timings["tasks_s"] = time.perf_counter() - t

        t = time.perf_counter()
        for table in big:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER ALL')
        for _name, definition in dropped:
            cursor.execute(definition)
        timings["indexes_s"] = time.perf_counter() - t
        for model in (Inspection, RectificationOrder, OrderOfficer, InspectionTask):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
        t = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["analyze_s"] = time.perf_counter() - t
        counts = {}
        for table in big + ["registry_enterprise", "registry_officer"]:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    timings["total_s"] = time.perf_counter() - started
    return {
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "rows": counts,
        "database_bytes": size,
    }


# ---------------------------------------------------------------------------------------------
# Measuring


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def measure(url: str, runs: int) -> dict[str, Any]:
    import psycopg
    from django.db import connection

    from anjian.inspections.models import Inspection
    from anjian.registry.models import Officer
    from benchmarks._common import WsgiClient

    officer = (
        Officer.objects.select_related("user")
        .filter(county_code=COUNTIES[0], user__username__startswith="bench")
        .order_by("id")
        .first()
    )
    if officer is None:
        raise SystemExit("no generated data: run without --measure-only first")
    enterprise_id = (
        Inspection.objects.filter(county_code=COUNTIES[0])
        .order_by("id")
        .values_list("enterprise_id", flat=True)
        .first()
    )
    client = WsgiClient(officer.user)
    targets = {
        "my_tasks_page": "/inspections/",
        "my_tasks_api": "/api/v1/inspections/my-tasks",
        "history_page": f"/inspections/enterprises/{enterprise_id}/",
        "history_api": f"/api/v1/inspections/enterprises/{enterprise_id}/history",
        # The floor: an authenticated API call that reads nothing but the session and the user.
        "floor_me_api": "/api/v1/auth/me",
    }
    # The same protocol as Django's psycopg backend (client-side binding, no automatic prepared
    # statements), so the replay does the same work: parse, plan, execute, send the rows.
    raw = psycopg.connect(
        url, autocommit=True, cursor_factory=psycopg.ClientCursor, prepare_threshold=None
    )
    in_database = [0.0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database[0] += time.perf_counter() - started

    def replay(cursor: Any, statements: list[str]) -> float:
        started = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
        return time.perf_counter() - started

    results: dict[str, Any] = {}
    for name, path in targets.items():
        for _ in range(5):  # warm up caches and plans
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        captured: list[tuple[str, Any]] = []

        def capture(
            execute: Any, sql: str, params: Any, many: bool, context: Any, into: list = captured
        ) -> Any:
            into.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            response = client.get(path)
        with raw.cursor() as cursor:
            statements = [cursor.mogrify(sql, params) for sql, params in captured]
        timings, sql_timings, database_timings = [], [], []
        with raw.cursor() as cursor, connection.execute_wrapper(timed):
            for _ in range(3):
                replay(cursor, statements)
            # Interleaved: one request, then its SQL replayed, so both meet the same load.
            for _ in range(runs):
                in_database[0] = 0.0
                started = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - started)
                database_timings.append(in_database[0])
                sql_timings.append(replay(cursor, statements))
        request_ms, sql_ms = _median_ms(timings), _median_ms(sql_timings)
        results[name] = {
            "path": path,
            "queries": len(statements),
            "response_bytes": len(response.content),
            "median_ms": request_ms,
            "p90_ms": round(sorted(timings)[int(len(timings) * 0.9)] * 1000, 3),
            "sql_median_ms": sql_ms,
            "ratio": round(request_ms / sql_ms, 2) if sql_ms else None,
            "goal_met": bool(sql_ms) and request_ms / sql_ms <= 1.5,
            "in_request_database_median_ms": _median_ms(database_timings),
        }
        log(f"{name}: {results[name]}")
    raw.close()
    return {
        "officer": officer.user.username,
        "enterprise_id": enterprise_id,
        "runs": runs,
        "reads": results,
    }


def machine() -> dict[str, Any]:
    """The shared description (benchmarks/_common.machine) and the database server's."""
    import psycopg
    from django.db import connection

    from benchmarks._common import machine as shared_machine

    description = shared_machine()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        description["postgresql"] = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        description["shared_buffers"] = cursor.fetchone()[0]
    description["psycopg"] = psycopg.__version__
    description["note"] = "one shared 2-core machine; other work may have run at the same time"
    return description


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--measure-only", action="store_true", help="measure the database as it is (no migrate)"
    )
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="drop and generate the database even when it already holds --records inspections",
    )
    args = parser.parse_args()
    generation: dict[str, Any] | None = None
    reuse = args.measure_only or (
        not args.regenerate and generated_records(args.database_url) == args.records
    )
    if not reuse:
        log(f"recreating {args.database_url}")
        recreate_database(args.database_url)
    if not args.measure_only:
        log("migrating")  # on a reused database: only the migrations added since it was made
        migrate(args.database_url)
    setup_django(args.database_url)
    if not reuse:
        log(f"generating {args.records:,} records")
        generation = generate(args.database_url, args.records)
        log(f"generated: {generation}")
    else:
        log(f"reusing the {args.records:,} records of {args.database_url}")
    load_at_start = os.getloadavg()
    measured = measure(args.database_url, args.runs)
    load_at_end = os.getloadavg()
    previous: dict[str, Any] = {}
    if OUTPUT.exists():
        previous = json.loads(OUTPUT.read_text(encoding="utf-8"))
    document = {
        "benchmark": "benchmarks/inspections_history.py",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "records": args.records,
        "item_results": args.records * 4,
        "enterprises": max(1000, args.records // 25),
        "tasks": max(1000, args.records // 5),
        "generation": generation or previous.get("generation"),
        "load_average_at_start": load_at_start,
        "load_average_at_end": load_at_end,
        **measured,
        "notes": NOTES,
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log(f"written {OUTPUT}")


if __name__ == "__main__":
    main()

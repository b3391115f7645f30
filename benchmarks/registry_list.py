"""Benchmark: the scoped enterprise list and search API on a province of 1,000,000 enterprises.

    .venv/bin/python benchmarks/registry_list.py --database-url postgres://postgres@127.0.0.1:5432/anjian_bench
    .venv/bin/python benchmarks/registry_list.py --database-url sqlite:///var/bench.sqlite3
    .venv/bin/python benchmarks/registry_list.py --database-url sqlite:///var/bench.sqlite3 --enterprises 50000 --runs 10

What it does:

1. migrates the database (a PostgreSQL database is created first when missing) and, when it holds
   no agencies yet, seeds it with ``anjian seed --enterprises N`` (timed: the seed time is in the
   report). A database seeded with another size is refused; use a fresh one.
2. signs in (``force_login``: a session, as in the browser) as a county officer (``xuanwu``, 玄武区)
   and as a provincial officer (``sheng``), and calls through Django's WSGI handler in-process, as
   an application server does (``benchmarks._common.WsgiClient``: the request signals run, so the
   database connection is reused or reopened per ``DB_CONN_MAX_AGE`` as in production):
   ``list``        ``GET /api/v1/registry/enterprises`` (page 1, 50 rows, newest first);
   ``name_common`` the same with ``q=化工`` (a frequent name fragment);
   ``name_rare``   ``q=`` a 4-character fragment of one enterprise name in 玄武区 (few matches);
   ``uscc_prefix`` ``q=`` the first 12 characters of one credit code in 玄武区;
   ``fixed_cost_me`` ``GET /api/v1/auth/me``, for scale: what any signed-in request costs (session,
   user; the roles are remembered in the session) with no list at all.
3. for each (user, scenario): warms up, captures the exact SQL and parameters the request sends
   (``connection.execute_wrapper``), then alternates ``runs`` API calls with ``runs`` replays of
   that SQL through ``connection.cursor()`` (execute + fetchall, same connection), and reports
   both medians and their ratio (the goal is at most 1.5: the ORM, serialisation and middleware add
   no more than half of what the database itself needs). The replay covers every query of the
   request (session, user, the list; the roles and the officer scope too on a request that reads
   them, i.e. the first of a session, ADR 0009); ``list_query_ms`` is the enterprise query alone.
   Each measured request runs in the steady state of a signed-in session (the warm-up requests
   read and remember the roles and scope), so the replay and the request run the same statements.
4. writes ``docs/benchmarks/registry_list.json`` (one entry per database vendor, merged).

Run it on a quiet machine: the figures are medians of wall-clock times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "registry_list.json"
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
COUNTY_USER = "xuanwu"
PROVINCE_USER = "sheng"

sys.path.insert(0, str(ROOT))


def _prepare_environment(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def _ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database when missing; make the SQLite file's directory."""
    import dj_database_url

    config = dj_database_url.parse(database_url)
    if "sqlite" in config["ENGINE"]:
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = config["NAME"]
    conninfo = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def _seed_if_needed(enterprises: int) -> dict[str, Any]:
    from django.core.management import call_command

    from anjian.registry.models import Agency, Enterprise

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    info: dict[str, Any] = {"migrate_seconds": round(time.monotonic() - started, 1)}
    if Agency.objects.exists():
        count = Enterprise.objects.count()
        if count != enterprises:
            raise SystemExit(
                f"the database holds {count} enterprises, not {enterprises}: use a fresh database"
            )
        info["seeded_by_this_run"] = False
        return info
    print(f"seeding {enterprises} enterprises (anjian seed) ...", flush=True)
    started, cpu = time.monotonic(), time.process_time()
    call_command("seed", enterprises=enterprises)
    info["seeded_by_this_run"] = True
    info["seed_seconds"] = round(time.monotonic() - started, 1)
    # CPU of this process only (generation, Django, SQLite); PostgreSQL's own work is not in it.
    info["seed_cpu_seconds"] = round(time.process_time() - cpu, 1)
    info["load_average_after_seed"] = os.getloadavg()
    print(f"seeded in {info['seed_seconds']} s", flush=True)
    return info


def _database_description() -> dict[str, Any]:
    from django.db import connection

    description: dict[str, Any] = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            description["server_version"] = cursor.fetchone()[0]
            for setting in ("shared_buffers", "work_mem", "effective_cache_size"):
                cursor.execute(f"SHOW {setting}")
                description[setting] = cursor.fetchone()[0]
            import psycopg

            description["psycopg"] = psycopg.__version__
        else:
            import sqlite3

            description["sqlite_version"] = sqlite3.sqlite_version
            description["file"] = str(connection.settings_dict["NAME"])
    return description


class _Capture:
    """Records every statement a request sends (SQL and parameters, unchanged)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def _replay(statements: list[tuple[str, Any, bool]]) -> tuple[float, float]:
    """Run the captured statements directly; return (total ms, enterprise-list query ms)."""
    from django.db import connection

    total = 0.0
    list_query = 0.0
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            start = time.perf_counter()
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
            elapsed = (time.perf_counter() - start) * 1000
            total += elapsed
            if '"registry_enterprise"' in sql and "LIMIT" in sql:
                list_query += elapsed
    return total, list_query


def _scenario(
    client: Any,
    params: dict[str, str],
    runs: int,
    warmup: int,
    url: str = "/api/v1/registry/enterprises",
) -> dict[str, Any]:
    from django.db import connection

    for _ in range(warmup):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
    capture = _Capture()
    with connection.execute_wrapper(capture):
        body = client.get(url, params).json()
    statements = capture.statements
    for _ in range(warmup):
        _replay(statements)
    api_samples: list[float] = []
    sql_samples: list[float] = []
    list_samples: list[float] = []
    for _ in range(runs):  # alternate, so that a change in machine load hits both alike
        start = time.perf_counter()
        response = client.get(url, params)
        api_samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        total, list_query = _replay(statements)
        sql_samples.append(total)
        list_samples.append(list_query)
    api = statistics.median(api_samples)
    sql = statistics.median(sql_samples)
    return {
        "params": params,
        "api_median_ms": round(api, 3),
        "sql_median_ms": round(sql, 3),
        "ratio": round(api / sql, 2) if sql else None,
        "list_query_median_ms": round(statistics.median(list_samples), 3),
        "api_p90_ms": round(sorted(api_samples)[int(0.9 * (len(api_samples) - 1))], 3),
        "rows_returned": len(body["items"]) if "items" in body else None,
        "has_next": body.get("has_next"),
        "query_count": len(statements),
        "queries": [sql for sql, _, _ in statements],
    }


def _fragments() -> dict[str, str]:
    from anjian.registry.models import Enterprise

    sample = (
        Enterprise.objects.filter(county_code="320102", name__endswith="有限公司")
        .order_by("id")
        .values_list("name", "uscc")
        .first()
    )
    if sample is None:
        raise SystemExit("no enterprise in 玄武区 (320102) to take search fragments from")
    name, uscc = sample
    # Skip the region word (two characters, e.g. 南京 or 江苏): the fragment is 字号 + industry.
    return {"name_rare": name[2:6], "uscc_prefix": uscc[:12]}


def _scoped_total(username: str) -> int:
    from anjian.accounts.models import User
    from anjian.registry.models import Enterprise

    return Enterprise.objects.visible_to(User.objects.get(username=username)).count()


def run(database_url: str, enterprises: int, runs: int, warmup: int) -> dict[str, Any]:
    _prepare_environment(database_url)
    _ensure_database(database_url)
    import django

    django.setup()
    from anjian.accounts.models import User
    from benchmarks._common import WsgiClient, machine

    seeding = _seed_if_needed(enterprises)
    fragments = _fragments()
    scenarios = {
        "list": {},
        "name_common": {"q": "化工"},
        "name_rare": {"q": fragments["name_rare"]},
        "uscc_prefix": {"q": fragments["uscc_prefix"]},
    }
    load_at_start = os.getloadavg()
    results: dict[str, Any] = {}
    for label, username in (("county", COUNTY_USER), ("province", PROVINCE_USER)):
        client = WsgiClient(User.objects.get(username=username))
        per_user: dict[str, Any] = {"username": username, "scoped_rows": _scoped_total(username)}
        for name, params in scenarios.items():
            per_user[name] = _scenario(client, params, runs, warmup)
            figures = per_user[name]
            print(
                f"{label:8} {name:12} api {figures['api_median_ms']:8.2f} ms  "
                f"sql {figures['sql_median_ms']:8.2f} ms  ratio {figures['ratio']}  "
                f"(list query {figures['list_query_median_ms']:.2f} ms, "
                f"{figures['query_count']} queries, {figures['rows_returned']} rows)",
                flush=True,
            )
        # The fixed cost of any signed-in API request, for scale: GET /api/v1/auth/me reads the
        # session and the user (roles come from the session) and lists nothing.
        per_user["fixed_cost_me"] = _scenario(client, {}, runs, warmup, url="/api/v1/auth/me")
        figures = per_user["fixed_cost_me"]
        print(
            f"{label:8} {'auth/me':12} api {figures['api_median_ms']:8.2f} ms  "
            f"sql {figures['sql_median_ms']:8.2f} ms  ({figures['query_count']} queries)",
            flush=True,
        )
        results[label] = per_user
    description = machine()
    description["load_average_at_start"] = load_at_start
    description["load_average_at_end"] = os.getloadavg()
    return {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "enterprises": enterprises,
        "runs": runs,
        "warmup": warmup,
        "database": _database_description(),
        "seeding": seeding,
        "machine": description,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    report = run(args.database_url, args.enterprises, args.runs, args.warmup)
    existing: dict[str, Any] = {}
    if args.output.exists():
        existing = json.loads(args.output.read_text(encoding="utf-8"))
    existing.setdefault("benchmark", "registry_list")
    existing.setdefault("goal", "api_median_ms / sql_median_ms <= 1.5")
    databases = existing.setdefault("databases", {})
    previous = databases.get(report["database"]["vendor"], {})
    if not report["seeding"].get("seeded_by_this_run") and "seed_seconds" in previous.get(
        "seeding", {}
    ):
        # The database was seeded by an earlier run: keep that run's seed time.
        for key, value in previous["seeding"].items():
            report["seeding"].setdefault(key, value)
        report["seeding"]["seeded_by_this_run"] = False
        report["seeding"].setdefault("seeded_at", previous.get("measured_at"))
    elif report["seeding"].get("seeded_by_this_run"):
        report["seeding"]["seeded_at"] = report["measured_at"]
    databases[report["database"]["vendor"]] = report
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(existing, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(f"written {args.output}")


if __name__ == "__main__":
    main()

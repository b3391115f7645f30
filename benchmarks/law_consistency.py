"""Benchmark: the like-cases consistency report over 100,000 decided cases.

    .venv/bin/python benchmarks/law_consistency.py                       # SQLite, var/bench_law.sqlite3
    .venv/bin/python benchmarks/law_consistency.py \\
        --database-url postgres://postgres@127.0.0.1:5432/anjian_bench_law  # PostgreSQL
    options: --records 100000 --runs 5

The database is migrated and, when it does not hold exactly ``--records`` decided cases, filled
with them (four common violations, unit party, first order, four circumstance sets, act dates over
2022–2025, amounts around the engine's tiers with outliers; deterministic). Then, ``--runs`` times
and interleaved, in one process:

- ``read``: stream the decided cases from the database as the report does
  (``law.selectors.consistency_records``: the query, the rows, one mapping per case);
- ``check``: the report's own work on those mappings (``law.core.consistency.check_consistency``:
  reading each case, the discretion engine once per distinct key, the medians, the flags);
- ``to_dict``: the report as plain JSON types (``ConsistencyReport.to_dict``);
- ``report``: the whole report as the API and the page get it, end to end
  (``law.interface.consistency_report(selectors.consistency_records(user))``).

Reported: the medians; the engine's share of the report = check / (read + check + to_dict), and the
share of everything that is not the database read = (check + to_dict) / (read + check + to_dict)
(goal: under half, the read dominating); cases checked per second; and the discretion engine's own
evaluations per second on 1,000 distinct fact sheets. Writes docs/benchmarks/law_consistency.json
(one entry per database vendor), with the machine description and the load average before and after.
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
sys.path.insert(0, str(ROOT))


def _create_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_law.sqlite3'}")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    _create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    import django

    django.setup()
    import datetime as dt
    import random
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from anjian.accounts.models import User
    from anjian.law import interface, selectors
    from anjian.law.core.catalog import default_catalog
    from anjian.law.core.consistency import check_consistency
    from anjian.law.core.discretion import FactSheet, default_discretion, evaluate
    from anjian.law.models import DecisionRecord
    from benchmarks._common import machine

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-law", defaults={"is_superuser": True})
    # Four common violations, unit party, first order: amounts around the engine's ordinary tier,
    # with a few outliers, act dates spread over 2022–2025 (after the 2021 law took effect).
    codes = ["WSL2021-097-03", "WSL2021-099-02", "WSL2021-101-01", "WSL2021-099-05"]
    circumstance_sets = [[], ["first_offence"], ["corrected_promptly"], ["refused_to_correct"]]
    generation_seconds = None
    if DecisionRecord.objects.count() != args.records:
        started = time.perf_counter()
        DecisionRecord.objects.all().delete()
        rng = random.Random(20261129)
        batch = []
        for index in range(args.records):
            act = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 1400))
            batch.append(
                DecisionRecord(
                    reference=f"B-{index:07d}",
                    province_code="320000",
                    city_code="320100",
                    county_code="320102",
                    violation_code=rng.choice(codes),
                    party="unit",
                    stage="first_order",
                    circumstances=rng.choice(circumstance_sets),
                    act_date=act,
                    decision_date=act + dt.timedelta(days=rng.randrange(10, 80)),
                    amount=Decimal(rng.choice([8000, 15000, 20000, 30000, 45000, 60000, 500000])),
                )
            )
            if len(batch) == 5000:
                DecisionRecord.objects.bulk_create(batch)
                batch = []
        DecisionRecord.objects.bulk_create(batch)
        generation_seconds = round(time.perf_counter() - started, 1)

    default_catalog(), default_discretion()  # loaded once per process, at start-up in production
    load_at_start = os.getloadavg()

    samples: dict[str, list[float]] = {"read": [], "check": [], "to_dict": [], "report": []}
    report: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for _ in range(args.runs + 1):  # the first round warms up and is dropped
        start = time.perf_counter()
        rows = list(selectors.consistency_records(user))
        read = time.perf_counter() - start

        start = time.perf_counter()
        computed = check_consistency(rows)
        check = time.perf_counter() - start

        start = time.perf_counter()
        computed.to_dict()
        to_dict = time.perf_counter() - start

        start = time.perf_counter()
        report = interface.consistency_report(selectors.consistency_records(user))
        whole = time.perf_counter() - start
        for name, value in (
            ("read", read),
            ("check", check),
            ("to_dict", to_dict),
            ("report", whole),
        ):
            samples[name].append(value)
    medians = {name: statistics.median(values[1:]) for name, values in samples.items()}

    sheets = [
        FactSheet(
            violation_codes=[code],
            act_date=dt.date(2023, 1, 1) + dt.timedelta(days=i % 800),
            decision_date=dt.date(2025, 6, 1),
            party="unit",
            stage="first_order",
            circumstances=circumstance_sets[i % 4],
        )
        for i, code in enumerate(codes * 250)
    ]
    start = time.perf_counter()
    for sheet in sheets:
        evaluate(sheet)
    evaluations_per_second = len(sheets) / (time.perf_counter() - start)

    parts = medians["read"] + medians["check"] + medians["to_dict"]
    result = {
        "database": connection.vendor,
        "records": len(rows),
        "runs": args.runs,
        "median_seconds": {name: round(value, 3) for name, value in medians.items()},
        "all_seconds": {
            name: [round(v, 3) for v in values[1:]] for name, values in samples.items()
        },
        "engine_share": round(medians["check"] / parts, 3),
        "not_database_share": round((medians["check"] + medians["to_dict"]) / parts, 3),
        "report_minus_read_share": round(
            (medians["report"] - medians["read"]) / medians["report"], 3
        ),
        "goal": "engine share < 0.5 (the database read dominates)",
        "goal_met": (medians["check"] + medians["to_dict"]) / parts < 0.5,
        "cases_checked_per_second": round(len(rows) / medians["check"]),
        "engine_evaluations_in_report": report["engine_evaluations"],
        "flagged_records": report["flagged_records"],
        "evaluations_per_second": round(evaluations_per_second, 1),
        "generation_seconds": generation_seconds,
        "machine": machine(),
        "load_average_at_end": os.getloadavg(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    result["machine"]["load_average_at_start"] = load_at_start
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()"
            if connection.vendor == "postgresql"
            else "SELECT 'SQLite ' || sqlite_version()"
        )
        result["machine"]["database"] = cursor.fetchone()[0]
    out = ROOT / "docs" / "benchmarks" / "law_consistency.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data[connection.vendor] = result
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

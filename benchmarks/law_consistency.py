"""Benchmark: the like-cases consistency report over 100,000 decided cases.

    .venv/bin/python benchmarks/law_consistency.py [--database-url URL] [--records 100000]

Measures, in one run and on one database: the time to stream the decided cases from the database
alone; the report's total time; the engine's share of it (report time minus the read, over the
report time; goal: under half); and the engine's evaluations per second on distinct fact sheets.
Writes docs/benchmarks/law_consistency.json (one entry per database vendor).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_law.sqlite3'}")
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
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
    from anjian.law.core.discretion import FactSheet, evaluate
    from anjian.law.models import DecisionRecord
    from benchmarks._common import machine

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-law", defaults={"is_superuser": True})
    # Four common violations, unit party, first order: amounts around the engine's ordinary tier,
    # with a few outliers, act dates spread over 2022–2025 (after the 2021 law took effect).
    codes = ["WSL2021-097-03", "WSL2021-099-02", "WSL2021-101-01", "WSL2021-099-05"]
    circumstance_sets = [[], ["first_offence"], ["corrected_promptly"], ["refused_to_correct"]]
    existing = DecisionRecord.objects.count()
    if existing != args.records:
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

    from anjian.law.core.catalog import default_catalog
    from anjian.law.core.consistency import check_consistency
    from anjian.law.core.discretion import default_discretion

    default_catalog(), default_discretion()  # loaded once per process, at start-up in production

    start = time.perf_counter()
    rows = list(selectors.consistency_records(user))
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    computed = check_consistency(rows)
    engine_seconds = time.perf_counter() - start

    start = time.perf_counter()
    computed.to_dict()
    serialise_seconds = time.perf_counter() - start

    start = time.perf_counter()
    report = interface.consistency_report(selectors.consistency_records(user))
    report_seconds = time.perf_counter() - start

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

    result = {
        "database": connection.vendor,
        "records": len(rows),
        "read_seconds": round(read_seconds, 3),
        "report_seconds": round(report_seconds, 3),
        "engine_seconds": round(engine_seconds, 3),
        "json_serialisation_seconds": round(serialise_seconds, 3),
        "engine_share": round(
            engine_seconds / (read_seconds + engine_seconds + serialise_seconds), 3
        ),
        "engine_evaluations_in_report": report["engine_evaluations"],
        "flagged_records": report["flagged_records"],
        "evaluations_per_second": round(evaluations_per_second, 1),
        "goal": "engine share < 0.5 (the database read dominates)",
        "machine": machine(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out = ROOT / "docs" / "benchmarks" / "law_consistency.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data[connection.vendor] = result
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

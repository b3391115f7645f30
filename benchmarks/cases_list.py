"""Benchmark: the case list with next legal deadlines at 50,000 open cases of one agency, and
transitions per second with 20 concurrent workers, on PostgreSQL.

    .venv/bin/python benchmarks/cases_list.py
    .venv/bin/python benchmarks/cases_list.py --database-url postgres://postgres@127.0.0.1:5432/anjian_bench_cases --runs 200

What it does:

1. creates the database when missing (default ``anjian_bench_cases``), migrates it and, once, seeds
   the demo county (``anjian seed --cities 320100``) and bulk-inserts 50,000 open cases for
   玄武区应急管理局 in realistic states (proposed, investigating, under review, notified, executing),
   each with its party, violation, two handling officers, first event and a stored next deadline
   spread over −60…+120 days (so some are overdue). Bulk insertion is used for the fixture only;
   every measured write goes through ``services.perform``.
2. LIST. Signed in as the county officer ``xuanwu`` (session, ``force_login``), calls through
   Django's WSGI handler in-process, as an application server does
   (``benchmarks._common.WsgiClient``): ``GET /api/v1/cases`` page 1 (50 rows, soonest deadline first),
   the agency filter, one officer's cases, the overdue ones, and page 100. For each: warms up,
   captures the exact SQL of one request (session, user, the list: the roles and officer scope are
   remembered in the session after the first request, ADR 0009), then
   alternates ``runs`` API calls with ``runs`` replays of that SQL on the same connection (execute
   + fetchall) and reports both medians and their ratio (goal ≤ 2), plus the list query alone.
3. TRANSITIONS. 20 threads (one database connection each) take lawful steps on cases of their
   own through ``services.perform`` with the version they read (approve the filing, submit the
   investigation, return it, submit again: 4 transitions per case, each with its guards, event row
   and audit entry); then all 20 hammer 5 shared cases at once with an in-state step and the
   version they read, retrying when told the version is stale (409). Reports transitions per
   second, conflicts told, and checks zero lost updates: for every touched case the events are
   exactly 1…version.
4. writes ``docs/benchmarks/cases.json`` with a description of the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "cases.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anjian_bench_cases"
CASES = 50_000
WORKERS = 20
CODE = "WSL2021-097-01a"

sys.path.insert(0, str(ROOT))


def prepare(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    os.environ.setdefault("ANJIAN_ALLOW_DEV_SECRET", "1")
    os.environ["ANJIAN_TESTING"] = "1"  # fast password hasher for the demo accounts
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(database_url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("this benchmark runs on PostgreSQL (row locks across connections)")
    conninfo = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}", flush=True)
    import django

    django.setup()


def declare_years() -> None:
    """Years the holiday library does not know are declared (weekends only) so that deadlines are
    computed in the benchmark; production enters the real arrangement."""
    from anjian.law import services as law_services
    from anjian.law.core.workcalendar import default_calendar

    calendar = default_calendar()
    today = dt.date.today()
    for year in range(today.year - 1, today.year + 3):
        if not calendar.knows_year(year):
            law_services.set_calendar_override(
                actor=None,
                day=dt.date(year, 1, 1),
                is_working_day=False,
                note="基准测试：声明年度",
                declares_year=True,
            )


def seed(cases: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from anjian.cases.models import (
        Case,
        CaseCounter,
        CaseEvent,
        CaseOfficer,
        CaseParty,
        CaseViolation,
    )
    from anjian.registry.models import Agency, Enterprise, Officer

    info: dict[str, Any] = {}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    info["migrate_seconds"] = round(time.monotonic() - started, 1)
    if not Agency.objects.exists():
        started = time.monotonic()
        call_command("seed", cities="320100", enterprises=20_000, verbosity=0)
        info["seed_seconds"] = round(time.monotonic() - started, 1)
    declare_years()
    lead = Officer.objects.select_related("agency__region").get(user__username="xuanwu")
    agency = lead.agency
    existing = Case.objects.filter(agency=agency).count()
    info["cases"] = cases
    if existing >= cases:
        info["cases_seeded_by_this_run"] = False
        return info
    second = Officer.objects.get(user__username="xuanwu2")
    today = dt.date.today()
    officers = [
        o
        for o in Officer.objects.filter(agency=agency, is_active=True)
        if o.valid_certificate(today)
    ]
    enterprises = list(
        Enterprise.objects.filter(supervising_agency=agency).values_list("pk", "name", "address")[
            :2000
        ]
    )
    rng = random.Random(20261129)
    statuses = (
        ["proposed"] * 2
        + ["investigating"] * 4
        + ["under_review"] * 2
        + ["notified"]
        + ["executing"]
    )
    rules = {
        "investigating": ("decision_after_filing", "作出处罚决定（立案之日起九十日）"),
        "under_review": ("decision_after_filing", "作出处罚决定（立案之日起九十日）"),
        "notified": ("statement_period", "陈述申辩期限届满"),
        "executing": ("fine_payment", "缴纳罚款（十五日）"),
    }
    started = time.monotonic()
    user = lead.user
    batch = 5000
    made = existing
    while made < cases:
        size = min(batch, cases - made)
        with transaction.atomic():
            counter, _ = CaseCounter.objects.select_for_update().get_or_create(
                agency=agency, year=today.year
            )
            rows = []
            for _ in range(size):
                counter.last += 1
                status = rng.choice(statuses)
                enterprise = rng.choice(enterprises)
                proposed = today - dt.timedelta(days=rng.randint(5, 80))
                filed = None if status == "proposed" else proposed
                due = None
                rule = label = ""
                if status in rules:
                    rule, label = rules[status]
                    due = today + dt.timedelta(days=rng.randint(-60, 120))
                rows.append(
                    Case(
                        reference=f"{agency.short_name}案〔{today.year}〕{counter.last}号",
                        agency=agency,
                        region=agency.region,
                        province_code=agency.province_code,
                        city_code=agency.city_code,
                        county_code=agency.county_code,
                        title=f"{enterprise[1]}未按照规定设置安全生产管理机构案",
                        status=status,
                        version=1,
                        is_open=True,
                        source_kind="inspection_finding",
                        enterprise_id=enterprise[0],
                        party_name=enterprise[1],
                        place_region=agency.region,
                        discovered_on=proposed,
                        proposed_on=proposed,
                        filed_on=filed,
                        next_deadline_on=due,
                        next_deadline_rule=rule,
                        next_deadline_label=label,
                        created_by=user,
                    )
                )
            counter.save(update_fields=["last"])
            Case.objects.bulk_create(rows, batch_size=1000)
            parties = [
                CaseParty(
                    case=c,
                    kind="unit",
                    role="unit",
                    enterprise_id=c.enterprise_id,
                    name=c.party_name,
                )
                for c in rows
            ]
            CaseParty.objects.bulk_create(parties, batch_size=1000)
            CaseViolation.objects.bulk_create(
                [
                    CaseViolation(
                        case=c,
                        party=p,
                        violation_code=CODE,
                        title="未按照规定设置安全生产管理机构",
                        act_date=c.discovered_on - dt.timedelta(days=3),
                        facts="未设置安全生产管理机构。",
                    )
                    for c, p in zip(rows, parties, strict=True)
                ],
                batch_size=1000,
            )
            links = []
            for c in rows:
                pair = rng.sample(officers, 2) if rng.random() < 0.8 else [lead, second]
                links += [
                    CaseOfficer(case=c, officer=pair[0], is_lead=True),
                    CaseOfficer(case=c, officer=pair[1]),
                ]
            CaseOfficer.objects.bulk_create(links, batch_size=2000)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case=c,
                        sequence=1,
                        action="propose",
                        from_status="",
                        to_status="proposed",
                        actor=user,
                        actor_label=user.username,
                        occurred_on=c.proposed_on,
                        legal_basis="（基准测试批量生成）",
                    )
                    for c in rows
                ],
                batch_size=1000,
            )
        made += size
        print(f"  {made} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    info["cases_seeded_by_this_run"] = True
    info["case_seed_seconds"] = round(time.monotonic() - started, 1)
    return info


class Capture:
    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, bool]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def replay(statements: list[tuple[str, Any, bool]]) -> tuple[float, float]:
    from django.db import connection

    total = list_query = 0.0
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
            if 'FROM "cases_case"' in sql and "LIMIT" in sql:
                list_query += elapsed
    return total, list_query


def scenario(
    client: Any, params: dict[str, Any], runs: int, warmup: int, url: str = "/api/v1/cases"
) -> dict[str, Any]:
    from django.db import connection

    for _ in range(warmup):
        assert client.get(url, params).status_code == 200
    capture = Capture()
    with connection.execute_wrapper(capture):
        body = client.get(url, params).json()
    statements = capture.statements
    for _ in range(warmup):
        replay(statements)
    api, sql, lists = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params)
        api.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        total, list_query = replay(statements)
        sql.append(total)
        lists.append(list_query)
    api_median, sql_median = statistics.median(api), statistics.median(sql)
    plan = []
    list_sql = next(
        (s for s in statements if 'FROM "cases_case"' in s[0] and "LIMIT" in s[0]), None
    )
    if list_sql is not None:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + list_sql[0], list_sql[1])
            plan = [row[0] for row in cursor.fetchall()]
    return {
        "params": params,
        "api_median_ms": round(api_median, 3),
        "sql_median_ms": round(sql_median, 3),
        "ratio": round(api_median / sql_median, 2),
        "list_query_median_ms": round(statistics.median(lists), 3),
        "api_p90_ms": round(sorted(api)[int(0.9 * (len(api) - 1))], 3),
        "rows_returned": len(body.get("items", [])),
        "first_row_deadline": body["items"][0]["next_deadline"] if body.get("items") else None,
        "query_count": len(statements),
        "plan": plan,
    }


def list_benchmark(runs: int, warmup: int) -> dict[str, Any]:
    from django.db.models import Count

    from anjian.accounts.models import User
    from anjian.cases.models import CaseOfficer
    from anjian.registry.models import Officer
    from benchmarks._common import WsgiClient

    user = User.objects.get(username="xuanwu")
    lead = Officer.objects.get(user=user)
    client = WsgiClient(user)
    busiest = (
        CaseOfficer.objects.filter(case__agency=lead.agency)
        .values("officer_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    scenarios = {
        "county_page_1": {},
        "agency_page_1": {"agency_id": lead.agency_id},
        "officer_page_1": {"officer_id": busiest["officer_id"]},
        "overdue_page_1": {"overdue": "true"},
        "county_page_100": {"page": 100},
        "county_page_1_of_200": {"page_size": 200},
    }
    out = {}
    for name, params in scenarios.items():
        out[name] = scenario(client, params, runs, warmup)
        print(
            f"  {name}: api {out[name]['api_median_ms']} ms, sql {out[name]['sql_median_ms']} ms, ratio {out[name]['ratio']}",
            flush=True,
        )
    out["officer_page_1"]["officer_cases"] = busiest["n"]
    # The framework's fixed cost of any signed-in API request, for scale (not one of the reads):
    # GET /api/v1/auth/me reads the session and the user and lists nothing.
    out["floor_me_api"] = scenario(client, {}, runs, warmup, url="/api/v1/auth/me")
    print(f"  floor_me_api: api {out['floor_me_api']['api_median_ms']} ms", flush=True)
    return out


def transitions_benchmark(per_worker: int) -> dict[str, Any]:
    from django.db import connections

    from anjian.accounts.models import User
    from anjian.cases import services
    from anjian.cases.models import Case, CaseEvent
    from anjian.core.errors import Conflict
    from anjian.registry.models import Officer

    head = User.objects.get(username="juzhang")
    lead = User.objects.get(username="xuanwu")
    lead_officer = Officer.objects.get(user__username="xuanwu").pk
    second_officer = Officer.objects.get(user__username="xuanwu2").pk
    needed = WORKERS * per_worker + 5
    candidates = list(
        Case.objects.filter(status="proposed", version=1)
        .filter(case_officers__officer_id=lead_officer)
        .filter(case_officers__officer_id=second_officer)
        .order_by("id")
        .values_list("pk", flat=True)[:needed]
    )
    if len(candidates) < needed:
        raise SystemExit(
            f"only {len(candidates)} fresh proposed cases of xuanwu/xuanwu2 left: drop the database and run again"
        )
    hot = candidates[:5]
    own = [candidates[5 + i * per_worker : 5 + (i + 1) * per_worker] for i in range(WORKERS)]
    today = dt.date.today()
    for pk in hot:
        case = Case.objects.get(pk=pk)
        services.perform(
            case=case,
            action="approve_filing",
            actor=head,
            version=case.version,
            payload={"on": today},
        )

    errors: list[str] = []
    counts = {"transitions": 0, "stale_told": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(WORKERS)

    def step(pk: int, action: str, actor: Any, **payload: Any) -> None:
        case = Case.objects.get(pk=pk)
        services.perform(
            case=case,
            action=action,
            actor=actor,
            version=case.version,
            payload=payload,
            reason=payload.pop("reason", ""),
        )

    def own_work(index: int) -> None:
        try:
            barrier.wait()
            done = 0
            for pk in own[index]:
                step(pk, "approve_filing", head, on=today)
                step(pk, "submit_investigation", lead, on=today)
                step(pk, "return_to_investigation", head, reason="补充调查")
                step(pk, "submit_investigation", lead, on=today)
                done += 4
            with lock:
                counts["transitions"] += done
        except Exception as error:  # noqa: BLE001 -- reported
            errors.append(repr(error))
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=own_work, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    own_seconds = time.perf_counter() - started

    hot_rounds = 10
    hot_done = {"ok": 0, "stale": 0}
    barrier2 = threading.Barrier(WORKERS)

    def hot_work(index: int) -> None:
        try:
            barrier2.wait()
            for round_ in range(hot_rounds):
                pk = hot[(index + round_) % len(hot)]
                while True:
                    case = Case.objects.get(pk=pk)
                    try:
                        services.perform(
                            case=case,
                            action="add_party",
                            actor=lead,
                            version=case.version,
                            payload={
                                "kind": "person",
                                "role": "responsible_person",
                                "name": f"责任人{index}-{round_}",
                            },
                        )
                        with lock:
                            hot_done["ok"] += 1
                        break
                    except Conflict as error:
                        if error.code != "stale_version":
                            raise
                        with lock:
                            hot_done["stale"] += 1
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=hot_work, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    hot_seconds = time.perf_counter() - started

    touched = hot + [pk for batch in own for pk in batch]
    lost = []
    for pk in touched:
        version = Case.objects.values_list("version", flat=True).get(pk=pk)
        sequences = list(
            CaseEvent.objects.filter(case_id=pk)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        if sequences != list(range(1, version + 1)):
            lost.append(pk)
    hot_parties = sum(Case.objects.get(pk=pk).parties.count() - 1 for pk in hot)
    return {
        "workers": WORKERS,
        "own_cases_per_worker": per_worker,
        "own_transitions": counts["transitions"],
        "own_seconds": round(own_seconds, 2),
        "own_transitions_per_second": round(counts["transitions"] / own_seconds, 1),
        "hot_cases": len(hot),
        "hot_successes": hot_done["ok"],
        "hot_stale_version_409": hot_done["stale"],
        "hot_seconds": round(hot_seconds, 2),
        "hot_transitions_per_second": round(hot_done["ok"] / hot_seconds, 1),
        "hot_parties_written": hot_parties,
        "cases_checked": len(touched),
        "cases_with_lost_updates": len(lost),
        "errors": errors[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--per-worker", type=int, default=10, help="own cases per worker (4 transitions each)"
    )
    args = parser.parse_args()
    prepare(args.database_url)
    from django.db import connection

    from benchmarks._common import machine

    report: dict[str, Any] = {
        "machine": machine(),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        report["database"] = {"vendor": "postgresql", "server_version": cursor.fetchone()[0]}
    print("seeding / checking the fixture ...", flush=True)
    report["fixture"] = seed(CASES)
    from anjian.cases.models import Case

    report["fixture"]["open_cases_of_the_agency"] = Case.objects.filter(
        agency__officers__user__username="xuanwu", is_open=True
    ).count()
    print("list ...", flush=True)
    report["list"] = list_benchmark(args.runs, args.warmup)
    print("transitions ...", flush=True)
    report["transitions"] = transitions_benchmark(args.per_worker)
    print(json.dumps(report["transitions"], ensure_ascii=False, indent=1), flush=True)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    OUTPUT.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()

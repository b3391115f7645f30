"""Two officers acting on one case at once: one succeeds, the other is told, nothing is lost
(row lock + version check). Parallel workers with real transactions on PostgreSQL."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter

import pytest
from django.db import connection, connections

from anjian.cases import services
from anjian.cases.models import Case, CaseEvent
from anjian.core.errors import Conflict
from tests.cases.conftest import days_ago, propose
from tests.conftest import client_for

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is tested on PostgreSQL (DATABASE_URL=postgres://…)",
)
pytestmark = [
    postgres_only,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(*jobs):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(index, job):
        try:
            barrier.wait()
            results[index] = ("ok", job())
        except Exception as error:  # noqa: BLE001 -- reported below
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_heads_deciding_the_filing_at_once_one_wins_one_is_told(team):
    assert connection.vendor == "postgresql"
    case = propose(team, on=days_ago(3))
    other_head = team.head

    results = run_at_once(
        lambda: services.perform(
            case=case,
            action="approve_filing",
            actor=team.head,
            version=1,
            payload={"on": days_ago(2)},
        ),
        lambda: services.perform(
            case=case, action="refuse_filing", actor=other_head, version=1, reason="证据不足"
        ),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    assert error.code == "stale_version"
    assert error.status == 409
    case.refresh_from_db()
    assert case.version == 2
    assert CaseEvent.objects.filter(case=case).count() == 2
    assert case.status in {"investigating", "filing_refused"}


def test_two_api_clients_at_once_get_200_and_409(team):
    case = propose(team, on=days_ago(3))
    body = json.dumps({"version": 1, "payload": {"on": str(days_ago(2))}})
    refuse = json.dumps({"version": 1, "reason": "不予立案"})

    def call(payload, action):
        return (
            client_for(team.head)
            .post(
                f"/api/v1/cases/{case.pk}/actions/{action}",
                data=payload,
                content_type="application/json",
            )
            .status_code
        )

    results = run_at_once(
        lambda: call(body, "approve_filing"), lambda: call(refuse, "refuse_filing")
    )
    assert sorted(value for _, value in results) == [200, 409]


def test_unversioned_writes_queue_on_the_row_lock_and_none_is_lost(team):
    case = propose(team, on=days_ago(3))
    case = services.perform(
        case=case, action="approve_filing", actor=team.head, payload={"on": days_ago(2)}
    )
    jobs = [
        (
            lambda n=n: services.perform(
                case=case,
                action="add_party",
                actor=team.lead,
                payload={"kind": "person", "role": "responsible_person", "name": f"责任人{n}"},
            )
        )
        for n in range(8)
    ]
    results = run_at_once(*jobs)
    assert [kind for kind, _ in results] == ["ok"] * 8
    case.refresh_from_db()
    assert case.version == 2 + 8
    sequences = list(
        CaseEvent.objects.filter(case=case).order_by("sequence").values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, 11))
    assert case.parties.count() == 9


def test_case_references_stay_gapless_under_parallel_filing(team):
    results = run_at_once(
        *[(lambda n=n: propose(team, on=days_ago(1)).reference) for n in range(10)]
    )
    references = [value for kind, value in results if kind == "ok"]
    assert len(references) == 10
    assert max(Counter(references).values()) == 1
    year = days_ago(1).year
    assert sorted(references, key=lambda r: int(r.split("〕")[1][:-1])) == [
        f"苏宁玄案〔{year}〕{n}号" for n in range(1, 11)
    ]
    assert Case.objects.count() == 10

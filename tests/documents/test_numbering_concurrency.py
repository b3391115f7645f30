"""Numbers stay gapless and unique when many workers issue at once (PostgreSQL, real transactions)."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
from django.db import connection, connections

from anjian.documents import services
from anjian.documents.models import Document, DocumentCounter
from tests.documents.conftest import draft_for, make_profile

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent issuing is tested on PostgreSQL (DATABASE_URL=postgres://…)",
)


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_workers_get_gapless_unique_numbers(cast):
    assert connection.vendor == "postgresql"
    make_profile(cast.agencies["xuanwu"])
    drafts = [draft_for(cast, "rectification_order") for _ in range(16)]
    # serialized_rollback: the regions loaded by migrations come back after this test's flush.
    # One draft is incomplete: its refusal must not leave a gap.
    broken = draft_for(cast, "rectification_order", context={"party": {"name": "缺字段单位"}})
    results: list[str] = []
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def worker(batch: list) -> None:
        try:
            barrier.wait()
            for draft in batch:
                try:
                    issued = services.issue(actor=cast.xuanwu, document=draft)
                    results.append(issued.number)
                except Exception as error:  # noqa: BLE001 -- collected and asserted below
                    errors.append(getattr(error, "code", repr(error)))
        finally:
            connections.close_all()

    batches = [drafts[i::8] for i in range(8)]
    batches[0] = [*batches[0], broken]
    threads = [threading.Thread(target=worker, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == ["document_incomplete"]
    sequences = sorted(Document.objects.filter(code="责改").values_list("sequence", flat=True))
    assert sequences == list(range(1, 17))
    assert max(Counter(results).values()) == 1
    assert DocumentCounter.objects.get(code="责改").last_sequence == 16


def test_a_number_is_taken_only_inside_a_transaction():
    # Checked before any query: outside ``transaction.atomic()`` the counter lock would end at once.
    with pytest.raises(RuntimeError):
        services.allocate_number(agency=None, type_id="penalty_decision_unit")

"""Inspections number their records from the documents app's counter: one gapless counter per
agency, code and year, shared with the documents issued from them, and safe under concurrency."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from anjian.documents import services as document_services
from anjian.documents.models import DocumentCounter
from anjian.inspections import services
from tests.inspections.conftest import filled

postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrent numbering is tested on PostgreSQL (DATABASE_URL=postgres://…)",
)


@pytest.mark.django_db
def test_a_submitted_record_and_its_order_take_their_numbers_from_the_documents_counter(
    cast, team, draft, item_list
):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))

    record = services.submit_inspection(actor=team.head, inspection=draft)

    year = timezone.localdate().year
    agency = cast.agencies["xuanwu"]
    assert record.number == f"（苏宁玄）应急现记〔{year}〕1号"
    assert record.rectification_order.number == f"（苏宁玄）应急责改〔{year}〕1号"
    counters = DocumentCounter.objects.filter(agency=agency, year=year)
    assert dict(counters.values_list("code", "last_sequence")) == {"现记": 1, "责改": 1}
    # The next 现场检查记录 the documents engine numbers comes after the inspection's.
    with transaction.atomic():
        allocated = document_services.allocate_number(agency=agency, type_id="inspection_record")
    assert allocated.text == f"（苏宁玄）应急现记〔{year}〕2号"


@pytest.mark.django_db
def test_a_rolled_back_record_gives_its_number_back(cast):
    agency = cast.agencies["xuanwu"]
    today = timezone.localdate()

    def refused_after_numbering() -> None:
        with transaction.atomic():
            services.next_document_number(agency=agency, type_id=services.DOC_MEASURE, on=today)
            raise RuntimeError("the record is refused after the number was taken")

    with pytest.raises(RuntimeError):
        refused_after_numbering()
    with transaction.atomic():
        number = services.next_document_number(
            agency=agency, type_id=services.DOC_MEASURE, on=today
        )

    assert number == f"（苏宁玄）应急现决〔{today.year}〕1号"


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_inspections_get_gapless_unique_numbers(cast):
    assert connection.vendor == "postgresql"
    agency = cast.agencies["xuanwu"]
    today = timezone.localdate()
    results: list[str] = []
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for attempt in range(4):
                try:
                    with transaction.atomic():
                        number = services.next_document_number(
                            agency=agency, type_id=services.DOC_REINSPECTION, on=today
                        )
                        if index == 0 and attempt == 0:
                            raise RuntimeError("rolled back")
                    results.append(number)
                except RuntimeError as error:
                    errors.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == ["rolled back"]
    assert max(Counter(results).values()) == 1
    sequences = sorted(int(n.rsplit("〕", 1)[1].removesuffix("号")) for n in results)
    assert sequences == list(range(1, 32))
    counter = DocumentCounter.objects.get(agency=agency, code="复查", year=today.year)
    assert counter.last_sequence == 31

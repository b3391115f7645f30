"""The test database's flush (the end of every transactional test) empties the audit table on
SQLite past its append-only triggers (tests/conftest.py), and the triggers are back afterwards."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from anjian.audit import services as audit
from anjian.audit.models import AuditEntry


def _record(n: int) -> None:
    with transaction.atomic():
        audit.record(actor=None, action="tests.flush", after={"n": n})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_audit_table_and_leaves_it_append_only():
    _record(1)
    _record(2)

    # As a transactional test's teardown flushes: sequences are kept (resetting them here would
    # make the next test's reloaded reference rows collide with new ids on PostgreSQL).
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )

    assert AuditEntry.objects.count() == 0
    _record(3)
    with (
        pytest.raises(DatabaseError, match="audit entries are append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1

"""Settings that change what a request costs in production."""

from __future__ import annotations

import os

from django.conf import settings


def test_database_connections_persist_between_requests_on_every_database():
    # A new SQLite connection per request (connect and the WAL/synchronous/busy_timeout pragmas)
    # cost more than the rest of a list request (docs/benchmarks/README.md, registry_list).
    expected = int(os.environ.get("DB_CONN_MAX_AGE", "60"))

    assert expected > 0
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == expected


def test_sessions_are_read_by_the_account_backend():
    assert "anjian.accounts.backends.AccountBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS

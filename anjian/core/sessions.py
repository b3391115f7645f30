"""Django's database session store, with the read every signed-in request makes as one plain statement.

Sessions stay in the database table of ``django.contrib.sessions`` (app servers are stateless);
creating, saving and deleting them is Django's own code. Only ``load`` differs: it selects the
session's data with one parameterised statement instead of building an ORM query, which is a
measurable part of the fixed cost of an API request (benchmarks/registry_list.py). Same rows, same
expiry rule (``expire_date`` later than now), same decoding.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 -- the table name is the model's
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data

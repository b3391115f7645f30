"""The password backend, with the read every signed-in request makes as one plain statement.

``ModelBackend.get_user`` builds and compiles an ORM query (``User.objects.get(pk=...)``) on every
request that touches ``request.user``; compiling is most of its cost, the database lookup by
primary key the least (benchmarks/registry_list.py). Here the statement is written once per
database (the model's own columns, quoted by the backend) and run through ``Manager.raw``, which
applies the same value converters as the ORM (aware datetimes, booleans), so the user is the same
object. Authentication, permissions and ``user_can_authenticate`` are ModelBackend's own code.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


@cache
def _select_by_pk(alias: str) -> str:
    model = get_user_model()
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    table = quote(model._meta.db_table)
    return f"SELECT {columns} FROM {table} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608 -- names from the model


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(model)
        user = next(
            iter(model._default_manager.db_manager(alias).raw(_select_by_pk(alias), [pk])), None
        )
        return user if user is not None and self.user_can_authenticate(user) else None

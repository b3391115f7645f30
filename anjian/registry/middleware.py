"""Per-session memo of a signed-in user's roles and jurisdiction scope.

Without it every request reads the user's roles and their officer row with its agency, region and
scope grants (two queries and most of the fixed cost of a list request; benchmarks/registry_list.py).
The memo lives in the session (the database), never in process memory, and is used only while it
matches the user's ``access_version``, the day and ``ACCESS_MAX_AGE``: see anjian/registry/scope.py.
``scope_for`` stays the one place that computes a scope.

Placed right after ``AuthenticationMiddleware``. The user is still loaded lazily; a request that
authenticates with a bearer token (which replaces ``request.user``) neither reads nor writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from anjian.registry.scope import remember_access, restore_access


class AccessMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: self._user(request))  # type: ignore[assignment]
        response = self.get_response(request)
        memo = request.__dict__.get("_anjian_access")
        if memo is not None:
            user, stamp = memo
            remember_access(request.session, user, stamp)
        return response

    @staticmethod
    def _user(request: HttpRequest) -> Any:
        user = get_user(request)
        if user.is_authenticated:
            request._anjian_access = (user, restore_access(request.session, user))  # type: ignore[attr-defined]
        return user

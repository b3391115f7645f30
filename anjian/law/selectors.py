from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anjian.core.errors import PermissionDenied
from anjian.core.permissions import user_can
from anjian.law.models import CalendarOverride


def require(user: Any, action: str) -> None:
    if not user_can(user, action):
        raise PermissionDenied(action)


def calendar_overrides(user: Any) -> QuerySet[CalendarOverride]:
    require(user, "law.view")
    return CalendarOverride.objects.order_by("day")

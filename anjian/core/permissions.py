"""Roles and named permissions.

Each app declares its actions (``"registry.change_enterprise"``) and the roles that hold them, in one
table per app (``<app>/permissions.py``), registered at start-up. ``user_can`` answers whether a
user's roles grant an action; jurisdiction (which records) is answered separately by the registry's
scope, at one choke point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    # Labels follow the page language ("role" context: 执法人员 is also the officers' list).
    INSPECTOR = "inspector", pgettext_lazy("role", "执法人员")
    LEGAL_REVIEWER = "legal_reviewer", pgettext_lazy("role", "法制审核人员")
    SECTION_HEAD = "section_head", pgettext_lazy("role", "科室负责人")
    BUREAU_HEAD = "bureau_head", pgettext_lazy("role", "局负责人")
    ARCHIVIST = "archivist", pgettext_lazy("role", "档案管理员")
    TRAINER = "trainer", pgettext_lazy("role", "培训管理员")
    ADMINISTRATOR = "administrator", pgettext_lazy("role", "系统管理员")


_PERMISSIONS: dict[str, frozenset[str]] = {}


def register_permissions(table: Mapping[str, Iterable[str]]) -> None:
    for action, roles in table.items():
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise ValueError(f"unknown roles for {action}: {sorted(unknown)}")
        _PERMISSIONS[action] = frozenset(roles)


def permission_table() -> dict[str, frozenset[str]]:
    return dict(_PERMISSIONS)


def roles_of(user: Any) -> frozenset[str]:
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not getattr(user, "is_active", False)
    ):
        return frozenset()
    cached = getattr(user, "_anjian_roles", None)
    if cached is None:
        cached = frozenset(user.role_names())
        user._anjian_roles = cached
    return cached


def known_roles(user: Any) -> frozenset[str] | None:
    """The roles ``roles_of`` already holds for this user object (read or restored), if any."""
    return getattr(user, "_anjian_roles", None)


def preset_roles(user: Any, roles: Iterable[str]) -> None:
    """Give ``roles_of`` the user's roles without reading them (remembered by the session for
    the user's current ``access_version``: see anjian/registry/middleware.py)."""
    user._anjian_roles = frozenset(roles)


def user_can(user: Any, action: str) -> bool:
    if action not in _PERMISSIONS:
        raise KeyError(f"undeclared permission {action!r}")
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        # The technical administrator (`anjian createsuperuser`) holds the administrator role's
        # permissions and no enforcement act: separation of duties (docs/adr/0010).
        return Role.ADMINISTRATOR.value in _PERMISSIONS[action] or bool(
            roles_of(user) & _PERMISSIONS[action]
        )
    return bool(roles_of(user) & _PERMISSIONS[action])

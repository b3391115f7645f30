"""Writes on accounts: users, roles and API tokens. Each is one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from anjian.accounts.models import ApiToken, RoleAssignment, User
from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.core.permissions import Role

TOKEN_LIFETIME = dt.timedelta(days=30)


def create_user(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str | None,
    roles: Iterable[str] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise DomainError(
                "duplicate_username",
                f"用户名“{username}”已存在。",
                f"Username {username!r} exists.",
            )
        user = User(
            username=username, full_name=full_name, is_staff=is_staff, is_superuser=is_superuser
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        set_roles_unaudited(user=user, roles=roles)
        audit.record(
            actor=actor,
            action="accounts.create_user",
            obj=user,
            after={"username": username, "full_name": full_name, "roles": sorted(roles)},
        )
        return user


def set_roles_unaudited(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(
            "unknown_role",
            f"未知角色：{'、'.join(sorted(unknown))}",
            f"Unknown roles: {sorted(unknown)}",
        )
    RoleAssignment.objects.filter(user=user).exclude(role__in=wanted).delete()
    existing = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=r) for r in sorted(wanted - existing)]
    )
    invalidate_access(users=User.objects.filter(pk=user.pk))
    if hasattr(user, "_anjian_roles"):
        del user._anjian_roles


def invalidate_access(*, users: QuerySet[User]) -> None:
    """What these users may do or see changed (roles, officer post, scope grants): raise their
    ``access_version`` so that every session, on any app server, recomputes its remembered roles
    and scope on its next request (anjian/registry/scope.py). Part of the caller's write: call it
    inside that write's transaction, so the change and the new version commit together."""
    users.update(access_version=F("access_version") + 1)


def set_roles(*, actor: Any, user: User, roles: Iterable[str]) -> None:
    with transaction.atomic():
        before = sorted(user.role_names())
        set_roles_unaudited(user=user, roles=roles)
        audit.record(
            actor=actor,
            action="accounts.set_roles",
            obj=user,
            before={"roles": before},
            after={"roles": sorted(roles)},
        )


def issue_token(
    *, request: HttpRequest, username: str, password: str, name: str
) -> tuple[ApiToken, str]:
    """Exchange credentials for a bearer token. Failed attempts count towards the lockout.

    The request is required: django-axes counts the failures (and refuses a locked account) by it.
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise DomainError(
            "invalid_credentials",
            "用户名或密码错误，或账户已被锁定。",
            "Wrong username or password, or the account is locked.",
            status=401,
        )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100] or "api",
            token_hash=ApiToken.hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + TOKEN_LIFETIME,
        )
        audit.record(
            actor=user,
            action="accounts.issue_token",
            obj=token,
            after={"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
        )
    return token, raw


def revoke_token(*, actor: User, token: ApiToken) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor,
                action="accounts.revoke_token",
                obj=token,
                after={"revoked_at": token.revoked_at},
            )


def user_for_token(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(token_hash=ApiToken.hash(raw)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
    ):
        return None
    # A conditional update: at most one write a minute per token, safe across processes.
    ApiToken.objects.filter(pk=token.pk).exclude(
        last_used_at__gt=now - dt.timedelta(minutes=1)
    ).update(last_used_at=now)
    return token.user

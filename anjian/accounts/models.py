from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from anjian.core.permissions import Role


class User(AbstractUser):
    """A person who signs in: an officer (via registry.Officer) or a technical administrator."""

    full_name = models.CharField("姓名", max_length=100, blank=True)
    # Raised (accounts.services.invalidate_access) by every write that changes what the user may do
    # or see: roles, officer post, scope grants. A session's remembered roles and scope
    # (anjian/registry/scope.py) are only used while they carry the version read with the user.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_names(self) -> list[str]:
        return list(self.role_assignments.values_list("role", flat=True))


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class ApiToken(models.Model):
    """A bearer token for the API (mobile terminals). Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

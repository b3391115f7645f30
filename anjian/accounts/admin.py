from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from anjian.accounts.models import RoleAssignment, User
from anjian.accounts.services import invalidate_access


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class AnjianUserAdmin(UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "full_name", "is_active", "is_staff"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("安监", {"fields": ("full_name",)}))

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        # Roles edited here bypass accounts.services: open sessions must read them again.
        super().save_related(request, form, formsets, change)
        invalidate_access(users=User.objects.filter(pk=form.instance.pk))

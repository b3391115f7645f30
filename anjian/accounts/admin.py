from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from anjian.accounts.models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class AnjianUserAdmin(UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "full_name", "is_active", "is_staff"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("安监", {"fields": ("full_name",)}))

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from anjian.audit import services


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits of reference data are writes like any other: each one records its audit entry."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                previous = type(obj).objects.filter(pk=obj.pk).first()
                before = services.snapshot(previous) if previous is not None else None
            super().save_model(request, obj, form, change)
            services.record(
                actor=request.user,
                action=f"admin.{'change' if change else 'add'}",
                obj=obj,
                before=before,
                after=services.snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = services.snapshot(obj)
            object_type, object_id = obj._meta.label_lower, obj.pk
            super().delete_model(request, obj)
            services.record(
                actor=request.user,
                action="admin.delete",
                object_type=object_type,
                object_id=object_id,
                before=before,
            )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

from __future__ import annotations

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = "现场检查"

    def ready(self) -> None:
        from anjian.core.permissions import register_permissions
        from anjian.inspections.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)

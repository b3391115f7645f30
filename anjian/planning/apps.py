from __future__ import annotations

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "anjian.planning"
    label = "planning"
    verbose_name = "执法计划"

    def ready(self) -> None:
        from anjian.core.permissions import register_permissions
        from anjian.planning.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)

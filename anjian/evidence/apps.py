from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "anjian.evidence"
    label = "evidence"
    verbose_name = "证据"

    def ready(self) -> None:
        from anjian.core.permissions import register_permissions
        from anjian.evidence.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)

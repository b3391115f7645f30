from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class LawConfig(AppConfig):
    name = "anjian.law"
    label = "law"
    verbose_name = "法律依据"

    def ready(self) -> None:
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions
        from anjian.law.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)
        register_navigation(
            label=gettext_noop("法律依据"),
            url_name="law:violation_list",
            order=60,
            permission="law.view",
        )
        register_navigation(
            label=gettext_noop("期限计算"),
            url_name="law:deadlines",
            order=62,
            permission="law.view",
        )

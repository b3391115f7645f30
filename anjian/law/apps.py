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
        from anjian.registry.penalty_catalog import register as register_violation_catalog

        register_permissions(PERMISSIONS)
        # The registry checks a delegation's violation codes against the catalog (it may not
        # import this app: it lies a layer below).
        register_violation_catalog(_violation_titles)
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


def _violation_titles() -> dict[str, str]:
    from anjian.law.core.catalog import default_catalog

    return {v.code: v.title_zh for v in default_catalog().violation_types}

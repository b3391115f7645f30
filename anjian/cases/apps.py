from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class CasesConfig(AppConfig):
    name = "anjian.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        from anjian.cases.permissions import PERMISSIONS
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions

        register_permissions(PERMISSIONS)
        from anjian.cases.exports import EXPORT_LIST
        from anjian.core.exports import register_export

        register_export(EXPORT_LIST)
        from anjian.cases.selectors import case_of_preservation
        from anjian.evidence.selectors import register_preservation_owner

        register_preservation_owner(case_of_preservation)
        register_navigation(
            label=gettext_noop("案件办理"), url_name="cases:list", order=35, permission="cases.view"
        )
        register_navigation(
            label=gettext_noop("办案期限"),
            url_name="cases:deadlines",
            order=36,
            permission="cases.view",
        )

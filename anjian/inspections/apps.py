from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    label = "inspections"
    verbose_name = "现场检查"

    def ready(self) -> None:
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions
        from anjian.inspections.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)
        from anjian.core.exports import register_export
        from anjian.inspections.exports import EXPORT_LISTS

        for export_list in EXPORT_LISTS:
            register_export(export_list)
        register_navigation(
            label=gettext_noop("今日任务"),
            url_name="inspections:my_tasks",
            order=100,
            permission="inspections.record",
        )
        register_navigation(
            label=gettext_noop("现场检查"),
            url_name="inspections:start",
            order=110,
            permission="inspections.record",
        )
        register_navigation(
            label=gettext_noop("检查记录"),
            url_name="inspections:record_list",
            order=115,
            permission="inspections.view",
        )
        register_navigation(
            label=gettext_noop("整改指令"),
            url_name="inspections:order_list",
            order=116,
            permission="inspections.view",
        )
        register_navigation(
            label=gettext_noop("检查方案"),
            url_name="inspections:scheme_list",
            order=120,
            permission="inspections.view",
        )
        register_navigation(
            label=gettext_noop("整改督办"),
            url_name="inspections:supervision",
            order=130,
            permission="inspections.supervise",
        )
        register_navigation(
            label=gettext_noop("检查事项清单"),
            url_name="inspections:item_lists",
            order=135,
            permission="inspections.view",
        )
        register_navigation(
            label=gettext_noop("检查统计"),
            url_name="inspections:figures",
            order=140,
            permission="inspections.figures",
        )

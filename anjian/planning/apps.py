from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PlanningConfig(AppConfig):
    name = "anjian.planning"
    label = "planning"
    verbose_name = "执法计划"

    def ready(self) -> None:
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions
        from anjian.planning.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)
        from anjian.core.exports import register_export
        from anjian.planning.exports import EXPORT_LISTS

        for export_list in EXPORT_LISTS:
            register_export(export_list)
        register_navigation(
            label=gettext_noop("年度计划"),
            url_name="planning:plan_list",
            order=70,
            permission="planning.view",
        )
        register_navigation(
            label=gettext_noop("检查任务"),
            url_name="planning:task_list",
            order=75,
            permission="planning.view",
        )
        register_navigation(
            label=gettext_noop("双随机抽查"),
            url_name="planning:draw_list",
            order=80,
            permission="planning.view",
        )
        register_navigation(
            label=gettext_noop("执法行动"),
            url_name="planning:operation_list",
            order=85,
            permission="planning.view",
        )
        register_navigation(
            label=gettext_noop("公示公告"),
            url_name="planning:public_index",
            order=90,
            permission="planning.view",
        )

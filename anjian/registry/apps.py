from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_noop


class RegistryConfig(AppConfig):
    name = "anjian.registry"
    label = "registry"
    verbose_name = "基础信息"

    def ready(self) -> None:
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions
        from anjian.registry.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)
        from anjian.core.exports import register_background_page, register_export
        from anjian.registry.export_jobs import background_page_url
        from anjian.registry.exports import EXPORT_LISTS

        for export_list in EXPORT_LISTS:
            register_export(export_list)
        register_background_page(background_page_url)
        register_navigation(
            label=gettext_noop("生产经营单位"),
            url_name="registry:enterprise_list",
            order=10,
            permission="registry.view",
        )
        register_navigation(
            label=gettext_noop("执法机构"),
            url_name="registry:agency_list",
            order=20,
            permission="registry.view",
        )
        register_navigation(
            label=gettext_noop("执法人员"),
            url_name="registry:officer_list",
            order=30,
            permission="registry.view",
        )
        register_navigation(
            label=gettext_noop("网格"),
            url_name="registry:grid_list",
            order=40,
            permission="registry.view",
        )
        register_navigation(
            label=gettext_noop("管辖核查"),
            url_name="registry:jurisdiction_report",
            order=50,
            permission="registry.view",
        )
        # The signed-in officer's own background exports (any officer role may export a list).
        register_navigation(
            label=gettext_noop("我的导出"),
            url_name="registry:export_list",
            order=190,
            permission="registry.export",
        )

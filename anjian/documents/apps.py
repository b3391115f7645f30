from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_noop


class DocumentsConfig(AppConfig):
    name = "anjian.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        from anjian.core.context_processors import register_navigation
        from anjian.core.permissions import register_permissions
        from anjian.documents.permissions import PERMISSIONS

        register_permissions(PERMISSIONS)
        from anjian.core.exports import register_export
        from anjian.documents.exports import EXPORT_LIST

        register_export(EXPORT_LIST)
        register_navigation(
            label=gettext_noop("执法文书"),
            url_name="documents:list",
            order=70,
            permission="documents.view",
        )
        discover_context_builders()


def discover_context_builders() -> None:
    """Call ``register()`` of every installed app's ``documents`` module (as the Django admin
    discovers ``admin`` modules): the upper apps offer their records' documents without this app
    importing them (ARCHITECTURE.md layers)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.name == "anjian.documents":
            continue
        module_name = f"{config.name}.documents"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        register = getattr(module, "register", None)
        if callable(register):
            register()

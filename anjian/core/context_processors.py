from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# Navigation entries register themselves from each app's AppConfig.ready(), so the core layer
# never imports an upper layer.
NAVIGATION: list[dict[str, Any]] = []


def register_navigation(
    *, label: str, url_name: str, order: int = 100, permission: str | None = None
) -> None:
    if any(entry["url_name"] == url_name for entry in NAVIGATION):
        return
    NAVIGATION.append(
        {"label": label, "url_name": url_name, "order": order, "permission": permission}
    )
    NAVIGATION.sort(key=lambda entry: entry["order"])


# The entries' URLs, reversed once per URL prefix in this process: ``reverse`` of a fixed name
# is a pure function of the URLconf and the script prefix, and it was most of the menu's cost on
# every page (one reverse per entry). Nothing here is state: any process computes the same.
_URLS: dict[str, dict[str, str]] = {}


def _entry_urls() -> dict[str, str]:
    prefix = get_script_prefix()
    urls = _URLS.get(prefix)
    if urls is None or len(urls) != len(NAVIGATION):
        urls = {entry["url_name"]: reverse(entry["url_name"]) for entry in NAVIGATION}
        _URLS[prefix] = urls
    return urls


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    from anjian.core.permissions import user_can

    urls = _entry_urls()
    return {
        "navigation": [
            {**entry, "url": urls[entry["url_name"]]}
            for entry in NAVIGATION
            if entry["permission"] is None or user_can(user, entry["permission"])
        ]
    }

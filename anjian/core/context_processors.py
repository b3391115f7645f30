from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    from anjian.core.permissions import user_can

    return {
        "navigation": [
            entry
            for entry in NAVIGATION
            if entry["permission"] is None or user_can(user, entry["permission"])
        ]
    }

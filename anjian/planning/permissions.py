from __future__ import annotations

PERMISSIONS: dict[str, list[str]] = {}

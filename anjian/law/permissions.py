from __future__ import annotations

from anjian.core.permissions import Role

PERMISSIONS: dict[str, list[str]] = {
    "law.view": [r.value for r in Role],
    "law.manage_calendar": [Role.ADMINISTRATOR.value],
    "law.consistency_report": [
        Role.LEGAL_REVIEWER.value,
        Role.SECTION_HEAD.value,
        Role.BUREAU_HEAD.value,
        Role.ADMINISTRATOR.value,
    ],
}

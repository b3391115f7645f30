"""Named actions of the evidence app and the roles that hold them (jurisdiction is checked separately)."""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_ROLES = [r.value for r in Role]
FIELD_ROLES = [Role.INSPECTOR.value, Role.SECTION_HEAD.value, Role.BUREAU_HEAD.value]

PERMISSIONS: dict[str, list[str]] = {
    "evidence.view": ALL_ROLES,
    "evidence.collect": FIELD_ROLES,
    "evidence.record_custody": [*FIELD_ROLES, Role.ARCHIVIST.value],
    "evidence.exclude": [
        Role.SECTION_HEAD.value,
        Role.BUREAU_HEAD.value,
        Role.LEGAL_REVIEWER.value,
    ],
    # 行政处罚法第五十六条: 先行登记保存 needs the approval of the head of the agency.
    "evidence.approve_preservation": [Role.BUREAU_HEAD.value],
    "evidence.preserve": FIELD_ROLES,
}

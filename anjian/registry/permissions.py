"""Named actions of the registry and the roles that hold them (jurisdiction is checked separately)."""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_OFFICER_ROLES = [r.value for r in Role]

PERMISSIONS: dict[str, list[str]] = {
    "registry.view": ALL_OFFICER_ROLES,
    "registry.change_enterprise": [
        Role.SECTION_HEAD,
        Role.BUREAU_HEAD,
        Role.ADMINISTRATOR,
        Role.INSPECTOR,
    ],
    "registry.import_enterprises": [Role.SECTION_HEAD, Role.ADMINISTRATOR],
    "registry.manage_jurisdiction": [Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.ADMINISTRATOR],
    "registry.manage_officers": [Role.ADMINISTRATOR, Role.BUREAU_HEAD],
    "registry.export": ALL_OFFICER_ROLES,
}

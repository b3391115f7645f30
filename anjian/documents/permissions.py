"""Named actions on documents and the roles that hold them (jurisdiction is checked separately)."""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_OFFICER_ROLES: list[str] = [r.value for r in Role]
CASE_HANDLERS: list[str] = [
    Role.INSPECTOR,
    Role.LEGAL_REVIEWER,
    Role.SECTION_HEAD,
    Role.BUREAU_HEAD,
]

PERMISSIONS: dict[str, list[str]] = {
    "documents.view": ALL_OFFICER_ROLES,
    "documents.draft": CASE_HANDLERS,
    "documents.issue": [Role.INSPECTOR, Role.SECTION_HEAD, Role.BUREAU_HEAD],
    "documents.void": [Role.SECTION_HEAD, Role.BUREAU_HEAD],
    "documents.deliver": [Role.INSPECTOR, Role.SECTION_HEAD, Role.BUREAU_HEAD],
    "documents.case_file": [*CASE_HANDLERS, Role.ARCHIVIST],
    "documents.manage_profile": [Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.ADMINISTRATOR],
}

"""Named actions of field inspections and the roles that hold them (jurisdiction is checked separately)."""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_ROLES = [r.value for r in Role]
HEADS = [Role.SECTION_HEAD.value, Role.BUREAU_HEAD.value]

PERMISSIONS: dict[str, list[str]] = {
    # See records, orders, the item list and an enterprise's inspection history.
    "inspections.view": ALL_ROLES,
    # Record an inspection (draft, submit, photos, on-site measures) and re-inspect: officers in the field.
    "inspections.record": [Role.INSPECTOR.value],
    # Draft and submit inspection schemes; approve or reject them.
    "inspections.draft_scheme": [Role.INSPECTOR.value, *HEADS],
    "inspections.approve_scheme": HEADS,
    # Publish a new version of the item list (province-wide reference data).
    "inspections.manage_items": [Role.ADMINISTRATOR.value],
    # Overdue rectifications and case proposals of the whole jurisdiction (the section head's page).
    "inspections.supervise": [*HEADS, Role.LEGAL_REVIEWER.value],
    # Figures for the dashboards.
    "inspections.figures": [*HEADS, Role.LEGAL_REVIEWER.value, Role.ADMINISTRATOR.value],
}

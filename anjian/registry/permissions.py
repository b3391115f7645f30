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
    # Deciding who supervises an enterprise (the jurisdiction report's fix, deciding a claim).
    "registry.manage_jurisdiction": [Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.ADMINISTRATOR],
    # Filing or withdrawing a claim in the name of an agency in the user's scope.
    "registry.claim_jurisdiction": [Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.ADMINISTRATOR],
    "registry.manage_officers": [Role.ADMINISTRATOR, Role.BUREAU_HEAD],
    # Recording a township's or zone's penalty power (a province decision, Art 24, or a written
    # entrustment, Art 20) is an act of the delegating side: a bureau head or an administrator of a
    # county-level or higher agency whose region contains the township (selectors.delegation_*).
    "registry.manage_delegations": [Role.BUREAU_HEAD, Role.ADMINISTRATOR],
    # Creating grids and naming their responsible officer: section and bureau heads and
    # administrators, of the township itself or of an agency above it (scope: the grid's region).
    "registry.manage_grids": [Role.SECTION_HEAD, Role.BUREAU_HEAD, Role.ADMINISTRATOR],
    "registry.export": ALL_OFFICER_ROLES,
}

"""Named actions of planning and the roles that hold them (jurisdiction is checked separately)."""

from __future__ import annotations

from anjian.core.permissions import Role

ALL_OFFICER_ROLES = [r.value for r in Role]
HEADS = [Role.SECTION_HEAD.value, Role.BUREAU_HEAD.value, Role.ADMINISTRATOR.value]

PERMISSIONS: dict[str, list[str]] = {
    "planning.view": ALL_OFFICER_ROLES,
    # Build and edit the annual plan (parameters, allocation, teams).
    "planning.edit_plan": HEADS,
    # Submit for approval; put an approved and filed plan in force.
    "planning.submit_plan": HEADS,
    # Record the government's approval, the return, and the filing with the level above.
    "planning.record_approval": HEADS,
    # Create, commit, draw and publish random draws; request a void.
    "planning.draw": HEADS,
    # Approve or reject a void (the bureau head; never the person who asked for it).
    "planning.approve_void": [Role.BUREAU_HEAD.value, Role.SECTION_HEAD.value],
    # Joint, cross-region, covert and special operations (with their schemes, tasks and grants).
    "planning.manage_operations": HEADS,
    # Officers' declarations of conflicts of interest (an officer declares their own; heads any).
    "planning.declare_conflict": ALL_OFFICER_ROLES,
    "planning.manage_conflicts": HEADS,
    # Create or cancel single tasks by hand.
    "planning.manage_tasks": HEADS,
    "planning.export": ALL_OFFICER_ROLES,
}

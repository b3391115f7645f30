"""Named permissions: a role grants its actions; the technical administrator (a Django superuser)
holds the administrator role's actions and no enforcement act (docs/adr/0010)."""

from __future__ import annotations

import pytest

from anjian.core.permissions import Role, permission_table, user_can


@pytest.fixture
def superuser(db):
    from anjian.accounts import services

    return services.create_user(
        actor=None, username="root", full_name="技术管理员", password=None, is_superuser=True
    )


def test_the_superuser_holds_exactly_the_administrator_roles_actions(superuser):
    table = permission_table()

    held = {action for action in table if user_can(superuser, action)}

    assert held == {action for action, roles in table.items() if Role.ADMINISTRATOR in roles}
    assert {"cases.decide", "documents.issue", "inspections.record"}.isdisjoint(held)
    assert {"registry.manage_officers", "law.manage_calendar"} <= held


def test_an_inactive_superuser_holds_nothing(superuser):
    superuser.is_active = False

    assert not any(user_can(superuser, action) for action in permission_table())


def test_a_superuser_given_an_officer_role_holds_that_roles_actions(superuser):
    from anjian.accounts import services

    services.set_roles(actor=None, user=superuser, roles=[Role.BUREAU_HEAD])
    superuser.__dict__.pop("_anjian_roles", None)  # read the roles again, as a request would

    assert user_can(superuser, "cases.decide")
    assert not user_can(superuser, "inspections.record")

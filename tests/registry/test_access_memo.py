"""Roles and scope remembered per session (anjian/registry/middleware.py, registry/scope.py).

A list request of a signed-in user reads the session, the user and the list, nothing else; every
write that changes roles or grants takes effect on the very next request of an open session; an
edit made outside the services (no version raised) is picked up after ACCESS_MAX_AGE or the next day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.registry import services
from anjian.registry.models import Officer, ScopeGrant
from anjian.registry.scope import ACCESS_MAX_AGE, ACCESS_SESSION_KEY
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "/api/v1/registry/enterprises"


def tables(captured: CaptureQueriesContext) -> list[str]:
    """The main table of each query, in order."""
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        found.append(sql.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in sql else sql)
    return found


def reads(captured: CaptureQueriesContext, table: str) -> bool:
    return any(f'FROM "{table}"' in query["sql"] for query in captured.captured_queries)


def grant_to_gulou(cast, *, holder: str = "officer") -> ScopeGrant:
    return services.grant_scope(
        actor=cast.nanjing,
        region=cast.regions["320102"],
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=7),
        operation_reference="宁交〔2026〕7号",
        reason="交叉执法",
        granting_agency=cast.agencies["nanjing"],
        officer=Officer.objects.get(user=cast.gulou) if holder == "officer" else None,
        agency=cast.agencies["gulou"] if holder == "agency" else None,
    )


def names(client) -> set[str]:
    response = client.get(LIST)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["items"]}


def age_entry(client, **changes) -> None:
    session = client.session
    entry = session[ACCESS_SESSION_KEY]
    entry.update(changes)
    session[ACCESS_SESSION_KEY] = entry
    session.save()


def test_a_list_request_reads_only_the_session_the_user_and_the_list(cast):
    client = client_for(cast.xuanwu)
    client.get(LIST)  # reads roles and scope once, and remembers them in the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    assert tables(captured) == ["django_session", "accounts_user", "registry_enterprise"]


def test_the_first_request_of_a_session_reads_roles_and_scope_and_remembers_them(cast):
    client = client_for(cast.xuanwu)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    assert reads(captured, "accounts_roleassignment")
    assert reads(captured, "registry_officer")
    entry = client.session[ACCESS_SESSION_KEY]
    assert entry["user"] == cast.xuanwu.pk
    assert entry["scope"]["level"] == "county"
    assert entry["scope"]["code"] == "320102"
    assert entry["roles"] == ["inspector", "section_head"]


def test_a_new_grant_takes_effect_on_the_next_request_of_an_open_session(cast):
    client = client_for(cast.gulou)
    assert names(client) == {"鼓楼化工有限公司"}
    grant_to_gulou(cast)
    assert names(client) == {"鼓楼化工有限公司", "玄武化工有限公司", "演示街道仓储有限公司"}


def test_a_revoked_grant_takes_effect_on_the_next_request_of_an_open_session(cast):
    grant = grant_to_gulou(cast)
    client = client_for(cast.gulou)
    target = cast.enterprises["xuanwu"]
    assert client.get(f"/api/v1/registry/enterprises/{target.pk}").status_code == 200
    assert "玄武化工有限公司" in names(client)
    services.revoke_scope_grant(actor=cast.nanjing, grant=grant, reason="行动提前结束")
    assert client.get(f"/api/v1/registry/enterprises/{target.pk}").status_code == 404
    assert names(client) == {"鼓楼化工有限公司"}


def test_an_agency_grant_and_its_revocation_reach_the_open_sessions_of_its_officers(cast):
    client = client_for(cast.gulou)
    assert names(client) == {"鼓楼化工有限公司"}
    grant = grant_to_gulou(cast, holder="agency")
    assert "玄武化工有限公司" in names(client)
    services.revoke_scope_grant(actor=cast.nanjing, grant=grant, reason="行动提前结束")
    assert names(client) == {"鼓楼化工有限公司"}


def test_a_grant_does_not_disturb_the_remembered_scope_of_other_users(cast):
    client = client_for(cast.xuanwu)
    client.get(LIST)
    version = User.objects.get(pk=cast.xuanwu.pk).access_version
    grant_to_gulou(cast)
    assert User.objects.get(pk=cast.xuanwu.pk).access_version == version
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    assert not reads(captured, "registry_officer")


def test_a_removed_role_takes_effect_on_the_next_request_of_an_open_session(cast):
    client = client_for(cast.xuanwu_viewer)
    assert client.get(LIST).status_code == 200
    account_services.set_roles(actor=None, user=cast.xuanwu_viewer, roles=[])
    assert client.get(LIST).status_code == 403


def test_an_edit_outside_the_services_is_picked_up_after_the_max_age(cast):
    grant = grant_to_gulou(cast)
    client = client_for(cast.gulou)
    assert "玄武化工有限公司" in names(client)
    # Revoked behind the services' back (no access_version raised): the memo still holds ...
    ScopeGrant.objects.filter(pk=grant.pk).update(revoked_at=timezone.now())
    assert "玄武化工有限公司" in names(client)
    # ... until it is ACCESS_MAX_AGE old.
    age_entry(client, at=timezone.now().timestamp() - ACCESS_MAX_AGE - 1)
    assert names(client) == {"鼓楼化工有限公司"}


def test_a_remembered_scope_serves_its_own_day_only(cast):
    grant = grant_to_gulou(cast)
    client = client_for(cast.gulou)
    assert "玄武化工有限公司" in names(client)
    # As if the memo had been read yesterday, the grant's last day.
    ScopeGrant.objects.filter(pk=grant.pk).update(
        valid_from=TODAY - dt.timedelta(days=2), valid_to=TODAY - dt.timedelta(days=1)
    )
    age_entry(client, day=(TODAY - dt.timedelta(days=1)).isoformat())
    assert names(client) == {"鼓楼化工有限公司"}


def test_a_memo_is_used_only_for_the_user_it_was_read_for(cast):
    client = client_for(cast.gulou)
    client.get(LIST)
    entry = client.session[ACCESS_SESSION_KEY]
    province_wide = {**entry["scope"], "level": "province", "code": "32"}
    age_entry(client, user=cast.province.pk, scope=province_wide)
    assert names(client) == {"鼓楼化工有限公司"}


def test_a_bearer_token_request_reads_its_roles_and_scope_and_writes_no_session(cast):
    from django.test import Client, RequestFactory

    _, raw = account_services.issue_token(
        request=RequestFactory().post("/api/v1/auth/token"),
        username=cast.xuanwu.username,
        password=PASSWORD,
        name="终端",
    )
    sessions = Session.objects.count()
    client = Client()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 200
        assert reads(captured, "registry_officer")
    assert Session.objects.count() == sessions
    assert "sessionid" not in client.cookies


def test_who_am_i_reads_only_the_session_and_the_user_once_roles_are_remembered(cast):
    client = client_for(cast.xuanwu)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/auth/me")
    assert response.json()["roles"] == ["inspector", "section_head"]
    assert tables(captured) == ["django_session", "accounts_user"]

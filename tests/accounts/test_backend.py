"""The per-request user read (anjian/accounts/backends.py): the same user as the ORM gives, and
signed out when the session names no usable user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.accounts.backends import AccountBackend
from anjian.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_user_read_by_the_backend_equals_the_orm_user_field_by_field(cast):
    User.objects.filter(pk=cast.xuanwu.pk).update(
        last_login=dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC), is_staff=True
    )

    user = AccountBackend().get_user(cast.xuanwu.pk)
    expected = User.objects.get(pk=cast.xuanwu.pk)

    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    assert user.last_login == dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC)
    assert timezone.is_aware(user.last_login)
    assert user.is_staff is True
    assert user.is_active is True
    assert user._state.adding is False
    assert user._state.db == "default"


def test_the_backend_reads_the_user_with_one_statement(cast):
    with CaptureQueriesContext(connection) as queries:
        AccountBackend().get_user(cast.xuanwu.pk)

    assert len(queries) == 1
    assert '"accounts_user"' in queries[0]["sql"]


def test_an_inactive_deleted_or_malformed_user_id_is_no_user(cast):
    backend = AccountBackend()
    User.objects.filter(pk=cast.gulou.pk).update(is_active=False)

    assert backend.get_user(cast.gulou.pk) is None
    assert backend.get_user(10**9) is None
    assert backend.get_user("not-a-number") is None


def test_a_signed_in_request_carries_the_user_and_a_deactivated_one_is_signed_out(cast):
    client = client_for(cast.xuanwu)

    assert client.get("/api/v1/auth/me").json()["username"] == "xuanwu_head"

    User.objects.filter(pk=cast.xuanwu.pk).update(is_active=False)
    response = client.get("/api/v1/auth/me")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"

"""Issue 2 §8: an expired session is a signed-out one, on pages, on the API and for writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.registry.models import Enterprise
from tests.conftest import client_for, make_uscc

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {
    "code": "unauthenticated",
    "message": "未登录或登录已失效，请重新登录。",
    "message_en": "Not signed in, or the session or token expired.",
}


def _expired_client(user):
    client = client_for(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    return client


def test_an_expired_session_is_sent_to_the_login_page(cast):
    response = _expired_client(cast.xuanwu).get("/registry/enterprises/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/registry/enterprises/"


def test_an_expired_session_is_a_401_in_chinese_on_the_api(cast):
    response = _expired_client(cast.xuanwu).get("/api/v1/registry/enterprises")

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_an_expired_session_cannot_write_through_the_api_or_a_form(cast):
    client = _expired_client(cast.xuanwu)
    enterprises, entries = Enterprise.objects.count(), AuditEntry.objects.count()
    body = {
        "uscc": make_uscc(7001),
        "name": "过期会话测试有限公司",
        "legal_representative": "张三",
        "address": "玄武区某路1号",
        "region_code": cast.enterprises["xuanwu"].region.code,
        "industry_code": cast.enterprises["xuanwu"].industry.code,
    }

    api = client.post("/api/v1/registry/enterprises", body, content_type="application/json")
    page = client.post("/registry/enterprises/new/", body)

    assert api.status_code == 401
    assert api.json() == UNAUTHENTICATED
    assert page.status_code in {302, 403}
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == (enterprises, entries)

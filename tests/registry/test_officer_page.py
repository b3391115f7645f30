"""The officer page shows the officer's post, roles and enforcement certificate."""

from __future__ import annotations

import pytest

from tests.conftest import Cast, client_for

pytestmark = pytest.mark.django_db


def test_the_officer_page_lists_the_roles_in_the_page_language(cast: Cast):
    url = f"/registry/officers/{cast.xuanwu.officer.pk}/"  # 玄武区 section head and inspector
    client = client_for(cast.xuanwu)

    chinese = client.get(url).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url).content.decode()

    assert '<span class="tag">执法人员</span>' in chinese
    assert '<span class="tag">科室负责人</span>' in chinese
    assert '<span class="tag">Inspector</span>' in english
    assert '<span class="tag">Section head</span>' in english


def test_an_officer_without_roles_shows_a_dash(cast: Cast):
    from anjian.accounts import services

    services.set_roles(actor=None, user=cast.xuanwu_viewer, roles=[])

    page = client_for(cast.xuanwu).get(f"/registry/officers/{cast.xuanwu_viewer.officer.pk}/")

    assert "<dd>—</dd>" in page.content.decode()

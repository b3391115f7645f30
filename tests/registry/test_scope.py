"""Jurisdiction scoping: one choke point, tested through the selectors, the pages and the API."""

from __future__ import annotations

import pytest

from anjian.registry.models import Enterprise
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def names(user):
    return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))


def test_province_sees_every_enterprise(cast):
    assert names(cast.province) == {"玄武化工有限公司", "鼓楼化工有限公司", "演示街道仓储有限公司"}


def test_city_sees_its_counties(cast):
    assert names(cast.nanjing) == {"玄武化工有限公司", "鼓楼化工有限公司", "演示街道仓储有限公司"}


def test_county_sees_itself_and_its_townships_only(cast):
    assert names(cast.xuanwu) == {"玄武化工有限公司", "演示街道仓储有限公司"}
    assert names(cast.gulou) == {"鼓楼化工有限公司"}


def test_township_sees_only_its_own_region(cast):
    assert names(cast.township) == {"演示街道仓储有限公司"}


def test_user_without_agency_sees_nothing(cast, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-very-long-password")
    assert names(stranger) == set()


def test_other_county_enterprise_is_404_on_page_and_api(cast):
    other = cast.enterprises["gulou"]
    client = client_for(cast.xuanwu)
    assert client.get(f"/registry/enterprises/{other.pk}/").status_code == 404
    response = client.get(f"/api/v1/registry/enterprises/{other.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_other_county_enterprise_absent_from_search(cast):
    client = client_for(cast.xuanwu)
    body = client.get("/api/v1/registry/enterprises", {"q": "鼓楼"}).json()
    assert body["items"] == []
    page = client.get("/registry/enterprises/", {"q": "化工"}).content.decode()
    assert "玄武化工有限公司" in page
    assert "鼓楼化工有限公司" not in page


def test_own_county_enterprise_visible(cast):
    own = cast.enterprises["xuanwu"]
    response = client_for(cast.xuanwu).get(f"/api/v1/registry/enterprises/{own.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "玄武化工有限公司"

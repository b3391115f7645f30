"""A page number no list has (an OFFSET the databases refuse) is an empty page on the pages and a
422 naming the limit in the API, never a 500."""

from __future__ import annotations

import pytest

from anjian.core.pagination import MAX_PAGE_NUMBER
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        "/registry/enterprises/",
        "/inspections/records/",
        "/inspections/orders/",
        "/cases/",
        "/planning/draws/",
    ],
)
def test_a_page_number_past_the_last_is_an_empty_page(cast, url):
    response = client_for(cast.xuanwu).get(f"{url}?page={HUGE}")

    assert response.status_code == 200
    assert f"第 {MAX_PAGE_NUMBER} 页" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registry/enterprises",
        "/api/v1/inspections/records",
        "/api/v1/inspections/enterprises/{enterprise}/history",
        "/api/v1/cases",
        "/api/v1/documents",
    ],
)
def test_the_api_refuses_a_page_number_past_the_limit(cast, url):
    url = url.format(enterprise=cast.enterprises["xuanwu"].pk)
    client = client_for(cast.xuanwu)

    refused = client.get(f"{url}?page={HUGE}")
    last = client.get(f"{url}?page={MAX_PAGE_NUMBER}")

    assert refused.status_code == 422
    assert refused.json()["message_en"]
    assert last.status_code == 200
    assert last.json()["items"] == []

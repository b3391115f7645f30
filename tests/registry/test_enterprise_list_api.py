"""The enterprise list API answers exactly the shape its OpenAPI schema (EnterprisePage) documents."""

from __future__ import annotations

import pytest

from anjian.registry.api import EnterprisePage, EnterpriseRow
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_enterprise_page_matches_its_documented_schema(cast):
    response = client_for(cast.xuanwu).get("/api/v1/registry/enterprises", {"page_size": 1})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == set(EnterprisePage.model_fields)
    assert [set(row) for row in body["items"]] == [set(EnterpriseRow.model_fields)]
    page = EnterprisePage.model_validate(body)
    assert (page.page, page.page_size, page.has_next) == (1, 1, True)
    assert page.items[0].name == "演示街道仓储有限公司"  # the newest in 玄武区


def test_the_openapi_document_describes_the_enterprise_page(cast):
    document = client_for(cast.xuanwu).get("/api/v1/openapi.json").json()

    operation = document["paths"]["/api/v1/registry/enterprises"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/EnterprisePage"}
    properties = document["components"]["schemas"]["EnterprisePage"]["properties"]
    assert set(properties) == {"items", "page", "page_size", "has_next"}

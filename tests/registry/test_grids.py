"""Grids: named areas within a township, each with a responsible officer who holds a valid
enforcement certificate; created and staffed by section heads, bureau heads and administrators of
the township or of an agency above it (registry.manage_grids and the jurisdiction scope)."""

from __future__ import annotations

import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError
from anjian.core.permissions import Role
from anjian.registry import services
from anjian.registry.models import Grid
from tests.conftest import client_for, make_officer

pytestmark = pytest.mark.django_db

# What the grid page reads (session, user, the grid with its region's and agency's ancestors, the
# candidate officers and their certificates), and what naming the officer reads and writes.
QUERIES_OF_THE_GRID_PAGE = 5
QUERIES_OF_NAMING_THE_OFFICER = 12


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def grid(cast):
    return services.create_grid(
        actor=None,
        name="第一网格",
        region=cast.regions["320102001"],
        agency=cast.agencies["street"],
    )


def test_an_officer_without_a_valid_certificate_is_refused_by_the_registry(cast, grid):
    with pytest.raises(DomainError) as refused:
        services.assign_grid_officer(actor=None, grid=grid, officer=cast.uncertified.officer)

    assert refused.value.code == "officer_not_certified"
    assert "无有效执法证" in refused.value.message
    grid.refresh_from_db()
    assert grid.responsible_officer is None


def test_a_new_grid_with_an_uncertified_officer_is_not_created(cast):
    with pytest.raises(DomainError):
        services.create_grid(
            actor=None,
            name="第二网格",
            region=cast.regions["320102001"],
            agency=cast.agencies["street"],
            responsible_officer=cast.uncertified.officer,
        )

    assert not Grid.objects.filter(name="第二网格").exists()


def test_county_section_head_creates_a_grid_and_names_its_officer_through_the_api(cast):
    client = client_for(cast.xuanwu)

    created = post_json(
        client, "/api/v1/registry/grids", {"name": "北片网格", "region_code": "320102001"}
    )

    assert created.status_code == 201, created.content
    grid = created.json()
    assert (grid["agency_id"], grid["responsible_officer_id"]) == (
        cast.agencies["street"].pk,
        None,
    )
    assigned = post_json(
        client,
        f"/api/v1/registry/grids/{grid['id']}/officer",
        {"officer_id": cast.township.officer.pk},
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["responsible_officer"] == "street_inspector"
    listed = client.get("/api/v1/registry/grids?region_code=320102001").json()
    assert [g["name"] for g in listed] == ["北片网格"]


def test_the_api_refuses_an_uncertified_officer_and_changes_nothing(cast, grid):
    entries = AuditEntry.objects.count()

    response = post_json(
        client_for(cast.xuanwu),
        f"/api/v1/registry/grids/{grid.pk}/officer",
        {"officer_id": cast.uncertified.officer.pk},
    )

    assert (response.status_code, response.json()["code"]) == (400, "officer_not_certified")
    assert response.json()["message_en"].startswith("No valid enforcement certificate")
    grid.refresh_from_db()
    assert grid.responsible_officer is None
    assert AuditEntry.objects.count() == entries


def test_the_township_itself_manages_its_grids(cast):
    head = make_officer("street_head", cast.agencies["street"], [Role.SECTION_HEAD])

    response = post_json(
        client_for(head), "/api/v1/registry/grids", {"name": "南片网格", "region_code": "320102001"}
    )

    assert response.status_code == 201


def test_another_county_finds_no_such_township_or_grid(cast, grid):
    client = client_for(cast.gulou)

    created = post_json(
        client, "/api/v1/registry/grids", {"name": "越界网格", "region_code": "320102001"}
    )
    assigned = post_json(
        client, f"/api/v1/registry/grids/{grid.pk}/officer", {"officer_id": cast.gulou.officer.pk}
    )

    assert (created.status_code, assigned.status_code) == (404, 404)
    assert not Grid.objects.filter(name="越界网格").exists()
    assert client.get(f"/registry/grids/{grid.pk}/").status_code == 404


def test_an_inspector_may_not_create_or_staff_grids(cast, grid):
    client = client_for(cast.township)

    created = post_json(
        client, "/api/v1/registry/grids", {"name": "南片网格", "region_code": "320102001"}
    )
    assigned = post_json(
        client,
        f"/api/v1/registry/grids/{grid.pk}/officer",
        {"officer_id": cast.township.officer.pk},
    )

    assert (created.status_code, assigned.status_code) == (403, 403)
    assert Grid.objects.count() == 1


def test_an_officer_of_another_county_cannot_be_named(cast, grid):
    response = post_json(
        client_for(cast.province),
        f"/api/v1/registry/grids/{grid.pk}/officer",
        {"officer_id": cast.gulou.officer.pk},
    )

    assert (response.status_code, response.json()["code"]) == (400, "grid_officer_outside")


def test_a_duplicate_grid_name_is_refused(cast, grid):
    response = post_json(
        client_for(cast.xuanwu),
        "/api/v1/registry/grids",
        {"name": "第一网格", "region_code": "320102001"},
    )

    assert (response.status_code, response.json()["code"]) == (400, "grid_duplicate")
    assert Grid.objects.count() == 1


def test_the_pages_create_a_grid_and_name_its_officer(cast):
    client = client_for(cast.xuanwu)

    created = client.post("/registry/grids/", {"name": "东片网格", "region_code": "320102001"})

    assert created.status_code == 302
    grid = Grid.objects.get(name="东片网格")
    page = client.get(created["Location"]).content.decode()
    assert "指定责任执法人员" in page
    assert "xuanwu_expired" in page  # listed as not assignable
    assigned = client.post(f"/registry/grids/{grid.pk}/", {"officer": cast.township.officer.pk})
    assert assigned.status_code == 302
    grid.refresh_from_db()
    assert grid.responsible_officer == cast.township.officer


def test_the_grid_page_refuses_an_uncertified_officer_with_a_message(cast, grid):
    response = client_for(cast.xuanwu).post(
        f"/registry/grids/{grid.pk}/", {"officer": cast.uncertified.officer.pk}
    )

    assert response.status_code == 200
    assert "无有效执法证，不得从事执法活动" in response.content.decode()
    grid.refresh_from_db()
    assert grid.responsible_officer is None


def test_the_grid_page_refuses_a_township_outside_scope_next_to_the_field(cast):
    response = client_for(cast.gulou).post(
        "/registry/grids/", {"name": "越界网格", "region_code": "320102001"}
    )

    assert response.status_code == 200
    assert "该乡镇（街道）不存在或不在您的管辖范围内。" in response.content.decode()
    assert not Grid.objects.exists()


def _queries_of(client, method: str, url: str, data=None) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    return response.status_code, len(queries)


def test_the_grid_page_reads_a_constant_number_of_queries(cast, grid):
    """The page reads the grid with its region's and agency's ancestors and the candidates with
    their certificates once each, whatever the depth of the agency or the number of candidates."""
    county_grid = services.create_grid(
        actor=None,
        name="区局网格",
        region=cast.regions["320102001"],
        agency=cast.agencies["xuanwu"],
    )
    client = client_for(cast.xuanwu)
    client.get(f"/registry/grids/{grid.pk}/")  # the session's scope and roles, remembered

    few = _queries_of(client, "get", f"/registry/grids/{grid.pk}/")
    at_the_county = _queries_of(client, "get", f"/registry/grids/{county_grid.pk}/")
    for number in range(3):
        make_officer(f"street_extra_{number}", cast.agencies["street"], [Role.INSPECTOR])
    many = _queries_of(client, "get", f"/registry/grids/{grid.pk}/")
    page = client.get(f"/registry/grids/{grid.pk}/").content.decode()

    assert "street_extra_2" in page
    assert "江苏省南京市玄武区演示街道" in page
    assert few == at_the_county == many
    assert few[0] == 200
    assert few[1] == QUERIES_OF_THE_GRID_PAGE


def test_naming_the_officer_reads_the_grid_and_the_candidates_once(cast, grid):
    client = client_for(cast.xuanwu)
    client.get(f"/registry/grids/{grid.pk}/")

    status, count = _queries_of(
        client, "post", f"/registry/grids/{grid.pk}/", {"officer": cast.township.officer.pk}
    )

    assert status == 302
    assert Grid.objects.get(pk=grid.pk).responsible_officer == cast.township.officer
    assert count == QUERIES_OF_NAMING_THE_OFFICER

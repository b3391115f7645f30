"""The item list (versioned, published, frozen) and inspection schemes (drafted, approved)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from anjian.core.errors import Conflict, DomainError
from anjian.inspections import services
from anjian.inspections.itemlist import ItemListError, load_item_list, parse_item_list
from anjian.inspections.models import InspectionScheme, ItemList
from anjian.law.core.catalog import Citation, default_catalog
from tests.conftest import client_for
from tests.inspections.conftest import item

LAW_TEXTS = Path(__file__).resolve().parents[3] / "shared" / "law"


def test_the_packaged_list_has_general_and_key_industry_items():
    data = load_item_list()
    general = [i for i in data.items if i.category == "general"]
    industry = [i for i in data.items if i.category == "industry"]
    assert len(general) == 48
    assert {i.domain for i in general} == {"work_safety", "occupational_health"}
    tags = {t for i in industry for t in i.tags}
    assert {
        "coal_mine",
        "non_coal_mine",
        "hazchem_production",
        "hazchem_operation",
        "hazchem_storage",
        "ammonia_refrigeration",
        "combustible_dust",
        "confined_space",
        "major_hazard_source",
        "blacklist",
        "labour_intensive",
        "occupational_hazard",
    } <= tags


def test_every_catalog_citation_resolves_and_every_violation_code_exists():
    catalog = default_catalog()
    for entry in load_item_list().items:
        for basis in entry.basis:
            if basis.in_catalog:
                assert catalog.provision(Citation.model_validate(basis.citation)) is not None
        for code in entry.violation_codes:
            assert catalog.violation(code).code == code


@pytest.mark.skipif(not LAW_TEXTS.is_dir(), reason="the legal texts of ../shared/law are not here")
def test_every_quote_of_a_law_outside_the_catalog_is_verbatim_in_its_text():
    data = load_item_list()
    texts = {
        code: (LAW_TEXTS / law.source).read_text(encoding="utf-8")
        for code, law in data.external_laws.items()
    }
    checked = 0
    for entry in data.items:
        for basis in entry.basis:
            if not basis.in_catalog:
                law = basis.citation.split(":")[0]
                assert basis.text in texts[law], (entry.code, basis.citation)
                checked += 1
    assert checked >= 14


def test_a_bad_item_list_is_refused_with_every_problem():
    document = {
        "list": {"title": "测试清单"},
        "items": [
            {
                "code": "GEN-01",
                "title": "x",
                "domain": "safety",
                "check": "c",
                "basis": ["WSL:2021:999", {"citation": "ODL:2018:20"}],
                "violation_codes": ["NOPE"],
                "responsibility": "r",
                "executing_body": "b",
            },
            {
                "code": "GEN-01",
                "title": "y",
                "domain": "work_safety",
                "category": "industry",
                "check": "c",
                "basis": ["WSL:2021:28"],
                "responsibility": "r",
                "executing_body": "b",
            },
        ],
    }
    with pytest.raises(ItemListError) as error:
        parse_item_list(document)
    problems = "\n".join(error.value.problems)
    assert "domain must be one of" in problems
    assert "WSL:2021:999 is not a provision of the legal catalog" in problems
    assert "ODL:2018:20 names a law that is neither in the legal catalog nor declared" in problems
    assert "unknown violation type 'NOPE'" in problems
    assert "duplicate code" in problems
    assert "an industry item needs applies_to" in problems


@pytest.mark.django_db
def test_publishing_a_new_version_supersedes_and_freezes_the_old_one():
    first = services.publish_packaged_item_list(actor=None)
    again = services.publish_packaged_item_list(actor=None)
    assert again.pk == first.pk  # same file: same version

    draft = services.import_item_list(actor=None, data=load_item_list())
    assert draft.version == 2
    assert draft.status == "draft"
    second = services.publish_item_list(actor=None, item_list=draft)

    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "published")
    assert first.superseded_at is not None
    with pytest.raises(Conflict):
        services.publish_item_list(actor=None, item_list=first)
    with pytest.raises(Conflict):
        services.publish_item_list(actor=None, item_list=second)
    assert ItemList.objects.filter(status="published").count() == 1


@pytest.mark.django_db
def test_only_an_administrator_publishes_from_the_page(cast):
    from anjian.accounts.services import create_user

    admin = create_user(
        actor=None,
        username="admin1",
        full_name="管理员",
        password="x" * 12,
        roles=["administrator"],
    )
    assert client_for(cast.xuanwu).post("/inspections/items/").status_code == 403
    assert client_for(admin).post("/inspections/items/").status_code == 302
    assert ItemList.objects.get().status == "published"


@pytest.fixture
def scheme_input(cast, team, item_list):
    today = timezone.localdate()
    return services.SchemeInput(
        title="2026年危险化学品企业专项检查方案",
        kind="special",
        period_start=today,
        period_end=today + dt.timedelta(days=30),
        scope_note="辖区内危险化学品生产企业",
        enterprises=[cast.enterprises["xuanwu"]],
        items=[item(item_list, "HC-01"), item(item_list, "HC-02"), item(item_list, "GEN-24")],
        officers=team.officers,
    )


@pytest.mark.django_db
def test_a_scheme_is_drafted_submitted_and_approved_by_the_section_head(cast, team, scheme_input):
    scheme = services.create_scheme(
        actor=team.second, agency=cast.agencies["xuanwu"], data=scheme_input
    )
    assert scheme.status == "draft"
    services.submit_scheme(actor=team.second, scheme=scheme)

    response = client_for(team.second).post(
        f"/inspections/schemes/{scheme.pk}/", {"action": "approve"}
    )
    assert response.status_code == 403
    client_for(cast.xuanwu).post(
        f"/inspections/schemes/{scheme.pk}/", {"action": "approve", "note": "同意"}
    )
    scheme.refresh_from_db()
    assert (scheme.status, scheme.decided_by, scheme.decision_note) == (
        "approved",
        cast.xuanwu,
        "同意",
    )


@pytest.mark.django_db
def test_a_scheme_team_needs_two_certified_officers(cast, team, scheme_input):
    scheme_input.officers = [team.head.officer]
    with pytest.raises(DomainError) as error:
        services.create_scheme(actor=team.head, agency=cast.agencies["xuanwu"], data=scheme_input)
    assert error.value.code == "too_few_officers"


@pytest.mark.django_db
def test_returning_a_scheme_needs_a_reason(cast, team, scheme_input):
    scheme = services.create_scheme(
        actor=team.head, agency=cast.agencies["xuanwu"], data=scheme_input
    )
    services.submit_scheme(actor=team.head, scheme=scheme)
    with pytest.raises(DomainError):
        services.decide_scheme(actor=team.head, scheme=scheme, approve=False)
    returned = services.decide_scheme(
        actor=team.head, scheme=scheme, approve=False, note="范围过宽"
    )
    assert returned.status == "rejected"


@pytest.mark.django_db
def test_an_inspection_under_a_scheme_uses_only_its_items(
    cast, team, scheme_input, item_list, media
):
    scheme = services.create_scheme(
        actor=team.head, agency=cast.agencies["xuanwu"], data=scheme_input
    )
    with pytest.raises(DomainError) as not_approved:
        services.start_inspection(
            actor=team.head,
            enterprise=cast.enterprises["xuanwu"],
            agency=cast.agencies["xuanwu"],
            kind="special",
            scheme=scheme,
        )
    assert not_approved.value.code == "scheme_not_approved"
    services.submit_scheme(actor=team.head, scheme=scheme)
    services.decide_scheme(actor=team.head, scheme=scheme, approve=True)
    draft = services.start_inspection(
        actor=team.head,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="special",
        scheme=InspectionScheme.objects.get(pk=scheme.pk),
        officers=team.officers,
    )
    outside = services.RecordInput(
        results=[services.ResultInput(item_id=item(item_list, "GEN-01").pk, result="compliant")]
    )
    with pytest.raises(DomainError) as error:
        services.save_draft(actor=team.head, inspection=draft, data=outside)
    assert error.value.code == "item_outside_scheme"
    with pytest.raises(DomainError) as scope:
        services.start_inspection(
            actor=team.head,
            enterprise=cast.enterprises["street"],
            agency=cast.agencies["xuanwu"],
            kind="special",
            scheme=InspectionScheme.objects.get(pk=scheme.pk),
        )
    assert scope.value.code == "scheme_scope"

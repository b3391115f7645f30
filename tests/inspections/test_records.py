"""Recording an inspection: the team, the items, the findings, the signature, submit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import Conflict, DomainError
from anjian.inspections import services
from anjian.inspections.models import (
    CaseProposal,
    Finding,
    Inspection,
    ItemListStatus,
    RectificationOrder,
)
from anjian.planning import services as planning_services
from tests.conftest import make_officer
from tests.inspections.conftest import filled, item, photo

pytestmark = pytest.mark.django_db


def test_submit_with_two_certified_officers_numbers_the_record_and_issues_the_order(
    cast, team, draft, item_list
):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))

    record = services.submit_inspection(actor=team.head, inspection=draft)

    year = timezone.localdate().year
    assert record.status == "submitted"
    assert record.number == f"（苏宁玄）应急现记〔{year}〕1号"
    assert [m["name"] for m in record.team_snapshot] == ["xuanwu_head", "xuanwu_inspector2"]
    assert [m["certificate"] for m in record.team_snapshot] == [
        "JS-xuanwu_head",
        "JS-xuanwu_inspector2",
    ]
    order = RectificationOrder.objects.get(inspection=record)
    assert order.number == f"（苏宁玄）应急责改〔{year}〕1号"
    assert order.issued_on == timezone.localdate()
    assert order.deadline == timezone.localdate() + dt.timedelta(days=10)
    finding = Finding.objects.get(inspection=record)
    assert (finding.status, finding.order_id) == ("open", order.pk)
    assert finding.provision == "WSL:2021:42:2"


def test_submit_with_one_officer_is_refused_with_the_legal_reason_and_keeps_the_draft(
    team, draft, item_list
):
    services.save_draft(
        actor=team.head, inspection=draft, data=filled(item_list, officers=[team.head.officer])
    )

    with pytest.raises(DomainError) as error:
        services.submit_inspection(actor=team.head, inspection=draft)

    assert error.value.code == "too_few_officers"
    assert "执法人员不得少于2人" in error.value.message
    assert "行政处罚法》第四十二条" in error.value.message
    assert "安全生产法》第六十七条" in error.value.message
    kept = Inspection.objects.get(pk=draft.pk)
    assert kept.status == "draft"
    assert kept.place == "一号车间"
    assert kept.results.count() == 3
    assert kept.findings.get().description == "一号车间东侧安全出口被货物堵塞"


def test_submit_with_an_expired_certificate_is_refused(team, draft, item_list):
    services.save_draft(
        actor=team.head,
        inspection=draft,
        data=filled(item_list, officers=[team.head.officer, team.expired.officer]),
    )

    with pytest.raises(DomainError) as error:
        services.submit_inspection(actor=team.head, inspection=draft)

    assert error.value.code == "officer_not_certified"
    assert "xuanwu_expired" in error.value.message
    assert "无有效执法证" in error.value.message


def test_an_item_of_an_unpublished_list_is_refused(team, draft, item_list):
    from anjian.inspections.itemlist import load_item_list

    unpublished = services.import_item_list(actor=None, data=load_item_list())
    assert unpublished.status == ItemListStatus.DRAFT
    stray = unpublished.items.get(code="GEN-01")
    data = filled(item_list)
    data.results = [*data.results, services.ResultInput(item_id=stray.pk, result="compliant")]

    with pytest.raises(DomainError) as error:
        services.save_draft(actor=team.head, inspection=draft, data=data)

    assert error.value.code == "item_not_published"
    assert "清单之外无检查" in error.value.message
    assert Inspection.objects.get(pk=draft.pk).results.count() == 0


def test_a_finding_needs_a_deadline_after_the_inspection_day(team, draft, item_list):
    services.save_draft(
        actor=team.head,
        inspection=draft,
        data=filled(item_list, deadline=timezone.localdate()),
    )

    with pytest.raises(DomainError) as error:
        services.submit_inspection(actor=team.head, inspection=draft)

    assert error.value.code == "finding_deadline"


def test_submit_needs_the_signature_or_a_recorded_refusal_with_a_witness(team, draft, item_list):
    services.save_draft(
        actor=team.head,
        inspection=draft,
        data=filled(item_list, acknowledgement="", witness_name=""),
    )
    with pytest.raises(DomainError) as missing:
        services.submit_inspection(actor=team.head, inspection=draft)
    assert missing.value.code == "acknowledgement_missing"
    assert "第六十八条" in missing.value.message

    services.save_draft(
        actor=team.head, inspection=draft, data=filled(item_list, acknowledgement="signed")
    )
    with pytest.raises(DomainError) as unsigned:
        services.submit_inspection(actor=team.head, inspection=draft)
    assert unsigned.value.code == "signature_missing"

    services.add_attachment(
        actor=team.head, inspection=draft, upload=photo("sign.png"), kind="signature"
    )
    record = services.submit_inspection(actor=team.head, inspection=draft)
    assert record.acknowledgement == "signed"


def test_corrected_on_the_spot_gives_no_order(team, draft, item_list):
    data = filled(item_list)
    data.findings[0].measure = "on_spot"
    services.save_draft(actor=team.head, inspection=draft, data=data)

    record = services.submit_inspection(actor=team.head, inspection=draft)

    assert not RectificationOrder.objects.filter(inspection=record).exists()
    assert Finding.objects.get(inspection=record).status == "corrected"


def test_a_finding_proposed_for_a_case_creates_a_case_proposal(team, draft, item_list):
    data = filled(item_list)
    data.findings[0].propose_case = True
    services.save_draft(actor=team.head, inspection=draft, data=data)

    record = services.submit_inspection(actor=team.head, inspection=draft)

    proposal = CaseProposal.objects.get(inspection=record)
    assert proposal.source == "violation_found"
    assert proposal.violation_codes == ["WSL2021-105-02b"]
    assert proposal.county_code == "320102"


def test_submit_completes_the_planning_task(cast, team, item_list, media):
    task = planning_services.create_task(
        actor=team.head,
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["xuanwu"],
        month=timezone.localdate().replace(day=1),
        officers=team.officers,
    )
    draft = services.start_inspection(
        actor=team.head,
        enterprise=cast.enterprises["xuanwu"],
        agency=cast.agencies["xuanwu"],
        kind="planned",
        task=task,
    )
    assert sorted(o.pk for o in draft.officers.all()) == sorted(o.pk for o in team.officers)
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))

    record = services.submit_inspection(actor=team.head, inspection=draft)

    task.refresh_from_db()
    assert (task.status, task.completed_by_reference) == ("done", record.number)


def test_opening_a_task_twice_returns_the_same_draft(cast, team, item_list, media):
    task = planning_services.create_task(
        actor=team.head,
        agency=cast.agencies["xuanwu"],
        enterprise=cast.enterprises["xuanwu"],
        month=timezone.localdate().replace(day=1),
        officers=team.officers,
    )
    first = services.start_inspection(
        actor=team.head, enterprise=task.enterprise, agency=task.agency, kind="planned", task=task
    )
    second = services.start_inspection(
        actor=team.head, enterprise=task.enterprise, agency=task.agency, kind="planned", task=task
    )
    assert first.pk == second.pk


def test_a_submitted_record_cannot_change(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    services.submit_inspection(actor=team.head, inspection=draft)

    with pytest.raises(Conflict):
        services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    with pytest.raises(Conflict):
        services.add_attachment(actor=team.head, inspection=draft, upload=photo())


def test_saving_a_draft_again_updates_the_finding_in_place(team, draft, item_list):
    services.save_draft(actor=team.head, inspection=draft, data=filled(item_list))
    finding = Finding.objects.get(inspection=draft)
    data = filled(item_list)
    data.findings[0].id = finding.pk
    data.findings[0].description = "安全出口堵塞，已要求清理"

    services.save_draft(actor=team.head, inspection=draft, data=data)

    assert list(Finding.objects.filter(inspection=draft).values_list("pk", "description")) == [
        (finding.pk, "安全出口堵塞，已要求清理")
    ]


def test_inspection_needs_a_published_item_list(cast, team, db):
    with pytest.raises(DomainError) as error:
        services.start_inspection(
            actor=team.head,
            enterprise=cast.enterprises["xuanwu"],
            agency=cast.agencies["xuanwu"],
            kind="planned",
        )
    assert error.value.code == "no_item_list"


def test_officer_made_with_helper_is_certified(cast):
    officer = make_officer("someone", cast.agencies["xuanwu"], ["inspector"])
    assert officer.officer.valid_certificate(timezone.localdate()) is not None


def test_item_filter_by_industry_and_tags(cast, item_list):
    from anjian.inspections.selectors import applicable_items, items_of

    items = items_of(item_list)
    codes = {i.code for i in applicable_items(items, cast.enterprises["xuanwu"])}
    assert {"GEN-01", "OH-01", "HC-01", "HC-02", "HC-03"} <= codes
    assert "HC-04" not in codes  # storage/operation tags only
    assert "COAL-01" not in codes
    with_tags = {
        i.code
        for i in applicable_items(
            items, cast.enterprises["xuanwu"], {"confined_space", "major_hazard_source"}
        )
    }
    assert {"CS-01", "CS-04", "MHS-01"} <= with_tags
    assert item(item_list, "GEN-01").is_general

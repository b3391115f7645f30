"""Jurisdiction claims: an agency files a claim to supervise an enterprise and may withdraw it;
whoever manages jurisdiction over the enterprise decides it (upheld: the claimant supervises the
enterprise and the other claims are withdrawn; rejected: the claim is withdrawn). Through the
enterprise page and the API, scoped (outside scope: 404) and audited."""

from __future__ import annotations

import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError
from anjian.registry import services
from anjian.registry.models import Enterprise, JurisdictionClaim
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def claim(cast, agency: str, note: str = "") -> JurisdictionClaim:
    return services.claim_jurisdiction(
        actor=None, agency=cast.agencies[agency], enterprise=cast.enterprises["street"], note=note
    )


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-sequence").first()


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def street_page(cast) -> str:
    return f"/registry/enterprises/{cast.enterprises['street'].pk}/"


def test_the_enterprise_page_files_a_claim_and_lists_it(cast):
    client = client_for(cast.xuanwu)

    response = client.post(
        street_page(cast) + "claims/",
        {"agency": cast.agencies["xuanwu"].pk, "note": "区局名录在册"},
    )

    assert response.status_code == 302
    assert response["Location"] == street_page(cast) + "#claims"
    stored = JurisdictionClaim.objects.get()
    assert (stored.agency, stored.enterprise, stored.note) == (
        cast.agencies["xuanwu"],
        cast.enterprises["street"],
        "区局名录在册",
    )
    entry = last_entry()
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "registry.claim_jurisdiction",
        cast.xuanwu.pk,
        str(stored.pk),
    )
    text = client.get(street_page(cast)).content.decode()
    assert "已登记玄武区应急管理局的管辖申报。" in text
    assert "区局名录在册" in text
    assert "撤回申报" in text


def test_a_refused_claim_shows_the_message_keeps_the_input_and_saves_nothing(cast):
    gulou = cast.agencies["gulou"]
    entries = AuditEntry.objects.count()

    # 鼓楼区's agency lies outside 玄武区's scope: not among the agencies the form offers.
    response = client_for(cast.xuanwu).post(
        street_page(cast) + "claims/", {"agency": gulou.pk, "note": "跨区申报说明"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项" in text
    assert 'value="跨区申报说明"' in text
    assert JurisdictionClaim.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_an_inactive_agency_files_no_claim_and_both_languages_say_why(cast):
    street = cast.agencies["street"]
    street.is_active = False
    street.save(update_fields=["is_active"])
    with pytest.raises(DomainError) as raised:
        claim(cast, "street")
    assert raised.value.code == "agency_inactive"
    assert raised.value.message == "演示街道办事处已停用，不能申报管辖。"

    response = post_json(
        client_for(cast.xuanwu),
        f"/api/v1/registry/enterprises/{cast.enterprises['street'].pk}/claims",
        {"agency_id": street.pk, "note": ""},
    )

    assert response.status_code == 400
    assert response.json()["message_en"] == (
        "演示街道办事处 is no longer active and cannot claim jurisdiction."
    )
    assert JurisdictionClaim.objects.count() == 0


def test_the_api_refuses_an_over_long_note_in_both_languages(cast):
    response = post_json(
        client_for(cast.xuanwu),
        f"/api/v1/registry/enterprises/{cast.enterprises['street'].pk}/claims",
        {"agency_id": cast.agencies["xuanwu"].pk, "note": "长" * 201},
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"], body["message_en"]) == (
        "claim_note_too_long",
        "申报说明超过200个字符。",
        "The claim's note is longer than 200 characters.",
    )
    assert JurisdictionClaim.objects.count() == 0


def test_upholding_a_claim_makes_the_claimant_supervise_and_withdraws_the_others(cast):
    street_claim = claim(cast, "street")
    xuanwu_claim = claim(cast, "xuanwu")

    response = client_for(cast.xuanwu).post(
        f"/registry/claims/{xuanwu_claim.pk}/decision/",
        {"outcome": "uphold", "reason": "街道无处罚权"},
    )

    assert response.status_code == 302
    enterprise = Enterprise.objects.get(pk=cast.enterprises["street"].pk)
    assert enterprise.supervising_agency == cast.agencies["xuanwu"]
    assert list(JurisdictionClaim.objects.values_list("pk", flat=True)) == [xuanwu_claim.pk]
    entry = last_entry()
    assert entry.action == "registry.uphold_claim"
    assert entry.before == {
        "supervising_agency_id": cast.agencies["street"].pk,
        "claims": sorted([cast.agencies["street"].pk, cast.agencies["xuanwu"].pk]),
    }
    assert entry.after == {
        "supervising_agency_id": cast.agencies["xuanwu"].pk,
        "reason": "街道无处罚权",
        "claim_id": xuanwu_claim.pk,
    }
    assert not JurisdictionClaim.objects.filter(pk=street_claim.pk).exists()


def test_a_claim_from_outside_the_region_cannot_be_upheld_and_nothing_changes(cast):
    """鼓楼区 claims an enterprise of 玄武区's township (as the seeded data has): upholding it would
    put the enterprise under an agency whose region does not contain it (行政处罚法第二十二条)."""
    gulou_claim = claim(cast, "gulou")
    entries = AuditEntry.objects.count()
    client = client_for(cast.xuanwu)

    response = client.post(
        f"/registry/claims/{gulou_claim.pk}/decision/", {"outcome": "uphold", "reason": "核实"}
    )

    assert response.status_code == 302
    assert "的辖区不包含该单位所在区划" in client.get(response["Location"]).content.decode()
    enterprise = Enterprise.objects.get(pk=cast.enterprises["street"].pk)
    assert enterprise.supervising_agency == cast.agencies["street"]
    assert JurisdictionClaim.objects.filter(pk=gulou_claim.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_rejecting_a_claim_withdraws_it_and_keeps_the_supervising_agency(cast):
    gulou_claim = claim(cast, "gulou")

    response = post_json(
        client_for(cast.xuanwu),
        f"/api/v1/registry/claims/{gulou_claim.pk}/decision",
        {"uphold": False, "reason": "单位在玄武区"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["supervising_agency_id"] == cast.agencies["street"].pk
    assert JurisdictionClaim.objects.count() == 0
    entry = last_entry()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "registry.reject_claim",
        "registry.jurisdictionclaim",
        str(gulou_claim.pk),
    )
    assert entry.before["agency_id"] == cast.agencies["gulou"].pk
    assert entry.after == {"reason": "单位在玄武区"}


def test_the_claimant_withdraws_its_claim_with_a_reason(cast):
    xuanwu_claim = claim(cast, "xuanwu", note="区局名录在册")

    response = post_json(
        client_for(cast.xuanwu),
        f"/api/v1/registry/claims/{xuanwu_claim.pk}/withdrawal",
        {"reason": "申报有误"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == xuanwu_claim.pk
    assert response.json()["note"] == "区局名录在册"
    assert JurisdictionClaim.objects.count() == 0
    entry = last_entry()
    assert entry.action == "registry.withdraw_claim"
    assert entry.after == {"reason": "申报有误"}


def test_withdrawing_needs_a_reason_and_leaves_the_claim(cast):
    xuanwu_claim = claim(cast, "xuanwu")
    entries = AuditEntry.objects.count()
    client = client_for(cast.xuanwu)

    response = client.post(f"/registry/claims/{xuanwu_claim.pk}/withdrawal/", {"reason": "  "})

    assert response.status_code == 302
    assert "请填写撤回理由（不超过300字）。" in client.get(response["Location"]).content.decode()
    assert JurisdictionClaim.objects.filter(pk=xuanwu_claim.pk).exists()
    assert AuditEntry.objects.count() == entries


def test_another_agencys_claim_is_decided_not_withdrawn_by_whoever_cannot_see_that_agency(cast):
    gulou_claim = claim(cast, "gulou")
    client = client_for(cast.xuanwu)

    refused = client.post(f"/registry/claims/{gulou_claim.pk}/withdrawal/", {"reason": "无关"})
    text = client.get(street_page(cast)).content.decode()

    assert refused.status_code == 404
    assert JurisdictionClaim.objects.filter(pk=gulou_claim.pk).exists()
    assert "鼓楼区应急管理局" in text
    assert "撤回申报" not in text
    assert "支持：划归该机构监管" in text


def test_a_claim_decided_meanwhile_is_refused_with_a_message(cast):
    stale = claim(cast, "xuanwu")
    services.withdraw_claim(actor=cast.xuanwu, claim=stale, reason="申报有误")

    with pytest.raises(DomainError) as raised:
        services.decide_claim(actor=cast.xuanwu, claim=stale, uphold=True, reason="核实")

    assert (raised.value.code, raised.value.status) == ("claim_gone", 409)
    assert (
        Enterprise.objects.get(pk=cast.enterprises["street"].pk).supervising_agency
        == (cast.agencies["street"])
    )


def test_claims_outside_scope_do_not_exist(cast):
    xuanwu_claim = claim(cast, "xuanwu")
    client = client_for(cast.gulou)
    enterprise_id = cast.enterprises["street"].pk

    assert client.get(f"/api/v1/registry/enterprises/{enterprise_id}/claims").status_code == 404
    response = post_json(
        client,
        f"/api/v1/registry/claims/{xuanwu_claim.pk}/decision",
        {"uphold": False, "reason": "x"},
    )
    assert response.status_code == 404
    assert JurisdictionClaim.objects.filter(pk=xuanwu_claim.pk).exists()


def test_the_township_inspector_sees_the_claims_without_the_forms(cast):
    claim(cast, "xuanwu", note="区局名录在册")

    text = client_for(cast.township).get(street_page(cast)).content.decode()

    assert "区局名录在册" in text
    assert "申报管辖" not in text.replace("多个机构申报管辖", "")
    assert "撤回申报" not in text
    assert "支持：划归该机构监管" not in text


def test_the_english_page_shows_the_claims_and_confirms_in_english(cast):
    client = client_for(cast.xuanwu)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.post(
        street_page(cast) + "claims/",
        {"agency": cast.agencies["xuanwu"].pk, "note": ""},
        follow=True,
    )

    text = response.content.decode()
    assert "The claim of 玄武区应急管理局 is filed." in text
    assert "Jurisdiction claims" in text
    assert "Withdraw the claim" in text

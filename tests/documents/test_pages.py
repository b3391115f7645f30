"""The document pages' actions (issue, void, refresh, agency settings): the lawful path and a
refusal each, as an officer sees them (message on the page, nothing changed on refusal)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.documents import services
from anjian.documents.models import AgencyProfile, DocumentCounter, DocumentStatus
from anjian.documents.samples import sample_context
from tests.conftest import client_for
from tests.documents.conftest import draft_for

YEAR = timezone.localdate().year


def actions(name):
    return AuditEntry.objects.filter(action=name).count()


# ---------------------------------------------------------------------------------- issue


@pytest.mark.django_db
def test_issuing_on_the_page_numbers_the_document_and_says_so(cast, profile):
    draft = draft_for(cast)

    response = client_for(cast.xuanwu).post(f"/documents/{draft.pk}/issue/", follow=True)

    draft.refresh_from_db()
    assert response.redirect_chain == [(f"/documents/{draft.pk}/", 302)]
    assert draft.status == DocumentStatus.ISSUED
    assert draft.number == f"（苏宁玄）应急罚〔{YEAR}〕1号"
    assert f"已签发：{draft.number}" in response.content.decode()
    assert actions("documents.issue") == 1


@pytest.mark.django_db
def test_an_incomplete_document_is_not_issued_on_the_page_and_the_page_names_what_is_missing(
    cast, profile
):
    context = sample_context("penalty_decision_unit", with_issuer=False)
    del context["facts"]
    draft = draft_for(cast, context=context)

    response = client_for(cast.xuanwu).post(f"/documents/{draft.pk}/issue/", follow=True)

    draft.refresh_from_db()
    assert response.status_code == 200
    assert "文书内容不完整，不能签发。缺少：违法事实。" in response.content.decode()
    assert (draft.status, draft.number) == (DocumentStatus.DRAFT, "")
    assert DocumentCounter.objects.count() == 0
    assert actions("documents.issue") == 0


# ----------------------------------------------------------------------------------- void


@pytest.mark.django_db
def test_voiding_on_the_page_keeps_the_number_and_records_the_reason(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))

    response = client_for(cast.xuanwu).post(
        f"/documents/{issued.pk}/void/", {"reason": "当事人名称有误"}, follow=True
    )

    issued.refresh_from_db()
    assert response.status_code == 200
    assert "文书已作废，文号保留。" in response.content.decode()
    assert (issued.status, issued.void_reason) == (DocumentStatus.VOIDED, "当事人名称有误")
    assert issued.number == f"（苏宁玄）应急罚〔{YEAR}〕1号"
    assert [e.action for e in issued.events.all()] == ["draft", "issue", "void"]


@pytest.mark.django_db
def test_voiding_on_the_page_without_a_reason_is_refused(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))

    response = client_for(cast.xuanwu).post(
        f"/documents/{issued.pk}/void/", {"reason": "   "}, follow=True
    )

    issued.refresh_from_db()
    assert "作废文书必须填写理由。" in response.content.decode()
    assert (issued.status, issued.void_reason) == (DocumentStatus.ISSUED, "")
    assert actions("documents.void") == 0


@pytest.mark.django_db
def test_an_officer_without_the_right_cannot_void_on_the_page(cast, profile):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))

    response = client_for(cast.xuanwu_viewer).post(
        f"/documents/{issued.pk}/void/", {"reason": "档案员试图作废"}
    )

    issued.refresh_from_db()
    assert response.status_code == 403
    assert "您没有执行此操作的权限（documents.void）。" in response.content.decode()
    assert issued.status == DocumentStatus.ISSUED


# -------------------------------------------------------------------------------- refresh


@pytest.mark.django_db
def test_refreshing_a_draft_on_the_page_takes_the_record_again(cast, profile, subjects):
    context = sample_context("penalty_decision_unit", with_issuer=False)
    context["facts"] = "旧的事实"
    draft = draft_for(cast, context=context)

    response = client_for(cast.xuanwu).post(f"/documents/{draft.pk}/refresh/", follow=True)

    draft.refresh_from_db()
    assert "已按最新记录重新生成草稿。" in response.content.decode()
    assert draft.context["facts"] == sample_context("penalty_decision_unit")["facts"]
    assert draft.context["party"]["name"] == "玄武化工有限公司"
    assert draft.status == DocumentStatus.DRAFT
    assert actions("documents.refresh_draft") == 1


@pytest.mark.django_db
def test_an_issued_document_is_not_refreshed_on_the_page(cast, profile, subjects):
    issued = services.issue(actor=cast.xuanwu, document=draft_for(cast))
    frozen = dict(issued.context)

    response = client_for(cast.xuanwu).post(f"/documents/{issued.pk}/refresh/", follow=True)

    issued.refresh_from_db()
    assert "文书已签发，内容不可更改。" in response.content.decode()
    assert issued.context == frozen
    assert actions("documents.refresh_draft") == 0


# -------------------------------------------------------------------------- agency settings


@pytest.mark.django_db
def test_the_agency_settings_are_saved_on_the_page(cast):
    client = client_for(cast.xuanwu)

    response = client.post(
        "/documents/settings/",
        {"review_body": " 南京市玄武区人民政府 ", "court": "南京市玄武区人民法院"},
        follow=True,
    )

    assert response.redirect_chain == [("/documents/settings/", 302)]
    assert "已保存。" in response.content.decode()
    assert 'value="南京市玄武区人民政府"' in response.content.decode()
    saved = AgencyProfile.objects.get(agency=cast.agencies["xuanwu"])
    assert (saved.review_body, saved.court, saved.phone) == (
        "南京市玄武区人民政府",
        "南京市玄武区人民法院",
        "",
    )
    assert actions("documents.save_profile") == 1


@pytest.mark.django_db
def test_over_long_agency_settings_are_refused_on_the_page_with_the_typed_values_kept(cast):
    response = client_for(cast.xuanwu).post(
        "/documents/settings/", {"review_body": "某" * 101, "court": "南京市玄武区人民法院"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "文书设置有误：行政复议机关不得超过100字。" in page
    assert 'value="南京市玄武区人民法院"' in page
    assert not AgencyProfile.objects.filter(agency=cast.agencies["xuanwu"]).exists()
    assert actions("documents.save_profile") == 0


@pytest.mark.django_db
def test_an_officer_without_the_right_cannot_open_the_agency_settings(cast):
    response = client_for(cast.xuanwu_viewer).get("/documents/settings/")

    assert response.status_code == 403
    assert "您没有执行此操作的权限（documents.manage_profile）。" in response.content.decode()

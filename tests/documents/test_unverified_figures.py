"""Figures printed from unverified law data: shown to the officer, never printed as a warning, and
issuing needs an explicit acknowledgement that the audit entry records."""

from __future__ import annotations

import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.documents.models import DocumentCounter, DocumentStatus
from anjian.documents.samples import sample_context
from tests.conftest import client_for
from tests.documents.conftest import draft_for

#: Decided on 2021-03-01: the fine period and surcharge rate come from the 2017 行政处罚法 and the
#: review period from the 2017 行政复议法, all marked unverified in anjian/law/data/time_limits.yaml;
#: the six months of the 行政诉讼法 (2017) are confirmed.
UNVERIFIED = [
    {
        "source": "fine_payment",
        "title": "缴纳罚款",
        "title_en": "Payment of the fine",
        "version": "APL-2017",
        "article": "《中华人民共和国行政处罚法》（2017年修正）第四十六条第三款",
        "figure": "十五日",
    },
    {
        "source": "late_payment_surcharge",
        "title": "逾期缴纳罚款加处罚款",
        "title_en": "Late-payment surcharge on a fine",
        "version": "APL-2017",
        "article": "《中华人民共和国行政处罚法》（2017年修正）第五十一条第（一）项",
        "figure": "百分之三",
    },
    {
        "source": "administrative_review_request",
        "title": "申请行政复议",
        "title_en": "Application for administrative review",
        "version": "ARB-2017",
        "article": "《中华人民共和国行政复议法》（2017年修正）第九条",
        "figure": "六十日",
    },
]

ACKNOWLEDGED = [{k: f[k] for k in ("title", "figure", "article", "version")} for f in UNVERIFIED]


def old_decision(cast):
    context = sample_context("penalty_decision_unit", with_issuer=False)
    context["decided_on"] = "2021-03-01"
    return draft_for(cast, context=context)


def issue_entries():
    return list(AuditEntry.objects.filter(action="documents.issue"))


@pytest.mark.django_db
def test_a_current_decision_prints_only_confirmed_figures(cast, profile):
    draft = draft_for(cast)

    detail = client_for(cast.xuanwu).get(f"/api/v1/documents/{draft.pk}").json()
    page = client_for(cast.xuanwu).get(f"/documents/{draft.pk}/").content.decode()

    assert detail["unverified_figures"] == []
    assert 'id="unverified-figures"' not in page
    assert 'name="acknowledge_unverified"' not in page


@pytest.mark.django_db
def test_the_page_names_the_unverified_figures_and_the_document_prints_no_warning(cast, profile):
    from anjian.documents import selectors

    draft = old_decision(cast)

    page = client_for(cast.xuanwu).get(f"/documents/{draft.pk}/").content.decode()

    assert "本文书打印的下列数字来自未核实的法规数据" in page
    for figure in UNVERIFIED:
        assert f"<td>{figure['title']}</td><td>{figure['figure']}</td>" in page
        assert figure["article"] in page
    assert 'name="acknowledge_unverified" value="1" required' in page
    printed = selectors.preview_content(draft)[0].plain_text()
    assert "十五日内缴至" in printed
    assert "未核实" not in printed


@pytest.mark.django_db
def test_issuing_on_the_page_without_the_acknowledgement_is_refused_and_issues_nothing(
    cast, profile
):
    draft = old_decision(cast)
    client = client_for(cast.xuanwu)

    response = client.post(f"/documents/{draft.pk}/issue/", follow=True)
    client.cookies["django_language"] = "en"
    english = client.post(f"/documents/{draft.pk}/issue/", follow=True)

    assert response.status_code == 200
    assert (
        "本文书打印的下列数字来自未核实的法规数据：缴纳罚款“十五日”"
        "（《中华人民共和国行政处罚法》（2017年修正）第四十六条第三款）；"
    ) in response.content.decode()
    assert "请核对后确认，再签发。" in response.content.decode()
    assert (
        "Figures this document prints come from unverified law data: Payment of the fine 十五日 "
        "(APL-2017); Late-payment surcharge on a fine 百分之三 (APL-2017); Application for "
        "administrative review 六十日 (ARB-2017). Check them and acknowledge this to issue."
    ) in english.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.pdf_sha256) == (DocumentStatus.DRAFT, "", "")
    assert DocumentCounter.objects.count() == 0
    assert issue_entries() == []


@pytest.mark.django_db
def test_issuing_on_the_page_with_the_acknowledgement_records_the_figures(cast, profile):
    draft = old_decision(cast)

    response = client_for(cast.xuanwu).post(
        f"/documents/{draft.pk}/issue/", {"acknowledge_unverified": "1"}, follow=True
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    assert draft.status == DocumentStatus.ISSUED
    assert draft.sequence == 1
    [entry] = issue_entries()
    assert entry.after["unverified_figures_acknowledged"] == ACKNOWLEDGED
    assert entry.after["number"] == draft.number
    # The issued page still tells which printed figures were unverified (from the frozen content).
    assert "签发时已确认核对" in response.content.decode()
    assert [
        {k: v for k, v in f.items() if k != "confidence"}
        for f in draft.content["figures"]
        if f["confidence"] == "unverified"
    ] == UNVERIFIED


@pytest.mark.django_db
def test_the_api_detail_lists_the_unverified_figures_and_issuing_needs_the_acknowledgement(
    cast, profile
):
    draft = old_decision(cast)
    client = client_for(cast.xuanwu)

    detail = client.get(f"/api/v1/documents/{draft.pk}")
    refused = client.generic("POST", f"/api/v1/documents/{draft.pk}/issue")  # no body at all
    refused_false = client.post(
        f"/api/v1/documents/{draft.pk}/issue",
        json.dumps({"acknowledge_unverified": False}),
        content_type="application/json",
    )
    after_refusal = issue_entries()
    issued = client.post(
        f"/api/v1/documents/{draft.pk}/issue",
        json.dumps({"acknowledge_unverified": True}),
        content_type="application/json",
    )

    assert detail.json()["unverified_figures"] == UNVERIFIED
    for response in (refused, refused_false):
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "unverified_figures_not_acknowledged")
        assert body["message"].startswith(
            "本文书打印的下列数字来自未核实的法规数据：缴纳罚款“十五日”"
        )
        assert body["message_en"].startswith(
            "Figures this document prints come from unverified law data: Payment of the fine"
        )
        assert [d["figure"] for d in body["details"]] == ["十五日", "百分之三", "六十日"]
        assert {d["field"] for d in body["details"]} == {"acknowledge_unverified"}
    assert after_refusal == []
    assert issued.status_code == 200
    assert issued.json()["status"] == "issued"
    assert issued.json()["unverified_figures"] == UNVERIFIED
    [entry] = issue_entries()
    assert entry.after["unverified_figures_acknowledged"] == ACKNOWLEDGED

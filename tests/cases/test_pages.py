"""The case pages: list with deadlines, the case page (what the law requires next, why a step is
blocked), acting through a form, and who may see and do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.cases.models import CaseStatus
from tests.cases.conftest import days_ago, investigated, propose
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_case_page_shows_the_next_step_and_why_a_blocked_step_is_blocked(team):
    case = investigated(team, filed=days_ago(20))
    response = client_for(team.lead).get(f"/cases/{case.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "现在法律要求做什么" in body
    assert "提出处罚建议（裁量）" in body
    assert 'id="blocked-serve_notice"' in body
    assert "尚未提出处罚建议" in body
    assert "第四十四条" in body


def test_list_shows_next_deadline_and_days_left(team):
    case = propose(team, on=days_ago(1))
    case = __import__("tests.cases.conftest", fromlist=["act"]).act(
        case, "approve_filing", team.head, on=days_ago(1)
    )
    response = client_for(team.lead).get("/cases/")
    body = response.content.decode()
    assert response.status_code == 200
    assert case.reference in body
    assert case.next_deadline_on.isoformat() in body


def test_form_action_moves_the_case_and_a_stale_form_is_refused(team):
    case = propose(team, on=days_ago(3))
    client = client_for(team.head)
    response = client.post(
        f"/cases/{case.pk}/act/approve_filing/",
        {"version": case.version, "on": days_ago(2).isoformat()},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    stale = client.post(
        f"/cases/{case.pk}/act/approve_filing/",
        {"version": 1, "on": days_ago(2).isoformat()},
        follow=True,
    )
    assert "已被他人更新" in stale.content.decode()
    case.refresh_from_db()
    assert case.version == 2


def test_other_county_gets_404_and_anonymous_is_sent_to_login(team, cast):
    case = propose(team, on=days_ago(3))
    assert client_for(cast.gulou).get(f"/cases/{case.pk}/").status_code == 404
    assert (
        client_for(cast.gulou)
        .post(f"/cases/{case.pk}/act/approve_filing/", {"version": 1})
        .status_code
        == 404
    )
    assert client_for(None).get(f"/cases/{case.pk}/").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_archivist_sees_the_case_but_cannot_act(team, cast):
    case = propose(team, on=days_ago(3))
    client = client_for(cast.xuanwu_viewer)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    response = client.post(
        f"/cases/{case.pk}/act/approve_filing/", {"version": case.version}, follow=True
    )
    assert "没有执行此操作的权限" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_new_case_and_deadline_pages_render(team):
    client = client_for(team.lead)
    assert client.get("/cases/new/").status_code == 200
    assert client.get("/cases/on-the-spot/").status_code == 200
    assert client.get("/cases/deadlines/").status_code == 200


def test_a_refused_step_shows_its_form_again_with_the_message_and_what_was_entered(team):
    case = propose(team, on=days_ago(3))
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()

    response = client_for(team.head).post(
        f"/cases/{case.pk}/act/approve_filing/",
        {"version": case.version, "on": future, "reason": "同意立案，抓紧调查"},
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="approve_filing-refused"' in body
    form = body[body.index('data-action="approve_filing"') :]
    form = form[: form.index("</form>")]
    assert f'value="{future}"' in form
    assert 'value="同意立案，抓紧调查"' in form
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_a_reason_required_step_refused_keeps_the_reason_field_for_the_officer(team):
    case = investigated(team, filed=days_ago(10))

    response = client_for(team.head).post(
        f"/cases/{case.pk}/act/terminate/", {"version": case.version, "reason": "   "}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="terminate-refused"' in body
    case.refresh_from_db()
    assert case.is_open

"""Officers and enterprises named by number on the team and conflict pages (and in their API
bodies): a token that is not a number, or a number that names nothing in the user's scope, is
refused with a message naming it, the input kept, nothing saved (it was a 404 page, or dropped)."""

from __future__ import annotations

import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.planning.models import ConflictDeclaration, Team
from anjian.registry.models import Officer
from tests.conftest import client_for
from tests.planning.helpers import page_client, post_page

pytestmark = pytest.mark.django_db


def saved() -> int:
    return AuditEntry.objects.count()


def post_team(world, officer_ids):
    client = page_client(world.cast.xuanwu)
    data = {"name": "三中队", "officer_ids": officer_ids}
    return post_page(client, "/planning/teams/", "/planning/teams/", data)


def test_a_team_is_created_from_numbers_separated_by_commas_and_spaces(world):
    first, second = world.inspectors[2:4]

    response = post_team(world, f"{first.pk}， {second.pk}")

    assert response.redirect_chain == [("/planning/teams/", 302)]
    assert "已创建检查组。" in response.content.decode()
    team = Team.objects.get(name="三中队")
    assert set(team.officers.values_list("pk", flat=True)) == {first.pk, second.pk}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("12a", "“12a”不是人员编号：请填写数字编号。"),
        ("²", "“²”不是人员编号：请填写数字编号。"),
        ("999999", "人员编号 999999 不存在或不在您的管辖范围内。"),
    ],
)
def test_a_team_naming_a_bad_officer_token_is_refused_with_the_token_named(world, bad, message):
    first, second = world.inspectors[2:4]
    before = saved()
    typed = f"{first.pk},{bad},{second.pk}"

    response = post_team(world, typed)

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page
    assert 'value="三中队"' in page
    assert not Team.objects.filter(name="三中队").exists()
    assert saved() == before


def test_a_team_naming_an_officer_outside_the_users_scope_is_refused_as_unknown(world):
    stranger = Officer.objects.get(user=world.cast.gulou)
    before = saved()

    response = post_team(world, f"{world.inspectors[2].pk},{stranger.pk}")

    assert response.status_code == 200
    assert f"人员编号 {stranger.pk} 不存在或不在您的管辖范围内。" in response.content.decode()
    assert not Team.objects.filter(name="三中队").exists()
    assert saved() == before


def test_an_officer_named_twice_counts_once_for_a_team(world):
    officer = world.inspectors[2]
    before = saved()

    response = post_team(world, f"{officer.pk},{officer.pk}")

    assert response.status_code == 200
    assert "执法人员不得少于2人" in response.content.decode()
    assert not Team.objects.filter(name="三中队").exists()
    assert saved() == before


def post_conflict(world, **changes):
    client = page_client(world.cast.xuanwu)
    data = {
        "officer": str(world.inspectors[0].pk),
        "enterprise": str(world.enterprises[0].pk),
        "kind": "relation",
        "note": "配偶任该单位安全员",
        **changes,
    }
    return post_page(client, "/planning/conflicts/", "/planning/conflicts/", data)


def test_a_conflict_is_declared_on_its_page(world):
    response = post_conflict(world)

    assert response.redirect_chain == [("/planning/conflicts/", 302)]
    assert "已登记回避申报。" in response.content.decode()
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.officer, declaration.enterprise, declaration.note) == (
        world.inspectors[0],
        world.enterprises[0],
        "配偶任该单位安全员",
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"officer": "abc"}, "“abc”不是人员编号：请填写数字编号。"),
        ({"officer": "999999"}, "人员编号 999999 不存在或不在您的管辖范围内。"),
        ({"officer": " "}, "请填写人员编号。"),
        ({"enterprise": "1 2"}, "“1 2”不是单位编号：请填写数字编号。"),
        ({"enterprise": "999999"}, "单位编号 999999 不存在或不在您的管辖范围内。"),
    ],
)
def test_a_conflict_naming_a_bad_number_is_refused_with_the_input_kept(world, changes, message):
    before = saved()

    response = post_conflict(world, **changes)

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert message in page
    field, value = next(iter(changes.items()))
    assert f'name="{field}" required inputmode="numeric" value="{value}"' in page
    assert 'value="配偶任该单位安全员"' in page
    assert '<option value="relation" selected>' in page
    assert not ConflictDeclaration.objects.exists()
    assert saved() == before


def test_a_conflict_naming_an_enterprise_outside_the_users_scope_is_refused_as_unknown(world):
    outside = world.cast.enterprises["gulou"]

    response = post_conflict(world, enterprise=str(outside.pk))

    assert response.status_code == 200
    assert f"单位编号 {outside.pk} 不存在或不在您的管辖范围内。" in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


# ---------------------------------------------------------------------------------------------
# API: the same refusals as JSON (400), the number named


def test_the_api_refuses_a_team_with_an_unknown_officer_naming_it(world):
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = client.post(
        "/api/v1/planning/teams",
        json.dumps({"name": "三中队", "officer_ids": [world.inspectors[2].pk, 999999]}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "officer_unknown",
        "message": "人员编号 999999 不存在或不在您的管辖范围内。",
        "message_en": "No officer number 999999 in your jurisdiction.",
        "details": {"unknown": [999999]},
    }
    assert not Team.objects.filter(name="三中队").exists()
    assert saved() == before


def test_the_api_refuses_a_conflict_with_an_unknown_enterprise_naming_it(world):
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = client.post(
        "/api/v1/planning/conflicts",
        json.dumps(
            {"officer_id": world.inspectors[0].pk, "enterprise_id": 999999, "kind": "relation"}
        ),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "enterprise_unknown"
    assert response.json()["message"] == "单位编号 999999 不存在或不在您的管辖范围内。"
    assert response.json()["message_en"] == "No enterprise number 999999 in your jurisdiction."
    assert not ConflictDeclaration.objects.exists()
    assert saved() == before

"""Delegations of penalty power (行政处罚法 Art 20, 24): recorded by the delegating side, through the
page and the API, validated against the legal catalog; what is stored is what cases check."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from anjian.audit.models import AuditEntry
from anjian.core.errors import DomainError
from anjian.core.permissions import Role
from anjian.registry import services
from anjian.registry.models import Delegation
from tests.conftest import TODAY, client_for, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(cast):
    """Bureau heads (registry.manage_delegations) of 玄武区, of 鼓楼区 and of the township itself."""
    return {
        "xuanwu": make_officer("xuanwu_bureau", cast.agencies["xuanwu"], [Role.BUREAU_HEAD]),
        "gulou": make_officer("gulou_bureau", cast.agencies["gulou"], [Role.BUREAU_HEAD]),
        "street": make_officer("street_bureau", cast.agencies["street"], [Role.BUREAU_HEAD]),
    }


def entrustment(cast, **changes):
    body = {
        "kind": "entrustment",
        "delegating_agency_id": cast.agencies["xuanwu"].pk,
        "scope": "安全生产法第九十七条规定的行政处罚",
        "violation_codes": ["WSL2021-097"],
        "instrument_number": "玄应急委〔2026〕3号",
        "valid_from": (TODAY - dt.timedelta(days=30)).isoformat(),
        "valid_to": None,
    }
    return {**body, **changes}


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def add_url(cast):
    return f"/api/v1/registry/agencies/{cast.agencies['street'].pk}/delegations"


def test_county_bureau_head_records_an_entrustment_that_cases_then_check(cast, bureau):
    street = cast.agencies["street"]

    response = post_json(client_for(bureau["xuanwu"]), add_url(cast), entrustment(cast))

    assert response.status_code == 201, response.content
    stored = Delegation.objects.get(pk=response.json()["id"])
    assert stored.violation_codes == ["WSL2021-097"]
    assert stored.delegating_agency == cast.agencies["xuanwu"]
    assert AuditEntry.objects.filter(action="registry.add_delegation").count() == 1
    services.check_penalty_power(agency=street, violation_code="WSL2021-097-03", on=TODAY)
    with pytest.raises(DomainError) as outside:
        services.check_penalty_power(agency=street, violation_code="WSL2021-099-02", on=TODAY)
    assert outside.value.code == "outside_delegation"


def test_any_delegation_in_force_that_covers_the_violation_suffices(cast):
    street = cast.agencies["street"]
    for number, code in (
        ("苏政发〔2026〕1号", "WSL2021-099"),
        ("玄应急委〔2026〕4号", "WSL2021-097"),
    ):
        services.add_delegation(
            actor=None,
            agency=street,
            kind="entrustment",
            scope="部分行政处罚",
            instrument_number=number,
            valid_from=TODAY - dt.timedelta(days=10),
            valid_to=None,
            delegating_agency=cast.agencies["xuanwu"],
            violation_codes=[code],
        )

    services.check_penalty_power(agency=street, violation_code="WSL2021-097-03", on=TODAY)
    services.check_penalty_power(agency=street, violation_code="WSL2021-099-02", on=TODAY)


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"kind": "gift"}, "kind", "授权方式无效"),
        ({"delegating_agency_id": None}, "delegating_agency", "须注明委托机关"),
        ({"violation_codes": []}, "violation_codes", "须列明可处罚的违法行为代码"),
        ({"violation_codes": ["WSL2021-999"]}, "violation_codes", "法规库中没有违法行为代码"),
        ({"violation_codes": ["WSL2021-09"]}, "violation_codes", "WSL2021-09"),
        ({"instrument_number": "  "}, "instrument_number", "须填写文件文号"),
        ({"scope": ""}, "scope", "须填写权限范围"),
        ({"valid_to": (TODAY - dt.timedelta(days=60)).isoformat()}, "valid_to", "失效日期不能早于"),
    ],
)
def test_bad_delegation_input_is_refused_in_both_languages_and_nothing_saved(
    cast, bureau, changes, field, fragment
):
    entries = AuditEntry.objects.count()

    response = post_json(client_for(bureau["xuanwu"]), add_url(cast), entrustment(cast, **changes))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_delegation"
    assert fragment in body["message"]
    assert body["message_en"].isascii()
    assert [p["field"] for p in body["details"]] == [field]
    assert Delegation.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_every_problem_is_reported_at_once(cast, bureau):
    body = entrustment(cast, instrument_number="", scope="", violation_codes=["NOPE"])

    response = post_json(client_for(bureau["xuanwu"]), add_url(cast), body)

    assert [p["field"] for p in response.json()["details"]] == [
        "instrument_number",
        "scope",
        "violation_codes",
    ]


def test_a_county_agency_holds_no_delegation(cast, bureau):
    url = f"/api/v1/registry/agencies/{cast.agencies['xuanwu'].pk}/delegations"

    response = post_json(client_for(bureau["xuanwu"]), url, entrustment(cast))

    assert (response.status_code, response.json()["code"]) == (400, "delegation_level")


def test_another_countys_bureau_head_finds_no_such_agency(cast, bureau):
    response = post_json(client_for(bureau["gulou"]), add_url(cast), entrustment(cast))

    assert response.status_code == 404
    assert Delegation.objects.count() == 0


def test_the_township_does_not_record_its_own_delegation(cast, bureau):
    response = post_json(client_for(bureau["street"]), add_url(cast), entrustment(cast))

    assert (response.status_code, response.json()["code"]) == (403, "not_delegating_side")
    assert Delegation.objects.count() == 0


def test_a_section_head_without_the_permission_is_refused(cast):
    response = post_json(client_for(cast.xuanwu), add_url(cast), entrustment(cast))

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_entrusting_agency_must_contain_the_township(cast, bureau):
    body = entrustment(cast, delegating_agency_id=cast.agencies["gulou"].pk)

    response = post_json(client_for(bureau["xuanwu"]), add_url(cast), body)

    assert response.status_code == 404  # 鼓楼区 does not exist for 玄武区
    response = post_json(client_for(cast.province), add_url(cast), body)
    assert response.status_code == 403  # the province head is a section head


def _stored(cast):
    return services.add_delegation(
        actor=None,
        agency=cast.agencies["street"],
        kind="authorization",
        scope="依据省人民政府赋权决定行使部分行政处罚权",
        instrument_number="苏政发〔2025〕9号",
        valid_from=TODAY - dt.timedelta(days=100),
        valid_to=None,
        violation_codes=["WSL2021-097", "WSL2021-099"],
    )


def test_ending_a_delegation_records_the_reason_and_ends_the_power(cast, bureau):
    delegation = _stored(cast)
    yesterday = TODAY - dt.timedelta(days=1)

    response = post_json(
        client_for(bureau["xuanwu"]),
        f"/api/v1/registry/delegations/{delegation.pk}/end",
        {"valid_to": yesterday.isoformat(), "reason": "苏政发〔2026〕2号撤销赋权"},
    )

    assert response.status_code == 200, response.content
    delegation.refresh_from_db()
    assert (delegation.valid_to, delegation.end_reason) == (yesterday, "苏政发〔2026〕2号撤销赋权")
    with pytest.raises(DomainError) as ended:
        services.check_penalty_power(
            agency=cast.agencies["street"], violation_code="WSL2021-097-03", on=TODAY
        )
    assert ended.value.code == "no_delegation"
    entry = AuditEntry.objects.get(action="registry.end_delegation")
    assert entry.before["valid_to"] is None


def test_ending_needs_a_reason_and_a_date_not_before_the_start(cast, bureau):
    delegation = _stored(cast)
    client = client_for(bureau["xuanwu"])
    url = f"/api/v1/registry/delegations/{delegation.pk}/end"

    no_reason = post_json(client, url, {"valid_to": TODAY.isoformat(), "reason": " "})
    too_early = post_json(client, url, {"valid_to": "2000-01-01", "reason": "撤销"})

    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert (too_early.status_code, too_early.json()["code"]) == (400, "delegation_dates")
    delegation.refresh_from_db()
    assert (delegation.valid_to, delegation.end_reason) == (None, "")


def test_changing_a_delegation_narrows_what_cases_may_cover(cast, bureau):
    delegation = _stored(cast)
    body = {
        "kind": "authorization",
        "scope": "依据省人民政府赋权决定行使部分行政处罚权",
        "violation_codes": ["WSL2021-099"],
        "instrument_number": "苏政发〔2025〕9号",
        "valid_from": delegation.valid_from.isoformat(),
        "valid_to": None,
        "reason": "赋权目录调整",
    }

    response = post_json(
        client_for(bureau["xuanwu"]),
        f"/api/v1/registry/delegations/{delegation.pk}",
        body,
        method="put",
    )

    assert response.status_code == 200, response.content
    assert response.json()["violation_codes"] == ["WSL2021-099"]
    with pytest.raises(DomainError):
        services.check_penalty_power(
            agency=cast.agencies["street"], violation_code="WSL2021-097-03", on=TODAY
        )


def test_a_delegation_outside_scope_does_not_exist(cast, bureau):
    delegation = _stored(cast)

    response = post_json(
        client_for(bureau["gulou"]),
        f"/api/v1/registry/delegations/{delegation.pk}/end",
        {"valid_to": TODAY.isoformat(), "reason": "撤销"},
    )

    assert response.status_code == 404
    delegation.refresh_from_db()
    assert delegation.valid_to is None


def test_the_agency_page_records_a_delegation(cast, bureau):
    street = cast.agencies["street"]
    client = client_for(bureau["xuanwu"])
    page = client.get(f"/registry/agencies/{street.pk}/")
    assert "登记授权或委托" in page.content.decode()

    response = client.post(
        f"/registry/agencies/{street.pk}/delegations/",
        {
            "kind": "entrustment",
            "delegating_agency": cast.agencies["xuanwu"].pk,
            "instrument_number": "玄应急委〔2026〕5号",
            "scope": "安全生产法第九十七条、第九十九条规定的行政处罚",
            "violation_codes": "WSL2021-097\nWSL2021-099",
            "valid_from": TODAY.isoformat(),
        },
    )

    assert response.status_code == 302
    assert Delegation.objects.get().violation_codes == ["WSL2021-097", "WSL2021-099"]
    assert "玄应急委〔2026〕5号" in client.get(response["Location"]).content.decode()


def test_the_agency_page_shows_bad_input_next_to_the_form_and_saves_nothing(cast, bureau):
    street = cast.agencies["street"]

    response = client_for(bureau["xuanwu"]).post(
        f"/registry/agencies/{street.pk}/delegations/",
        {
            "kind": "entrustment",
            "instrument_number": "玄应急委〔2026〕5号",
            "scope": "行政处罚",
            "violation_codes": "WSL2021-999",
            "valid_from": TODAY.isoformat(),
        },
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "书面委托须注明委托机关（行政处罚法第二十条）。" in text
    assert "法规库中没有违法行为代码：WSL2021-999。" in text
    assert Delegation.objects.count() == 0


def test_the_agency_page_ends_a_delegation(cast, bureau):
    delegation = _stored(cast)

    response = client_for(bureau["xuanwu"]).post(
        f"/registry/delegations/{delegation.pk}/end/",
        {"valid_to": TODAY.isoformat(), "reason": "苏政发〔2026〕2号撤销赋权"},
    )

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.end_reason == "苏政发〔2026〕2号撤销赋权"


def test_the_township_page_offers_no_delegation_form_to_the_township(cast, bureau):
    _stored(cast)

    text = (
        client_for(bureau["street"])
        .get(f"/registry/agencies/{cast.agencies['street'].pk}/")
        .content.decode()
    )

    assert "苏政发〔2025〕9号" in text
    assert "登记授权或委托" not in text


def _correction(**changes):
    body = {
        "kind": "authorization",
        "delegating_agency": "",
        "instrument_number": "苏政发〔2025〕9号",
        "scope": "依据省人民政府赋权决定行使部分行政处罚权",
        "violation_codes": "WSL2021-097",
        "valid_from": (TODAY - dt.timedelta(days=100)).isoformat(),
        "valid_to": "",
        "reason": "赋权决定附件只列第九十七条，登记时多录了第九十九条",
    }
    return {**body, **changes}


def _as_recorded(delegation):
    delegation.refresh_from_db()
    return (
        delegation.kind,
        delegation.instrument_number,
        delegation.violation_codes,
        delegation.delegating_agency_id,
        delegation.valid_to,
    )


def test_the_agency_page_corrects_a_recorded_delegation_with_the_reason(cast, bureau):
    delegation = _stored(cast)
    client = client_for(bureau["xuanwu"])
    agency_page = client.get(f"/registry/agencies/{cast.agencies['street'].pk}/").content.decode()
    assert f"/registry/delegations/{delegation.pk}/change/" in agency_page
    form = client.get(f"/registry/delegations/{delegation.pk}/change/").content.decode()
    assert 'value="苏政发〔2025〕9号"' in form
    assert "WSL2021-097\nWSL2021-099</textarea>" in form

    response = client.post(f"/registry/delegations/{delegation.pk}/change/", _correction())

    assert response.status_code == 302
    assert response["Location"] == f"/registry/agencies/{cast.agencies['street'].pk}/#delegations"
    assert _as_recorded(delegation) == (
        "authorization",
        "苏政发〔2025〕9号",
        ["WSL2021-097"],
        None,
        None,
    )
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.actor_id) == ("registry.change_delegation", bureau["xuanwu"].pk)
    assert entry.before["violation_codes"] == ["WSL2021-097", "WSL2021-099"]
    assert entry.after["reason"] == "赋权决定附件只列第九十七条，登记时多录了第九十九条"
    with pytest.raises(DomainError) as raised:
        services.check_penalty_power(
            agency=cast.agencies["street"], violation_code="WSL2021-099-01", on=TODAY
        )
    assert raised.value.code == "outside_delegation"


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "zh-hans",
            [
                "书面委托须注明委托机关（行政处罚法第二十条）。",
                "法规库中没有违法行为代码：WSL2021-999。",
            ],
        ),
        (
            "en",
            [
                "An entrustment names the entrusting agency (APL Art 20).",
                "Not in the legal catalog: WSL2021-999.",
            ],
        ),
    ],
)
def test_a_refused_correction_shows_the_messages_keeps_the_input_and_changes_nothing(
    cast, bureau, language, messages
):
    delegation = _stored(cast)
    recorded = _as_recorded(delegation)
    entries = AuditEntry.objects.count()
    client = client_for(bureau["xuanwu"])
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    response = client.post(
        f"/registry/delegations/{delegation.pk}/change/",
        _correction(
            kind="entrustment",
            instrument_number="苏政发〔2025〕19号",
            violation_codes="WSL2021-999",
        ),
    )

    text = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in text
    assert 'value="苏政发〔2025〕19号"' in text
    assert "赋权决定附件只列第九十七条，登记时多录了第九十九条" in text
    assert _as_recorded(delegation) == recorded
    assert AuditEntry.objects.count() == entries


def test_a_correction_without_a_reason_changes_nothing(cast, bureau):
    delegation = _stored(cast)
    recorded = _as_recorded(delegation)

    response = client_for(bureau["xuanwu"]).post(
        f"/registry/delegations/{delegation.pk}/change/",
        _correction(instrument_number="苏政发〔2025〕19号", reason="  "),
    )

    assert response.status_code == 200
    assert 'value="苏政发〔2025〕19号"' in response.content.decode()
    assert _as_recorded(delegation) == recorded


def test_the_township_does_not_correct_its_own_delegation(cast, bureau):
    delegation = _stored(cast)
    recorded = _as_recorded(delegation)
    client = client_for(bureau["street"])

    assert client.get(f"/registry/delegations/{delegation.pk}/change/").status_code == 403
    response = client.post(f"/registry/delegations/{delegation.pk}/change/", _correction())

    assert response.status_code == 403
    assert _as_recorded(delegation) == recorded


@pytest.mark.parametrize(
    ("who", "agency", "expected"),
    [
        ("xuanwu_bureau", "street", True),  # the county above the township
        ("gulou_bureau", "street", False),  # another county
        ("street_bureau", "street", False),  # the township itself
        ("xuanwu_head", "street", False),  # a section head: no registry.manage_delegations
        ("xuanwu_bureau", "xuanwu", False),  # a county agency holds no delegation
    ],
)
def test_the_page_offers_the_delegation_forms_only_to_the_delegating_side(
    cast, bureau, who, agency, expected
):
    from anjian.registry import selectors

    user = cast.xuanwu if who == "xuanwu_head" else bureau[who.split("_")[0]]

    assert selectors.may_record_delegations(user, cast.agencies[agency]) is expected

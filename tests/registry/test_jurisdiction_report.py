"""Clause (四): every active enterprise has exactly one supervising agency whose region contains the
enterprise's region. The report lists gaps and conflicts on the page and through the API; its fix
action (one supervising agency, other claims withdrawn) leaves it clean."""

from __future__ import annotations

import json

import pytest

from anjian.registry import services
from anjian.registry.models import Enterprise, JurisdictionClaim
from tests.conftest import client_for, make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken(cast):
    """A gap, an agency outside the region and an enterprise claimed twice, all in 玄武区."""
    xuanwu_region = cast.regions["320102"]
    gap = make_enterprise(
        "无人监管有限公司", xuanwu_region, cast.agencies["xuanwu"], cast.industry, 7
    )
    Enterprise.objects.filter(pk=gap.pk).update(supervising_agency=None)
    # 鼓楼区 supervising a 玄武区 enterprise (as an old import or an admin edit could leave it).
    outside = make_enterprise(
        "越界监管有限公司", xuanwu_region, cast.agencies["xuanwu"], cast.industry, 8
    )
    Enterprise.objects.filter(pk=outside.pk).update(supervising_agency=cast.agencies["gulou"])
    twice = cast.enterprises["street"]
    for agency in (cast.agencies["street"], cast.agencies["xuanwu"]):
        services.claim_jurisdiction(actor=None, agency=agency, enterprise=twice, note="本机构名录")
    return {"gap": gap, "outside": outside, "twice": twice}


def report(client):
    response = client.get("/api/v1/registry/jurisdiction-report")
    assert response.status_code == 200
    return response.json()


def test_the_report_shows_gaps_and_conflicts_and_the_fix_action_clears_them(cast, broken):
    client = client_for(cast.xuanwu)

    before = report(client)
    page = client.get("/registry/jurisdiction/").content.decode()

    assert before["is_clean"] is False
    assert [e["name"] for e in before["gaps"]] == ["无人监管有限公司"]
    assert [(e["name"], e["supervising_agency"]) for e in before["outside_region"]] == [
        ("越界监管有限公司", "鼓楼区应急管理局")
    ]
    assert before["claimed_twice"] == [
        {
            "enterprise_id": broken["twice"].pk,
            "uscc": broken["twice"].uscc,
            "name": "演示街道仓储有限公司",
            "agencies": sorted(["演示街道办事处", "玄武区应急管理局"]),
        }
    ]
    for name in ("无人监管有限公司", "越界监管有限公司", "演示街道仓储有限公司"):
        assert name in page
    assert "未发现管辖空白或冲突。" not in page
    assert page.count("划定管辖") == 3

    # Fix: the page's form for the gap and the conflict, the API for the double claim.
    for enterprise in (broken["gap"], broken["outside"]):
        fixed = client.post(
            "/registry/jurisdiction/",
            {
                "enterprise": enterprise.pk,
                "agency": cast.agencies["xuanwu"].pk,
                "reason": "属地管辖，由玄武区应急管理局监管",
            },
        )
        assert fixed.status_code == 302
    api_fix = client.post(
        f"/api/v1/registry/enterprises/{broken['twice'].pk}/supervising-agency",
        data=json.dumps({"agency_id": cast.agencies["street"].pk, "reason": "由街道属地监管"}),
        content_type="application/json",
    )
    assert api_fix.status_code == 200, api_fix.content

    after = report(client)
    assert after == {"is_clean": True, "gaps": [], "outside_region": [], "claimed_twice": []}
    assert "未发现管辖空白或冲突。" in client.get("/registry/jurisdiction/").content.decode()
    assert list(
        JurisdictionClaim.objects.filter(enterprise=broken["twice"]).values_list(
            "agency__name", flat=True
        )
    ) == ["演示街道办事处"]
    assert (
        Enterprise.objects.get(pk=broken["outside"].pk).supervising_agency
        == cast.agencies["xuanwu"]
    )


def test_the_fix_refuses_an_agency_outside_the_region_and_changes_nothing(cast, broken):
    response = client_for(cast.province).post(
        f"/api/v1/registry/enterprises/{broken['gap'].pk}/supervising-agency",
        data=json.dumps({"agency_id": cast.agencies["gulou"].pk, "reason": "试图越界划定"}),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "jurisdiction_outside")
    assert Enterprise.objects.get(pk=broken["gap"].pk).supervising_agency is None


def test_another_county_sees_none_of_these_findings(cast, broken):
    findings = report(client_for(cast.gulou))

    assert findings == {"is_clean": True, "gaps": [], "outside_region": [], "claimed_twice": []}


def test_the_fix_refuses_a_missing_or_over_long_reason_and_changes_nothing(cast, broken):
    client = client_for(cast.province)
    url = f"/api/v1/registry/enterprises/{broken['gap'].pk}/supervising-agency"
    agency = cast.agencies["xuanwu"].pk

    blank = client.post(
        url, data=json.dumps({"agency_id": agency, "reason": "  "}), content_type="application/json"
    )
    long = client.post(
        url,
        data=json.dumps({"agency_id": agency, "reason": "理" * 301}),
        content_type="application/json",
    )

    assert (blank.status_code, blank.json()["code"]) == (400, "reason_required")
    assert (long.status_code, long.json()["code"]) == (400, "reason_too_long")
    assert long.json()["message_en"] == "The reason is longer than 300 characters."
    assert Enterprise.objects.get(pk=broken["gap"].pk).supervising_agency is None

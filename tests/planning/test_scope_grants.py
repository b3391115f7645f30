"""Temporary scope grants (registry.ScopeGrant) honoured by the one choke point, registry/scope.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.registry import services
from anjian.registry.models import Enterprise, Officer, ScopeGrant
from anjian.registry.scope import scope_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def grant(cast, *, start, end, holder="officer", region="320102"):
    return services.grant_scope(
        actor=cast.nanjing,
        region=cast.regions[region],
        valid_from=start,
        valid_to=end,
        operation_reference="宁交〔2026〕1号",
        reason="交叉执法",
        granting_agency=cast.agencies["nanjing"],
        officer=Officer.objects.get(user=cast.gulou) if holder == "officer" else None,
        agency=cast.agencies["gulou"] if holder == "agency" else None,
    )


def visible(user):
    return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))


def test_an_active_grant_adds_the_region_to_the_own_scope(cast):
    grant(cast, start=TODAY, end=TODAY + dt.timedelta(days=7))
    assert visible(cast.gulou) == {"鼓楼化工有限公司", "玄武化工有限公司", "演示街道仓储有限公司"}
    target = cast.enterprises["xuanwu"]
    assert client_for(cast.gulou).get(f"/registry/enterprises/{target.pk}/").status_code == 200
    assert (
        client_for(cast.gulou).get(f"/api/v1/registry/enterprises/{target.pk}").status_code == 200
    )


def test_an_expired_grant_is_a_404_again(cast):
    grant(cast, start=TODAY - dt.timedelta(days=10), end=TODAY - dt.timedelta(days=1))
    target = cast.enterprises["xuanwu"]
    assert visible(cast.gulou) == {"鼓楼化工有限公司"}
    assert client_for(cast.gulou).get(f"/registry/enterprises/{target.pk}/").status_code == 404
    assert (
        client_for(cast.gulou).get(f"/api/v1/registry/enterprises/{target.pk}").status_code == 404
    )


def test_a_future_grant_is_not_yet_active(cast):
    grant(cast, start=TODAY + dt.timedelta(days=1), end=TODAY + dt.timedelta(days=9))
    assert visible(cast.gulou) == {"鼓楼化工有限公司"}


def test_a_revoked_grant_is_a_404(cast):
    g = grant(cast, start=TODAY, end=TODAY + dt.timedelta(days=7))
    services.revoke_scope_grant(actor=cast.nanjing, grant=g, reason="行动提前结束")
    target = cast.enterprises["xuanwu"]
    assert client_for(cast.gulou).get(f"/registry/enterprises/{target.pk}/").status_code == 404


def test_an_agency_grant_opens_the_region_to_all_its_officers(cast):
    grant(cast, start=TODAY, end=TODAY, holder="agency", region="320102001")
    assert visible(cast.gulou) == {"鼓楼化工有限公司", "演示街道仓储有限公司"}
    assert scope_for(cast.gulou).grants[0].level == "township"


def test_a_grant_leaves_other_users_untouched(cast):
    grant(cast, start=TODAY, end=TODAY + dt.timedelta(days=7))
    assert visible(cast.township) == {"演示街道仓储有限公司"}
    assert visible(cast.xuanwu) == {"玄武化工有限公司", "演示街道仓储有限公司"}


def test_only_an_agency_holding_the_region_may_grant_it(cast):
    with pytest.raises(DomainError) as error:
        services.grant_scope(
            actor=cast.gulou,
            region=cast.regions["320102"],
            valid_from=TODAY,
            valid_to=TODAY,
            operation_reference="x",
            reason="y",
            granting_agency=cast.agencies["gulou"],
            agency=cast.agencies["gulou"],
        )
    assert error.value.code == "grant_outside"
    assert not ScopeGrant.objects.exists()

"""The enterprise edit page: a refusal of the services shows each problem next to its field, in the
page's language, keeps the input and saves nothing."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from anjian.audit.models import AuditEntry
from anjian.registry.models import Enterprise
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHINESE = [
    "未知的国民经济行业代码“ZZ”（GB/T 4754-2017，填大类及以下）。",
    "列入黑名单须注明期限和原因。",
]
ENGLISH = [
    "Unknown industry code &#x27;ZZ&#x27; (GB/T 4754-2017 division or below).",
    "A blacklisting needs its period and reason.",
]


def _edit_body(enterprise) -> dict:
    return {
        "uscc": enterprise.uscc,
        "name": "玄武化工（更名）有限公司",
        "legal_representative": enterprise.legal_representative,
        "address": enterprise.address,
        "region_code": enterprise.region.code,
        "industry_code": "ZZ",
        "employees": 50,
        "revenue": "1000.00",
        "status": "operating",
        "risk_grade": "low",
        "supervising_agency": enterprise.supervising_agency_id,
        "tags": ["blacklist"],
    }


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("zh-hans", CHINESE, ENGLISH), ("en", ENGLISH, CHINESE)],
)
def test_field_errors_of_the_services_follow_the_page_language(cast, language, shown, not_shown):
    enterprise = cast.enterprises["xuanwu"]
    stored = model_to_dict(Enterprise.objects.get(pk=enterprise.pk))
    entries = AuditEntry.objects.count()
    client = client_for(cast.xuanwu)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    response = client.post(f"/registry/enterprises/{enterprise.pk}/edit/", _edit_body(enterprise))

    text = response.content.decode()
    assert response.status_code == 200
    for message in shown:
        assert message in text
    for message in not_shown:
        assert message not in text
    # Each problem next to its own field.
    assert 'id="id_industry_code_error"' in text
    assert 'id="id_tags_error"' in text
    assert 'value="玄武化工（更名）有限公司"' in text
    assert model_to_dict(Enterprise.objects.get(pk=enterprise.pk)) == stored
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "所在区划不存在或不在您的管辖范围内。"),
        ("en", "The region is unknown or outside your jurisdiction."),
    ],
)
def test_a_region_outside_scope_is_refused_next_to_the_region_in_the_page_language(
    cast, language, message
):
    enterprise = cast.enterprises["xuanwu"]
    client = client_for(cast.xuanwu)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    response = client.post(
        f"/registry/enterprises/{enterprise.pk}/edit/",
        {**_edit_body(enterprise), "region_code": "320106", "industry_code": "26", "tags": []},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert f'<ul class="errorlist" id="id_region_code_error"><li>{message}</li></ul>' in text
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "320102"

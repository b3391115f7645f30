"""Fixtures for the documents tests: an agency profile, and a subject kind whose records are the
registry's enterprises (so the generate/issue/deliver flows run without the upper apps)."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.documents.samples import SAMPLES, sample_context

TEST_SUBJECT = "tests.enterprise"


def make_profile(agency: Any) -> Any:
    from anjian.documents import services

    return services.save_profile(
        actor=None,
        agency=agency,
        data={
            "review_body": "南京市玄武区人民政府",
            "court": "南京市玄武区人民法院",
            "payment_bank": "中国工商银行南京玄武支行",
            "payment_account": "4301 0000 0000 0000 001",
            "address": "南京市玄武区示例路1号",
            "phone": "025-00000000",
        },
    )


def enterprise_source(user: Any, subject_id: str, type_id: str) -> Any:
    """A sample context about a registry enterprise the user can see (404 otherwise)."""
    from anjian.documents.providers import Source
    from anjian.registry import selectors

    enterprise = selectors.enterprise_for(user, subject_id)
    context = sample_context(type_id, with_issuer=False)
    if "party" in context and context["party"].get("kind") == "unit":
        context["party"] = {
            **context["party"],
            "name": enterprise.name,
            "address": enterprise.address,
        }
    return Source(
        agency=enterprise.supervising_agency,
        region=enterprise.region,
        context=context,
        case_key=f"tests.case:{enterprise.pk}",
        title=enterprise.name,
    )


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Issued files go to a temporary MEDIA_ROOT, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def subjects() -> Any:
    from anjian.documents.providers import register_subject, unregister_subject

    register_subject(
        subject_type=TEST_SUBJECT,
        label="测试单位",
        document_types=tuple(SAMPLES),
        build=enterprise_source,
    )
    yield TEST_SUBJECT
    unregister_subject(TEST_SUBJECT)


@pytest.fixture
def profile(cast: Any) -> Any:
    return make_profile(cast.agencies["xuanwu"])


def draft_for(
    cast: Any,
    type_id: str = "penalty_decision_unit",
    *,
    context: dict | None = None,
    enterprise: str = "xuanwu",
) -> Any:
    from anjian.documents import services

    target = cast.enterprises[enterprise]
    return services.create_draft(
        actor=cast.xuanwu,
        type_id=type_id,
        agency=target.supervising_agency,
        region=target.region,
        subject_type=TEST_SUBJECT,
        subject_id=target.pk,
        context=context if context is not None else sample_context(type_id, with_issuer=False),
        case_key=f"tests.case:{target.pk}",
        title=target.name,
    )

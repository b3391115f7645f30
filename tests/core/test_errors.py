from __future__ import annotations

from django.utils import translation

from anjian.core.errors import DomainError


def test_a_domain_error_speaks_the_active_language():
    error = DomainError("plan_locked", "计划已发布。", "The plan is published.")

    with translation.override("en"):
        english = error.localized_message
    with translation.override("zh-hans"):
        chinese = error.localized_message

    assert (english, chinese) == ("The plan is published.", "计划已发布。")
    assert error.as_dict() == {
        "code": "plan_locked",
        "message": "计划已发布。",
        "message_en": "The plan is published.",
    }


def test_a_domain_error_without_english_shows_the_chinese_in_english():
    error = DomainError("x", "出错了。")

    with translation.override("en"):
        assert error.localized_message == "出错了。"

"""Security and bad input: headers, CSRF, sessions, tokens, lockout, password hashing, and what the
API and the pages answer to input they cannot accept (a 4xx with a Chinese message; never a 500;
nothing saved; on a page, the message next to the field and the typed values kept).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.models import ApiToken
from anjian.accounts.views import LOCKOUT_MESSAGE, LOCKOUT_MESSAGE_EN
from anjian.audit.models import AuditEntry
from anjian.core.middleware import CONTENT_SECURITY_POLICY
from anjian.registry.models import Enterprise
from tests.conftest import PASSWORD, Cast, client_for, make_uscc

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CSRF_MESSAGE = "安全校验失败：页面已过期或会话无效，请刷新页面后重新登录。"
UNAUTHENTICATED = {
    "code": "unauthenticated",
    "message": "未登录或登录已失效，请重新登录。",
    "message_en": "Not signed in, or the session or token expired.",
}

# --- headers -----------------------------------------------------------------------------------

PAGES_AND_API = {
    "login page": (None, "/accounts/login/", 200),
    "enterprise list": ("holder", "/registry/enterprises/", 200),
    "404 page": ("holder", "/registry/enterprises/999999/", 404),
    "403 page": ("viewer", "/registry/enterprises/new/", 403),
    "health": (None, "/health", 200),
    "API list": ("holder", "/api/v1/registry/enterprises", 200),
    "API 401": (None, "/api/v1/registry/enterprises", 401),
    "API 404": ("holder", "/api/v1/registry/enterprises/999999", 404),
    "OpenAPI document": (None, "/api/v1/openapi.json", 200),
}


def _user(cast: Cast, who: str | None) -> Any:
    return {None: None, "holder": cast.xuanwu, "viewer": cast.xuanwu_viewer}[who]


@pytest.mark.parametrize("where", list(PAGES_AND_API))
def test_security_headers_on_pages_and_api(where, cast):
    who, url, status = PAGES_AND_API[where]

    response = client_for(_user(cast, who)).get(url)

    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert (
        response.headers["Permissions-Policy"] == "geolocation=(self), camera=(self), microphone=()"
    )


def _sources(policy: str) -> dict[str, list[str]]:
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_content_security_policy_names_no_other_origin():
    assert _sources(CONTENT_SECURITY_POLICY) == {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_admin_policy_only_adds_inline_scripts_and_styles(cast):
    response = client_for(None).get("/admin/login/")

    assert response.status_code == 200
    assert _sources(response.headers["Content-Security-Policy"]) == {
        **_sources(CONTENT_SECURITY_POLICY),
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'unsafe-inline'"],
    }
    assert response.headers["X-Frame-Options"] == "DENY"


class _Resources(HTMLParser):
    """Collects every URL a page would load or link to (src, href, action)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action"} and value:
                self.urls.append(value)
            if name == "style":
                self.inline_styles.append(tag)


def _external(html: str) -> tuple[list[str], list[str]]:
    parser = _Resources()
    parser.feed(html)
    external = [u for u in parser.urls if u.startswith(("http:", "https:", "//"))]
    return external, parser.inline_styles


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/accounts/login/"),
        ("holder", "/"),
        ("holder", "/registry/enterprises/"),
        ("holder", "/registry/enterprises/new/"),
        ("viewer", "/registry/enterprises/new/"),
    ],
    ids=["login", "home", "enterprise list", "enterprise form", "403 page"],
)
def test_pages_load_nothing_from_another_origin_and_need_no_inline_style(who, url, cast):
    response = client_for(_user(cast, who)).get(url)

    assert _external(response.content.decode()) == ([], [])


def test_api_docs_page_loads_nothing_from_another_origin(cast):
    response = client_for(cast.xuanwu).get("/api/v1/docs")

    assert response.status_code == 200
    assert _external(response.content.decode())[0] == []
    assert "validator.swagger.io" not in response.content.decode()


def test_api_docs_page_assets_are_the_products_own_static_files(cast):
    from django.contrib.staticfiles import finders

    parser = _Resources()
    parser.feed(client_for(cast.xuanwu).get("/api/v1/docs").content.decode())

    assets = sorted(u.removeprefix(settings.STATIC_URL) for u in parser.urls)
    assert assets == [
        "ninja/favicon.png",
        "ninja/favicon.svg",
        "ninja/swagger-ui-bundle.js",
        "ninja/swagger-ui-init.js",
        "ninja/swagger-ui.css",
    ]
    assert [asset for asset in assets if finders.find(asset) is None] == []


# --- CSRF ------------------------------------------------------------------------------------


def _enterprise_form(cast: Cast, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uscc": make_uscc(800),
        "name": "安全测试有限公司",
        "legal_representative": "钱七",
        "address": "玄武区安全路8号",
        "region_code": "320102",
        "industry_code": cast.industry.code,
        "employees": "12",
        "revenue": "345.67",
        "status": "operating",
        "risk_grade": "low",
        "supervising_agency": str(cast.agencies["xuanwu"].pk),
    }
    values.update(changes)
    return values


def _saved() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEntry.objects.count()


def _csrf_client(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_page_post_without_csrf_token_is_refused_in_chinese(cast):
    client = _csrf_client(cast.xuanwu)
    before = _saved()

    response = client.post("/registry/enterprises/new/", _enterprise_form(cast))

    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>安全校验失败</h1>" in body
    assert "<p>页面已过期或会话无效，请刷新页面后重新登录。</p>" in body
    assert _saved() == before


def test_page_post_with_a_wrong_csrf_token_is_refused(cast):
    client = _csrf_client(cast.xuanwu)
    client.get("/registry/enterprises/new/")
    before = _saved()

    response = client.post(
        "/registry/enterprises/new/",
        {**_enterprise_form(cast), "csrfmiddlewaretoken": "x" * 64},
    )

    assert response.status_code == 403
    assert "<h1>安全校验失败</h1>" in response.content.decode()
    assert _saved() == before


def test_page_post_with_the_csrf_token_is_accepted(cast):
    client = _csrf_client(cast.xuanwu)
    client.get("/registry/enterprises/new/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    before = _saved()

    response = client.post(
        "/registry/enterprises/new/", {**_enterprise_form(cast), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert _saved() == (before[0] + 1, before[1] + 1)


def test_login_post_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "xuanwu_head", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def _api_post(client: Client, body: Any, **headers: Any) -> Any:
    return client.post(
        "/api/v1/registry/enterprises",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def _enterprise_json(cast: Cast, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "uscc": make_uscc(800),
        "name": "安全测试有限公司",
        "legal_representative": "钱七",
        "address": "玄武区安全路8号",
        "region_code": "320102",
        "industry_code": cast.industry.code,
        "employees": 12,
        "revenue": "345.67",
        "supervising_agency_id": cast.agencies["xuanwu"].pk,
    }
    values.update(changes)
    return values


def test_session_api_write_without_csrf_token_is_refused(cast):
    before = _saved()

    response = _api_post(_csrf_client(cast.xuanwu), _enterprise_json(cast))

    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("application/json")
    assert _saved() == before


def test_session_api_write_without_csrf_token_answers_in_chinese(cast):
    response = _api_post(_csrf_client(cast.xuanwu), _enterprise_json(cast))

    assert response.status_code == 403
    assert response.json() == {
        "code": "csrf_failed",
        "message": CSRF_MESSAGE,
        "message_en": (
            "Security check failed: the page expired or the session is invalid. "
            "Reload and sign in again."
        ),
    }


def test_session_api_write_with_csrf_header_is_accepted(cast):
    client = _csrf_client(cast.xuanwu)
    client.get("/registry/enterprises/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    before = _saved()

    response = _api_post(client, _enterprise_json(cast), X_CSRFTOKEN=token)

    assert response.status_code == 201
    assert _saved() == (before[0] + 1, before[1] + 1)


def test_bearer_token_api_write_needs_no_csrf_token(cast):
    _, raw = account_services.issue_token(
        request=_token_request(), username="xuanwu_head", password=PASSWORD, name="终端"
    )
    client = Client(enforce_csrf_checks=True)

    response = _api_post(client, _enterprise_json(cast), Authorization=f"Bearer {raw}")

    assert response.status_code == 201


# --- sessions and tokens -----------------------------------------------------------------------


def _token_request() -> Any:
    """The request django-axes needs to authenticate (POST /api/v1/auth/token)."""
    from django.test import RequestFactory

    return RequestFactory().post("/api/v1/auth/token")


def _forged_client() -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "0123456789abcdefghijklmnopqrstuv"
    return client


def test_forged_session_cookie_is_anonymous_on_pages(cast):
    response = _forged_client().get("/registry/enterprises/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/registry/enterprises/"


def test_forged_session_cookie_is_anonymous_on_the_api(cast):
    response = _forged_client().get("/api/v1/registry/enterprises")

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_forged_session_cookie_cannot_write(cast):
    before = _saved()

    response = _api_post(_forged_client(), _enterprise_json(cast))

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert _saved() == before


def test_session_of_a_deactivated_user_is_refused(cast):
    client = client_for(cast.xuanwu)
    type(cast.xuanwu).objects.filter(pk=cast.xuanwu.pk).update(is_active=False)

    page = client.get("/registry/enterprises/")
    api = client.get("/api/v1/registry/enterprises")

    assert (page.status_code, page.headers["Location"]) == (
        302,
        "/accounts/login/?next=/registry/enterprises/",
    )
    assert (api.status_code, api.json()) == (401, UNAUTHENTICATED)


def _bearer(raw: str) -> Any:
    return Client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"})


def _token(cast: Cast) -> tuple[ApiToken, str]:
    return account_services.issue_token(
        request=_token_request(), username="xuanwu_head", password=PASSWORD, name="终端"
    )


def test_valid_token_is_accepted(cast):
    _, raw = _token(cast)

    response = _bearer(raw)

    assert (response.status_code, response.json()) == (
        200,
        {
            "username": "xuanwu_head",
            "full_name": "xuanwu_head",
            "roles": ["inspector", "section_head"],
        },
    )


def test_expired_token_is_refused(cast):
    token, raw = _token(cast)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    response = _bearer(raw)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_revoked_token_is_refused(cast):
    token, raw = _token(cast)
    account_services.revoke_token(actor=cast.xuanwu, token=token)

    response = _bearer(raw)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_unknown_token_is_refused(cast):
    response = _bearer("not-a-token")

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_token_of_a_deactivated_user_is_refused(cast):
    _, raw = _token(cast)
    type(cast.xuanwu).objects.filter(pk=cast.xuanwu.pk).update(is_active=False)

    response = _bearer(raw)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_token_is_stored_only_as_its_hash(cast):
    token, raw = _token(cast)

    stored = ApiToken.objects.get(pk=token.pk)
    assert (stored.token_hash, stored.prefix) == (ApiToken.hash(raw), raw[:8])
    assert not ApiToken.objects.filter(token_hash=raw).exists()


# --- lockout -----------------------------------------------------------------------------------

LOCKED_JSON = {"code": "locked_out", "message": LOCKOUT_MESSAGE, "message_en": LOCKOUT_MESSAGE_EN}
WRONG_CREDENTIALS = {
    "code": "invalid_credentials",
    "message": "用户名或密码错误，或账户已被锁定。",
    "message_en": "Wrong username or password, or the account is locked.",
}


def _page_login(password: str, username: str = "xuanwu_head") -> tuple[Client, Any]:
    client = Client()
    return client, client.post("/accounts/login/", {"username": username, "password": password})


def _api_login(password: str, username: str = "xuanwu_head") -> Any:
    return Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def test_lockout_through_the_login_page(cast):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        _, response = _page_login("wrong-password")
        assert response.status_code == 200
        assert "用户名或密码错误。" in response.content.decode()

    _, last_failure = _page_login("wrong-password")
    client, right_password = _page_login(PASSWORD)

    assert last_failure.status_code == 429
    assert right_password.status_code == 429
    assert f'<p class="bad">{LOCKOUT_MESSAGE}</p>' in right_password.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_through_the_token_endpoint(cast):
    limit = settings.AXES_FAILURE_LIMIT
    tokens = ApiToken.objects.count()
    for _ in range(limit - 1):
        response = _api_login("wrong-password")
        assert (response.status_code, response.json()) == (401, WRONG_CREDENTIALS)

    last_failure = _api_login("wrong-password")
    right_password = _api_login(PASSWORD)

    assert (last_failure.status_code, last_failure.json()) == (429, LOCKED_JSON)
    assert (right_password.status_code, right_password.json()) == (429, LOCKED_JSON)
    assert ApiToken.objects.count() == tokens


def test_failures_on_page_and_api_count_together_and_lock_the_account_only(cast):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        _page_login("wrong-password")

    locked = _api_login("wrong-password")
    still_locked = _page_login(PASSWORD)[1]
    other_user = _page_login(PASSWORD, username="gulou_head")[1]

    assert locked.status_code == 429
    assert still_locked.status_code == 429
    assert (other_user.status_code, other_user.headers["Location"]) == (302, "/")


def test_successful_login_resets_the_failure_count(cast):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        _page_login("wrong-password")
    assert _page_login(PASSWORD)[1].status_code == 302

    for _ in range(limit - 1):
        _page_login("wrong-password")
    _, response = _page_login(PASSWORD)

    assert (response.status_code, response.headers["Location"]) == (302, "/")


# --- password hashing in production settings ---------------------------------------------------

PRODUCTION_PROBE = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
print("\\n".join(settings.PASSWORD_HASHERS))
print(make_password("correct-horse-battery-42").split("$")[0])
"""


def _settings_subprocess(code: str, **env_changes: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ANJIAN_TESTING", "ANJIAN_ALLOW_DEV_SECRET", "DEBUG", "SECRET_KEY"}
        and not key.startswith("PYTEST")
    }
    env.update(DJANGO_SETTINGS_MODULE="anjian.settings", **env_changes)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_production_settings_hash_passwords_with_argon2_first():
    result = _settings_subprocess(PRODUCTION_PROBE, SECRET_KEY="s" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "argon2",
    ]


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _settings_subprocess("import anjian.settings")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "SECRET_KEY must be set in the environment (环境变量 SECRET_KEY 未设置)"
    )


def test_tests_use_a_fast_hasher_before_the_production_ones():
    assert settings.PASSWORD_HASHERS == [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


# --- bad input to the enterprise API -----------------------------------------------------------

WRONG_CHECK_DIGIT = make_uscc(800)[:-1] + ("0" if make_uscc(800)[-1] != "0" else "1")


def _field_problem(field: str, message: str, message_en: str) -> dict[str, Any]:
    return {
        "code": "invalid_enterprise",
        "message": message,
        "message_en": message_en,
        "details": [{"field": field, "message": message, "message_en": message_en}],
    }


def _invalid_input(fields: list[str], problems: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "code": "invalid_input",
        "message": f"输入有误：{'、'.join(fields)}。请检查后重试。",
        "message_en": "Invalid input.",
        "details": [
            {"field": field, "problem": problem, "message_en": message_en}
            for field, problem, message_en in problems
        ],
    }


# case → (changes to a valid body, or a raw body; status; the exact JSON answer)
API_BAD_INPUT: dict[str, tuple[Any, int, Any]] = {
    "malformed credit code": (
        {"uscc": "91320102MA1XXXXXXI"},
        400,
        _field_problem(
            "uscc",
            "统一社会信用代码“91320102MA1XXXXXXI”格式错误（含非法字符或登记管理部门代码无效）。",
            "Credit code '91320102MA1XXXXXXI' is malformed.",
        ),
    ),
    "credit code too short": (
        {"uscc": "9132010212345"},
        400,
        _field_problem(
            "uscc",
            "统一社会信用代码“9132010212345”应为18位。",
            "Credit code '9132010212345' must have 18 characters.",
        ),
    ),
    "wrong check digit": (
        {"uscc": WRONG_CHECK_DIGIT},
        400,
        _field_problem(
            "uscc",
            f"统一社会信用代码“{WRONG_CHECK_DIGIT}”校验位错误。",
            f"Credit code '{WRONG_CHECK_DIGIT}' has a wrong check digit.",
        ),
    ),
    "unknown region": (
        {"region_code": "999999"},
        400,
        _field_problem(
            "region_code", "未知的行政区划代码“999999”。", "Unknown region code '999999'."
        ),
    ),
    "region of another county": (
        {"region_code": "320106"},
        403,
        {
            "code": "outside_jurisdiction",
            "message": "该区划不在您的管辖范围内。",
            "message_en": "That region is outside your jurisdiction.",
        },
    ),
    "unknown industry": (
        {"industry_code": "99"},
        400,
        _field_problem(
            "industry_code",
            "未知的国民经济行业代码“99”（GB/T 4754-2017，填大类及以下）。",
            "Unknown industry code '99' (GB/T 4754-2017 division or below).",
        ),
    ),
    "unknown status": (
        {"status": "bankrupt"},
        400,
        _field_problem("status", "未知的状态“bankrupt”。", "Unknown status 'bankrupt'."),
    ),
    "name too long": (
        {"name": "长" * 201},
        400,
        _field_problem("name", "超过200个字符。", "Longer than 200 characters."),
    ),
    "two problems at once": (
        {"uscc": "123", "industry_code": "99"},
        400,
        {
            "code": "invalid_enterprise",
            "message": "统一社会信用代码“123”应为18位。；"
            "未知的国民经济行业代码“99”（GB/T 4754-2017，填大类及以下）。",
            "message_en": "Credit code '123' must have 18 characters.; "
            "Unknown industry code '99' (GB/T 4754-2017 division or below).",
            "details": [
                {
                    "field": "uscc",
                    "message": "统一社会信用代码“123”应为18位。",
                    "message_en": "Credit code '123' must have 18 characters.",
                },
                {
                    "field": "industry_code",
                    "message": "未知的国民经济行业代码“99”（GB/T 4754-2017，填大类及以下）。",
                    "message_en": "Unknown industry code '99' (GB/T 4754-2017 division or below).",
                },
            ],
        },
    ),
    "negative employees": (
        {"employees": -1},
        422,
        _invalid_input(
            ["employees"],
            [("employees", "greater_than_equal", "Input should be greater than or equal to 0")],
        ),
    ),
    "revenue with 3 decimals": (
        {"revenue": "1.234"},
        422,
        _invalid_input(
            ["revenue"],
            [
                (
                    "revenue",
                    "decimal_max_places",
                    "Decimal input should have no more than 2 decimal places",
                )
            ],
        ),
    ),
    "employees not a number": (
        {"employees": "many"},
        422,
        _invalid_input(
            ["employees"],
            [
                (
                    "employees",
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                )
            ],
        ),
    ),
    "missing fields": (
        "{}",
        422,
        _invalid_input(
            ["address", "industry_code", "legal_representative", "name", "region_code", "uscc"],
            [
                (field, "missing", "Field required")
                for field in [
                    "uscc",
                    "name",
                    "legal_representative",
                    "address",
                    "region_code",
                    "industry_code",
                ]
            ],
        ),
    ),
    # Ninja reads a JSON array as an empty object: every field is missing.
    "a list instead of an object": ("[]", 422, None),
}


def _body(cast: Cast, case: Any) -> str:
    return case if isinstance(case, str) else json.dumps(_enterprise_json(cast, **case))


@pytest.mark.parametrize("case", list(API_BAD_INPUT))
def test_bad_input_to_the_enterprise_api_is_refused_and_nothing_saved(case, cast):
    changes, status, answer = API_BAD_INPUT[case]
    answer = answer or API_BAD_INPUT["missing fields"][2]
    duplicate_probe = _saved()

    response = client_for(cast.xuanwu).post(
        "/api/v1/registry/enterprises", data=_body(cast, changes), content_type="application/json"
    )

    assert (response.status_code, response.json()) == (status, answer)
    assert _saved() == duplicate_probe


def test_duplicate_credit_code_through_the_api_is_refused(cast):
    existing = cast.enterprises["gulou"].uscc
    before = _saved()

    response = client_for(cast.xuanwu).post(
        "/api/v1/registry/enterprises",
        data=json.dumps(_enterprise_json(cast, uscc=existing)),
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "uscc_duplicate",
            "message": f"统一社会信用代码“{existing}”已登记。",
            "message_en": f"Credit code {existing} is already registered.",
        },
    )
    assert _saved() == before


def test_bad_update_through_the_api_changes_nothing(cast):
    enterprise = cast.enterprises["xuanwu"]
    before = (Enterprise.objects.filter(pk=enterprise.pk).values().get(), _saved())

    response = client_for(cast.xuanwu).put(
        f"/api/v1/registry/enterprises/{enterprise.pk}",
        data=json.dumps(_enterprise_json(cast, uscc=enterprise.uscc, industry_code="99")),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_enterprise")
    assert (Enterprise.objects.filter(pk=enterprise.pk).values().get(), _saved()) == before


def test_non_json_body_answers_in_chinese(cast):
    response = client_for(cast.xuanwu).post(
        "/api/v1/registry/enterprises", data="uscc=1&name=x", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_json",
        "message": "请求内容不是有效的 JSON，无法解析。",
        "message_en": "The request body is not valid JSON.",
    }


def test_non_json_body_is_a_400_json_answer_and_saves_nothing(cast):
    before = _saved()

    response = client_for(cast.xuanwu).post(
        "/api/v1/registry/enterprises", data="uscc=1&name=x", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")
    assert sorted(response.json()) == ["code", "message", "message_en"]
    assert _saved() == before


QUERY_BAD_INPUT = {
    "page not a number": ({"page": "abc"}, "page", "int_parsing"),
    "page zero": ({"page": "0"}, "page", "greater_than_equal"),
    "page size above the limit": ({"page_size": "1000"}, "page_size", "less_than_equal"),
    "agency id not a number": (
        {"supervising_agency_id": "x"},
        "supervising_agency_id",
        "int_parsing",
    ),
}


@pytest.mark.parametrize("case", list(QUERY_BAD_INPUT))
def test_bad_query_parameters_are_a_422_in_chinese(case, cast):
    params, field, problem = QUERY_BAD_INPUT[case]

    response = client_for(cast.xuanwu).get("/api/v1/registry/enterprises", params)

    body = response.json()
    assert response.status_code == 422
    assert (body["code"], body["message"]) == (
        "invalid_input",
        f"输入有误：{field}。请检查后重试。",
    )
    assert [(d["field"], d["problem"]) for d in body["details"]] == [(field, problem)]


def test_record_id_that_is_not_a_number_is_a_422_not_a_500(cast):
    response = client_for(cast.xuanwu).get("/api/v1/registry/enterprises/abc")

    body = response.json()
    assert response.status_code == 422
    assert (body["code"], body["message"]) == (
        "invalid_input",
        "输入有误：enterprise_id。请检查后重试。",
    )
    assert [(d["field"], d["problem"]) for d in body["details"]] == [
        ("enterprise_id", "int_parsing")
    ]


# --- the same bad input through the page form -------------------------------------------------


class _Form(HTMLParser):
    """The enterprise form as rendered: each input's attributes, each field's error list, and the
    order of the elements (to check that a field's errors follow it)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.selected: dict[str, str] = {}
        self.errors: dict[str, list[str]] = {}
        self.order: list[str] = []
        self._select: str | None = None
        self._errors: str | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") and values.get("type") != "checkbox":
            self.inputs[str(values["name"])] = values
            self.order.append(f"input:{values['name']}")
        elif tag == "select":
            self._select = values.get("name")
        elif tag == "option" and self._select and "selected" in values:
            self.selected[self._select] = str(values.get("value"))
        elif tag == "ul" and values.get("class") == "errorlist":
            self._errors = values.get("id") or "form"
            self.errors[self._errors] = []
            self.order.append(f"errors:{self._errors}")
        elif tag == "li" and self._errors:
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "ul":
            self._errors = None
        elif tag == "li" and self._errors and self._item is not None:
            self.errors[self._errors].append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)


TEXT_FIELDS = [
    "uscc",
    "name",
    "legal_representative",
    "address",
    "region_code",
    "industry_code",
    "employees",
    "revenue",
]

# case → (changes to a valid form, the field, its exact message)
PAGE_BAD_INPUT = {
    "malformed credit code": (
        {"uscc": "91320102MA1XXXXXXI"},
        "uscc",
        "统一社会信用代码“91320102MA1XXXXXXI”格式错误（含非法字符或登记管理部门代码无效）。",
    ),
    "credit code too short": (
        {"uscc": "9132010212345"},
        "uscc",
        "统一社会信用代码“9132010212345”应为18位。",
    ),
    "wrong check digit": (
        {"uscc": WRONG_CHECK_DIGIT},
        "uscc",
        f"统一社会信用代码“{WRONG_CHECK_DIGIT}”校验位错误。",
    ),
    "unknown region": (
        {"region_code": "999999"},
        "region_code",
        "所在区划不存在或不在您的管辖范围内。",
    ),
    "region of another county": (
        {"region_code": "320106"},
        "region_code",
        "所在区划不存在或不在您的管辖范围内。",
    ),
    "unknown industry": (
        {"industry_code": "99"},
        "industry_code",
        "未知的国民经济行业代码“99”（GB/T 4754-2017，填大类及以下）。",
    ),
    "negative employees": ({"employees": "-1"}, "employees", "确保该值大于或等于0。"),
    "employees not a number": ({"employees": "许多"}, "employees", "输入整数。"),
    "revenue with 3 decimals": ({"revenue": "1.234"}, "revenue", "确认小数不超过 2 位."),
    "missing name": ({"name": ""}, "name", "这个字段是必填项。"),
}


def _post_form(cast: Cast, form: dict[str, Any]) -> tuple[Any, _Form]:
    response = client_for(cast.xuanwu).post("/registry/enterprises/new/", form)
    parsed = _Form()
    parsed.feed(response.content.decode())
    return response, parsed


@pytest.mark.parametrize("case", list(PAGE_BAD_INPUT))
def test_bad_input_through_the_form_keeps_the_typed_values_and_explains_at_the_field(case, cast):
    changes, field, message = PAGE_BAD_INPUT[case]
    typed = _enterprise_form(cast, **changes)
    before = _saved()

    response, form = _post_form(cast, typed)

    assert response.status_code == 200
    assert form.errors == {f"id_{field}_error": [message]}
    # The errors follow their field, and the field points at them (screen readers).
    assert form.order[form.order.index(f"input:{field}") + 1] == f"errors:id_{field}_error"
    assert form.inputs[field]["aria-invalid"] == "true"
    assert form.inputs[field]["aria-describedby"] == f"id_{field}_error"
    # Nothing the user typed is lost.
    assert {name: form.inputs[name].get("value") or "" for name in TEXT_FIELDS} == {
        name: typed[name] for name in TEXT_FIELDS
    }
    assert form.selected == {
        "language": "zh-hans",  # the language switch in the top bar
        "status": "operating",
        "risk_grade": "low",
        "supervising_agency": typed["supervising_agency"],
        "major_hazard_grade": "",
    }
    assert _saved() == before


def test_duplicate_credit_code_through_the_form_is_explained_at_the_field(cast):
    existing = cast.enterprises["xuanwu"].uscc
    before = _saved()

    response, form = _post_form(cast, _enterprise_form(cast, uscc=existing))

    assert response.status_code == 200
    assert form.errors == {"id_uscc_error": [f"统一社会信用代码“{existing}”已登记。"]}
    assert form.inputs["uscc"]["value"] == existing
    assert form.inputs["name"]["value"] == "安全测试有限公司"
    assert _saved() == before


def test_several_problems_through_the_form_are_all_shown(cast):
    before = _saved()

    response, form = _post_form(cast, _enterprise_form(cast, uscc="123", industry_code="99"))

    assert response.status_code == 200
    assert form.errors == {
        "id_uscc_error": ["统一社会信用代码“123”应为18位。"],
        "id_industry_code_error": ["未知的国民经济行业代码“99”（GB/T 4754-2017，填大类及以下）。"],
    }
    assert _saved() == before


def test_export_limits_come_from_the_environment():
    probe = (
        "from django.conf import settings; import django; django.setup(); "
        "from anjian.core import exports; from anjian.registry import export_jobs; "
        "print(exports.background_threshold(), exports.max_background_rows(), "
        "export_jobs.retention_days(), settings.ANJIAN_MAX_EXPORT_ROWS)"
    )

    result = _settings_subprocess(
        probe,
        SECRET_KEY="s" * 50,
        ANJIAN_EXPORT_BACKGROUND_ROWS="250",
        ANJIAN_MAX_BACKGROUND_EXPORT_ROWS="900000",
        ANJIAN_EXPORT_RETENTION_DAYS="3",
        ANJIAN_MAX_EXPORT_ROWS="5000",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["250", "900000", "3", "5000"]

"""In a real browser (Debian's headless Chromium, driven by Playwright), on a desktop screen and on a
10-inch tablet: a county officer signs in on the login page, searches enterprises by a fragment of
a name, opens one and reads its name and credit code. The other county's enterprise never shows;
nothing is requested from any origin but the server itself; no script or style is refused by the
Content-Security-Policy. Screenshots go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TIMEOUT_MS = 60_000

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop-1280x800": {"viewport": {"width": 1280, "height": 800}},
    # A 10-inch tablet held upright (800×1280 CSS pixels), touch, mobile layout rules.
    "tablet-800x1280": {
        "viewport": {"width": 800, "height": 1280},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Chromium for one test, started after the database and the cast are ready and stopped before
    the database is flushed.

    Playwright's sync API keeps an asyncio loop running in this thread. While it runs, Django (1)
    refuses ORM calls as "async-unsafe" unless DJANGO_ALLOW_ASYNC_UNSAFE is set, and (2) hands out
    a different ``connections["default"]`` object (asgiref's thread-critical Local turns
    context-local under a running loop), one without the test database's serialized contents, so a
    serialized rollback done then would silently restore nothing. Hence function scope, and the
    fixture order in the test's signature (database and cast first).
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
            )
        except Exception as error:
            print(f"Chromium ({CHROMIUM}) did not start:\n{traceback.format_exc()}")
            pytest.fail(f"Chromium ({CHROMIUM}) did not start: {error}")
        yield launched
        launched.close()


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_officer_signs_in_searches_and_opens_an_enterprise(screen, live_server, cast, browser):
    from playwright.sync_api import expect

    own, other = cast.enterprises["xuanwu"], cast.enterprises["gulou"]
    origin = urlsplit(live_server.url)
    requested: list[str] = []
    console_errors: list[str] = []
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[screen])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            console_errors.append(f"{message.text} ({message.location.get('url')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        # Given: the enterprise list, which sends an anonymous visitor to the login page.
        page.goto(f"{live_server.url}/registry/enterprises/")
        assert urlsplit(page.url).path == "/accounts/login/"
        expect(page.get_by_role("heading", name="登录")).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-1-login.png"), full_page=True)

        # When: the 玄武区 section head signs in ...
        page.get_by_label("用户名").fill("xuanwu_head")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/registry/enterprises/")
        expect(page.get_by_role("heading", name="生产经营单位")).to_be_visible()

        # ... and searches by a fragment of the name (HTMX replaces the rows, pushes the URL).
        page.get_by_label("关键词（名称或信用代码）").fill("化工")
        with page.expect_response(lambda r: "q=" in r.url and r.status == 200):
            page.get_by_role("button", name="查询").click()
        expect(page.get_by_role("link", name=own.name)).to_be_visible()
        expect(page.get_by_text(other.name)).to_have_count(0)
        expect(page.get_by_role("row")).to_have_count(2)  # the header and one enterprise
        assert "q=%E5%8C%96%E5%B7%A5" in page.url
        assert page.evaluate("typeof window.htmx") == "object"
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-2-search.png"), full_page=True)

        # Then: the enterprise's page shows its name and credit code.
        page.get_by_role("link", name=own.name).click()
        page.wait_for_url(f"{live_server.url}/registry/enterprises/{own.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(own.name)
        credit_code = page.locator("dl.fields dt", has_text="统一社会信用代码").locator(
            "xpath=following-sibling::dd[1]"
        )
        expect(credit_code).to_have_text(own.uscc)
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-3-detail.png"), full_page=True)

        # The other county's enterprise does not exist for this officer.
        response = page.goto(f"{live_server.url}/registry/enterprises/{other.pk}/")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", name="记录不存在")).to_be_visible()
        expect(page.get_by_text(other.name)).to_have_count(0)

        # Usable on this screen: nothing wider than the viewport; touch targets at least 44px.
        page.goto(f"{live_server.url}/registry/enterprises/?q=化工")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        button = page.get_by_role("button", name="查询").bounding_box()
        assert button is not None
        assert button["height"] >= 44
    finally:
        context.close()

    foreign = sorted({url for url in requested if urlsplit(url).netloc != origin.netloc})
    assert foreign == []
    # Only the two 404s asked for: the other county's enterprise, and the browser's own favicon
    # request (the product has no favicon). A CSP refusal or a script error would show here.
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert sorted(console_errors) == [
        f"{not_found} ({live_server.url}/favicon.ico)",
        f"{not_found} ({live_server.url}/registry/enterprises/{other.pk}/)",
    ]

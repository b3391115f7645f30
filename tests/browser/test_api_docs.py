"""The API documentation page (/api/v1/docs, Swagger UI) works offline in a real browser (Debian's
headless Chromium): every request goes to the server itself, the Content-Security-Policy refuses
nothing, and the operations are listed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.test_login_search import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        yield launched
        launched.close()


def test_api_docs_page_renders_from_the_products_own_files(live_server, chromium):
    from playwright.sync_api import expect

    origin = urlsplit(live_server.url).netloc
    requested: list[str] = []
    console_errors: list[str] = []
    page = chromium.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Anjian")
    expect(page.locator(".opblock").first).to_be_visible()
    assert [url for url in requested if urlsplit(url).netloc not in {origin, ""}] == []
    assert console_errors == []

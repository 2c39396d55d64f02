"""Real Chromium (Debian's) driven by Playwright against a live Django server.

One browser per test module (starting Chromium is the slow part); a fresh context, so fresh
cookies and language, per test. Console errors and JavaScript dialogs are collected so
every test can assert there were none. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test's
# own fixtures would otherwise be refused as "async-unsafe". The live server is a separate thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Per module, not per session: Playwright's sync API holds its event loop in this thread while it
# runs, and the browser tests of other folders start their own (tests/support/browser.py), which
# fails while this one is open. Tests run in a random order, so this one must be closed by then.
@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise AssertionError(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A page plus what it said on the console and any dialog it tried to open."""

    def __init__(self, page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def tab(browser, live_server) -> Iterator[Tab]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Tab(page)
    context.close()


PHONE_WIDTH = 390


@pytest.fixture
def phone(browser, live_server) -> Iterator[Tab]:
    """A 390 px wide touch screen (an iPhone 12 to 15), the narrowest phone commonly in use.

    Measure against PHONE_WIDTH, not `window.innerWidth`: a mobile browser widens its layout
    viewport to fit what overflows, so innerWidth grows with the very fault a test looks for."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": PHONE_WIDTH, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Tab(page)
    context.close()


@pytest.fixture
def tab_without_javascript(browser, live_server) -> Iterator[Tab]:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Tab(page)
    context.close()

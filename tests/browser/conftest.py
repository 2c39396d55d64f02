"""Real Chromium (Debian's) driven by Playwright against a live Django server.

One Chromium per test process (the `browser` fixture, tests/conftest.py: starting it is the
slow part); a fresh context, so fresh cookies and language, per test. Console errors and
JavaScript dialogs are collected so every test can assert there were none. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


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

"""Debian's Chromium driven through Playwright: one Chromium per test process, a fresh context
(cookies, storage, language) for each test.

The headless shell (Debian's `chromium-headless-shell`, built from the same Chromium source as
its `chromium`): Blink and V8 as in the browser, without the browser's own interface, which is
what Playwright itself runs for headless Chromium. The full browser in its headless mode spent
three times the CPU on the same tests (tests/browser/test_status_page.py: 22.7 s in Chromium's
processes against 7.4 s; all 67 browser tests: 147 s of CPU against 90 s, the test process
included), a sixth of the whole suite's work on two cores.

Starting Playwright's driver and Chromium costs about a second; the browser tests start it
once per pytest-xdist worker (the `chromium` fixture in tests/conftest.py), not once per test
or per module.

Playwright's sync API runs its asyncio event loop in the test's own thread: while it is
started, the thread counts as "inside a running event loop" for every test that follows, so
Django refuses the ORM (SynchronousOnlyOperation), `asyncio.run` and asgiref's `async_to_sync`
refuse to run, and a second Playwright refuses to start. The loop only does work while a test
calls Playwright, so `WorkerChromium` shows it to the tests that use the browser and hides it
from all the others.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Playwright's own browser download does not work here: Debian's package (.ci/run installs it).
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class WorkerChromium:
    """Playwright and one Chromium for the whole test process, started at first use."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def browser(self):
        """The running Chromium (started now if need be), with Playwright's loop shown."""
        if self._browser is None or not self._browser.is_connected():
            self._start()
        self.show_loop()
        return self._browser

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise AssertionError(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium-headless-shell")
        self.stop()
        self._playwright = sync_playwright().start()
        self._loop = asyncio.get_running_loop()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

    def show_loop(self) -> None:
        if self._loop is not None:
            asyncio._set_running_loop(self._loop)

    def hide_loop(self) -> None:
        """Leave the thread outside any event loop until the next browser test."""
        if self._loop is not None and asyncio._get_running_loop() is self._loop:
            asyncio._set_running_loop(None)

    def stop(self) -> None:
        if self._playwright is None:
            return
        self.show_loop()
        try:
            if self._browser is not None and self._browser.is_connected():
                self._browser.close()
        finally:
            self._playwright.stop()  # ends the loop, which takes itself out of the thread
            self._playwright = self._browser = self._loop = None


# The one per test process: the `chromium` fixture (tests/conftest.py) stops it at the end.
WORKER_CHROMIUM = WorkerChromium()


@contextmanager
def chromium_page(browser=None, **context_options) -> Iterator:
    """A fresh page in a context of its own, closed at the end of the block: of `browser` (the
    `browser` fixture), or else of this process's Chromium, shown the loop for the block."""
    if browser is not None:
        context = browser.new_context(**context_options)
        try:
            yield context.new_page()
        finally:
            context.close()
        return
    from django.db import connections

    try:
        context = WORKER_CHROMIUM.browser().new_context(**context_options)
        try:
            yield context.new_page()
        finally:
            context.close()
    finally:
        # Those opened while the loop ran (see the `browser` fixture), closed while it still runs:
        # Django allows that only when told the queries are synchronous ones.
        allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            connections.close_all()
        finally:
            if allowed is None:
                del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed
        WORKER_CHROMIUM.hide_loop()

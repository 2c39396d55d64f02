"""Shared fixtures: the named world of the tests, and the guard for the real-services run."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.support.services import REAL_SERVICES, REDIS_URL

# The slow tests and each xdist worker's order, reported at the end of the run.
pytest_plugins = ["tests.support.suite_report"]


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """Make the embedded defaults' folders, as every program does at start-up; then, in the
    real-services pass, refuse to run (not skip) unless PostgreSQL and Redis answer."""
    from tracker import embedded

    embedded.prepare()
    if not REAL_SERVICES:
        return
    from django.db import connections

    database = settings.DATABASES["default"]
    problems = []
    if connections["default"].vendor != "postgresql":
        problems.append(f"DATABASE_URL is not PostgreSQL (engine {database['ENGINE']})")
    elif not _reachable(f"postgres://{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}", 5432):
        problems.append("PostgreSQL does not answer at DATABASE_URL")
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        problems.append(f"CELERY_BROKER_URL is not Redis ({settings.CELERY_BROKER_URL})")
    if not _reachable(REDIS_URL, 6379):
        problems.append(f"Redis does not answer at {REDIS_URL}")
    if problems:
        pytest.exit("TRACKER_TEST_SERVICES=real but: " + "; ".join(problems), returncode=3)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop this process's Chromium, also when only `chromium_page()` started it."""
    from tests.support.browser import WORKER_CHROMIUM

    WORKER_CHROMIUM.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After the test's rollback or flush, its dead rows vacuumed now and then
    (tests/support/postgresql/vacuum.py)."""
    yield
    used_the_database = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(item.fixturenames)
    if not used_the_database:  # then the test database may not exist yet
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    from tests.support.postgresql.vacuum import dead_rows_vacuum

    with item.config.stash[blocking_manager_key].unblock():
        dead_rows_vacuum(connection)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The slow tests first (after pytest-randomly's shuffle, which keeps their order among
    # themselves random): xdist hands out the first tests round robin, so they run side by side
    # on both workers from the start. One that started last ran alone at the end of the run,
    # a minute longer (the corpus test).
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if REAL_SERVICES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: runs in the real-services pass of .ci/run")
    for item in items:
        if "real_services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language. A request in Czech through the test client
    leaves Czech active in the test's thread (LocaleMiddleware activates it and nothing resets
    it), so a later test's staff e-mail or command output came out in Czech in some orders."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with nothing cached: no stored response, no data version, no throttle or
    sign-up count. (A rolled-back test database gives its counters back, so a response stored by
    an earlier test could otherwise answer a later one.)"""
    from django.core.cache import caches

    from ratification import cache

    caches["default"].clear()
    cache.recent.clear()
    yield
    caches["default"].clear()
    cache.recent.clear()


@pytest.fixture
def treaty(db):
    """XVIII-16 with its 72 seeded signatories, as `make run` leaves it: seeded once by this test
    process, then copied (tests/support/seeded.py)."""
    from tests.support.seeded import SEEDED_TREATY

    return SEEDED_TREATY.write()


@pytest.fixture(scope="session")
def chromium():
    """Playwright and Chromium for this test process (one per xdist worker), started by the first
    test that asks for the `browser`."""
    from tests.support.browser import WORKER_CHROMIUM

    yield WORKER_CHROMIUM
    WORKER_CHROMIUM.stop()


@pytest.fixture
def browser(chromium, monkeypatch):
    """Debian's Chromium (tests/support/browser.py); give each test a context of its own.

    While it runs, Playwright's event loop is this thread's running loop: Django would refuse the
    test's own queries as "async-unsafe" (they are plain synchronous ones; the live server is a
    thread of its own).
    """
    from django.db import connections

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        yield chromium.browser()
    finally:
        # Django keys connections by async context while a loop runs: the ones opened meanwhile
        # are closed while that context is still current, or PostgreSQL keeps the test database
        # busy. Then the loop is hidden from the tests that follow.
        connections.close_all()
        chromium.hide_loop()


@pytest.fixture
def untc(settings):
    """A stand-in for treaties.un.org on 127.0.0.1 (tests/support/http_server.py), with fast
    retries; script its answers through `untc.routes`."""
    from tests.support.http_server import local_server

    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        settings.POLL_FETCH_BACKOFF = 0.01
        settings.POLL_FETCH_TIMEOUT = 2
        yield server

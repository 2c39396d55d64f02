"""Fixtures of the alerts tests: a clean cache (the sign-up limits live there), Celery run in
the test process, and a real SMTP server."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.support.smtp import SmtpSink


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_celery():
    """Tasks published by the code under test run at once, in this process."""
    from tracker.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server (aiosmtpd) that Django's SMTP backend sends to."""
    sink = SmtpSink().start()
    for name, value in sink.django_settings().items():
        setattr(settings, name, value)
    yield sink
    sink.stop()

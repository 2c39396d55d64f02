"""Fixtures of the alerts tests: Celery run in the test process, and a real SMTP server. (Every
test starts with an empty cache, where the sign-up limits live: `empty_caches` in tests/conftest.py.)"""

from __future__ import annotations

import pytest

from tests.support.smtp import SmtpSink


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


class ChunkQueue:
    """Stands in for the broker's countdown: holds published chunk tasks until they are due."""

    def __init__(self) -> None:
        self.waiting: list[tuple[float, list[int]]] = []
        self.published = 0

    def apply_async(self, args, countdown=None, **options) -> None:
        import time

        self.published += 1
        self.waiting.append((time.time() + (countdown or 0), list(args[0])))

    def run_due(self) -> int:
        """Run every chunk whose countdown has passed (time.time() follows time_machine)."""
        import time

        from alerts.services.delivery import deliveries_send

        due = [item for item in self.waiting if item[0] <= time.time()]
        self.waiting = [item for item in self.waiting if item[0] > time.time()]
        for _, ids in due:
            deliveries_send(delivery_ids=ids)
        return len(due)


@pytest.fixture
def chunk_queue(eager_celery):
    """Chunk tasks wait for their countdown here; everything else runs eagerly."""
    from unittest import mock

    queue = ChunkQueue()
    with mock.patch("alerts.tasks.deliveries_send.apply_async", side_effect=queue.apply_async):
        yield queue


@pytest.fixture
def webhook_receiver(settings):
    """A real webhook receiver on 127.0.0.1 (tests/support/webhook_receiver.py)."""
    from tests.support.webhook_receiver import WebhookReceiver

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def news_world(treaty, untc, smtp_sink, webhook_receiver, eager_celery, django_capture_on_commit_callbacks):
    """XVIII-16 after a normal baseline, with a subscriber and a webhook (tests/alerts/news_world.py)."""
    from alerts.models import Scope
    from alerts.services.webhooks import webhook_endpoint_create
    from tests.alerts.news_world import HOOK, World
    from tests.alerts.world import subscribe
    from tests.support.untc_files import hanoi_file, hanoi_rows

    subscribe("ada@example.org", treaty)
    endpoint = webhook_endpoint_create(treaty=treaty, url=webhook_receiver.url(HOOK), scope=Scope.INSTRUMENTS)
    webhook_receiver.secrets[HOOK] = endpoint.secret
    world = World(treaty, untc, smtp_sink, webhook_receiver, django_capture_on_commit_callbacks)
    world.poll(hanoi_file(hanoi_rows()))  # the baseline: recorded, not announced
    assert world.mail() == [] and world.hooks() == []
    return world

"""A real Celery worker on Redis, killed with SIGKILL in the middle of a fan-out, then restarted.

Reliability 7: every confirmed subscriber gets the alert; duplicates at most the worker's
concurrency (each process can die between the server's 250 and marking its row sent).
"""

from __future__ import annotations

import os
import signal
from collections import Counter

import pytest
import redis

from alerts.models import Delivery, DeliveryStatus
from alerts.services.sweep import deliveries_requeue
from tests.alerts.world import instrument, record, subscribe_many
from tests.support.services import REDIS_URL, celery_worker, wait_for
from tests.support.smtp import SmtpSink

SUBSCRIBERS = 1500
CONCURRENCY = 2


@pytest.fixture
def broker():
    """Redis as the broker, emptied of queued and unacknowledged tasks before and after."""
    client = redis.Redis.from_url(REDIS_URL)
    keys = ("celery", "unacked", "unacked_index", "unacked_mutex")
    client.delete(*keys)
    yield REDIS_URL
    client.delete(*keys)
    client.close()


@pytest.fixture
def slow_sink():
    sink = SmtpSink().start()
    sink.handler.delay = 0.002  # a fan-out long enough to be killed in the middle of
    yield sink
    sink.stop()


def unfinished() -> int:
    return Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).count()


@pytest.mark.slow(reason="a fan-out to 1,500 subscribers through a real worker, killed in the middle and restarted")
@pytest.mark.real_services
@pytest.mark.django_db(transaction=True)
class WorkerKillTests:
    def test_it_delivers_to_every_subscriber_after_a_worker_is_killed_mid_fan_out(
        self, treaty, broker, slow_sink, settings, tmp_path
    ):
        subscribe_many(treaty, SUBSCRIBERS)
        worker_env = {"TEST_EMAIL_URL": slow_sink.url, "CELERY_RESULT_BACKEND": broker}
        with celery_worker(
            broker_url=broker, log_path=tmp_path / "worker1.log", concurrency=CONCURRENCY, **worker_env
        ) as worker:
            record(treaty, instrument("Ghana"))  # commits: the fan-out is published to Redis
            wait_for(lambda: len(slow_sink.received) >= SUBSCRIBERS // 5, timeout=120, message="the fan-out to start")
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        sent_before_restart = len(slow_sink.received)
        assert sent_before_restart < SUBSCRIBERS, "the fan-out finished before the kill"

        # No worker is alive now, so no row in `sending` has an owner: the lease may be zero.
        settings.ALERTS_SENDING_LEASE = 0
        settings.ALERTS_REQUEUE_AFTER = 0
        report = deliveries_requeue()
        assert report.requeued >= 1

        with celery_worker(broker_url=broker, log_path=tmp_path / "worker2.log", concurrency=CONCURRENCY, **worker_env):
            wait_for(lambda: unfinished() == 0, timeout=240, interval=0.5, message="every delivery to finish")

        copies = Counter(address for item in slow_sink.received for address in item.recipients)
        assert len(copies) == SUBSCRIBERS, "a confirmed subscriber was missed"
        duplicates = sum(count - 1 for count in copies.values())
        assert duplicates <= CONCURRENCY
        assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == SUBSCRIBERS
        print(f"killed after {sent_before_restart} of {SUBSCRIBERS} sent; duplicates {duplicates}")

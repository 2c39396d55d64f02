"""Webhook delivery under faults: a worker killed mid-delivery, then restarted. Every loop is bounded.

The receiver is real (tests/support/webhook_receiver.py, in this process) and checks every
signature; the endpoints are many, so the kill lands in the middle of a chunk's posts.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter

import pytest

from alerts.models import Scope, WebhookEndpoint
from drills.support import beat, figures, worker
from drills.world import baseline, deposit, unfinished
from tests.support.services import wait_for
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db(transaction=True)
CONCURRENCY = 2


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = WebhookReceiver(delay=0.002).start()  # a receiver a little slower than loopback
    yield receiver
    receiver.stop()


def endpoints(treaty, receiver: WebhookReceiver, count: int) -> None:
    created = WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(treaty=treaty, url=receiver.url(f"/hook/{n}"), scope=Scope.INSTRUMENTS) for n in range(count)
    )
    receiver.secrets.update({f"/hook/{n}": endpoint.secret for n, endpoint in enumerate(created)})


class WebhookWorkerKillDrill:
    """Kill -9 a worker mid-webhook-delivery, restart it: 0 lost, duplicates (same webhook-id, which
    receivers drop) <= concurrency per kill, every signature valid."""

    @pytest.mark.timeout(900)  # each trial waits out the sending lease (75 s) once
    def test_a_killed_worker_loses_no_webhook(self, treaty, redis_server, untc, child, receiver, tmp_path):
        trials = int(os.environ.get("DRILL_WEBHOOK_KILL_TRIALS", 2))
        count = int(os.environ.get("DRILL_WEBHOOKS", 1000))
        baseline(treaty, untc, 0)
        endpoints(treaty, receiver, count)
        child = {**child, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}
        log = tmp_path / "worker.log"
        worst_duplicates = 0
        with beat(broker_url=redis_server.url, log_path=tmp_path / "beat.log", **child):
            for trial in range(1, trials + 1):
                receiver.received.clear()
                receiver.cut_off = 0
                kill_at = random.randint(count // 10, count * 7 // 10)
                with worker(broker_url=redis_server.url, log_path=log, concurrency=CONCURRENCY, **child) as first:
                    deposit(treaty, untc, trial)
                    wait_for(
                        lambda kill_at=kill_at: len(receiver.accepted()) >= kill_at,
                        timeout=300,
                        message="the webhooks to reach the kill point",
                    )
                    os.killpg(first.pid, signal.SIGKILL)
                    first.wait(timeout=30)
                accepted_at_kill = len(receiver.accepted())
                restarted = time.monotonic()
                with worker(broker_url=redis_server.url, log_path=log, concurrency=CONCURRENCY, **child):
                    wait_for(lambda: unfinished() == 0, timeout=600, interval=0.5, message="every delivery to finish")
                recovered = time.monotonic() - restarted
                copies = receiver.copies_accepted()
                per_endpoint = Counter(path for path, _ in copies)
                lost = count - len(per_endpoint)
                duplicates = sum(n - 1 for n in copies.values())
                worst_duplicates = max(worst_duplicates, duplicates)
                figures(
                    f"webhook worker-kill trial {trial}/{trials}",
                    endpoints=count,
                    killed_after_accepted=accepted_at_kill,
                    cut_off_by_the_kill=receiver.cut_off,
                    lost=lost,
                    duplicated_same_id=duplicates,
                    recovered_within=f"{recovered:.1f}s",
                )
                assert lost == 0
                assert set(per_endpoint.values()) == {1}  # one webhook-id per endpoint per alert
                assert duplicates <= CONCURRENCY
                assert all(item.valid for item in receiver.received)
        figures("webhook worker-kill", trials=trials, lost=0, worst_duplicates=worst_duplicates)

"""Faults of a real SMTP server (aiosmtpd): nothing lost, nothing doubled."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from alerts.models import Delivery, DeliveryStatus
from alerts.services.delivery import ChunkSender, deliveries_send
from tests.alerts.world import instrument, record, subscribe

pytestmark = pytest.mark.django_db

READERS = [f"reader{n}@example.org" for n in range(5)]


@pytest.fixture
def readers(treaty):
    return [subscribe(email, treaty) for email in READERS]


def copies(sink) -> Counter:
    return Counter(address for item in sink.received for address in item.recipients)


@pytest.fixture
def alert_ghana(treaty, chunk_queue, django_capture_on_commit_callbacks):
    """Record a ratification as a poll would, then run the chunk tasks it published."""

    def record_and_send() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            record(treaty, instrument("Ghana"))
        chunk_queue.run_due()

    return record_and_send


def run_until_delivered(chunk_queue, minutes: int = 30) -> None:
    """Let the clock run a minute at a time, running due chunks, until nothing is pending."""
    start = timezone.now()
    for minute in range(1, minutes + 1):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            chunk_queue.run_due()
        if not Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).exists():
            return
    raise AssertionError(f"still pending after {minutes} simulated minutes")


class SmtpOutageTests:
    def test_it_loses_and_doubles_nothing_when_the_server_refuses_connections_then_recovers(
        self, readers, smtp_sink, chunk_queue, alert_ghana
    ):
        smtp_sink.stop()
        alert_ghana()
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING, attempts=1).count() == 5
        smtp_sink.start()
        run_until_delivered(chunk_queue)
        assert copies(smtp_sink) == Counter(READERS)
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}

    def test_it_loses_and_doubles_nothing_when_the_server_hangs_up_mid_message(
        self, readers, smtp_sink, chunk_queue, alert_ghana
    ):
        smtp_sink.hang_up_on_next_message()
        alert_ghana()
        assert copies(smtp_sink) == Counter()
        run_until_delivered(chunk_queue)
        assert copies(smtp_sink) == Counter(READERS)

    def test_it_retries_a_451_and_sends_the_others_on_the_same_connection(
        self, readers, smtp_sink, chunk_queue, alert_ghana
    ):
        smtp_sink.refuse_data("451 4.3.0 Try again later", times=1)
        alert_ghana()
        assert len(smtp_sink.received) == 4
        run_until_delivered(chunk_queue)
        assert copies(smtp_sink) == Counter(READERS)

    def test_it_fails_a_refused_recipient_for_good_and_delivers_the_rest(
        self, readers, smtp_sink, chunk_queue, alert_ghana
    ):
        smtp_sink.refuse_recipient("reader2@example.org", "550 5.1.1 No such user")
        alert_ghana()
        assert copies(smtp_sink) == Counter(set(READERS) - {"reader2@example.org"})
        failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
        assert failed.subscription.subscriber.email == "reader2@example.org"
        assert chunk_queue.waiting == []

    def test_it_sends_no_extra_message_when_a_chunk_task_runs_twice(self, treaty, readers, smtp_sink):
        record(treaty, instrument("Ghana"))
        ids = list(Delivery.objects.values_list("pk", flat=True))
        deliveries_send(delivery_ids=ids)
        deliveries_send(delivery_ids=ids)
        assert copies(smtp_sink) == Counter(READERS)


class DuplicateWindowTests:
    def test_it_marks_a_row_sent_within_milliseconds_of_the_server_accepting_it(self, treaty, smtp_sink):
        """The only way to send twice: the worker dies between the server's 250 and this UPDATE."""
        for n in range(200):
            subscribe(f"window{n}@example.org", treaty)
        record(treaty, instrument("Ghana"))
        marked_at: dict[int, float] = {}
        original = ChunkSender.sent

        def sent(self, row):
            original(self, row)
            marked_at[row.pk] = time.perf_counter()

        with mock.patch.object(ChunkSender, "sent", sent):
            deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
        accepted = [item.accepted_at for item in smtp_sink.received]
        windows = sorted(marked - accept for marked, accept in zip(sorted(marked_at.values()), accepted, strict=True))
        median, p99 = statistics.median(windows), windows[int(len(windows) * 0.99) - 1]
        print(f"duplicate window over {len(windows)} messages: median {median * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms")
        assert median > 0 and p99 < 0.050

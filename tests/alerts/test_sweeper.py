"""The sweeper publishes again what no live task holds; `send_alerts` sends what is due now."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from alerts.models import Alert, Channel, Delivery, DeliveryStatus, Scope
from alerts.services.fanout import deliveries_unpublished
from alerts.services.subscriptions import subscription_request
from alerts.services.sweep import deliveries_requeue
from tests.alerts.world import instrument, record, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(treaty):
    return [subscribe(f"reader{n}@example.org", treaty) for n in range(3)]


def published_ids(apply_async: mock.Mock) -> list[int]:
    return sorted(pk for call in apply_async.call_args_list for pk in call.args[0][0])


class SweeperTests:
    def test_it_returns_rows_a_dead_worker_left_in_sending_once_the_lease_has_run_out(self, treaty, readers, settings):
        record(treaty, instrument("Ghana"))
        long_ago = timezone.now() - timedelta(seconds=settings.ALERTS_SENDING_LEASE + 1)
        Delivery.objects.update(status=DeliveryStatus.SENDING, claim="dead-worker", claimed_at=long_ago)
        with mock.patch("alerts.tasks.deliveries_send.apply_async") as apply_async:
            report = deliveries_requeue()
        assert (report.reclaimed, report.requeued) == (3, 3)
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
        assert published_ids(apply_async) == sorted(Delivery.objects.values_list("pk", flat=True))

    def test_it_leaves_rows_a_live_worker_is_sending(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        Delivery.objects.update(status=DeliveryStatus.SENDING, claim="live-worker", claimed_at=timezone.now())
        with mock.patch("alerts.tasks.deliveries_send.apply_async") as apply_async:
            assert not deliveries_requeue().did_work
        apply_async.assert_not_called()

    def test_it_publishes_again_pending_rows_whose_task_was_lost_and_not_twice_in_a_row(
        self, treaty, readers, settings
    ):
        record(treaty, instrument("Ghana"))
        Alert.objects.update(queued_at=timezone.now())
        Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=settings.ALERTS_REQUEUE_AFTER + 1))
        with mock.patch("alerts.tasks.deliveries_send.apply_async") as apply_async:
            assert deliveries_requeue().requeued == 3
            assert deliveries_requeue().requeued == 0
        assert apply_async.call_count == 1

    def test_it_publishes_an_alert_the_broker_refused_at_commit_within_two_sweeps(
        self, treaty, readers, eager_celery, django_capture_on_commit_callbacks
    ):
        # Reliability 5: Redis is down when the recording commits; the rows survive; the first
        # sweep after it is back publishes the alert.
        with mock.patch("alerts.tasks.alert_fan_out.delay", side_effect=OperationalError("Redis is down")):
            with django_capture_on_commit_callbacks(execute=True):
                record(treaty, instrument("Ghana"))
            assert Alert.objects.get().queued_at is None
            deliveries_requeue(now=timezone.now() + timedelta(seconds=60))  # still down: nothing lost
        assert Alert.objects.get().queued_at is None
        assert mail.outbox == []
        report = deliveries_requeue(now=timezone.now() + timedelta(seconds=120))
        assert report.alerts == 1
        assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.org" for n in range(3)]
        assert Alert.objects.get().queued_at is not None

    def test_a_sign_up_e_mail_the_broker_refused_goes_out_at_the_next_sweep(
        self, treaty, eager_celery, django_capture_on_commit_callbacks, settings
    ):
        # Reliability 5 for the outbox's other messages: with the default ALERTS_REQUEUE_AFTER
        # (15 minutes, the time a published task is given to run), not a quarter of an hour later.
        assert settings.ALERTS_REQUEUE_AFTER == 15 * 60
        refused = OperationalError("Redis is down")
        with (
            mock.patch("alerts.tasks.deliveries_send.apply_async", side_effect=refused),
            django_capture_on_commit_callbacks(execute=True),
        ):
            subscription_request(
                email="new@example.org",
                treaty=treaty,
                scope=Scope.INSTRUMENTS,
                participant_codes=(),
                language="en",
                client_ip="192.0.2.1",
            )
        assert mail.outbox == []
        assert Delivery.objects.get(channel=Channel.SIGNUP).status == DeliveryStatus.PENDING
        report = deliveries_requeue(now=timezone.now() + timedelta(seconds=settings.ALERTS_SWEEP_INTERVAL))
        assert report.requeued == 1
        assert [message.to for message in mail.outbox] == [["new@example.org"]]

    def test_a_retry_the_broker_refused_is_published_when_it_falls_due_not_before(self, treaty, settings):
        subscription = subscribe("reader@example.org", treaty)
        retry = Delivery.objects.create(
            channel=Channel.SIGNUP, subscription=subscription, due_at=timezone.now() + timedelta(seconds=300)
        )
        deliveries_unpublished([retry.pk])
        with mock.patch("alerts.tasks.deliveries_send.apply_async") as apply_async:
            assert deliveries_requeue(now=timezone.now() + timedelta(seconds=200)).requeued == 0
            assert deliveries_requeue(now=timezone.now() + timedelta(seconds=301)).requeued == 1
        assert published_ids(apply_async) == [retry.pk]

    def test_it_does_not_publish_an_alert_whose_commit_hook_has_not_run_yet(self, treaty, readers):
        record(treaty, instrument("Ghana"))  # no on_commit in this test transaction
        with mock.patch("alerts.tasks.alert_fan_out.delay") as delay:
            assert deliveries_requeue().alerts == 0
        delay.assert_not_called()


class SendAlertsCommandTests:
    def test_it_sends_what_is_due_now_and_prints_the_counts(self, treaty, readers, capsys):
        record(treaty, instrument("Ghana"))
        Delivery.objects.filter(subscription=readers[2]).update(due_at=timezone.now() + timedelta(hours=1))
        call_command("send_alerts")
        assert capsys.readouterr().out.strip() == "sent 2, failed 0, deferred 0, skipped 0"
        assert len(mail.outbox) == 2
        call_command("send_alerts")
        assert capsys.readouterr().out.strip() == "sent 0, failed 0, deferred 0, skipped 0"

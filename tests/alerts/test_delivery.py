"""Sending a chunk: claimed once, marked sent at once, SMTP failures retried or failed for good.

Failures are produced with a mocked `send` (the healthchecks `test_emails.py` pattern); the
same paths run against a real SMTP server in test_smtp_faults.py.
"""

from __future__ import annotations

import random
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from alerts.models import Alert, Delivery, DeliveryStatus, Scope, SubscriptionStatus
from alerts.services.delivery import deliveries_send, retry_delay
from tests.alerts.world import instrument, record, subscribe
from tests.support.outbox import outbox_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(treaty):
    return [subscribe(f"reader{n}@example.org", treaty) for n in range(3)]


@pytest.fixture
def published():
    """The chunk tasks the code under test publishes (delivery ids, countdown)."""
    with mock.patch("alerts.tasks.deliveries_send.apply_async") as apply_async:
        yield apply_async


def ids() -> list[int]:
    return list(Delivery.objects.order_by("pk").values_list("pk", flat=True))


def statuses() -> list[str]:
    return list(Delivery.objects.filter(alert__isnull=False).order_by("pk").values_list("status", flat=True))


def failing_send(*outcomes):
    """A `send` that raises (or succeeds, for None) in turn, recording every attempt."""
    outcomes = list(outcomes)

    def send(message, fail_silently=False):
        outcome = outcomes.pop(0) if outcomes else None
        if outcome is not None:
            raise outcome
        mail.outbox.append(message)
        return 1

    return send


class ClaimTests:
    def test_it_sends_no_extra_message_when_a_chunk_runs_twice(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        first = deliveries_send(delivery_ids=ids())
        second = deliveries_send(delivery_ids=ids())
        assert (first.sent, second.sent) == (3, 0)
        assert len(mail.outbox) == 3
        assert statuses() == [DeliveryStatus.SENT] * 3

    def test_it_leaves_rows_another_task_has_claimed(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        Delivery.objects.update(status=DeliveryStatus.SENDING, claim="another-task", claimed_at=timezone.now())
        assert deliveries_send(delivery_ids=ids()).sent == 0
        assert mail.outbox == []

    def test_it_marks_each_row_sent_before_sending_the_next(self, treaty, readers):
        # The duplicate window is one message wide: a worker killed mid-chunk re-sends at most
        # the message whose row it had not yet marked.
        record(treaty, instrument("Ghana"))
        sent_before_each = []

        def send(message, fail_silently=False):
            sent_before_each.append(Delivery.objects.filter(status=DeliveryStatus.SENT).count())
            return 1

        with mock.patch.object(EmailMultiAlternatives, "send", autospec=True, side_effect=send):
            deliveries_send(delivery_ids=ids())
        assert sent_before_each == [0, 1, 2]

    def test_it_skips_a_subscriber_who_left_after_the_alert_was_created(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        readers[0].status = SubscriptionStatus.UNSUBSCRIBED
        readers[0].save()
        report = deliveries_send(delivery_ids=ids())
        assert (report.sent, report.skipped) == (2, 1)
        assert "reader0@example.org" not in [m.to[0] for m in mail.outbox]

    def test_it_skips_a_subscriber_whose_new_preferences_exclude_the_alert(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        readers[1].scope = Scope.MILESTONES
        readers[1].save()
        assert deliveries_send(delivery_ids=ids()).skipped == 1

    def test_it_releases_what_it_has_not_sent_at_its_deadline(self, treaty, readers, published, settings):
        record(treaty, instrument("Ghana"))
        settings.ALERTS_CHUNK_TIME_LIMIT = 60  # a deadline already reached
        report = deliveries_send(delivery_ids=ids())
        assert report.sent == 0
        assert statuses() == [DeliveryStatus.PENDING] * 3
        [call] = published.call_args_list
        assert sorted(call.args[0][0]) == ids()

    def test_it_waits_for_a_deferred_row_to_be_due(self, treaty, readers):
        record(treaty, instrument("Ghana"))
        Delivery.objects.update(due_at=timezone.now() + timedelta(minutes=5))
        assert deliveries_send(delivery_ids=ids()).sent == 0


class TransientFailureTests:
    @pytest.mark.parametrize(
        "error",
        [
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            ConnectionResetError(104, "Connection reset by peer"),
            TimeoutError("timed out"),
        ],
        ids=["disconnected", "reset", "timeout"],
    )
    def test_it_defers_the_rest_of_the_chunk_when_the_connection_is_lost(self, treaty, readers, published, error):
        record(treaty, instrument("Ghana"))
        with mock.patch.object(EmailMultiAlternatives, "send", autospec=True, side_effect=failing_send(None, error)):
            report = deliveries_send(delivery_ids=ids())
        assert (report.sent, report.deferred) == (1, 2)
        assert statuses() == [DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.PENDING]
        deferred = Delivery.objects.filter(status=DeliveryStatus.PENDING)
        assert {row.attempts for row in deferred} == {1}
        assert all(timezone.now() + timedelta(seconds=25) < row.due_at for row in deferred)
        [(args, kwargs)] = [(c.args, c.kwargs) for c in published.call_args_list]
        assert sorted(args[0][0]) == sorted(row.pk for row in deferred)
        assert 30 <= kwargs["countdown"] <= 60

    @pytest.mark.parametrize(
        "error",
        [
            smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
            smtplib.SMTPRecipientsRefused({"reader1@example.org": (450, b"4.2.1 Mailbox busy")}),
            smtplib.SMTPSenderRefused(451, b"4.7.1 Slow down", "tracker@localhost"),
        ],
        ids=["data-451", "rcpt-450", "sender-451"],
    )
    def test_it_retries_a_4xx_later_and_sends_the_rest_now(self, treaty, readers, published, error):
        record(treaty, instrument("Ghana"))
        with mock.patch.object(EmailMultiAlternatives, "send", autospec=True, side_effect=failing_send(None, error)):
            report = deliveries_send(delivery_ids=ids())
        assert (report.sent, report.deferred) == (2, 1)
        assert statuses() == [DeliveryStatus.SENT, DeliveryStatus.PENDING, DeliveryStatus.SENT]
        assert published.call_count == 1

    def test_it_defers_the_whole_chunk_when_the_server_refuses_the_connection(
        self, treaty, readers, published, settings
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: nothing listens
        record(treaty, instrument("Ghana"))
        report = deliveries_send(delivery_ids=ids())
        assert (report.sent, report.deferred) == (0, 3)
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING, attempts=1).count() == 3

    def test_it_waits_exponentially_longer_with_jitter_up_to_a_ceiling(self, settings):
        settings.ALERTS_RETRY_BASE_DELAY, settings.ALERTS_RETRY_MAX_DELAY = 60, 900
        rng = random.Random(7)
        delays = [retry_delay(attempt, rng=rng) for attempt in range(1, 8)]
        ceilings = [60, 120, 240, 480, 900, 900, 900]
        assert all(ceiling / 2 <= delay <= ceiling for delay, ceiling in zip(delays, ceilings, strict=True))
        assert len({retry_delay(3, rng=rng) for _ in range(20)}) > 1


class PermanentFailureTests:
    @pytest.mark.parametrize(
        "error",
        [
            smtplib.SMTPRecipientsRefused({"reader1@example.org": (550, b"5.1.1 No such user")}),
            smtplib.SMTPDataError(554, b"5.7.1 Message rejected"),
        ],
        ids=["rcpt-550", "data-554"],
    )
    def test_it_fails_a_5xx_for_the_recipient_without_retrying(self, treaty, readers, published, error):
        record(treaty, instrument("Ghana"))
        with mock.patch.object(EmailMultiAlternatives, "send", autospec=True, side_effect=failing_send(None, error)):
            report = deliveries_send(delivery_ids=ids())
        assert (report.sent, report.failed, report.deferred) == (2, 1, 0)
        assert statuses() == [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SENT]
        assert str(error.args[0] if isinstance(error, smtplib.SMTPDataError) else 550) in (
            Delivery.objects.get(status=DeliveryStatus.FAILED).error
        )
        published.assert_not_called()

    def test_it_fails_for_good_after_the_last_attempt_and_tells_staff_once_per_alert(
        self, treaty, readers, published, settings
    ):
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        settings.ALERTS_MAX_ATTEMPTS = 3
        record(treaty, instrument("Ghana"))

        def refuse_readers(message, fail_silently=False):
            if message.to[0].startswith("reader"):
                raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")
            mail.outbox.append(message)
            return 1

        for _ in range(settings.ALERTS_MAX_ATTEMPTS):
            Delivery.objects.filter(status=DeliveryStatus.PENDING).update(due_at=timezone.now())
            with mock.patch.object(EmailMultiAlternatives, "send", autospec=True, side_effect=refuse_readers):
                for pk in ids():  # one chunk per row: each exhausts on its own
                    deliveries_send(delivery_ids=[pk])
        assert statuses() == [DeliveryStatus.FAILED] * 3
        assert set(Delivery.objects.filter(alert__isnull=False).values_list("attempts", flat=True)) == {3}
        outbox_send()  # the staff e-mail goes through the outbox too
        [staff_mail] = mail.outbox
        assert staff_mail.to == ["ops@example.org"]
        assert staff_mail.subject == "Alert e-mails failed for the UN Convention against Cybercrime (1 so far)"
        assert Alert.objects.get().staff_alerted_at is not None


class FailedChannelNoticeTests:
    """Staff are told which channel failed: a webhook or a chat channel is not an e-mail."""

    def failed(self, treaty, **rows) -> str:
        from alerts.models import ChatChannel, WebhookEndpoint
        from alerts.services.delivery import alert_staff_notify

        record(treaty, instrument("Ghana"))
        alert = Alert.objects.get()
        for number in range(rows.get("webhooks", 0)):
            endpoint = WebhookEndpoint.objects.create(treaty=treaty, url=f"https://93.184.215.14/{number}")
            Delivery.objects.create(alert=alert, channel="webhook", webhook=endpoint, status=DeliveryStatus.FAILED)
        for number in range(rows.get("chats", 0)):
            chat = ChatChannel.objects.create(treaty=treaty, apprise_url=f"json://127.0.0.1:9/{number}")
            Delivery.objects.create(alert=alert, channel="chat", chat=chat, status=DeliveryStatus.FAILED)
        assert alert_staff_notify(alert_id=alert.pk, error="HTTP 500")
        # The staff e-mail is owed through the outbox: send it (only it) as a worker would.
        deliveries_send(delivery_ids=list(Delivery.objects.filter(channel="staff").values_list("pk", flat=True)))
        [staff_mail] = mail.outbox
        return staff_mail

    def test_a_failed_webhook_is_named_as_one(self, treaty, readers, settings):
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        staff_mail = self.failed(treaty, webhooks=2)
        assert staff_mail.subject == "Webhook deliveries failed for the UN Convention against Cybercrime (2 so far)"
        assert "2 webhook deliveries" in staff_mail.body and "e-mail" not in staff_mail.body.split("Last error")[0]

    def test_a_failed_chat_message_is_named_as_one(self, treaty, readers, settings):
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        staff_mail = self.failed(treaty, chats=1)
        assert staff_mail.subject == "Chat messages failed for the UN Convention against Cybercrime (1 so far)"
        assert "1 chat message" in staff_mail.body

    def test_several_channels_are_alert_deliveries_counted_apart(self, treaty, readers, settings):
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        staff_mail = self.failed(treaty, webhooks=1, chats=2)
        assert staff_mail.subject == "Alert deliveries failed for the UN Convention against Cybercrime (3 so far)"
        assert "1 webhook delivery" in staff_mail.body and "2 chat messages" in staff_mail.body

"""The outbox: how a `Delivery` row becomes a message (every message the tracker sends), and
the one place that says so.

The database is the truth. A `Delivery` is one message owed: an alert to one subscription
(`UNIQUE(alert, subscription)`), webhook endpoint or chat channel, a sign-up e-mail, or an
e-mail to staff. Its status says where it is:

1. **Owed.** `fanout.events_claim` creates an alert's rows `pending`, in the transaction that
   claims the committed events of a recording (the record never calls the outbox: it saves
   events, alerts/services/fanout.py takes them), so a rolled-back poll owes nothing. The
   fan-out task then publishes them as chunk tasks of at most ALERTS_CHUNK_SIZE ids
   (`fanout.deliveries_publish`). A sign-up e-mail (alerts/services/subscriptions.py) and an
   e-mail to staff (alerts/services/staff.py) are owed in the transaction of what calls for
   them, and offered to the workers after its commit (`fanout.deliveries_offer`).
2. **Sent, one way only:** `deliveries_send(delivery_ids)` below, the chunk task's whole job
   (`manage.py send_alerts` runs the same function on whatever is due, in its own process).
   One conditional UPDATE claims the chunk's due `pending` rows (`sending`, under a fresh claim
   token: a second run of the same chunk claims nothing); each claimed row is sent over the
   chunk's one connection and marked `sent` right after the server accepts it. A worker killed
   between the two is the only way to send twice (the duplicate window, measured in
   tests/alerts/test_smtp_faults.py).
3. **Failed.** A 5xx refusal of the recipient or the message fails the row at once. Anything
   transient (4xx, disconnect, refused connection, timeout) puts it back to `pending`, due after
   an exponential, jittered delay, and publishes it again with that countdown; after
   ALERTS_MAX_ATTEMPTS it fails, and staff get one e-mail per alert (an e-mail to staff that
   fails for good is only logged). Staff may later give failed rows a fresh round
   (`retries.deliveries_retry`).
4. **Picked up again, one way only:** the sweeper (`sweep.deliveries_requeue`, every
   ALERTS_SWEEP_INTERVAL seconds) publishes what no live task holds: an alert whose fan-out
   could not be published (the broker was down at the commit), rows left `sending` by a dead
   worker once their lease (longer than the chunk's hard time limit) has run out, and rows
   `pending` long past due whose task message was lost or never published. Publishing twice is
   harmless: the first copy to run claims the rows.

Every channel, one outbox. E-mail: `ChunkSender.send_one` builds a reader's alert (alerts/
mailmerge.py, which says why it merges bytes rather than building each message), the sign-up
e-mail the subscription's state calls for now, or the staff e-mail as it was rendered when owed,
and sends it over the chunk's connection. Webhooks (alerts/services/webhooks.py) and chat channels
(alerts/services/chat.py): `ChunkSender.send_to_channel` posts the claimed row, with the same
claim, marks, retries and sweeper; an answer other than success counts against the channel's
health (alerts/services/channel_health.py), which disables it after repeated failures. A
webhook's id is the same on every attempt, so a receiver drops what the duplicate window resends.
"""

from __future__ import annotations

import functools
import logging
import random
import smtplib
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from alerts import mailmerge
from alerts.mailmerge import AlertMessages
from alerts.models import Alert, Channel, Delivery, DeliveryStatus, SubscriptionStatus
from alerts.services import webhooks
from alerts.services.channel_sending import ChannelRows
from alerts.services.fanout import deliveries_publish, deliveries_unpublished
from alerts.services.staff import staff_message, staff_message_owe
from alerts.services.subscriptions import subscription_mail

logger = logging.getLogger(__name__)

# A chunk published with a countdown may start a moment before the row's due time.
DUE_TOLERANCE = timedelta(seconds=5)
# The channels sent as e-mail over the chunk's SMTP connection.
EMAIL_CHANNELS = (Channel.EMAIL, Channel.SIGNUP, Channel.STAFF)


def _mark_sent(delivery_id: int) -> None:
    """One UPDATE in plain SQL, once per message, right after the server accepted it: the time it
    takes is the duplicate window. The ORM's update takes twice as long (about 100 us more a
    message: 0.72 instead of 0.60 ms of CPU per message in bench/bench_alerts.py)."""
    with db.cursor() as cursor:
        cursor.execute(
            _mark_sent_sql(db.vendor),
            [DeliveryStatus.SENT, db.ops.adapt_datetimefield_value(timezone.now()), delivery_id],
        )


@functools.cache
def _mark_sent_sql(vendor: str) -> str:
    quote = db.ops.quote_name
    column = {name: quote(Delivery._meta.get_field(name).column) for name in ("status", "sent_at", "claim", "error")}
    return (
        f"UPDATE {quote(Delivery._meta.db_table)} SET {column['status']} = %s, {column['sent_at']} = %s, "
        f"{column['claim']} = '', {column['error']} = '' WHERE {quote('id')} = %s"
    )


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0
    retries: dict[int, list[int]] = field(default_factory=dict)  # delay in seconds -> delivery ids

    def __iadd__(self, other: SendReport) -> SendReport:
        self.sent += other.sent
        self.failed += other.failed
        self.deferred += other.deferred
        self.skipped += other.skipped
        return self


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> int:
    """Seconds before attempt `attempts + 1`: exponential, capped, with "equal jitter"."""
    ceiling = min(settings.ALERTS_RETRY_MAX_DELAY, settings.ALERTS_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0))
    return int(ceiling / 2 + (rng or random).uniform(0, ceiling / 2))


def is_permanent(error: Exception) -> bool:
    """A 5xx refusal of this recipient or this message: sending it again cannot succeed."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False  # our sender address: a configuration problem, retried, then staff are told
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


class ChunkSender(ChannelRows):
    """The claimed rows of one chunk and what became of each."""

    describe = staticmethod(_describe)

    def __init__(self, claim: str, rows: list[Delivery]) -> None:
        self.claim = claim
        self.ids = [row.pk for row in rows]
        # One Alert (with its treaty) per alert in the chunk, not one copy per row.
        alert_ids = {row.alert_id for row in rows}
        self.alerts = {alert.pk: alert for alert in Alert.objects.select_related("treaty").filter(pk__in=alert_ids)}
        self.report = SendReport()
        self.messages = AlertMessages()
        self.poster: webhooks.WebhookPoster | None = None
        self.bodies: dict[tuple, bytes] = {}
        self.chat_messages: dict[tuple, tuple[str, str]] = {}

    def sent(self, row: Delivery) -> None:
        _mark_sent(row.pk)
        self.report.sent += 1

    def skipped(self, row: Delivery, reason: str) -> None:
        Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SKIPPED, claim="", error=reason)
        self.report.skipped += 1

    def failed(self, rows: list[Delivery], error: str) -> None:
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, claim="", error=error
        )
        self.report.failed += len(rows)

    def deferred(self, rows: list[Delivery], error: Exception) -> None:
        """Transient failure: back to pending later, or failed once the attempts run out."""
        exhausted = [row for row in rows if row.attempts + 1 >= settings.ALERTS_MAX_ATTEMPTS]
        if exhausted:
            self.failed(exhausted, _describe(error))
            for alert_id in {row.alert_id for row in exhausted if row.alert_id is not None}:
                alert_staff_notify(alert_id=alert_id, error=_describe(error))
            for row in exhausted:
                if row.alert_id is None:  # no alert to tell staff about: a sign-up or staff e-mail
                    logger.error("%s delivery %s failed for good: %s", row.channel, row.pk, _describe(error))
        by_attempts: dict[int, list[int]] = {}
        for row in rows:
            if row.attempts + 1 < settings.ALERTS_MAX_ATTEMPTS:
                by_attempts.setdefault(row.attempts + 1, []).append(row.pk)
        for attempts, ids in by_attempts.items():
            delay = retry_delay(attempts)
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.PENDING,
                attempts=attempts,
                due_at=timezone.now() + timedelta(seconds=delay),
                claim="",
                error=_describe(error),
            )
            self.report.retries.setdefault(delay, []).extend(ids)
            self.report.deferred += len(ids)

    def release(self) -> None:
        """Rows still claimed when the chunk stops early (time limit) go back to pending now."""
        released = Delivery.objects.filter(pk__in=self.ids, claim=self.claim, status=DeliveryStatus.SENDING)
        ids = list(released.values_list("pk", flat=True))
        if ids:
            Delivery.objects.filter(pk__in=ids, claim=self.claim).update(status=DeliveryStatus.PENDING, claim="")
            self.report.retries.setdefault(0, []).extend(ids)

    def send_all(self, rows: list[Delivery]) -> None:
        # Stop well before the chunk task's hard time limit (and whatever runs it, e.g.
        # send_alerts, which has none): the sweeper's lease assumes no chunk holds rows longer.
        deadline = time.monotonic() + settings.ALERTS_CHUNK_TIME_LIMIT - 60
        emails = [row for row in rows if row.channel in EMAIL_CHANNELS]
        if emails:
            self.send_emails(emails, deadline)
        others = [row for row in rows if row.channel not in EMAIL_CHANNELS]
        if others:
            self.send_to_channels(others, deadline)

    def send_emails(self, rows: list[Delivery], deadline: float) -> None:
        connection = get_connection()
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("SMTP connection failed (%s): %s deliveries deferred", _describe(error), len(rows))
            self.deferred(rows, error)
            return
        try:
            for index, row in enumerate(rows):
                if time.monotonic() > deadline:
                    logger.warning("chunk stopped at its deadline; %s deliveries released", len(rows) - index)
                    break  # release() puts the rest back
                lost = self.send_one(row, connection)
                if lost is not None:
                    # This row and the rest of the chunk wait for the server together.
                    self.deferred(rows[index:], lost)
                    break
        finally:
            try:
                connection.close()
            except (OSError, smtplib.SMTPException):
                logger.info("SMTP connection did not close cleanly", exc_info=True)

    def message(self, row: Delivery, connection):
        """The e-mail this row owes now, or None (the row marked skipped) if it owes none any more."""
        if row.channel == Channel.STAFF:
            message = staff_message(row)
        elif row.channel == Channel.SIGNUP:
            message = subscription_mail(subscription_id=row.subscription_id)
            if message is None:
                self.skipped(row, "no sign-up e-mail to send any more")
                return None
        else:
            subscription = row.subscription
            if subscription.status != SubscriptionStatus.CONFIRMED or subscription.subscriber.suppressed_at:
                self.skipped(row, "no longer subscribed")
                return None
            message = self.messages.message(self.alerts[row.alert_id], subscription, connection=connection)
            if message is None:
                self.skipped(row, "preferences changed: nothing in this alert for them")
            return message
        message.connection = connection
        return message

    def send_one(self, row: Delivery, connection) -> Exception | None:
        """Send one delivery; returns the error if the connection is lost (the row is left to the caller)."""
        try:
            message = self.message(row, connection)
            if message is None:
                return None
            mailmerge.send(message, connection)
        except (SoftTimeLimitExceeded, KeyboardInterrupt):
            raise
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
            return error
        except smtplib.SMTPException as error:  # a reply from a working server (SMTPException is an OSError)
            if is_permanent(error):
                logger.info("delivery %s refused: %s", row.pk, _describe(error))
                self.failed([row], _describe(error))
            else:
                self.deferred([row], error)
            return None
        except OSError as error:  # reset, timeout, refused: the socket is gone
            return error
        except Exception as error:
            logger.exception("delivery %s: unexpected error", row.pk)
            self.deferred([row], error)
            return None
        self.sent(row)
        return None


def deliveries_send(*, delivery_ids: list[int]) -> SendReport:
    """Claim and send these deliveries over one SMTP connection (a chunk task's whole job)."""
    now = timezone.now()
    claim = uuid.uuid4().hex
    claimable = Delivery.objects.filter(
        pk__in=delivery_ids, status=DeliveryStatus.PENDING, due_at__lte=now + DUE_TOLERANCE
    )
    if not claimable.update(status=DeliveryStatus.SENDING, claim=claim, claimed_at=now):
        return SendReport()
    rows = list(
        Delivery.objects.filter(pk__in=delivery_ids, claim=claim, status=DeliveryStatus.SENDING)
        .select_related("subscription__subscriber", "webhook", "chat")
        .prefetch_related("subscription__participant_filters")
        # Only what sending reads: a chunk turns 500 rows into objects, 3 models each.
        .only(
            "alert_id",
            "attempts",
            "channel",
            "payload",
            *(f"webhook__{name}" for name in ("url", "secret", "scope", "enabled", "consecutive_failures")),
            *(f"chat__{name}" for name in ("apprise_url", "scope", "language", "enabled", "consecutive_failures")),
            "subscription__status",
            "subscription__scope",
            "subscription__stages",
            "subscription__statements",
            "subscription__key",
            "subscription__subscriber__email",
            "subscription__subscriber__language",
            "subscription__subscriber__suppressed_at",
        )
        .order_by("pk")
    )
    sender = ChunkSender(claim, rows)
    started = time.monotonic()
    try:
        sender.send_all(rows)
    finally:
        sender.release()
        _publish_retries(sender.report)
        _log_chunk(rows, sender.report, time.monotonic() - started)
    return sender.report


def _log_chunk(rows: list[Delivery], report: SendReport, seconds: float) -> None:
    """One structured line per delivery chunk."""
    alerts = sorted({row.alert_id for row in rows if row.alert_id is not None})
    logger.info(
        "delivery chunk: %s sent, %s failed, %s deferred",
        report.sent,
        report.failed,
        report.deferred,
        extra={
            "event": "delivery_chunk",
            "alerts": alerts,
            "claimed": len(rows),
            "sent": report.sent,
            "failed": report.failed,
            "deferred": report.deferred,
            "skipped": report.skipped,
            "duration_seconds": round(seconds, 3),
        },
    )


def _publish_retries(report: SendReport) -> None:
    for delay, ids in report.retries.items():
        try:
            deliveries_publish(ids, countdown=delay or None)
        except Exception:
            logger.exception("could not publish the retry of %s deliveries; the sweeper will", len(ids))
            deliveries_unpublished(ids)


@transaction.atomic
def alert_staff_notify(*, alert_id: int, error: str) -> bool:
    """Tell staff, once per alert, that deliveries failed for good. True if this call did."""
    if not Alert.objects.filter(pk=alert_id, staff_alerted_at__isnull=True).update(staff_alerted_at=timezone.now()):
        return False
    # By channel: a webhook or chat failure is not an e-mail failure, and staff look elsewhere.
    by_channel = dict(
        Delivery.objects.filter(alert_id=alert_id, status=DeliveryStatus.FAILED)
        .values_list("channel")
        .annotate(count=Count("pk"))
    )
    failed = sum(by_channel.values())
    logger.error("alert %s: %s deliveries failed for good (%s)", alert_id, failed, error)
    alert = Alert.objects.select_related("treaty").get(pk=alert_id)
    context = {
        "alert": alert,
        "treaty_name": alert.treaty.display_title,
        "failed": failed,
        "emails": by_channel.get(Channel.EMAIL, 0),
        "webhooks": by_channel.get(Channel.WEBHOOK, 0),
        "chats": by_channel.get(Channel.CHAT, 0),
        "channels": len(by_channel),
        "error": error,
    }
    staff_message_owe(template="deliveries_failing", context=context)
    return True

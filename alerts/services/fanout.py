"""From committed events to Delivery rows, and from Delivery rows to chunk tasks (the whole life
of a delivery: alerts/services/delivery.py).

The record saves its events and says so (`events_recorded`, ratification/signals.py); it knows
nothing of alerts. The events of one recording are taken here once they are committed, the way
healthchecks' `sendalerts` takes its `Flip` rows: `events_claim` marks them processed with one
conditional UPDATE and, in the same transaction, creates their alert and its deliveries. So a
rolled-back recording owes nothing, and a claim that fails or never runs (a process that died
after the commit) leaves the events unprocessed for the sweeper. The fast path runs the claim
as soon as the recording commits (`events_recorded_receive`, connected in alerts/apps.py); the
sweeper claims what it left. After the claim the fan-out task is published; a broker that is
down then loses nothing either: the alert stays unqueued and the sweeper publishes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from alerts import selectors
from alerts.models import Alert, Channel, Delivery, DeliveryStatus, Subscription
from alerts.topics import is_announced
from ratification.models import Event, PollRun, Treaty

logger = logging.getLogger(__name__)


def batched(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_deliveries(alert: Alert, recipients: QuerySet[Subscription]) -> int:
    """One INSERT … SELECT: memory and time stay flat however many subscribers there are."""
    selected = recipients.order_by("pk").annotate(recipient_id=F("pk")).values("recipient_id")
    select_sql, params = selected.query.sql_with_params()
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = ", ".join(
        quote(Delivery._meta.get_field(name).column)
        for name in (
            "alert", "channel", "subscription", "status", "attempts", "due_at", "claim", "error", "created_at",
            "payload",
        )
    )  # fmt: skip
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "
        f"SELECT %s, %s, recipients.{quote('recipient_id')}, %s, 0, %s, '', '', %s, '{{}}' "
        f"FROM ({select_sql}) recipients"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [alert.pk, Channel.EMAIL, DeliveryStatus.PENDING, now, now, *params])
        return cursor.rowcount


def _insert_channel_deliveries(alert: Alert, treaty: Treaty, events: list[Event]) -> int:
    """One row per enabled webhook endpoint and chat channel that receives one of `events`."""
    webhooks, chats = selectors.alert_channels(treaty=treaty, events=events)
    rows = [Delivery(alert=alert, channel=Channel.WEBHOOK, webhook=endpoint) for endpoint in webhooks]
    rows += [Delivery(alert=alert, channel=Channel.CHAT, chat=channel) for channel in chats]
    Delivery.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def events_recorded_receive(*, events: list[Event], **signal: object) -> None:
    """The fast path: claim a recording's events as soon as it commits (nothing if it rolls back).
    `robust`: whatever goes wrong here is the sweeper's to finish, never the recording's error."""
    event_ids = [event.pk for event in events]
    transaction.on_commit(lambda: events_claim(event_ids=event_ids), robust=True)


@transaction.atomic
def events_claim(*, event_ids: list[int]) -> Alert | None:
    """Take these committed events of one treaty (one recording, or what the sweeper found of one
    poll) and owe their alert, all or nothing. None if any of them was taken already: a second
    claim of the same events (the fast path and the sweeper, a retried task) owes nothing more,
    and a claim that overlaps another's rolls back for the sweeper to take the rest alone."""
    claimed = Event.objects.filter(pk__in=event_ids, processed_at__isnull=True).update(processed_at=timezone.now())
    if claimed != len(event_ids):
        transaction.set_rollback(True)
        return None
    events = list(Event.objects.filter(pk__in=event_ids).select_related("treaty", "poll_run").order_by("pk"))
    if not events:
        return None
    return alert_create(treaty=events[0].treaty, events=events, poll_run=events[0].poll_run)


def alert_create(*, treaty: Treaty, events: Iterable[Event], poll_run: PollRun | None) -> Alert | None:
    """Group the announced events of one recording into one alert, owed to every recipient
    (inside `events_claim`'s transaction: the deliveries commit with the claim)."""
    announced = [event for event in events if is_announced(event)]
    if not announced:
        return None
    alert = Alert.objects.create(treaty=treaty, poll_run=poll_run)
    alert.events.set(announced)
    alert.recipients = _insert_deliveries(alert, selectors.alert_recipients(treaty=treaty, events=announced))
    alert.recipients += _insert_channel_deliveries(alert, treaty, announced)
    Alert.objects.filter(pk=alert.pk).update(recipients=alert.recipients)
    if alert.recipients:
        alert_id = alert.pk
        transaction.on_commit(lambda: alert_publish(alert_id=alert_id), robust=True)
    else:
        Alert.objects.filter(pk=alert.pk).update(queued_at=timezone.now())
    logger.info("alert %s for %s: %s events, %s recipients", alert.pk, treaty.mtdsg, len(announced), alert.recipients)
    return alert


def alert_publish(*, alert_id: int) -> bool:
    """Publish the fan-out task; False (and the sweeper's turn) if the broker is unreachable."""
    from alerts import tasks

    try:
        tasks.alert_fan_out.delay(alert_id)
    except Exception:
        # kombu's OperationalError, redis' ConnectionError, …: whatever the transport raises.
        logger.exception("alert %s: the fan-out task could not be published; the sweeper will retry", alert_id)
        return False
    Alert.objects.filter(pk=alert_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return True


def deliveries_publish(delivery_ids: list[int], *, countdown: int | None = None) -> int:
    """Publish chunk tasks of at most ALERTS_CHUNK_SIZE deliveries; returns how many."""
    from alerts import tasks

    chunks = 0
    for chunk in batched(delivery_ids, settings.ALERTS_CHUNK_SIZE):
        tasks.deliveries_send.apply_async((chunk,), countdown=countdown)
        chunks += 1
    return chunks


def deliveries_offer(delivery_ids: list[int]) -> None:
    """Hand pending deliveries to the workers once the caller's transaction commits. Owed is
    owed: if the broker refuses them, they wait in the database, due, and the next sweep
    publishes them (alerts/services/sweep.py)."""

    def publish() -> None:
        try:
            deliveries_publish(delivery_ids)
        except Exception:
            logger.exception("%s deliveries could not be published; the sweeper will", len(delivery_ids))
            deliveries_unpublished(delivery_ids)

    transaction.on_commit(publish)


def deliveries_unpublished(delivery_ids: list[int]) -> None:
    """The broker refused these pending deliveries' task: no task will run them, so the sweeper
    need not give one ALERTS_REQUEUE_AFTER to run. Moved that much earlier, they are overdue
    when they fall due (at once for a sign-up or staff e-mail, after its delay for a retry), and
    the first sweep after that publishes them (docs/reliability.md, 5)."""
    earlier = timedelta(seconds=settings.ALERTS_REQUEUE_AFTER)
    try:
        Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(due_at=F("due_at") - earlier)
    except Exception:  # the database is down too: the sweeper finds them when their time is up
        logger.exception("%s unpublished deliveries keep their due time", len(delivery_ids))


def alert_fan_out(*, alert_id: int) -> int:
    """Split an alert's pending deliveries into chunk tasks; returns the number of chunks."""
    pending = Delivery.objects.filter(alert_id=alert_id, status=DeliveryStatus.PENDING).order_by("pk")
    chunks = deliveries_publish(list(pending.values_list("pk", flat=True)))
    Alert.objects.filter(pk=alert_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return chunks

"""From recorded events to Delivery rows, and from Delivery rows to chunk tasks (the whole life
of a delivery: alerts/services/delivery.py).

`alert_create` runs inside the transaction that records the events (`events_record` in
ratification/services/events.py calls it): the alert and its deliveries commit or roll back
with them. Only after the commit is anything published (`transaction.on_commit`), so a
rolled-back poll sends nothing, and a broker that is down at that moment loses nothing: the
alert stays unqueued and the sweeper publishes it on its next run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
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
        for name in ("alert", "channel", "subscription", "status", "attempts", "due_at", "claim", "error", "created_at")
    )
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "
        f"SELECT %s, %s, recipients.{quote('recipient_id')}, %s, 0, %s, '', '', %s FROM ({select_sql}) recipients"
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


def alert_create(*, treaty: Treaty, events: Iterable[Event], poll_run: PollRun | None) -> Alert | None:
    """Group the announced events of one recording into one alert, owed to every recipient."""
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


def alert_fan_out(*, alert_id: int) -> int:
    """Split an alert's pending deliveries into chunk tasks; returns the number of chunks."""
    pending = Delivery.objects.filter(alert_id=alert_id, status=DeliveryStatus.PENDING).order_by("pk")
    chunks = deliveries_publish(list(pending.values_list("pk", flat=True)))
    Alert.objects.filter(pk=alert_id, queued_at__isnull=True).update(queued_at=timezone.now())
    return chunks

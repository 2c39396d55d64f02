"""The sweeper (a periodic task): the one way a delivery no live task holds is picked up again.

See alerts/services/delivery.py for the whole life of a delivery. Each run:
- claims the committed events no claim took (the process that recorded them died before its
  on-commit claim ran, or the claim failed) and owes their alerts (`fanout.events_claim`);
- publishes alerts whose fan-out task could not be published (the broker was down);
- deliveries left in `sending` by a dead worker, once their lease (longer than a chunk task's
  hard time limit, so the task that claimed them cannot still be running) has expired;
- pending deliveries overdue by ALERTS_REQUEUE_AFTER, whose task message was lost (or was
  never published: a sign-up e-mail or a staff alert owed while the broker was down).
`send_alerts` runs the same pick-up with no delay, and sends in its own process.
A second publication of a chunk still in the queue is harmless: whichever copy runs first
claims the rows, the other finds nothing to claim.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from alerts.models import Alert, Delivery, DeliveryStatus
from alerts.services.fanout import alert_publish, batched, deliveries_publish, events_claim
from ratification.models import Event

logger = logging.getLogger(__name__)

# Leave the on_commit hook of a just-committed alert the time to publish it first.
UNQUEUED_GRACE = timedelta(seconds=10)


@dataclass(frozen=True)
class SweepReport:
    alerts: int
    reclaimed: int
    requeued: int
    recordings: int = 0

    @property
    def did_work(self) -> bool:
        return bool(self.alerts or self.reclaimed or self.requeued or self.recordings)


def events_claim_left(*, recorded_before: datetime.datetime) -> int:
    """Claim the committed events recorded before then and left unprocessed, one claim per treaty
    and poll (events recorded by staff share one: only that they were left is known). Returns
    how many claims owed their alert."""
    left = Event.objects.filter(processed_at__isnull=True, created_at__lte=recorded_before)
    recordings: dict[tuple[int, int | None], list[int]] = {}
    for event_id, treaty_id, poll_run_id in left.order_by("pk").values_list("pk", "treaty_id", "poll_run_id")[:1000]:
        recordings.setdefault((treaty_id, poll_run_id), []).append(event_id)
    if recordings:
        logger.warning("claiming the events of %s recordings no on-commit claim took", len(recordings))
    claimed = 0
    for event_ids in recordings.values():
        try:
            claimed += events_claim(event_ids=event_ids) is not None
        except Exception:
            logger.exception("sweeper: events %s could not be claimed; next sweep", event_ids)
    return claimed


def deliveries_due(
    *, now: datetime.datetime, overdue_after: timedelta, limit: int | None, unqueued_alerts: bool = False
) -> tuple[list[int], list[int]]:
    """(reclaimed, due): the deliveries no live task holds, at most `limit` of them.

    Reclaimed rows were left `sending` by a stopped worker past their lease (longer than a
    chunk's hard time limit, so the task that claimed them cannot still be running), and go back
    to `pending` here. Due rows are `pending` and due `overdue_after` ago: the sweeper leaves
    their task ALERTS_REQUEUE_AFTER to run, and leaves the rows of an alert whose fan-out is not
    published yet to that fan-out; `send_alerts` takes whatever is due now (`unqueued_alerts`).
    """
    lease = timedelta(seconds=settings.ALERTS_SENDING_LEASE)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - lease)
    reclaimed = list(stuck.order_by("pk").values_list("pk", flat=True)[:limit])
    Delivery.objects.filter(pk__in=reclaimed, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, claim="", error="reclaimed from a worker that stopped"
    )
    if reclaimed:
        logger.warning("reclaimed %s deliveries left in sending by a stopped worker", len(reclaimed))

    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now - overdue_after).exclude(
        pk__in=reclaimed
    )
    if not unqueued_alerts:
        due = due.filter(Q(alert__isnull=True) | Q(alert__queued_at__isnull=False))
    due = due.order_by("pk").values_list("pk", flat=True)
    return reclaimed, list(due if limit is None else due[: max(limit - len(reclaimed), 0)])


def deliveries_requeue(*, now: datetime.datetime | None = None) -> SweepReport:
    """One sweep: at most ALERTS_SWEEP_LIMIT deliveries per run, the rest on the next."""
    now = now or timezone.now()
    # The on-commit claim of a recording just committed goes first.
    recordings = events_claim_left(recorded_before=now - UNQUEUED_GRACE)
    unqueued = Alert.objects.filter(queued_at__isnull=True, created_at__lte=now - UNQUEUED_GRACE, recipients__gt=0)
    alerts = sum(alert_publish(alert_id=alert_id) for alert_id in unqueued.values_list("pk", flat=True)[:100])

    reclaimed, orphans = deliveries_due(
        now=now, overdue_after=timedelta(seconds=settings.ALERTS_REQUEUE_AFTER), limit=settings.ALERTS_SWEEP_LIMIT
    )
    requeued = 0
    for chunk in batched(reclaimed + orphans, settings.ALERTS_CHUNK_SIZE):
        try:
            deliveries_publish(chunk)
        except Exception:
            logger.exception("sweeper: the broker refused a chunk; next sweep")
            break
        # Restart their clock, so the next sweep leaves this publication time to be consumed.
        Delivery.objects.filter(pk__in=chunk, status=DeliveryStatus.PENDING).update(due_at=now)
        requeued += len(chunk)
    return SweepReport(alerts=alerts, reclaimed=len(reclaimed), requeued=requeued, recordings=recordings)

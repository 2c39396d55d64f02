"""The sweeper (a periodic task): the one way a delivery no live task holds is picked up again.

See alerts/services/delivery.py for the whole life of a delivery. Each run publishes again:
- alerts whose fan-out task could not be published (the broker was down at commit time);
- deliveries left in `sending` by a dead worker, once their lease (longer than a chunk task's
  hard time limit, so the task that claimed them cannot still be running) has expired;
- pending deliveries overdue by ALERTS_REQUEUE_AFTER, whose task message was lost.
A second publication of a chunk still in the queue is harmless: whichever copy runs first
claims the rows, the other finds nothing to claim.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from alerts.models import Alert, Delivery, DeliveryStatus
from alerts.services.fanout import alert_publish, batched, deliveries_publish

logger = logging.getLogger(__name__)

# Leave the on_commit hook of a just-committed alert the time to publish it first.
UNQUEUED_GRACE = timedelta(seconds=10)


@dataclass(frozen=True)
class SweepReport:
    alerts: int
    reclaimed: int
    requeued: int

    @property
    def did_work(self) -> bool:
        return bool(self.alerts or self.reclaimed or self.requeued)


def deliveries_requeue(*, now: datetime.datetime | None = None) -> SweepReport:
    """One sweep: at most ALERTS_SWEEP_LIMIT deliveries per run, the rest on the next."""
    now = now or timezone.now()
    unqueued = Alert.objects.filter(queued_at__isnull=True, created_at__lte=now - UNQUEUED_GRACE, recipients__gt=0)
    alerts = sum(alert_publish(alert_id=alert_id) for alert_id in unqueued.values_list("pk", flat=True)[:100])

    limit = settings.ALERTS_SWEEP_LIMIT
    lease = timedelta(seconds=settings.ALERTS_SENDING_LEASE)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - lease)
    reclaimed = list(stuck.order_by("pk").values_list("pk", flat=True)[:limit])
    Delivery.objects.filter(pk__in=reclaimed, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, claim="", error="reclaimed from a worker that stopped"
    )
    if reclaimed:
        logger.warning("reclaimed %s deliveries left in sending by a stopped worker", len(reclaimed))

    overdue = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        due_at__lte=now - timedelta(seconds=settings.ALERTS_REQUEUE_AFTER),
        alert__queued_at__isnull=False,
    ).exclude(pk__in=reclaimed)
    orphans = list(overdue.order_by("pk").values_list("pk", flat=True)[: max(limit - len(reclaimed), 0)])

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
    return SweepReport(alerts=alerts, reclaimed=len(reclaimed), requeued=requeued)

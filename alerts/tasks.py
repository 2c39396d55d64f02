"""Celery tasks: thin wrappers that take ids and call the service of the same name.

Time limits: a chunk of ALERTS_CHUNK_SIZE messages must finish well inside Redis'
visibility_timeout (pretix #2058: a task outliving it is delivered again); the settings
test holds `visibility_timeout > every time limit and countdown` used here.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from alerts.services import delivery, fanout, subscriptions, sweep


@shared_task(name="alerts.tasks.alert_fan_out", time_limit=5 * 60, soft_time_limit=4 * 60)
def alert_fan_out(alert_id: int) -> int:
    return fanout.alert_fan_out(alert_id=alert_id)


@shared_task(
    name="alerts.tasks.deliveries_send",
    time_limit=settings.ALERTS_CHUNK_TIME_LIMIT,
    soft_time_limit=settings.ALERTS_CHUNK_TIME_LIMIT - 30,
)
def deliveries_send(delivery_ids: list[int]) -> dict[str, int]:
    report = delivery.deliveries_send(delivery_ids=delivery_ids)
    return {"sent": report.sent, "failed": report.failed, "deferred": report.deferred, "skipped": report.skipped}


@shared_task(name="alerts.tasks.deliveries_requeue", time_limit=5 * 60, soft_time_limit=4 * 60)
def deliveries_requeue() -> dict[str, int]:
    report = sweep.deliveries_requeue()
    return {
        "recordings": report.recordings,
        "alerts": report.alerts,
        "reclaimed": report.reclaimed,
        "requeued": report.requeued,
    }


@shared_task(name="alerts.tasks.subscriptions_purge_unconfirmed", time_limit=5 * 60, soft_time_limit=4 * 60)
def subscriptions_purge_unconfirmed() -> int:
    return subscriptions.subscriptions_purge_unconfirmed()

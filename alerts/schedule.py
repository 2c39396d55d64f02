"""The alerts app's periodic tasks, declared in one place and stored idempotently in
django-celery-beat's tables (run after every migrate)."""

from __future__ import annotations

from django.conf import settings


def ensure_alert_schedule() -> int:
    """Create or update the sweeper's beat entry; returns how many entries were written."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(
        every=settings.ALERTS_SWEEP_INTERVAL, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name="alerts: re-queue deliveries left behind",
        defaults={"task": "alerts.tasks.deliveries_requeue", "interval": every},
    )
    return 1

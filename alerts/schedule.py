"""The alerts app's periodic tasks, declared in one place and stored idempotently in
django-celery-beat's tables (run after every migrate)."""

from __future__ import annotations

from django.conf import settings


def ensure_alert_schedule() -> int:
    """Create or update the alerts' beat entries; returns how many entries were written."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(
        every=settings.ALERTS_SWEEP_INTERVAL, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name="alerts: re-queue deliveries left behind",
        defaults={"task": "alerts.tasks.deliveries_requeue", "interval": every},
    )
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="17", hour="3", timezone="UTC")
    PeriodicTask.objects.update_or_create(
        name="alerts: forget sign-ups never confirmed",
        defaults={"task": "alerts.tasks.subscriptions_purge_unconfirmed", "crontab": nightly},
    )
    return 2

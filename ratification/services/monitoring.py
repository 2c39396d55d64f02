"""The dead-man's switch: notice when polls stop succeeding, whatever the reason.

Failing polls raise their own alert (`polling`); this catches the silent cases too: a
disabled schedule, a stuck queue, a worker that never picks the poll up. It runs hourly from
beat, so a dead beat or worker is caught by `/healthz` (503) instead, which an outside monitor
should watch.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ratification.models import Treaty
from ratification.schedule import poll_interval_seconds
from ratification.selectors import treaty_freshness
from ratification.services import staff_alerts


def silence_limit(treaty: Treaty) -> datetime.timedelta:
    """Three polling intervals, as staff set the treaty's schedule (not the default)."""
    return datetime.timedelta(seconds=3 * poll_interval_seconds(treaty))


def last_success_or_creation(treaty: Treaty) -> datetime.datetime:
    """When the treaty was last read successfully (or added, if never)."""
    return treaty_freshness(treaty=treaty).last_success_at or treaty.created_at


def source_silence_check(*, now: datetime.datetime | None = None) -> int:
    """Alert staff once per treaty whose polls have not succeeded for 3 intervals. Returns how many."""
    now = now or timezone.now()
    alerted = 0
    polled = Treaty.objects.filter(poll_enabled=True, failure_alerted_at__isnull=True)
    for treaty in polled.select_related("poll_task__interval"):
        since = last_success_or_creation(treaty)
        if now - since < silence_limit(treaty):
            continue
        # The same claim as a failing poll's: one incident, one alert, one recovery notice
        # (sent by the next successful poll).
        with transaction.atomic():
            if Treaty.objects.filter(pk=treaty.pk, failure_alerted_at__isnull=True).update(failure_alerted_at=now):
                staff_alerts.source_silent(treaty=treaty, since=since)
                alerted += 1
    return alerted

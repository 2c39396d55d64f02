"""Celery tasks: thin wrappers that take ids, call one service, and report what they did."""

from __future__ import annotations

import datetime
import logging
import random

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ratification.models import PollRun, Treaty
from ratification.schedule import phase_start, poll_interval_seconds, poll_offset_seconds
from ratification.services import monitoring
from ratification.services.events import entry_into_force_record
from ratification.services.polling import poll_start, poll_treaty, poll_unqueued

logger = logging.getLogger(__name__)


def schedule_slot(now: datetime.datetime, seconds: int, offset: float = 0) -> datetime.datetime:
    """The start of the interval `now` falls in (intervals `offset` seconds past the epoch's):
    two schedulers firing in the same interval get the same slot, and the database records one
    poll for it."""
    return phase_start(now=now, interval_seconds=seconds, offset_seconds=offset)


@shared_task
def poll_treaty_scheduled(treaty_id: int) -> None:
    """What beat fires: queue the poll with its slot, after a random delay (jitter).

    The slot follows the schedule as staff last set it in the admin, not the default, and starts
    at the treaty's own phase within the interval (ratification/schedule.py). A treaty never read
    successfully is polled at once: its page says "not checked against the source yet" until then,
    and after `make run` that was up to POLL_JITTER_SECONDS (10 minutes).
    """
    treaty = Treaty.objects.select_related("poll_task__interval").get(pk=treaty_id)
    interval = poll_interval_seconds(treaty)
    offset = poll_offset_seconds(task_id=treaty.poll_task_id, interval_seconds=interval) if treaty.poll_task_id else 0
    slot = schedule_slot(timezone.now(), interval, offset)
    never_read = not treaty.source_hash
    delay = 0.0 if never_read else random.uniform(0, min(settings.POLL_JITTER_SECONDS, interval / 2))
    poll_treaty_task.apply_async(args=[treaty_id], kwargs={"slot": slot.isoformat()}, countdown=delay)


@shared_task
def poll_treaty_task(treaty_id: int, slot: str | None = None, run_id: int | None = None) -> str:
    """A scheduled poll (with its slot), or one staff started (`run_id`: its PollRun, running)."""
    treaty = Treaty.objects.get(pk=treaty_id)
    run = PollRun.objects.get(pk=run_id) if run_id else None
    report = poll_treaty(treaty=treaty, slot=datetime.datetime.fromisoformat(slot) if slot else None, run=run)
    return report.run.outcome


def poll_treaty_enqueue(*, treaty: Treaty) -> PollRun | None:
    """ "Poll now": start a run (`poll_start`) and publish `poll_treaty_task` for it once the
    transaction commits. None when another poll of the treaty is running."""
    run = poll_start(treaty=treaty)
    if run is not None:
        transaction.on_commit(lambda: _poll_publish(run))
    return run


def _poll_publish(run: PollRun) -> None:
    try:
        poll_treaty_task.delay(run.treaty_id, run_id=run.pk)
    except Exception as error:
        poll_unqueued(run=run, error=error)


@shared_task
def entry_into_force_check() -> int:
    """Daily: record entry into force for every treaty whose date has come. Returns how many."""
    return sum(entry_into_force_record(treaty=treaty) is not None for treaty in Treaty.objects.all())


@shared_task
def source_silence_check() -> int:
    """Hourly dead-man's switch: alert staff when polls have stopped succeeding."""
    return monitoring.source_silence_check()

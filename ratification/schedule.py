"""Every periodic job of the tracker, both apps', declared here and stored as django-celery-beat rows.

Staff edit the rows in the admin (interval, crontab, enabled); `schedule_ensure` (after every
`migrate`) and `treaty_schedule_ensure` (when a treaty is followed) only create what is
missing, so neither a restart nor a migration undoes an edit. A treaty's poll schedule is its own
row, linked to it by `Treaty.poll_task`: the poll's slot, the health check and the dead-man's
switch read its interval through that link, whatever its name or arguments say.

**Polls spread across the interval.** Each poll row has its own phase, a fixed offset within its
interval (`poll_offset_seconds`), and `PhasedScheduler` (beat's scheduler, settings
CELERY_BEAT_SCHEDULER) fires the row at that offset each interval: a treaty is polled at its own
minute of the interval, not when it happened to be added. 500 treaties followed in one go are
polled once at once (their first poll: the page must not say "not checked yet" for hours), then
about one every 43 seconds over the default 6 hours, not 500 at the top of the interval. Beat
alone would keep them bunched for ever: it sets the next run one interval after the last one.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field

from celery.schedules import schedule as interval_schedule
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

from ratification.models import Treaty

POLL_TASK = "ratification.tasks.poll_treaty_scheduled"


@dataclass(frozen=True)
class Job:
    """A periodic job: every `interval` (count, period), or at a crontab's times (UTC)."""

    name: str
    task: str
    description: str
    interval: tuple[int, str] | None = None
    crontab: dict[str, str] = field(default_factory=dict)


def periodic_jobs() -> list[Job]:
    """The jobs beside the treaties' polls."""
    return [
        Job(
            "Entry-into-force check",
            "ratification.tasks.entry_into_force_check",
            "Records (and announces) a treaty's entry into force on the day.",
            crontab={"minute": "5", "hour": "0"},
        ),
        Job(
            "Dead-man's switch: polls succeeding",
            "ratification.tasks.source_silence_check",
            "Alerts staff once when no poll of a treaty has succeeded for 3 polling intervals.",
            interval=(1, IntervalSchedule.HOURS),
        ),
        Job(
            "alerts: re-queue deliveries left behind",
            "alerts.tasks.deliveries_requeue",
            "The sweeper: publishes again the deliveries no live task holds (alerts/services/sweep.py).",
            interval=(settings.ALERTS_SWEEP_INTERVAL, IntervalSchedule.SECONDS),
        ),
        Job(
            "alerts: forget sign-ups never confirmed",
            "alerts.tasks.subscriptions_purge_unconfirmed",
            "Deletes sign-ups not confirmed within ALERTS_UNCONFIRMED_DAYS.",
            crontab={"minute": "17", "hour": "3"},
        ),
    ]


def schedule_ensure() -> None:
    """Every periodic job: each treaty's poll and the jobs of `periodic_jobs`."""
    for treaty in Treaty.objects.filter(poll_task__isnull=True):
        treaty_schedule_ensure(treaty=treaty)
    for job in periodic_jobs():
        schedule = {"description": job.description}
        if job.interval:
            every, period = job.interval
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        else:
            crontab = {"day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **job.crontab}
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **crontab)
        PeriodicTask.objects.get_or_create(name=job.name, defaults={"task": job.task, **schedule})


def treaty_schedule_ensure(*, treaty: Treaty) -> PeriodicTask:
    """The poll schedule of one treaty: every POLL_INTERVAL_HOURS unless staff changed it."""
    if treaty.poll_task_id is not None:
        return treaty.poll_task
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=settings.POLL_INTERVAL_HOURS, period=IntervalSchedule.HOURS
    )
    task, _ = PeriodicTask.objects.get_or_create(
        name=f"Poll UNTC: {treaty.mtdsg}",
        defaults={
            "task": POLL_TASK,
            "interval": interval,
            "args": json.dumps([treaty.pk]),
            "enabled": treaty.poll_enabled,
            # As if it last ran one interval ago: beat polls a newly followed treaty as soon as
            # it starts, not an interval later.
            "last_run_at": timezone.now() - interval.schedule.run_every,
            "description": f"Reads the UNTC status file of {treaty.mtdsg} and records what changed.",
        },
    )
    Treaty.objects.filter(pk=treaty.pk).update(poll_task=task)
    treaty.poll_task = task
    return task


def poll_interval_seconds(treaty: Treaty) -> int:
    """The poll interval of the treaty's schedule as staff last set it (the default if none)."""
    task = treaty.poll_task
    if task is None or task.interval is None:
        return settings.POLL_INTERVAL_HOURS * 3600
    return int(task.interval.schedule.run_every.total_seconds())


# The fractional part of the golden ratio: the offsets of rows 1, 2, 3, ... (k * PHI mod 1) fall
# evenly across the interval however many there are (the three-gap theorem), where a hash would
# leave chance clusters.
PHI = (math.sqrt(5) - 1) / 2


def poll_offset_seconds(*, task_id: int, interval_seconds: float) -> float:
    """The poll row's fixed phase: where in each interval (from the epoch) it fires."""
    return (task_id * PHI) % 1.0 * interval_seconds


def phase_start(*, now: datetime.datetime, interval_seconds: float, offset_seconds: float) -> datetime.datetime:
    """The latest moment at or before `now` that is `offset_seconds` into an interval: the poll's slot."""
    step = max(float(interval_seconds), 1.0)
    elapsed = now.timestamp() - offset_seconds
    return datetime.datetime.fromtimestamp(math.floor(elapsed / step) * step + offset_seconds, tz=datetime.UTC)


class PhasedEntry(ModelEntry):
    """A beat entry that, once a treaty's poll has fired, sets its last run to the start of the
    current phase rather than to the moment it fired: the next run falls on the treaty's own
    offset, one interval later, without the drift of beat's late ticks."""

    def __next__(self) -> PhasedEntry:
        entry = super().__next__()
        if self.task == POLL_TASK and isinstance(self.schedule, interval_schedule):
            seconds = self.schedule.run_every.total_seconds()
            offset = poll_offset_seconds(task_id=self.model.pk, interval_seconds=seconds)
            aligned = phase_start(now=self.model.last_run_at, interval_seconds=seconds, offset_seconds=offset)
            self.model.last_run_at = entry.last_run_at = aligned
        return entry


class PhasedScheduler(DatabaseScheduler):
    """django-celery-beat's scheduler, with each treaty's poll on its own phase (see the module)."""

    Entry = PhasedEntry

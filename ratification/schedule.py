"""The periodic jobs, declared in one place and stored as django-celery-beat rows.

Staff edit the rows in the admin (interval, enabled); these functions only create what is
missing, so a restart or a migration never undoes an edit.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from ratification.models import Treaty

POLL_TASK = "ratification.tasks.poll_treaty_scheduled"
ENTRY_INTO_FORCE_TASK = "ratification.tasks.entry_into_force_check"
SILENCE_TASK = "ratification.tasks.source_silence_check"


def poll_task_name(treaty: Treaty) -> str:
    return f"Poll UNTC: {treaty.mtdsg}"


def treaty_schedule_ensure(*, treaty: Treaty) -> PeriodicTask:
    """The poll schedule of one treaty: every POLL_INTERVAL_HOURS unless staff changed it."""
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=settings.POLL_INTERVAL_HOURS, period=IntervalSchedule.HOURS
    )
    task, _ = PeriodicTask.objects.get_or_create(
        name=poll_task_name(treaty),
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
    return task


def poll_interval_seconds(treaty_id: int) -> int:
    """The poll interval of a treaty's schedule as staff last set it (the default if none)."""
    task = PeriodicTask.objects.select_related("interval").filter(task=POLL_TASK, args=json.dumps([treaty_id])).first()
    if task is None or task.interval is None:
        return settings.POLL_INTERVAL_HOURS * 3600
    return int(task.interval.schedule.run_every.total_seconds())


def schedule_ensure() -> None:
    """Every periodic job: one poll schedule per treaty, the daily entry-into-force check and
    the hourly dead-man's switch."""
    for treaty in Treaty.objects.all():
        treaty_schedule_ensure(treaty=treaty)
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    PeriodicTask.objects.get_or_create(
        name="Entry-into-force check",
        defaults={
            "task": ENTRY_INTO_FORCE_TASK,
            "crontab": daily,
            "description": "Records (and announces) a treaty's entry into force on the day.",
        },
    )
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.get_or_create(
        name="Dead-man's switch: polls succeeding",
        defaults={
            "task": SILENCE_TASK,
            "interval": hourly,
            "description": "Alerts staff once when no poll of a treaty has succeeded for 3 polling intervals.",
        },
    )

"""Periodic jobs: declared once, stored as django-celery-beat rows, never undoing staff edits."""

from __future__ import annotations

import datetime
import json

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ratification.schedule import poll_interval_seconds, poll_offset_seconds, schedule_ensure
from ratification.tasks import schedule_slot

pytestmark = pytest.mark.django_db


class ScheduleTests:
    def test_it_polls_each_treaty_every_six_hours_by_default(self, treaty):
        task = PeriodicTask.objects.get(name="Poll UNTC: XVIII-16")
        assert (task.task, json.loads(task.args), task.enabled) == (
            "ratification.tasks.poll_treaty_scheduled",
            [treaty.pk],
            True,
        )
        assert (task.interval.every, task.interval.period) == (6, IntervalSchedule.HOURS)

    def test_it_keeps_a_staff_edit_of_the_interval(self, treaty):
        hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
        PeriodicTask.objects.filter(name="Poll UNTC: XVIII-16").update(interval=hourly, enabled=False)
        schedule_ensure()
        task = PeriodicTask.objects.get(name="Poll UNTC: XVIII-16")
        assert (task.interval.every, task.enabled) == (1, False)

    def test_it_checks_entry_into_force_daily(self, treaty):
        schedule_ensure()
        task = PeriodicTask.objects.get(name="Entry-into-force check")
        assert (task.task, task.crontab.hour, task.crontab.minute) == (
            "ratification.tasks.entry_into_force_check",
            "0",
            "5",
        )


class SlotTests:
    def test_two_schedulers_firing_in_the_same_interval_get_the_same_slot(self):
        first = schedule_slot(datetime.datetime(2026, 11, 29, 6, 0, 3, tzinfo=datetime.UTC), 6 * 3600)
        second = schedule_slot(datetime.datetime(2026, 11, 29, 11, 59, 59, tzinfo=datetime.UTC), 6 * 3600)
        assert first == second == datetime.datetime(2026, 11, 29, 6, tzinfo=datetime.UTC)

    def test_the_slot_follows_the_interval_staff_set(self, treaty):
        hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
        PeriodicTask.objects.filter(name="Poll UNTC: XVIII-16").update(interval=hourly)
        treaty.refresh_from_db()
        assert poll_interval_seconds(treaty) == 3600

    def test_the_schedule_belongs_to_its_treaty_whatever_its_arguments_say(self, treaty):
        hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
        PeriodicTask.objects.filter(name="Poll UNTC: XVIII-16").update(interval=hourly, args="[999]")
        treaty.refresh_from_db()
        assert treaty.poll_task.name == "Poll UNTC: XVIII-16"
        assert poll_interval_seconds(treaty) == 3600

    def test_a_scheduled_poll_is_queued_with_its_slot(self, treaty, settings, monkeypatch, time_machine):
        from ratification import tasks

        time_machine.move_to(datetime.datetime(2026, 11, 29, 7, 30, tzinfo=datetime.UTC))
        settings.POLL_JITTER_SECONDS = 0
        queued = []
        monkeypatch.setattr(tasks.poll_treaty_task, "apply_async", lambda **kwargs: queued.append(kwargs))
        tasks.poll_treaty_scheduled(treaty.pk)
        [poll] = queued
        # The slot starts at the treaty's own phase: the latest moment its offset into an interval.
        slot = datetime.datetime.fromisoformat(poll["kwargs"]["slot"])
        offset = poll_offset_seconds(task_id=treaty.poll_task_id, interval_seconds=6 * 3600)
        assert slot <= datetime.datetime(2026, 11, 29, 7, 30, tzinfo=datetime.UTC) < slot + datetime.timedelta(hours=6)
        # Microseconds round the slot: its distance from the phase may come out just under a
        # whole interval rather than just over 0.
        remainder = (slot.timestamp() - offset) % (6 * 3600)
        assert min(remainder, 6 * 3600 - remainder) == pytest.approx(0, abs=1e-3)
        assert poll == {"args": [treaty.pk], "kwargs": {"slot": slot.isoformat()}, "countdown": 0.0}


class JitterTests:
    def queued_delays(self, treaty, monkeypatch, times: int = 20) -> list[float]:
        from ratification import tasks

        queued = []
        monkeypatch.setattr(tasks.poll_treaty_task, "apply_async", lambda **kwargs: queued.append(kwargs))
        for _ in range(times):
            tasks.poll_treaty_scheduled(treaty.pk)
        return [poll["countdown"] for poll in queued]

    def test_a_treaty_never_read_is_polled_at_once(self, treaty, settings, monkeypatch):
        settings.POLL_JITTER_SECONDS = 600
        assert set(self.queued_delays(treaty, monkeypatch)) == {0.0}

    def test_a_treaty_read_before_waits_a_random_delay(self, treaty, settings, monkeypatch):
        settings.POLL_JITTER_SECONDS = 600
        treaty.source_hash = "0" * 64
        treaty.save()
        delays = self.queued_delays(treaty, monkeypatch)
        assert all(0 <= delay <= 600 for delay in delays) and len(set(delays)) > 1


class FirstPollTests:
    def test_a_newly_followed_treaty_is_due_as_soon_as_beat_starts(self, treaty):
        from django_celery_beat.schedulers import ModelEntry

        entry = ModelEntry(PeriodicTask.objects.get(name="Poll UNTC: XVIII-16"))
        assert entry.is_due().is_due

"""Chunks fit inside Redis' visibility_timeout (pretix #2058), and the schedule is stored."""

from __future__ import annotations

import pytest
from django.conf import settings

from alerts import tasks
from ratification.schedule import schedule_ensure


def visibility_timeout() -> int:
    # The embedded broker has none; the production Redis value is the one that matters.
    from tracker.settings import CELERY_BROKER_TRANSPORT_OPTIONS

    return CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 60 * 60)


class DeliveryLimitsTests:
    def test_it_keeps_every_alerts_task_time_limit_below_the_visibility_timeout(self):
        every_task = (
            tasks.alert_fan_out,
            tasks.deliveries_send,
            tasks.deliveries_requeue,
            tasks.subscriptions_purge_unconfirmed,
        )
        for task in every_task:
            assert task.time_limit < visibility_timeout(), task.name
            assert task.soft_time_limit < task.time_limit, task.name

    def test_it_keeps_every_retry_countdown_below_the_visibility_timeout(self):
        # Redis holds a countdown task unacknowledged until it runs: a longer one is redelivered.
        # Every message (sign-up and staff e-mails too) is retried by the outbox with this delay.
        assert visibility_timeout() > settings.ALERTS_RETRY_MAX_DELAY

    def test_it_gives_a_dead_worker_rows_back_only_after_the_task_that_held_them_must_have_stopped(self):
        assert tasks.deliveries_send.time_limit < settings.ALERTS_SENDING_LEASE

    def test_it_sends_at_most_500_recipients_per_chunk_and_sweeps_often(self):
        assert settings.ALERTS_CHUNK_SIZE <= 500
        assert settings.ALERTS_SWEEP_INTERVAL <= 120


@pytest.mark.django_db
class ScheduleTests:
    def test_it_stores_the_sweeper_in_the_beat_schedule_once(self):
        from django_celery_beat.models import PeriodicTask

        schedule_ensure()  # migrate already ran it once
        schedule_ensure()
        [entry] = PeriodicTask.objects.filter(task="alerts.tasks.deliveries_requeue")
        assert entry.interval.every == settings.ALERTS_SWEEP_INTERVAL
        assert entry.enabled
        assert PeriodicTask.objects.filter(task="alerts.tasks.subscriptions_purge_unconfirmed").count() == 1

    def test_it_keeps_a_staff_edit_of_the_sweeper(self):
        from django_celery_beat.models import PeriodicTask

        PeriodicTask.objects.filter(task="alerts.tasks.deliveries_requeue").update(enabled=False)
        schedule_ensure()  # what every migrate runs
        assert not PeriodicTask.objects.get(task="alerts.tasks.deliveries_requeue").enabled

"""/healthz: database, broker and the age of the last successful poll."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from kombu import Connection

from ratification.models import PollOutcome, PollRun, ReviewItem, Treaty
from ratification.services.monitoring import source_silence_check
from tests.support.outbox import outbox_send

pytestmark = pytest.mark.django_db


def succeeded(treaty: Treaty, hours_ago: float) -> None:
    when = timezone.now() - datetime.timedelta(hours=hours_ago)
    PollRun.objects.create(treaty=treaty, started_at=when, finished_at=when, outcome=PollOutcome.UNCHANGED)


class HealthzTests:
    def test_it_answers_ok_when_everything_is_fine(self, client, treaty):
        succeeded(treaty, hours_ago=1)
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"] == {"status": "ok"}
        assert body["checks"]["broker"] == {"status": "ok"}
        polls = body["checks"]["polls"]["treaties"]["XVIII-16"]
        assert (polls["status"], polls["state"]) == ("ok", "succeeding")
        assert polls["last_success_at"].endswith("+00:00")

    def test_it_fails_when_no_poll_succeeded_for_three_intervals(self, client, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
        succeeded(treaty, hours_ago=19)
        response = client.get("/healthz")
        assert response.status_code == 503
        polls = response.json()["checks"]["polls"]["treaties"]["XVIII-16"]
        assert (polls["status"], polls["state"]) == ("failing", "silent")
        assert abs(polls["last_success_age_seconds"] - 19 * 3600) < 60

    def test_it_reports_a_treaty_never_read_as_such_and_stays_healthy_at_start_up(self, client, treaty):
        failed = timezone.now()
        PollRun.objects.create(treaty=treaty, started_at=failed, finished_at=failed, outcome=PollOutcome.FAILED)
        response = client.get("/healthz")
        assert response.status_code == 200
        polls = response.json()["checks"]["polls"]["treaties"]["XVIII-16"]
        # Not an "ok" read of some age: there has been none.
        assert polls == {
            "status": "ok",
            "state": "never-succeeded",
            "last_success_at": None,
            "last_success_age_seconds": None,
        }

    def test_a_treaty_never_read_fails_once_the_silence_limit_has_passed(self, client, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
        response = client.get("/healthz")
        assert response.status_code == 503
        polls = response.json()["checks"]["polls"]["treaties"]["XVIII-16"]
        assert (polls["status"], polls["state"], polls["last_success_at"]) == ("failing", "never-succeeded", None)

    def test_it_fails_when_the_broker_cannot_be_reached(self, client, treaty, monkeypatch):
        from tracker.celery import app

        # A real connection attempt to a port where nothing listens.
        monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["broker"]["status"] == "failing"

    def test_it_is_never_cached(self, client, treaty):
        assert "no-cache" in client.get("/healthz")["Cache-Control"]


class DeadMansSwitchTests:
    def test_it_alerts_staff_once_when_polls_stop_succeeding(self, treaty, settings):
        settings.STAFF_ALERT_EMAILS = ["ops@example.org"]
        Treaty.objects.filter(pk=treaty.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
        succeeded(treaty, hours_ago=20)
        assert source_silence_check() == 1
        assert source_silence_check() == 0
        outbox_send()  # staff e-mails go through the outbox
        assert [m.subject for m in mail.outbox] == [mail.outbox[0].subject]
        assert "No successful poll of XVIII-16" in mail.outbox[0].subject
        assert ReviewItem.objects.get().data["reason"] == "silence"

    def test_it_stays_quiet_while_polls_succeed(self, treaty):
        succeeded(treaty, hours_ago=2)
        assert source_silence_check() == 0

    def test_it_gives_a_new_treaty_three_intervals_before_alerting(self, treaty):
        assert source_silence_check() == 0

    def test_it_measures_silence_in_the_interval_staff_set(self, treaty, settings):
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        daily, _ = IntervalSchedule.objects.get_or_create(every=24, period=IntervalSchedule.HOURS)
        PeriodicTask.objects.filter(name="Poll UNTC: XVIII-16").update(interval=daily)
        Treaty.objects.filter(pk=treaty.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
        succeeded(treaty, hours_ago=30)  # 18 h would be "silent" at the default 6 h interval
        assert source_silence_check() == 0

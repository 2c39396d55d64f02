"""The broker (Redis) down while people sign up and while a poll fails: every message the tracker
owes then is a row in its outbox, so no confirmation and no staff alert is lost; they go out
once Redis is back (the sweeper publishes what could not be published), each exactly once.
Every loop is bounded."""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from django.conf import settings

from alerts.models import Channel, Delivery, DeliveryStatus, Scope
from alerts.services.subscriptions import subscription_request
from drills.support import beat, elapsed, figures, supervised_worker
from drills.world import baseline, serve, unfinished
from ratification.models import PollOutcome, Treaty
from ratification.services.polling import poll_treaty
from tests.support.http_server import status
from tests.support.services import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
STAFF = "ops@example.org"


def signup(number: int, treaty: Treaty) -> str:
    email = f"signup{number}@example.org"
    # One client address each: the per-client limit is not what this drill is about.
    subscription_request(
        email=email,
        treaty=treaty,
        scope=Scope.INSTRUMENTS,
        participant_codes=[],
        language="en",
        client_ip=f"198.51.100.{number % 250 + 1}",
    )
    return email


class BrokerDownDrill:
    """Sign-ups and a failing poll while Redis is down: every e-mail out once it is back."""

    def test_no_confirmation_and_no_staff_alert_is_lost(self, treaty, redis_server, smtp, untc, child, tmp_path):
        signups = int(os.environ.get("DRILL_BROKER_SIGNUPS", 30))
        down_for = int(os.environ.get("DRILL_BROKER_DOWN_SECONDS", 20))
        baseline(treaty, untc, 0)
        with (
            beat(broker_url=redis_server.url, log_path=tmp_path / "beat.log", **child),
            supervised_worker(broker_url=redis_server.url, log_path=tmp_path / "worker.log", **child) as workers,
        ):
            redis_server.stop()
            went_down = time.monotonic()
            addresses = [signup(number, treaty) for number in range(signups)]
            serve(untc, status(500))
            for _ in range(settings.POLL_FAILURE_ALERT_AFTER):
                run = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run
                assert run.outcome == PollOutcome.FAILED, run.error
            owed = Delivery.objects.filter(channel__in=[Channel.SIGNUP, Channel.STAFF])
            assert owed.filter(channel=Channel.SIGNUP).count() == signups
            assert owed.filter(channel=Channel.STAFF).count() == 1, "one staff alert for the incident"
            assert owed.filter(status=DeliveryStatus.SENT).count() == 0, "nothing can be sent: Redis is down"
            time.sleep(max(down_for - (time.monotonic() - went_down), 0))
            redis_server.start()
            back = time.monotonic()
            wait_for(
                lambda: workers.alive() and unfinished() == 0,
                timeout=300,
                interval=0.5,
                message="every owed e-mail to go out",
            )
            drained_within = elapsed(back)
        copies = Counter(address for item in smtp.received for address in item.recipients)
        lost = [address for address in [*addresses, STAFF] if copies[address] == 0]
        duplicated = {address: count for address, count in copies.items() if count > 1}
        [staff_mail] = smtp.to(STAFF)
        figures(
            "broker-down-messages",
            down_for=f"{down_for}s",
            signups=signups,
            staff_alerts=len(smtp.to(STAFF)),
            lost=len(lost),
            duplicated=len(duplicated),
            drained_within=drained_within,
            worker_restarts=workers.restarts,
        )
        assert lost == [] and duplicated == {}
        assert staff_mail["Subject"].endswith("is failing")
        assert all(smtp.to(address)[0]["Subject"].startswith("Confirm") for address in addresses)

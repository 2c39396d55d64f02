"""Bounces and complaints stop mail to an address; a badly signed webhook changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alerts.models import Bounce, Delivery, DeliveryStatus, Subscriber
from tests.alerts.world import instrument, record, subscribe

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.ALERTS_WEBHOOK_SECRET = SECRET


def signed(payload: dict, *, secret: str = SECRET, at: float | None = None) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    timestamp = int(at if at is not None else time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={digest}"


def post(client, payload: dict, **options):
    body, signature = signed(payload, **options)
    return client.post(
        "/alerts/webhooks/bounces/", body, content_type="application/json", HTTP_X_TRACKER_SIGNATURE=signature
    )


def suppressed(email: str) -> bool:
    return Subscriber.objects.get(email=email).suppressed_at is not None


class BounceWebhookTests:
    def test_it_suppresses_an_address_at_its_first_hard_bounce(self, client, treaty):
        subscribe("gone@example.org", treaty)
        record(treaty, instrument("Ghana"))
        answer = post(client, {"type": "bounce", "email": "Gone@Example.org", "bounce_type": "hard", "status": "5.1.1"})
        assert answer.status_code == 200
        assert suppressed("gone@example.org")
        assert Delivery.objects.get().status == DeliveryStatus.SKIPPED

    def test_it_suppresses_an_address_that_complained(self, client, treaty):
        subscribe("annoyed@example.org", treaty)
        post(client, {"type": "complaint", "email": "annoyed@example.org"})
        assert suppressed("annoyed@example.org")

    def test_it_suppresses_after_three_soft_bounces_in_thirty_days(self, client, treaty):
        subscribe("full@example.org", treaty)
        soft = {"type": "bounce", "email": "full@example.org", "bounce_type": "soft", "status": "4.2.2"}
        post(client, soft)
        post(client, soft)
        assert not suppressed("full@example.org")
        post(client, soft)
        assert suppressed("full@example.org")

    def test_it_forgets_soft_bounces_older_than_thirty_days(self, client, treaty):
        subscribe("full@example.org", treaty)
        soft = {"type": "bounce", "email": "full@example.org", "bounce_type": "soft", "status": "4.2.2"}
        with time_machine.travel(timezone.now() - timedelta(days=31)):
            post(client, soft)
            post(client, soft)
        post(client, soft)
        assert not suppressed("full@example.org")

    def test_it_sends_no_alert_to_a_suppressed_address(self, client, treaty):
        subscribe("gone@example.org", treaty)
        post(client, {"type": "complaint", "email": "gone@example.org"})
        record(treaty, instrument("Ghana"))
        assert Delivery.objects.count() == 0

    @pytest.mark.parametrize(
        "options",
        [{"secret": "not-the-secret"}, {"at": time.time() - 3600}, {"at": time.time() + 3600}],
        ids=["wrong-secret", "expired", "from-the-future"],
    )
    def test_it_answers_200_and_changes_nothing_for_a_bad_signature(self, client, treaty, options):
        subscribe("ada@example.org", treaty)
        answer = post(client, {"type": "complaint", "email": "ada@example.org"}, **options)
        assert answer.status_code == 200
        assert not suppressed("ada@example.org")
        assert Bounce.objects.count() == 0

    def test_it_answers_200_and_changes_nothing_unsigned_or_when_turned_off(self, client, treaty, settings):
        subscribe("ada@example.org", treaty)
        body = json.dumps({"type": "complaint", "email": "ada@example.org"}).encode()
        assert client.post("/alerts/webhooks/bounces/", body, content_type="application/json").status_code == 200
        settings.ALERTS_WEBHOOK_SECRET = ""
        post(client, {"type": "complaint", "email": "ada@example.org"}, secret="")
        assert not suppressed("ada@example.org")

    def test_it_ignores_a_signed_body_it_cannot_read(self, client, treaty):
        subscribe("ada@example.org", treaty)
        assert post(client, {"type": "delivered", "email": "ada@example.org"}).status_code == 200
        assert post(client, {"no": "fields"}).status_code == 200
        assert Bounce.objects.count() == 0

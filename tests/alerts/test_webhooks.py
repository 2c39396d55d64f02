"""Signed webhooks against a real local receiver: signatures, payloads, 500s and timeouts retried
through the outbox with the same webhook-id, no second accepted copy, endpoints disabled after
repeated failures, and the address guard."""

from __future__ import annotations

import json
import socket
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.models import Channel, Delivery, DeliveryStatus, Scope, WebhookEndpoint
from alerts.services.delivery import deliveries_send
from alerts.services.sweep import deliveries_requeue
from alerts.services.webhooks import EndpointRefused, signature, signing_key, webhook_endpoint_create
from tests.alerts.world import entered_into_force, instrument, record, subscribe, threshold_reached
from tests.alerts.world import signature as signed
from tests.support.webhook_receiver import WebhookReceiver, signature_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT = 1
    settings.STAFF_ALERT_EMAILS = ["staff@example.org"]
    receiver = WebhookReceiver(stall_seconds=2).start()
    yield receiver
    receiver.stop()


def endpoint(treaty, receiver, path: str = "/hook", scope: str = Scope.INSTRUMENTS) -> WebhookEndpoint:
    created = webhook_endpoint_create(treaty=treaty, url=receiver.url(path), scope=scope)
    receiver.secrets[path] = created.secret
    return created


def send_due() -> None:
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    deliveries_send(delivery_ids=ids)


def run_until_delivered(minutes: int = 120) -> None:
    """Let the clock run a minute at a time, sending what is due, until nothing is pending."""
    start = timezone.now()
    for minute in range(1, minutes + 1):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            send_due()
        if not Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).exists():
            return
    raise AssertionError(f"still pending after {minutes} simulated minutes")


class SignatureTests:
    def test_it_signs_as_the_specification_s_example(self):
        # The Standard Webhooks specification's own test vector.
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # pragma: allowlist secret
        value = signature(signing_key(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
        assert value == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    def test_it_gives_each_endpoint_its_own_whsec_secret(self, treaty, receiver):
        first, second = endpoint(treaty, receiver, "/a"), endpoint(treaty, receiver, "/b")
        assert first.secret.startswith("whsec_") and len(signing_key(first.secret)) == 32
        assert first.secret != second.secret


class PayloadTests:
    def test_it_posts_a_signed_json_payload_about_the_new_instrument(self, treaty, receiver):
        endpoint(treaty, receiver)
        record(treaty, instrument("Ghana", counted=12))
        send_due()
        [received] = receiver.to("/hook")
        assert received.valid is True
        assert received.headers["content-type"] == "application/json"
        assert received.headers["webhook-id"].startswith("msg_")
        payload = received.json
        assert payload["type"] == "treaty.action.recorded"
        data = payload["data"]
        assert data["treaty"]["mtdsg"] == "XVIII-16"
        assert data["participant"] == {"name": "Ghana", "code": "GHA"}
        assert (data["kind"], data["date"]) == ("ratification", "2026-02-10")
        assert (data["counted"], data["threshold"]) == (12, 40)
        assert data["status_url"].endswith("/treaties/XVIII-16/")
        assert data["headline"] == "Ghana ratified the UN Convention against Cybercrime: 12 of 40"
        assert Delivery.objects.get().status == DeliveryStatus.SENT

    def test_it_names_the_milestones_by_their_type(self, treaty, receiver):
        endpoint(treaty, receiver)
        record(treaty, threshold_reached("Ghana"))
        record(treaty, entered_into_force())
        send_due()
        types = [item.json["type"] for item in receiver.to("/hook")]
        assert types == ["treaty.threshold.reached", "treaty.entered_into_force"]
        assert receiver.to("/hook")[0].json["data"]["entry_into_force"] == "2027-01-20"

    def test_it_sends_signatures_only_to_endpoints_that_want_everything(self, treaty, receiver):
        endpoint(treaty, receiver, "/instruments", Scope.INSTRUMENTS)
        endpoint(treaty, receiver, "/everything", Scope.EVERYTHING)
        record(treaty, signed("Ghana"))
        send_due()
        assert len(receiver.to("/everything")) == 1
        assert receiver.to("/instruments") == []
        assert Delivery.objects.get().webhook.url.endswith("/everything")

    def test_it_sends_one_message_per_alert_alongside_the_e_mails(self, treaty, receiver, smtp_sink):
        subscribe("ada@example.org", treaty)
        endpoint(treaty, receiver)
        record(treaty, instrument("Ghana"), instrument("Peru", counted=13))
        send_due()
        [received] = receiver.to("/hook")
        assert [event["participant"]["name"] for event in received.json["data"]["events"]] == ["Ghana", "Peru"]
        assert len(smtp_sink.messages) == 1
        assert Counter(Delivery.objects.values_list("channel", "status")) == Counter(
            {(Channel.EMAIL, DeliveryStatus.SENT): 1, (Channel.WEBHOOK, DeliveryStatus.SENT): 1}
        )


class RetryTests:
    def test_it_retries_500s_and_timeouts_with_the_same_id_and_body(self, treaty, receiver):
        endpoint(treaty, receiver)
        receiver.plan("/hook", 500, "timeout", 503)
        record(treaty, instrument("Ghana"))
        send_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert "HTTP 500" in delivery.error
        run_until_delivered()
        attempts = receiver.to("/hook")
        assert [item.answered for item in attempts] == [500, "timeout", 503, 200]
        assert len({item.id for item in attempts}) == 1
        assert len({item.body for item in attempts}) == 1
        assert all(item.valid for item in attempts)
        assert receiver.copies_accepted() == Counter({("/hook", attempts[0].id): 1})
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
        assert WebhookEndpoint.objects.get().consecutive_failures == 0

    def test_the_sweeper_sends_again_what_a_dead_worker_left_and_the_id_does_not_change(
        self, treaty, receiver, chunk_queue
    ):
        endpoint(treaty, receiver)
        record(treaty, instrument("Ghana"))
        send_due()
        [first] = receiver.to("/hook")
        # As if the worker died between the receiver's 200 and marking the row sent.
        claimed = timezone.now() - timedelta(seconds=settings.ALERTS_SENDING_LEASE + 1)
        Delivery.objects.update(status=DeliveryStatus.SENDING, claim="dead-worker", claimed_at=claimed)
        assert deliveries_requeue().reclaimed == 1
        chunk_queue.run_due()
        assert Delivery.objects.get().status == DeliveryStatus.SENT
        [_, again] = receiver.to("/hook")
        assert (again.id, again.body) == (first.id, first.body)  # the receiver drops it by its id

    def test_a_chunk_run_twice_posts_once(self, treaty, receiver):
        endpoint(treaty, receiver)
        record(treaty, instrument("Ghana"))
        send_due()
        send_due()
        assert len(receiver.to("/hook")) == 1

    def test_one_failing_receiver_does_not_hold_up_the_others(self, treaty, receiver):
        endpoint(treaty, receiver, "/down")
        endpoint(treaty, receiver, "/up")
        receiver.plan("/down", *([500] * 3))
        record(treaty, instrument("Ghana"))
        send_due()
        assert len(receiver.to("/up")) == 1
        assert Counter(Delivery.objects.values_list("status", flat=True)) == Counter(
            {DeliveryStatus.PENDING: 1, DeliveryStatus.SENT: 1}
        )

    def test_it_disables_an_endpoint_after_repeated_failures_and_tells_staff_once(self, treaty, receiver, settings):
        settings.CHANNEL_DISABLE_AFTER_FAILURES = 3
        hook = endpoint(treaty, receiver)
        receiver.plan("/hook", *([500] * 20))
        record(treaty, instrument("Ghana"))
        run_until_delivered()
        hook.refresh_from_db()
        assert not hook.enabled and hook.disabled_at is not None
        assert "3 failed attempts in a row" in hook.disabled_reason
        assert len(receiver.to("/hook")) == 3
        assert Delivery.objects.get(channel="webhook").status == DeliveryStatus.SKIPPED
        [staff_mail] = [m for m in mail.outbox if "disabled" in m.subject]
        assert staff_mail.to == ["staff@example.org"]
        assert hook.url in staff_mail.body
        # A disabled endpoint is owed nothing more.
        record(treaty, instrument("Peru"))
        assert Delivery.objects.filter(channel="webhook").count() == 1

    def test_a_410_gone_disables_the_endpoint_at_once(self, treaty, receiver):
        hook = endpoint(treaty, receiver)
        receiver.plan("/hook", 410)
        record(treaty, instrument("Ghana"))
        send_due()
        hook.refresh_from_db()
        assert not hook.enabled
        assert Delivery.objects.get(channel="webhook").status == DeliveryStatus.FAILED


class AddressGuardTests:
    @pytest.mark.parametrize(
        "url",
        [
            "http://example.org/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://user:pw@example.org/hook",  # pragma: allowlist secret
        ],
    )
    def test_it_refuses_plain_http_private_addresses_and_credentials(self, treaty, url, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(EndpointRefused):
            webhook_endpoint_create(treaty=treaty, url=url)
        assert not WebhookEndpoint.objects.exists()

    def test_it_accepts_a_public_https_literal(self, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        assert webhook_endpoint_create(treaty=treaty, url="https://93.184.215.14/hook").pk

    def test_it_checks_again_before_posting(self, treaty, receiver, settings):
        endpoint(treaty, receiver)
        record(treaty, instrument("Ghana"))
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        send_due()
        assert receiver.received == []
        delivery = Delivery.objects.get(channel="webhook")
        assert delivery.status == DeliveryStatus.FAILED
        assert "refused" in delivery.error


class AddWebhookCommandTests:
    def test_it_prints_the_id_and_secret(self, treaty, receiver):
        out = StringIO()
        call_command("add_webhook", receiver.url("/cmd"), "--treaty", "XVIII-16", "--scope", "everything", stdout=out)
        printed = json.loads(out.getvalue())
        created = WebhookEndpoint.objects.get(pk=printed["id"])
        assert printed["secret"] == created.secret and created.secret.startswith("whsec_")
        assert created.scope == Scope.EVERYTHING
        # The secret printed is the one the receiver verifies with.
        receiver.secrets["/cmd"] = printed["secret"]
        record(treaty, instrument("Ghana"))
        send_due()
        assert [item.valid for item in receiver.to("/cmd")] == [True]

    def test_it_refuses_a_private_address(self, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(CommandError, match="non-public address"):
            call_command("add_webhook", "https://127.0.0.1/hook", "--treaty", "XVIII-16", stdout=StringIO())

    @pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook"])
    def test_a_refusal_the_setting_would_lift_names_the_setting(self, treaty, settings, url):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(CommandError, match="WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true"):
            call_command("add_webhook", url, "--treaty", "XVIII-16", stdout=StringIO())

    def test_a_refusal_the_setting_would_not_lift_does_not_name_it(self, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(CommandError) as refused:
            call_command("add_webhook", "ftp://93.184.215.14/hook", "--treaty", "XVIII-16", stdout=StringIO())
        assert "must start with https:// (not ftp://)" in str(refused.value)
        assert "WEBHOOK_ALLOW_PRIVATE_ADDRESSES" not in str(refused.value)

    def test_it_refuses_an_unknown_treaty(self, db, receiver):
        with pytest.raises(CommandError, match="no treaty"):
            call_command("add_webhook", receiver.url("/x"), "--treaty", "XXVI-99", stdout=StringIO())


class ReceiverCheckTests:
    def test_a_tampered_body_fails_the_receiver_s_check(self):
        secret = "whsec_" + "A" * 44  # pragma: allowlist secret
        headers = {"webhook-id": "msg_1", "webhook-timestamp": "0"}
        assert not signature_valid(secret, headers, b"{}")

    def test_a_body_cut_off_by_a_dying_sender_is_not_received(self, receiver):
        # The drills kill workers mid-post; the test receiver must not count half a request.
        port = receiver.server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b'POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"half":')
            connection.shutdown(socket.SHUT_WR)
            assert connection.recv(100) == b""  # closed without an answer
        assert receiver.received == [] and receiver.cut_off == 1

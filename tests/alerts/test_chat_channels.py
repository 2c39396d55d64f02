"""Chat channels through Apprise: a `json://` target on a real local server receives the e-mail's
headline and link, in the channel's language, through the same outbox; secrets stay hidden."""

from __future__ import annotations

import logging

import pytest

from alerts.models import ChatChannel, Delivery, DeliveryStatus, Scope
from alerts.services.chat import ChannelRefused, apprise_url_check, apprise_url_mask
from alerts.services.delivery import deliveries_send
from tests.alerts.world import instrument, record
from tests.alerts.world import signature as signed
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-t0ken-value"  # pragma: allowlist secret


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on the loopback
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def json_url(receiver: WebhookReceiver, path: str = "/chat") -> str:
    return receiver.url(path).replace("http://", f"json://bot:{SECRET}@")


def send_due() -> None:
    deliveries_send(delivery_ids=list(Delivery.objects.order_by("pk").values_list("pk", flat=True)))


class ChatDeliveryTests:
    def test_a_json_target_receives_the_headline_and_the_link(self, treaty, receiver):
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver))
        record(treaty, instrument("Ghana", counted=12))
        send_due()
        [received] = receiver.to("/chat")
        assert received.json["title"] == "Ghana ratified the UN Convention against Cybercrime: 12 of 40"
        assert received.json["message"].endswith("/treaties/XVIII-16/")
        assert Delivery.objects.get().status == DeliveryStatus.SENT

    def test_it_speaks_the_channel_s_language(self, treaty, receiver):
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver, "/fr"), language="fr")
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver, "/cs"), language="cs")
        record(treaty, instrument("Ghana", counted=12))
        send_due()
        assert "12 sur 40" in receiver.to("/fr")[0].json["title"]
        assert "12 z 40" in receiver.to("/cs")[0].json["title"]

    def test_it_follows_the_scope(self, treaty, receiver):
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver, "/instruments"))
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver, "/everything"), scope=Scope.EVERYTHING)
        record(treaty, signed("Ghana"))
        send_due()
        assert (len(receiver.to("/instruments")), len(receiver.to("/everything"))) == (0, 1)

    def test_a_failure_is_retried_later_and_logged_without_the_secret(self, treaty, receiver, caplog):
        caplog.set_level(logging.DEBUG)
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver))
        receiver.plan("/chat", 500)
        record(treaty, instrument("Ghana"))
        send_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert SECRET not in delivery.error
        assert SECRET not in caplog.text
        assert ChatChannel.objects.get().consecutive_failures == 1


class ChatUrlTests:
    def test_it_masks_the_secret(self, receiver):
        masked = apprise_url_mask(json_url(receiver))
        assert SECRET not in masked and masked.startswith("json://bot:")
        token = "TIiajkdnlazkcOXrIdevi7FQ"  # pragma: allowlist secret
        assert token not in apprise_url_mask(f"slack://T1JJ3T3L2/A1BRTD4JD/{token}/#news")

    def test_it_refuses_what_apprise_cannot_read(self, treaty):
        with pytest.raises(ChannelRefused):
            apprise_url_check("nonsense://whatever")


class ChatAddressGuardTests:
    """A chat channel's Apprise URL may name a host (json://, a self-hosted ntfy or Mattermost, an
    SMTP server): the same guard as webhooks, when added and before each delivery."""

    @pytest.mark.parametrize(
        "url",
        [
            "json://127.0.0.1:9/chat",
            "jsons://10.0.0.1/hook",
            "xml://[::1]:8080/x",
            "form://169.254.169.254/latest",
            "mmosts://192.168.1.5/token",
            "ntfys://127.0.0.1/alerts",
            "mailtos://user:pw@93.184.215.14?smtp=127.0.0.1",  # pragma: allowlist secret
        ],
    )
    def test_it_refuses_a_host_that_is_not_public_and_says_how_to_allow_it(self, treaty, settings, url):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        with pytest.raises(ChannelRefused, match="WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true"):
            apprise_url_check(url)

    @pytest.mark.parametrize(
        "url",
        [
            "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#news",  # pragma: allowlist secret
            "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js",  # pragma: allowlist secret
            "ntfy://my-topic",  # ntfy.sh itself
            "jsons://93.184.215.14/hook",
        ],
    )
    def test_it_accepts_services_at_fixed_addresses_and_public_hosts(self, treaty, settings, url):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        apprise_url_check(url)  # raises ChannelRefused otherwise

    def test_it_checks_again_before_sending(self, treaty, receiver, settings):
        ChatChannel.objects.create(treaty=treaty, apprise_url=json_url(receiver))
        record(treaty, instrument("Ghana"))
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        send_due()
        assert receiver.to("/chat") == []
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED
        assert "refused" in delivery.error and SECRET not in delivery.error

    def test_the_admin_says_why_it_refuses(self, admin_client, treaty, settings):
        from django.urls import reverse

        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        page = admin_client.post(
            reverse("admin:alerts_chatchannel_add"),
            {
                "treaty": treaty.pk,
                "scope": "instruments",
                "language": "en",
                "description": "",
                "enabled": "on",
                "apprise_url": "json://127.0.0.1:9/chat",
            },
        ).content.decode()
        assert "This URL is refused" in page and "WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true" in page
        assert not ChatChannel.objects.exists()

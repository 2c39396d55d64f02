"""Staff add webhook endpoints and chat channels in the admin, read each one's delivery log, and
never see a chat channel's secret again once entered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import ChatChannel, Delivery, Scope, WebhookEndpoint
from alerts.services.channel_health import channel_disable
from alerts.services.webhooks import webhook_endpoint_create
from tests.alerts.world import instrument, record

pytestmark = pytest.mark.django_db

SECRET = "TIiajkdnlazkcOXrIdevi7FQ"  # pragma: allowlist secret


class WebhookAdminTests:
    def test_staff_add_an_endpoint_and_see_its_secret(self, staff, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
        add = reverse("admin:alerts_webhookendpoint_add")
        fields = {"treaty": treaty.pk, "scope": Scope.INSTRUMENTS, "description": "", "enabled": "on"}
        refused = staff.post(add, {**fields, "url": "https://127.0.0.1/hook"})
        assert "This URL is refused" in refused.content.decode()
        assert not WebhookEndpoint.objects.exists()
        staff.post(add, {**fields, "url": "https://93.184.215.14/hook"})
        endpoint = WebhookEndpoint.objects.get()
        page = staff.get(reverse("admin:alerts_webhookendpoint_change", args=[endpoint.pk])).content.decode()
        assert endpoint.secret in page

    def test_the_change_page_shows_the_delivery_log(self, staff, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
        endpoint = webhook_endpoint_create(treaty=treaty, url="http://127.0.0.1:9/hook")
        record(treaty, instrument("Ghana"))
        Delivery.objects.update(error="HTTP 500")
        page = staff.get(reverse("admin:alerts_webhookendpoint_change", args=[endpoint.pk])).content.decode()
        assert "The last 50 deliveries" in page and "HTTP 500" in page

    def test_enabling_again_resets_the_failures(self, staff, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
        endpoint = webhook_endpoint_create(treaty=treaty, url="http://127.0.0.1:9/hook")
        WebhookEndpoint.objects.update(consecutive_failures=16)
        channel_disable(endpoint, reason="16 failed attempts in a row")
        staff.post(
            reverse("admin:alerts_webhookendpoint_changelist"),
            {"action": "enable_again", "_selected_action": [endpoint.pk]},
        )
        endpoint.refresh_from_db()
        assert endpoint.enabled and endpoint.consecutive_failures == 0 and endpoint.disabled_at is None


class ChatChannelAdminTests:
    def test_staff_add_a_channel_whose_secret_is_never_shown_again(self, staff, treaty):
        add = reverse("admin:alerts_chatchannel_add")
        fields = {"treaty": treaty.pk, "scope": "instruments", "language": "fr", "description": "", "enabled": "on"}
        staff.post(add, {**fields, "apprise_url": f"slack://T1JJ3T3L2/A1BRTD4JD/{SECRET}/#news"})
        channel = ChatChannel.objects.get()
        assert channel.language == "fr"
        change = reverse("admin:alerts_chatchannel_change", args=[channel.pk])
        for page in (staff.get(change), staff.get(reverse("admin:alerts_chatchannel_changelist"))):
            assert SECRET not in page.content.decode()
        # Saving without re-entering the URL keeps it.
        staff.post(change, {**fields, "scope": "everything", "apprise_url": ""})
        channel.refresh_from_db()
        assert channel.scope == "everything" and SECRET in channel.apprise_url

    def test_the_deliveries_list_shows_a_chat_channel_masked(self, staff, treaty, settings):
        settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
        ChatChannel.objects.create(treaty=treaty, apprise_url=f"json://bot:{SECRET}@127.0.0.1:9/chat")
        record(treaty, instrument("Ghana"))
        page = staff.get(reverse("admin:alerts_delivery_changelist")).content.decode()
        assert "127.0.0.1" in page and SECRET not in page

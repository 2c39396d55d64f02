"""How a delivery chunk sends its webhook and chat rows (alerts/services/delivery.py sends the
e-mail rows and says what every row goes through: claim, marks, retries, sweeper).

Each row on its own: one receiver's trouble is not the next one's (unlike SMTP, where a lost
connection holds up the rest of the chunk). A failed attempt counts against the channel's
health (alerts/services/channel_health.py); a permanent one (a 410, a refused address) fails
the row at once.
"""

from __future__ import annotations

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded

from alerts.models import Alert, Channel, ChatChannel, Delivery, WebhookEndpoint
from alerts.services import channel_health, chat, webhooks
from alerts.services.webhooks import DeliveryFailed
from alerts.topics import events_for

logger = logging.getLogger(__name__)


class ChannelRows:
    """Part of `delivery.ChunkSender`: its `sent`, `skipped`, `failed` and `deferred` marks and
    `describe`, its alerts and their events (`messages.events`), and these caches, shared by the chunk's rows:
    `poster` (one HTTP session), `bodies` ((alert, scope) -> the webhook body every such endpoint
    gets) and `chat_messages` ((alert, scope, language) -> title and body)."""

    def send_to_channels(self, rows: list[Delivery], deadline: float) -> None:
        """Webhooks and chat channels: each row on its own (one receiver's trouble is not the next's)."""
        try:
            for index, row in enumerate(rows):
                if time.monotonic() > deadline:
                    logger.warning("chunk stopped at its deadline; %s deliveries released", len(rows) - index)
                    break  # release() puts the rest back
                self.send_to_channel(row)
        finally:
            if self.poster is not None:
                self.poster.close()

    def send_to_channel(self, row: Delivery) -> None:
        endpoint = row.webhook if row.channel == Channel.WEBHOOK else row.chat
        if not endpoint.enabled:
            self.skipped(row, "channel disabled")
            return
        alert = self.alerts[row.alert_id]
        events = events_for(endpoint, self.messages.events(alert))
        if not events:
            self.skipped(row, "nothing in this alert for this channel")
            return
        try:
            if row.channel == Channel.WEBHOOK:
                self._post_webhook(alert, endpoint, events)
            else:
                self._notify_chat(alert, endpoint, events)
        except (SoftTimeLimitExceeded, KeyboardInterrupt):
            raise
        except DeliveryFailed as error:
            if error.permanent:
                logger.info("delivery %s refused: %s", row.pk, error)
                self.failed([row], self.describe(error))
            else:
                self.deferred([row], error)
            channel_health.channel_failed(endpoint, str(error), give_up=error.permanent)
            return
        except Exception as error:
            logger.exception("delivery %s: unexpected error", row.pk)
            self.deferred([row], error)
            return
        self.sent(row)
        channel_health.channel_succeeded(endpoint)

    def _post_webhook(self, alert: Alert, endpoint: WebhookEndpoint, events: list) -> None:
        key = (alert.pk, endpoint.scope)
        if key not in self.bodies:
            self.bodies[key] = webhooks.webhook_body(alert, events)
        if self.poster is None:
            self.poster = webhooks.WebhookPoster()
        self.poster.post(endpoint, webhooks.message_id(alert.pk, endpoint.pk), self.bodies[key])

    def _notify_chat(self, alert: Alert, channel: ChatChannel, events: list) -> None:
        key = (alert.pk, channel.scope, channel.language)
        if key not in self.chat_messages:
            self.chat_messages[key] = chat.chat_message(alert, events, channel.language)
        chat.chat_notify(channel, *self.chat_messages[key])

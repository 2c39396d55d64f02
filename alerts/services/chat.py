"""Chat and social channels through Apprise (Slack, Microsoft Teams, Matrix, Mastodon, Discord,
Telegram, ntfy, …): one Apprise URL per channel, staff-entered. Sending is the outbox's job
(alerts/services/delivery.py), as for e-mail and webhooks.

The message is the alert e-mail's headline and the status page's link (alerts/content.py, the
one content builder), in the channel's language.

An Apprise URL carries the account's secret (a token, a password, a webhook path). It is stored
whole, because sending needs it, and shown or logged only masked (`apprise_url_mask`: Apprise's
own privacy form, "slack://T...A/T...B/…"); its debug logs, which spell URLs out, are held at
INFO in tracker/settings.py.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import apprise
from django.utils import translation

from alerts import content
from alerts.models import Alert, ChatChannel, EndpointScope
from alerts.services.webhooks import DeliveryFailed
from ratification.models import Event, Treaty

logger = logging.getLogger(__name__)


class ChannelRefused(ValueError):
    """An Apprise URL that Apprise cannot read (the message never repeats the URL)."""


def _plugin(url: str):
    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)
    except Exception:  # a plugin may raise on odd input despite suppress_exceptions
        return None


def apprise_url_mask(url: str) -> str:
    """The URL with its secrets hidden, for the admin and the logs."""
    plugin = _plugin(url)
    if plugin:
        return plugin.url(privacy=True)
    scheme = urlsplit(url).scheme
    return f"{scheme}://…" if scheme else "…"


def apprise_url_check(url: str) -> None:
    if not _plugin(url):
        raise ChannelRefused("Apprise cannot read this URL (see the Apprise wiki for each service's form)")


def chat_channel_create(
    *, treaty: Treaty, apprise_url: str, scope: str = EndpointScope.INSTRUMENTS, language: str = "en", description=""
) -> ChatChannel:
    apprise_url_check(apprise_url)
    return ChatChannel.objects.create(
        treaty=treaty, apprise_url=apprise_url, scope=scope, language=language, description=description
    )


def chat_message(alert: Alert, events: list[Event], language: str) -> tuple[str, str]:
    """(title, body): the e-mail's headline, and the link to the status page (for one statement,
    to its own page: its full text and its source file)."""
    with translation.override(language):
        headline = content.headline(alert.treaty, events)
        if len(events) == 1 and content.event_topic(events[0]) == content.Topic.STATEMENT:
            return headline, content.event_url(events[0])
        return headline, content.status_page_url(alert.treaty)


def chat_notify(channel: ChatChannel, title: str, body: str) -> None:
    """One attempt; raises DeliveryFailed unless Apprise reports success."""
    sender = apprise.Apprise()
    if not sender.add(channel.apprise_url):
        raise DeliveryFailed("Apprise cannot read this channel's URL", permanent=True)
    try:
        delivered = sender.notify(body=body, title=title)
    except Exception as error:
        raise DeliveryFailed(f"Apprise failed ({type(error).__name__})") from None
    if not delivered:
        # Apprise logged why at WARNING, masked; this row's error says where.
        raise DeliveryFailed(f"not accepted by {apprise_url_mask(channel.apprise_url)}")

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
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from alerts import content
from alerts.models import Alert, ChatChannel
from alerts.services.webhooks import DeliveryFailed, host_public_check
from ratification.models import Event

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
    """ChannelRefused unless Apprise reads `url` and every host it names is public (as webhooks)."""
    plugin = _plugin(url)
    if not plugin:
        raise ChannelRefused(_("Apprise cannot read this URL (see the Apprise wiki for each service's form)"))
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    for host, port in apprise_hosts(plugin):
        try:
            host_public_check(host, port)
        except ValueError as error:
            raise ChannelRefused(str(error)) from None


def apprise_hosts(plugin) -> list[tuple[str, int]]:
    """The hosts an Apprise URL names for Apprise to connect to, with their ports.

    A plugin whose URL forms have a `{host}` (json://, xml://, form://, a self-hosted ntfy,
    Mattermost, Matrix, Gotify, Mastodon, an SMTP server ...) connects where the URL says: an
    SSRF path to this network, guarded like a webhook. A service at a fixed address (slack://,
    discord://, tgram://: their URLs hold tokens where a host would be) names no host.
    """
    if "host" not in plugin.template_tokens or not plugin.host:
        return []
    port = plugin.port or (443 if plugin.secure else 80)
    hosts = [(plugin.host.strip("[]"), port)]
    smtp_host = getattr(plugin, "smtp_host", None)  # mailto:// may send through another server
    if smtp_host:
        hosts.append((smtp_host.strip("[]"), port))
    return hosts


def chat_message(alert: Alert, events: list[Event], language: str) -> tuple[str, str]:
    """(title, body): the e-mail's headline, and the link to the status page (for one statement,
    to its own page: its full text and its source file)."""
    with translation.override(language):
        headline = content.headline(alert.treaty, events)
        if len(events) == 1 and content.event_topic(events[0]) == content.Topic.STATEMENT:
            return headline, content.event_url(events[0])
        return headline, content.status_page_url(alert.treaty)


def chat_notify(channel: ChatChannel, title: str, body: str) -> None:
    """One attempt; raises DeliveryFailed unless Apprise reports success. The URL is checked again
    first: a host that resolved to a public address when staff added it may not any more."""
    try:
        apprise_url_check(channel.apprise_url)
    except ChannelRefused as error:
        raise DeliveryFailed(f"refused: {error}", permanent=True) from None
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

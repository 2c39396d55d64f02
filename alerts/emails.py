"""Every e-mail the alerts app sends: one function per kind, three templates per kind
(`templates/emails/<kind>_subject.txt`, `<kind>.txt`, `<kind>.html`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from alerts import content, tokens
from alerts.models import Alert, Subscription
from alerts.topics import events_for
from ratification.models import Event


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of one kind; the subject is squeezed onto one line."""
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{kind}.txt", context), render_to_string(f"emails/{kind}.html", context)


def build(
    rendered: tuple[str, str, str], *, to: list[str], headers: dict[str, str] | None = None, connection=None
) -> EmailMultiAlternatives:
    subject, text, html = rendered
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.connection = connection
    return message


def _subscription_context(subscription: Subscription) -> dict:
    treaty = subscription.treaty
    return {
        "treaty_name": content.treaty_name(treaty),
        "scope": subscription.get_scope_display(),
        "participant_codes": sorted(subscription.participant_codes),
        "status_url": content.status_page_url(treaty),
        "site_url": settings.SITE_URL,
    }


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """Double opt-in: the signed link whose page confirms, valid for seven days."""
    with translation.override(subscription.subscriber.language):
        context = {
            **_subscription_context(subscription),
            "confirm_url": tokens.confirm_url(subscription),
            "days": settings.ALERTS_CONFIRM_MAX_AGE // 86400,
        }
        return build(render("confirm", context), to=[subscription.subscriber.email])


def already_subscribed_message(subscription: Subscription) -> EmailMultiAlternatives:
    """Someone asked again for a confirmed address: say so, and where to change preferences."""
    with translation.override(subscription.subscriber.language):
        context = {**_subscription_context(subscription), "manage_url": tokens.manage_url(subscription)}
        return build(render("already_subscribed", context), to=[subscription.subscriber.email])


def staff_delivery_failure_message(alert: Alert, *, failed: int, error: str) -> EmailMultiAlternatives:
    context = {
        "alert": alert,
        "treaty_name": content.treaty_name(alert.treaty),
        "failed": failed,
        "error": error,
        "admin_url": content.site_url(f"/admin/alerts/delivery/?alert__id__exact={alert.pk}&status__exact=failed"),
    }
    return build(render("staff_delivery_failure", context), to=list(settings.STAFF_ALERT_EMAILS))


# Rendering the templates costs more than sending the message, so an alert is rendered once per
# (language, events received) and the one personal part, the link, is put in afterwards.
LINK_PLACEHOLDER = "https://unsubscribe.invalid/placeholder/"


class AlertMessages:
    """Builds the e-mails of deliveries, caching what all recipients of an alert share."""

    def __init__(self) -> None:
        self._events: dict[int, list[Event]] = {}
        self._rendered: dict[tuple[int, str, tuple[int, ...]], tuple[str, str, str]] = {}

    def events(self, alert: Alert) -> list[Event]:
        if alert.pk not in self._events:
            events = alert.events.select_related("participant", "action")
            self._events[alert.pk] = content.ordered(list(events))
        return self._events[alert.pk]

    def _render(self, alert: Alert, language: str, events: list[Event]) -> tuple[str, str, str]:
        key = (alert.pk, language, tuple(event.pk for event in events))
        if key not in self._rendered:
            with translation.override(language):
                treaty = alert.treaty
                context = {
                    "treaty_name": content.treaty_name(treaty),
                    "headline": content.headline(treaty, events),
                    "lines": [content.event_line(event, treaty) for event in events],
                    "status_url": content.status_page_url(treaty),
                    "source_url": content.untc_page_url(treaty),
                    "manage_url": LINK_PLACEHOLDER,
                    "site_url": settings.SITE_URL,
                }
                self._rendered[key] = render("alert", context)
        return self._rendered[key]

    def message(self, alert: Alert, subscription: Subscription, *, connection=None) -> EmailMultiAlternatives | None:
        """The e-mail this subscription gets for this alert, or None if none of it concerns them."""
        events = events_for(subscription, self.events(alert))
        if not events:
            return None
        subject, text, html = self._render(alert, subscription.subscriber.language, events)
        link = tokens.manage_url(subscription)
        headers = {
            # RFC 8058 one-click unsubscribe; the relay's DKIM signature must cover both.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{alert.treaty.mtdsg.lower()}.alerts.{_list_domain()}>",
            "Auto-Submitted": "auto-generated",
        }
        rendered = (subject, text.replace(LINK_PLACEHOLDER, link), html.replace(LINK_PLACEHOLDER, link))
        return build(rendered, to=[subscription.subscriber.email], headers=headers, connection=connection)


def _list_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"

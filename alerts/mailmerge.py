"""Alert e-mails for thousands of recipients: rendered and serialised once, merged per recipient.

Why not one Django e-mail per recipient: bench/bench_alerts.py measured that way at 0.17-0.23
times the speed of a bare smtplib loop (1.9-3.1 ms of CPU a message, mostly the email
package folding headers and serialising MIME), against a target of 0.5; merging, as here,
meets it. So an alert is rendered once per (language, events received) with placeholders,
turned into bytes once by Django, and each recipient's message is those bytes with three
things put in: the To address, a fresh Message-ID and the personal unsubscribe link. The
result is still an `EmailMultiAlternatives` (subject, bodies and headers as usual, for any
backend and for the tests); only its `message()` returns the merged bytes. When a placeholder
could not survive serialisation (a transfer encoding that rewrites the text, a non-ASCII
address), it builds the whole message for that recipient instead.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import make_msgid, sanitize_address
from django.utils import translation

from alerts import content, emails, tokens
from alerts.models import Alert, Subscription
from alerts.topics import events_for
from ratification.models import Event, EventKind
from tracker.site import site_host

LINK_PLACEHOLDER = "https://unsubscribe.invalid/placeholder/"
TO_PLACEHOLDER = "recipient@placeholder.invalid"


class MergedMessage:
    """Stands in for the `email.message.Message` Django's backends get from `message()`."""

    def __init__(self, data: bytes) -> None:
        self.data = data  # CRLF line ends, as SMTP wants them

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", errors="surrogateescape")

    def get_charset(self) -> None:
        return None


class MergedEmail(EmailMultiAlternatives):
    merged: bytes = b""

    def message(self) -> MergedMessage:
        return MergedMessage(self.merged)


def send(email: EmailMultiAlternatives, connection) -> None:
    """Send over the chunk's open connection.

    A merged message to an SMTP server goes straight to smtplib: Django's backend would parse
    and re-encode both addresses of every message, a third of the cost of sending it, for
    ASCII addresses it leaves unchanged. Everything else goes through the backend as usual.
    """
    smtp = getattr(connection, "connection", None)
    if isinstance(email, MergedEmail) and isinstance(connection, SmtpBackend) and smtp is not None:
        smtp.sendmail(_sender(settings.DEFAULT_FROM_EMAIL), email.to, email.merged)
    else:
        email.send()


@functools.cache
def _sender(from_email: str) -> str:
    return sanitize_address(from_email, settings.DEFAULT_CHARSET)


class Template:
    """One rendered alert: its parts with placeholders, and their serialised form."""

    def __init__(self, parts: tuple[str, str, str], headers: dict[str, str]) -> None:
        self.parts = parts
        self.headers = headers
        sample = emails.build(
            parts, to=[TO_PLACEHOLDER], headers={**headers, "List-Unsubscribe": f"<{LINK_PLACEHOLDER}>"}
        )
        self.message_id = sample.extra_headers["Message-ID"].encode()
        self.data = sample.message().as_bytes(linesep="\r\n")
        # Header + text + HTML: fewer means a transfer encoding rewrote the link somewhere.
        self.mergeable = (
            self.data.count(LINK_PLACEHOLDER.encode()) >= 3
            and self.data.count(f"To: {TO_PLACEHOLDER}\r\n".encode()) == 1
        )

    def email(self, to: str, link: str, connection) -> EmailMultiAlternatives:
        subject, text, html = (part.replace(LINK_PLACEHOLDER, link) for part in self.parts)
        headers = {**self.headers, "List-Unsubscribe": f"<{link}>"}
        if not (self.mergeable and to.isascii()):
            return emails.build((subject, text, html), to=[to], headers=headers, connection=connection)
        email = MergedEmail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers, connection=connection)
        email.attach_alternative(html, "text/html")
        email.merged = (
            self.data.replace(f"To: {TO_PLACEHOLDER}\r\n".encode(), f"To: {to}\r\n".encode(), 1)
            .replace(self.message_id, make_msgid(domain=site_host()).encode(), 1)
            .replace(LINK_PLACEHOLDER.encode(), link.encode())
        )
        return email


class AlertMessages:
    """Builds the e-mails of deliveries, caching what all recipients of an alert share."""

    def __init__(self) -> None:
        self._events: dict[int, list[Event]] = {}
        self._templates: dict[tuple[int, str, tuple[int, ...]], Template] = {}
        self._received: dict[tuple[int, str, bool, bool, frozenset[str]], list[Event]] = {}

    def events(self, alert: Alert) -> list[Event]:
        if alert.pk not in self._events:
            # The statement quoted, and the archived file a webhook links (without its bytes).
            events = alert.events.select_related("participant", "action", "statement", "poll_run__snapshot").defer(
                "poll_run__snapshot__compressed", "poll_run__summary"
            )
            self._events[alert.pk] = content.ordered(list(events))
        return self._events[alert.pk]

    def _template(self, alert: Alert, language: str, events: list[Event]) -> Template:
        key = (alert.pk, language, tuple(event.pk for event in events))
        if key not in self._templates:
            treaty = alert.treaty
            with translation.override(language):
                context = {
                    "treaty_name": treaty.display_title,
                    "headline": content.headline(treaty, events),
                    "lines": [content.event_line(event, treaty) for event in events],
                    "status_url": content.status_page_url(treaty),
                    "source_url": treaty.untc_page_url,
                    # Reported national steps name their own sources, line by line; the UN's is not theirs.
                    "only_reports": all(event.kind == EventKind.STAGE_REPORTED for event in events),
                    "manage_url": LINK_PLACEHOLDER,
                    "site_url": settings.SITE_URL,
                }
                parts = emails.render("alert", context)
            headers = {
                # RFC 8058 one-click unsubscribe; the relay's DKIM signature must cover both.
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<{treaty.mtdsg.lower()}.alerts.{site_host()}>",
                "Auto-Submitted": "auto-generated",
            }
            self._templates[key] = Template(parts, headers)
        return self._templates[key]

    def _events_for(self, alert: Alert, subscription: Subscription) -> list[Event]:
        key = (
            alert.pk,
            subscription.scope,
            subscription.stages,
            subscription.statements,
            subscription.participant_codes,
        )
        if key not in self._received:
            self._received[key] = events_for(subscription, self.events(alert))
        return self._received[key]

    def message(self, alert: Alert, subscription: Subscription, *, connection=None) -> EmailMultiAlternatives | None:
        """The e-mail this subscription gets for this alert, or None if none of it concerns them."""
        events = self._events_for(alert, subscription)
        if not events:
            return None
        template = self._template(alert, subscription.subscriber.language, events)
        return template.email(subscription.subscriber.email, tokens.manage_url(subscription), connection)

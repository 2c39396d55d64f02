"""Signed webhooks (the Standard Webhooks specification): who may receive them, what they say,
and how one is posted. Sending is the outbox's job (alerts/services/delivery.py): a webhook is
one more way to send a claimed `Delivery` row, with the same claim, retries and sweeper.

- **Headers.** `webhook-id` (the same on every attempt of one delivery, so a receiver that sees
  it twice drops the copy: delivery is at least once), `webhook-timestamp` (this attempt, in
  seconds) and `webhook-signature`: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with
  the base64-decoded part of the endpoint's `whsec_` secret.
- **Body.** The same bytes on every attempt: `type`, `timestamp` (when the alert was recorded)
  and `data`; see docs/webhooks.md for the schema and an example.
- **Where.** An endpoint URL must be https and every address its host resolves to public (the
  fetcher's guard, `scrapers.fetch.public_addresses_check`), checked when staff add it and again
  before each chunk posts to it (DNS may have changed since), unless
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES is set (tests, private networks: then http is allowed too).
  Redirects are not followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts import content
from alerts.models import ENDPOINT_SCOPES, Alert, Scope, WebhookEndpoint
from ratification.models import STATEMENT_EVENT_KINDS, ActionKind, Event, EventKind, Treaty
from ratification.wording.events import event_action_kind
from scrapers.fetch import FetchError, FetchRefused, public_addresses_check


class DeliveryFailed(Exception):
    """One attempt on a channel failed; `permanent` when trying again cannot succeed."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class EndpointRefused(ValueError):
    """A webhook URL we will not post to (its message says why, for staff)."""


EVENT_TYPES = {
    EventKind.ENTERED_INTO_FORCE: "treaty.entered_into_force",
    EventKind.THRESHOLD_REACHED: "treaty.threshold.reached",
    **{kind: "treaty.statement.recorded" for kind in STATEMENT_EVENT_KINDS},
}
STATEMENT_CHANGES = {
    EventKind.STATEMENT_MADE: "made",
    EventKind.STATEMENT_CHANGED: "changed",
    EventKind.STATEMENT_WITHDRAWN: "withdrawn",
}
ACTION_RECORDED = "treaty.action.recorded"


# ---- where -------------------------------------------------------------------------


# Said with each refusal the setting would lift: staff learn the way out, not only the rule.
PRIVATE_ADDRESSES_HINT = gettext_lazy(
    "http:// and private or loopback addresses are accepted only with WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true "
    "(for tests or a private network)"
)


def webhook_url_check(url: str) -> None:
    """Raise EndpointRefused unless we may post to `url` (https, public addresses, no user-info)."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        scheme = parts.scheme or _("nothing")
        if parts.scheme == "http":
            raise EndpointRefused(
                _("the URL must start with https:// (not http://): %(hint)s") % {"hint": PRIVATE_ADDRESSES_HINT}
            )
        raise EndpointRefused(_("the URL must start with https:// (not %(scheme)s://)") % {"scheme": scheme})
    if not parts.hostname:
        raise EndpointRefused(_("the URL has no host"))
    if parts.username or parts.password:
        raise EndpointRefused(_("the URL must not carry a user name or password; the signature authenticates us"))
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host_public_check(parts.hostname, port)
    except ValueError as error:
        raise EndpointRefused(str(error)) from None


def host_public_check(host: str, port: int) -> None:
    """ValueError, saying why and how to allow it, unless every address of `host` is public: the
    fetcher's guard, for webhooks and the hosts chat channels name (alerts/services/chat.py)."""
    try:
        public_addresses_check(host, port)
    except FetchRefused as error:
        raise ValueError(f"{error}: {PRIVATE_ADDRESSES_HINT}") from None
    except (FetchError, ValueError) as error:
        raise ValueError(str(error)) from None


def webhook_endpoint_create(
    *, treaty: Treaty, url: str, scope: str = Scope.INSTRUMENTS, description: str = ""
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret, after the URL check (EndpointRefused otherwise)."""
    scopes = [value for value, _label in ENDPOINT_SCOPES]
    if scope not in scopes:
        raise EndpointRefused(f"unknown scope {scope!r} (one of {', '.join(scopes)})")
    webhook_url_check(url)
    return WebhookEndpoint.objects.create(treaty=treaty, url=url, scope=scope, description=description)


# ---- what --------------------------------------------------------------------------


def message_id(alert_id: int, endpoint_id: int) -> str:
    """The webhook-id: one per (alert, endpoint), so every retry of a delivery carries the same."""
    return f"msg_{alert_id}_{endpoint_id}"


def event_type(event: Event) -> str:
    return EVENT_TYPES.get(event.kind, ACTION_RECORDED)


def _event_data(event: Event) -> dict:
    data = event.data or {}
    participant = {"name": event.participant.name, "code": event.participant.code} if event.participant_id else None
    return {
        "type": event_type(event),
        "participant": participant,
        "kind": kind if (kind := event_action_kind(event)) in ActionKind.values else None,
        "withdrawal": event.kind == EventKind.WITHDRAWAL,
        "date": event.occurred_on.isoformat(),
        "entry_into_force": data.get("entry_into_force"),
        "counted": data.get("counted") if isinstance(data.get("counted"), int) else None,
        "threshold": data.get("threshold") if isinstance(data.get("threshold"), int) else None,
        "statement": _statement_data(event),
    }


def _statement_data(event: Event) -> dict | None:
    """A reservation, declaration or objection made, changed or withdrawn (null for other events):
    what the change is about, and where its full text and its source file are."""
    if event.kind not in STATEMENT_EVENT_KINDS:
        return None
    data = event.data or {}
    return {
        "change": STATEMENT_CHANGES[event.kind],
        "section": data.get("section"),
        "kinds": data.get("kinds", []),
        "articles": data.get("articles", []),
        "answers": [
            {"name": a.get("name"), "kind": a.get("kind"), "code": a.get("code")} for a in data.get("answers", [])
        ],
        "date": data.get("date"),
        "text_url": content.event_url(event),
        "source_file_url": content.source_file_url(event),
    }


def webhook_payload(alert: Alert, events: list[Event]) -> dict:
    """The message about `events` (ordered, most important first): the first one at the top
    level, as most alerts carry one event, and all of them under `events`."""
    treaty = alert.treaty
    status_url = content.status_page_url(treaty)
    first = _event_data(events[0])
    with translation.override(settings.LANGUAGE_CODE):
        headline = content.headline(treaty, events)
    return {
        "type": first["type"],
        "timestamp": alert.created_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "alert_id": alert.pk,
            "treaty": {"mtdsg": treaty.mtdsg, "title": treaty.display_title, "status_url": status_url},
            **{key: value for key, value in first.items() if key != "type"},
            "status_url": status_url,
            "headline": headline,
            "events": [_event_data(event) for event in events],
        },
    }


def webhook_body(alert: Alert, events: list[Event]) -> bytes:
    return json.dumps(webhook_payload(alert, events), ensure_ascii=False, separators=(",", ":")).encode()


def signing_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, as Standard Webhooks receivers verify it."""
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# ---- how ---------------------------------------------------------------------------


class WebhookPoster:
    """Posts a chunk's webhooks over one `requests` session (kept-alive connections per host)."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy or .netrc from the environment
        self.session.headers.update({"User-Agent": settings.WEBHOOK_USER_AGENT, "Content-Type": "application/json"})
        self._keys: dict[str, bytes] = {}
        self._hosts: dict[str, str | None] = {}  # URL host -> why refused (None: fine), once a chunk

    def close(self) -> None:
        self.session.close()

    def _refusal(self, url: str) -> str | None:
        host = urlsplit(url).netloc
        if host not in self._hosts:
            try:
                webhook_url_check(url)
                self._hosts[host] = None
            except EndpointRefused as error:
                self._hosts[host] = str(error)
        return self._hosts[host]

    def post(self, endpoint: WebhookEndpoint, msg_id: str, body: bytes) -> None:
        """One attempt; raises DeliveryFailed unless the receiver answered 2xx."""
        refusal = self._refusal(endpoint.url)
        if refusal:
            raise DeliveryFailed(f"refused: {refusal}", permanent=True)
        if endpoint.secret not in self._keys:
            self._keys[endpoint.secret] = signing_key(endpoint.secret)
        timestamp = int(time.time())
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(self._keys[endpoint.secret], msg_id, timestamp, body),
        }
        try:
            response = self.session.post(
                endpoint.url,
                data=body,
                headers=headers,
                timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_TIMEOUT),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise DeliveryFailed(f"timed out ({type(error).__name__})") from None
        except requests.RequestException as error:
            # The exception's text repeats the URL (and any token in it): name the cause only.
            raise DeliveryFailed(f"no answer ({type(error).__name__})") from None
        response.close()
        if 200 <= response.status_code < 300:
            return
        # 410 Gone: the receiver says this endpoint no longer exists (Standard Webhooks).
        raise DeliveryFailed(f"HTTP {response.status_code}", permanent=response.status_code == 410)

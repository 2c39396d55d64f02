"""Signed links. A token carries a subscription's random key, never an address or a row id.

- confirm: `TimestampSigner`, valid `ALERTS_CONFIRM_MAX_AGE` (7 days); an expired but
  genuine token can still ask for a fresh link.
- manage (unsubscribe and preferences): `Signer`, no expiry, because an unsubscribe link in a
  two-year-old e-mail must still work (RFC 8058 and every anti-spam law expect it to).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core import signing
from django.urls import reverse

from alerts.models import Subscription
from tracker.site import site_url

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"


class InvalidToken(Exception):
    """Tampered with, or for no subscription we know: answer 400."""


class ExpiredToken(Exception):
    """Genuine but too old; carries the subscription so a fresh link can be offered."""

    def __init__(self, subscription: Subscription) -> None:
        super().__init__("expired")
        self.subscription = subscription


def confirm_token(subscription: Subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.key)


def manage_token(subscription: Subscription) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(subscription.key)


def confirm_url(subscription: Subscription) -> str:
    return site_url(reverse("alerts:confirm", kwargs={"token": confirm_token(subscription)}))


def manage_url(subscription: Subscription) -> str:
    # Built from a resolved pattern: this runs once per alert e-mail, and reverse() is the slow part.
    return _manage_url_pattern(settings.SITE_URL).replace("TOKEN", manage_token(subscription))


@functools.cache
def _manage_url_pattern(site: str) -> str:
    return site + reverse("alerts:manage", kwargs={"token": "TOKEN"})


def _subscription(key: str) -> Subscription:
    subscription = Subscription.objects.select_related("subscriber", "treaty").filter(key=key).first()
    if subscription is None:
        raise InvalidToken(key)
    return subscription


def subscription_from_confirm_token(token: str, *, allow_expired: bool = False) -> Subscription:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        key = signer.unsign(token, max_age=None if allow_expired else settings.ALERTS_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredToken(_subscription(signer.unsign(token))) from None
    except signing.BadSignature:
        raise InvalidToken(token) from None
    return _subscription(key)


def subscription_from_manage_token(token: str) -> Subscription:
    try:
        key = signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        raise InvalidToken(token) from None
    return _subscription(key)

"""Sign-up, double opt-in, preferences and unsubscribe.

The sign-up answer never depends on the address's state (new, pending, confirmed,
unsubscribed): `subscription_request` returns nothing, does comparable work in every case, and
owes one sign-up e-mail through the outbox (a `signup` delivery, committed with the sign-up),
whose kind is chosen only when it is sent (`subscription_mail`), so neither the page nor its
timing tells anyone who subscribed. A broker that is down at the commit loses nothing: the
sweeper publishes the delivery.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from alerts import emails, ratelimit
from alerts.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Subscriber,
    Subscription,
    SubscriptionParticipant,
    SubscriptionStatus,
)
from alerts.services.fanout import deliveries_offer
from ratification.models import Treaty

logger = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _set_participants(subscription: Subscription, codes: Iterable[str]) -> None:
    codes = set(codes)
    subscription.participant_filters.exclude(code__in=codes).delete()
    existing = set(subscription.participant_filters.values_list("code", flat=True))
    SubscriptionParticipant.objects.bulk_create(
        SubscriptionParticipant(subscription=subscription, code=code) for code in sorted(codes - existing)
    )


def _owe_mail(subscription_id: int) -> None:
    delivery = Delivery.objects.create(channel=Channel.SIGNUP, subscription_id=subscription_id)
    deliveries_offer([delivery.pk])


def subscription_request(
    *,
    email: str,
    treaty: Treaty,
    scope: str,
    participant_codes: Iterable[str],
    language: str,
    client_ip: str,
    stages: bool = False,
    statements: bool = False,
) -> None:
    """Record a sign-up and, within the limits, have the address mailed. Says nothing back.

    A pending or unsubscribed subscription starts over with what was asked now; a confirmed one
    is left as it is (whoever typed the address may not own it) and its owner is told where to
    change preferences instead.
    """
    ip_limit, ip_window = settings.ALERTS_SIGNUPS_PER_IP
    # An IPv6 client counts as its /64, as the API throttle counts it.
    if not ratelimit.allow("signup-ip", ratelimit.client_key(client_ip), limit=ip_limit, window=ip_window):
        logger.info("sign-up ignored: more than %s from one client in %ss", ip_limit, ip_window)
        return
    email = normalise_email(email)
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            subscriber=subscriber, treaty=treaty, defaults={"scope": scope, "stages": stages, "statements": statements}
        )
        if subscription.status != SubscriptionStatus.CONFIRMED:
            subscription.status = SubscriptionStatus.PENDING
            subscription.scope = scope
            subscription.stages = stages
            subscription.statements = statements
            _set_participants(subscription, participant_codes)
            if subscriber.language != language:
                Subscriber.objects.filter(pk=subscriber.pk).update(language=language)
        subscription.requested_at = timezone.now()
        subscription.save()
        mail_limit, mail_window = settings.ALERTS_MAILS_PER_ADDRESS
        if ratelimit.allow("signup-address", ratelimit.address_identity(email), limit=mail_limit, window=mail_window):
            _owe_mail(subscription.pk)
        else:
            logger.info("sign-up mail not sent: more than %s for one address in %ss", mail_limit, mail_window)


def subscription_confirmation_resend(*, subscription: Subscription) -> bool:
    """A fresh confirmation link for an expired one (same per-address limit as sign-up).

    True if the e-mail was queued: the subscription is pending, its address not suppressed, and
    the address under its limit.
    """
    mail_limit, mail_window = settings.ALERTS_MAILS_PER_ADDRESS
    identity = ratelimit.address_identity(subscription.subscriber.email)
    if (
        subscription.status == SubscriptionStatus.PENDING
        and subscription.subscriber.suppressed_at is None
        and ratelimit.allow("signup-address", identity, limit=mail_limit, window=mail_window)
    ):
        _owe_mail(subscription.pk)
        return True
    return False


def subscription_mail(*, subscription_id: int) -> EmailMultiAlternatives | None:
    """The sign-up e-mail the subscription's state calls for when it is sent: confirm a pending
    one, tell a confirmed one where its preferences are; None for anything else."""
    subscription = Subscription.objects.select_related("subscriber", "treaty").filter(pk=subscription_id).first()
    if subscription is None or subscription.subscriber.suppressed_at is not None:
        return None
    if subscription.status == SubscriptionStatus.PENDING:
        return emails.confirmation_message(subscription)
    if subscription.status == SubscriptionStatus.CONFIRMED:
        return emails.already_subscribed_message(subscription)
    return None


def subscription_confirm(*, subscription: Subscription) -> bool:
    """Confirm a pending subscription (only from the confirm page's POST). True if it changed."""
    changed = Subscription.objects.filter(pk=subscription.pk, status=SubscriptionStatus.PENDING).update(
        status=SubscriptionStatus.CONFIRMED, confirmed_at=timezone.now(), unsubscribed_at=None
    )
    subscription.refresh_from_db()
    return bool(changed)


def subscription_unsubscribe(*, subscription: Subscription) -> bool:
    """Stop everything at once, including alerts already queued for this subscription."""
    with transaction.atomic():
        changed = Subscription.objects.filter(pk=subscription.pk).exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        changed = changed.update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
        Delivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SKIPPED, error="unsubscribed"
        )
    subscription.refresh_from_db()
    return bool(changed)


@transaction.atomic
def subscription_preferences_update(
    *,
    subscription: Subscription,
    scope: str,
    participant_codes: Iterable[str],
    stages: bool = False,
    statements: bool = False,
) -> None:
    """Change what a subscription receives; if it was not active, this (re)confirms it.

    The manage link proves the person holds the address (it only ever went there), so no new
    confirmation is needed.
    """
    subscription.scope = scope
    subscription.stages = stages
    subscription.statements = statements
    _set_participants(subscription, participant_codes)
    if subscription.status != SubscriptionStatus.CONFIRMED:
        subscription.status = SubscriptionStatus.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
    subscription.save()


def subscriptions_purge_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Forget sign-ups never confirmed within ALERTS_UNCONFIRMED_DAYS, and addresses left with
    nothing: an address someone typed is not kept for ever. Returns subscriptions deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ALERTS_UNCONFIRMED_DAYS)
    stale = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, confirmed_at__isnull=True, requested_at__lt=cutoff
    )
    _, deleted = stale.delete()
    Subscriber.objects.filter(subscriptions__isnull=True, bounces__isnull=True).delete()
    return deleted.get(Subscription._meta.label, 0)

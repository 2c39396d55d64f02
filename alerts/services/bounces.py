"""Bounces and complaints from the mail relay: stop mailing an address that cannot or will not
receive, before the relay's reputation (and everyone else's delivery) pays for it.

The webhook is provider-neutral: the relay (or a few lines of glue in front of it) POSTs
JSON signed like Stripe's webhooks, `X-Tracker-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>" with ALERTS_WEBHOOK_SECRET>`. A bad or stale signature changes nothing and
still gets 200, so the endpoint tells a prober nothing (the healthchecks pattern).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alerts.models import Bounce, BounceKind, Delivery, DeliveryStatus, Subscriber

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE = 5 * 60  # seconds a signed timestamp stays valid (replay window)
SOFT_BOUNCES_TO_SUPPRESS = 3
SOFT_BOUNCE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Report:
    kind: str
    email: str
    status: str
    detail: str


def signature_valid(body: bytes, header: str, *, now: float | None = None) -> bool:
    secret = settings.ALERTS_WEBHOOK_SECRET
    if not secret:
        return False
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs((now or time.time()) - timestamp) > SIGNATURE_TOLERANCE:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("v1", ""))


def report_parse(body: bytes) -> Report | None:
    """`{"type": "bounce"|"complaint", "email": ..., "bounce_type": "hard"|"soft", "status": "5.1.1"}`."""
    try:
        data = json.loads(body)
        kind = BounceKind.COMPLAINT if data["type"] == "complaint" else None
        if data["type"] == "bounce":
            status = str(data.get("status", ""))
            hard = data.get("bounce_type") == "hard" or status.startswith("5.")
            kind = BounceKind.HARD if hard else BounceKind.SOFT
        if kind is None:
            return None
        return Report(kind, str(data["email"]).strip().lower(), str(data.get("status", ""))[:16], str(data)[:2000])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _suppress(subscriber: Subscriber, reason: str) -> None:
    Subscriber.objects.filter(pk=subscriber.pk, suppressed_at__isnull=True).update(
        suppressed_at=timezone.now(), suppression_reason=reason[:200]
    )
    Delivery.objects.filter(subscription__subscriber=subscriber, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, error=f"address suppressed: {reason}"[:1000]
    )


@transaction.atomic
def bounce_record(*, report: Report) -> bool:
    """Record a bounce or complaint; True if the address is (now) suppressed."""
    subscriber = Subscriber.objects.select_for_update().filter(email=report.email).first()
    if subscriber is None:
        return False
    Bounce.objects.create(subscriber=subscriber, kind=report.kind, status=report.status, detail=report.detail)
    if report.kind == BounceKind.COMPLAINT:
        _suppress(subscriber, "complaint (marked as spam)")
    elif report.kind == BounceKind.HARD:
        _suppress(subscriber, f"hard bounce {report.status}".strip())
    else:
        recent = subscriber.bounces.filter(kind=BounceKind.SOFT, received_at__gte=timezone.now() - SOFT_BOUNCE_WINDOW)
        if recent.count() >= SOFT_BOUNCES_TO_SUPPRESS:
            _suppress(subscriber, f"{SOFT_BOUNCES_TO_SUPPRESS} soft bounces in 30 days")
    subscriber.refresh_from_db()
    return subscriber.suppressed_at is not None


def webhook_receive(*, body: bytes, signature: str) -> None:
    """The webhook's whole job; says nothing back whatever happened."""
    if not signature_valid(body, signature):
        logger.warning("bounce webhook: bad or stale signature, ignored")
        return
    report = report_parse(body)
    if report is None:
        logger.warning("bounce webhook: a signed body we cannot read, ignored")
        return
    bounce_record(report=report)

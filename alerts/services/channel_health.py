"""The health of webhook endpoints and chat channels: failed attempts in a row, and switching a
channel off (and telling staff, once) after CHANNEL_DISABLE_AFTER_FAILURES of them.

A success resets the count. A disabled channel's pending deliveries are skipped when their turn
comes; staff turn it on again in the admin once the receiver is fixed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from alerts.models import ChatChannel, WebhookEndpoint
from alerts.services.staff import staff_message_owe

logger = logging.getLogger(__name__)

Endpoint = WebhookEndpoint | ChatChannel


def _label(endpoint: Endpoint) -> str:
    return endpoint.url if isinstance(endpoint, WebhookEndpoint) else endpoint.masked_url


def channel_succeeded(endpoint: Endpoint) -> None:
    if endpoint.consecutive_failures:  # most successes write nothing more
        type(endpoint).objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        endpoint.consecutive_failures = 0


def channel_failed(endpoint: Endpoint, error: str, *, give_up: bool = False) -> None:
    """Count one failed attempt; disable the channel at the limit, or at once if `give_up`."""
    model = type(endpoint)
    model.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    failures = model.objects.filter(pk=endpoint.pk).values_list("consecutive_failures", flat=True).first() or 0
    endpoint.consecutive_failures = failures
    if give_up or failures >= settings.CHANNEL_DISABLE_AFTER_FAILURES:
        channel_disable(endpoint, reason=f"{failures} failed attempts in a row; last: {error}")


def channel_disable(endpoint: Endpoint, *, reason: str) -> bool:
    """Switch the channel off and tell staff; True if this call did (once per incident)."""
    model = type(endpoint)
    if not model.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
    ):
        return False
    endpoint.enabled = False
    kind = model._meta.model_name
    logger.error("%s %s disabled: %s", kind, endpoint.pk, reason)
    context = {
        "kind": model._meta.verbose_name,
        "label": _label(endpoint),
        "treaty_name": endpoint.treaty.display_title,
        "reason": reason,
        "admin_path": f"/admin/alerts/{kind}/{endpoint.pk}/change/",
    }
    staff_message_owe(template="channel_disabled", context=context)
    return True


def channel_enable(endpoint: Endpoint) -> None:
    type(endpoint).objects.filter(pk=endpoint.pk).update(
        enabled=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
    )

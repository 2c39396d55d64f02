"""Reads of the alerts app: who receives an alert, form choices (what is waiting to be sent: sweep.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from alerts.models import (
    ChatChannel,
    Subscription,
    SubscriptionParticipant,
    SubscriptionStatus,
    WebhookEndpoint,
)
from alerts.topics import SCOPE_TOPICS, Topic, event_participant_code, event_topic, events_for, is_announced
from ratification.collation import sorted_names
from ratification.models import Event, Participant, Treaty
from ratification.services.participants import known_participants


def _limited_to(codes: set[str]) -> Q:
    """No participant filter, or a filter naming one of `codes`."""
    filters = SubscriptionParticipant.objects.filter(subscription=OuterRef("pk"))
    return ~Exists(filters) | Exists(filters.filter(code__in=sorted(codes)))


def alert_recipients(*, treaty: Treaty, events: Iterable[Event]) -> QuerySet[Subscription]:
    """Confirmed, unsuppressed subscriptions that receive at least one of `events`.

    The SQL form of `topics.receives` (tests hold the two to the same answers).
    """
    codes_by_topic: dict[str, set[str]] = {}
    for event in events:
        codes_by_topic.setdefault(event_topic(event), set()).add(event_participant_code(event) or "")
    active = Subscription.objects.filter(
        treaty=treaty, status=SubscriptionStatus.CONFIRMED, subscriber__suppressed_at__isnull=True
    )
    if Topic.MILESTONE in codes_by_topic:
        return active
    matches = Q(pk__in=[])
    for topic, codes in codes_by_topic.items():
        if topic == Topic.STAGE:  # whatever the scope, for those who chose reported steps
            matches |= Q(stages=True) & _limited_to(codes)
            continue
        if topic == Topic.STATEMENT:  # whatever the scope, for those who chose statements
            matches |= Q(statements=True) & _limited_to(codes)
            continue
        scopes = sorted(scope for scope, topics in SCOPE_TOPICS.items() if topic in topics)
        matches |= Q(scope__in=scopes) & _limited_to(codes)
    return active.filter(matches)


def alert_channels(*, treaty: Treaty, events: list[Event]) -> tuple[list[WebhookEndpoint], list[ChatChannel]]:
    """Enabled webhook endpoints and chat channels of `treaty` that receive one of `events`
    (a few per treaty: the scope rule runs in Python, `topics.receives`, as for each e-mail)."""
    webhooks = WebhookEndpoint.objects.filter(treaty=treaty, enabled=True).only("pk", "scope").order_by("pk")
    chats = ChatChannel.objects.filter(treaty=treaty, enabled=True).only("pk", "scope").order_by("pk")
    return (
        [endpoint for endpoint in webhooks if events_for(endpoint, events)],
        [channel for channel in chats if events_for(channel, events)],
    )


@dataclass(frozen=True)
class AlertAudience:
    """Who recording some events would alert: e-mail subscribers, webhook endpoints, chat channels."""

    subscribers: int = 0
    webhooks: int = 0
    chats: int = 0


def alert_audience(*, treaty: Treaty, events: Iterable[Event]) -> AlertAudience:
    """Whom recording these (unsaved) events would alert, for staff to see before they record a
    change by hand: the deliveries `fanout.events_claim` would owe, by channel."""
    announced = [event for event in events if is_announced(event)]
    if not announced:
        return AlertAudience()
    webhooks, chats = alert_channels(treaty=treaty, events=announced)
    return AlertAudience(
        subscribers=alert_recipients(treaty=treaty, events=announced).count(),
        webhooks=len(webhooks),
        chats=len(chats),
    )


def participant_choices() -> list[tuple[str, str]]:
    """Every participant a subscription can be limited to: stored ones and the shipped table."""
    names = {known.code: known.name for known in known_participants().values()}
    names.update(Participant.objects.values_list("code", "name"))
    return sorted_names(names.items(), language=get_language(), key=lambda item: item[1])


def participant_names(*, codes: frozenset[str] | set[str]) -> list[str]:
    """The names of these participant codes, in name order (a code nobody knows stays a code)."""
    if not codes:
        return []
    names = dict(participant_choices())
    return sorted_names((names.get(code, code) for code in codes), language=get_language())


def subscribable_treaties() -> QuerySet[Treaty]:
    """Every tracked treaty, as /treaties/ lists them: one whose polling staff paused still has
    its page, and its changes entered by staff are still announced."""
    return Treaty.objects.order_by("mtdsg")

"""The alerts tests' small named world: subscribers in each state, and recorded changes.

`record` stands in for the reconcile service: it writes Action and Event rows the way the
contract describes them in one transaction, then the outbox takes the committed events and owes
their alert (`events_claim`), as its on-commit claim does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from alerts.models import Scope, Subscriber, Subscription, SubscriptionParticipant, SubscriptionStatus
from alerts.services.fanout import events_claim
from ratification.models import Action, Event, EventKind, Participant, PollRun, Treaty
from ratification.services.participants import participants_resolve


def subscribe(
    email: str,
    treaty: Treaty,
    *,
    status: str = SubscriptionStatus.CONFIRMED,
    scope: str = Scope.INSTRUMENTS,
    codes: tuple[str, ...] = (),
    language: str = "en",
) -> Subscription:
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    subscription = Subscription.objects.create(subscriber=subscriber, treaty=treaty, status=status, scope=scope)
    SubscriptionParticipant.objects.bulk_create(
        SubscriptionParticipant(subscription=subscription, code=c) for c in codes
    )
    return subscription


def subscribe_many(treaty: Treaty, count: int, *, domain: str = "example.org") -> list[Subscription]:
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{number}@{domain}") for number in range(count)
    )
    return Subscription.objects.bulk_create(
        Subscription(subscriber=subscriber, treaty=treaty, status=SubscriptionStatus.CONFIRMED)
        for subscriber in subscribers
    )


@dataclass(frozen=True)
class Change:
    kind: str
    participant: str | None = None
    action_kind: str | None = None
    on: datetime.date = datetime.date(2026, 2, 10)
    data: dict = field(default_factory=dict)
    public: bool = True


def instrument(name: str, kind: str = "ratification", *, counted: int = 12, on: str = "2026-02-10", **data) -> Change:
    day = datetime.date.fromisoformat(on)
    details = {"action_kind": kind, "date": on, "counted": counted, "threshold": 40, "counts_toward_threshold": True}
    return Change(EventKind.NEW_ACTION, name, kind, day, {**details, **data})


def signature(name: str, *, on: str = "2026-02-10") -> Change:
    return Change(
        EventKind.NEW_ACTION, name, "signature", datetime.date.fromisoformat(on), {"action_kind": "signature"}
    )


def threshold_reached(name: str, *, on: str = "2026-10-22", eif: str = "2027-01-20") -> Change:
    data = {"entry_into_force": eif, "counted": 40, "threshold": 40}
    return Change(EventKind.THRESHOLD_REACHED, name, "ratification", datetime.date.fromisoformat(on), data)


def entered_into_force(*, on: str = "2027-01-20") -> Change:
    return Change(EventKind.ENTERED_INTO_FORCE, on=datetime.date.fromisoformat(on), data={"entry_into_force": on})


def withdrawal(name: str, kind: str = "ratification", *, on: str = "2026-05-04") -> Change:
    return Change(EventKind.WITHDRAWAL, name, kind, datetime.date.fromisoformat(on), {"action_kind": kind})


def correction(name: str) -> Change:
    data = {"field": "date", "old": "2026-02-10", "new": "2026-02-11"}
    return Change(EventKind.CORRECTION, name, None, datetime.date(2026, 2, 11), data, public=False)


def _participant(name: str) -> Participant:
    return participants_resolve(names=[name])[name]


def _event(treaty: Treaty, change: Change, poll_run: PollRun | None) -> Event:
    participant = _participant(change.participant) if change.participant else None
    action = None
    if participant and change.action_kind:
        action, _ = Action.objects.get_or_create(
            treaty=treaty, participant=participant, kind=change.action_kind, defaults={"date": change.on}
        )
    return Event.objects.create(
        treaty=treaty,
        kind=change.kind,
        participant=participant,
        action=action if change.kind == EventKind.NEW_ACTION or change.kind == EventKind.THRESHOLD_REACHED else None,
        poll_run=poll_run,
        occurred_on=change.on,
        public=change.public,
        data=change.data,
    )


def record(treaty: Treaty, *changes: Change, poll: bool = True) -> list[Event]:
    """Record changes as one poll would (rows in one transaction), then take them as the outbox
    takes committed events: their alert and its deliveries are owed."""
    with transaction.atomic():
        poll_run = None
        if poll:
            from django.utils import timezone

            poll_run = PollRun.objects.create(treaty=treaty, started_at=timezone.now(), outcome="changed")
        events = [_event(treaty, change, poll_run) for change in changes]
    events_claim(event_ids=[event.pk for event in events])
    return events

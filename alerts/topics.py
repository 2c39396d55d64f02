"""Which public events a subscription receives: one rule, used when choosing recipients (in
SQL, `selectors.alert_recipients`) and again when writing each e-mail (in Python, here).

Reported national steps (ratification.models.Stage) are a topic of their own, outside every
scope: only a subscription that chose them (`Subscription.stages`, off by default) hears of
them, and whatever its scope they never stand for a deposit. Statements (reservations,
declarations, objections: ratification.models.Statement) are one too: a subscription hears of
them when it chose them (`Subscription.statements`, off by default); a webhook or chat channel
whose scope is `everything` receives them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from alerts.models import Scope
from ratification.models import (
    ANNOUNCED_EVENT_KINDS,
    INSTRUMENT_KINDS,
    MILESTONE_KINDS,
    SIGNATURE_KINDS,
    STATEMENT_EVENT_KINDS,
    Event,
    EventKind,
)
from ratification.wording.events import event_action_kind


class Topic:
    MILESTONE = "milestone"
    INSTRUMENT = "instrument"
    SIGNATURE = "signature"
    OTHER = "other"  # e.g. provisional application: news, but neither an instrument nor a signature
    STAGE = "stage"  # a national step reported by a national source: never a UN action
    STATEMENT = "statement"  # a reservation, declaration, objection...: made, changed or withdrawn


# What each scope receives, beyond the milestones everyone confirmed receives.
SCOPE_TOPICS: dict[str, frozenset[str]] = {
    Scope.INSTRUMENTS: frozenset({Topic.MILESTONE, Topic.INSTRUMENT}),
    Scope.SIGNATURES: frozenset({Topic.MILESTONE, Topic.INSTRUMENT, Topic.SIGNATURE, Topic.OTHER}),
    Scope.MILESTONES: frozenset({Topic.MILESTONE}),
    # Webhooks and chat channels (ENDPOINT_SCOPES): "instruments" and "milestones" as above.
    Scope.EVERYTHING: frozenset({Topic.MILESTONE, Topic.INSTRUMENT, Topic.SIGNATURE, Topic.OTHER, Topic.STATEMENT}),
}


class Preferences(Protocol):
    scope: str
    stages: bool
    statements: bool

    @property
    def participant_codes(self) -> frozenset[str]: ...


def is_announced(event: Event) -> bool:
    """Corrections, renames and anything staff-only never reach subscribers."""
    return event.public and event.kind in ANNOUNCED_EVENT_KINDS


def event_topic(event: Event) -> str:
    if event.kind in MILESTONE_KINDS:
        return Topic.MILESTONE
    if event.kind == EventKind.STAGE_REPORTED:
        return Topic.STAGE
    if event.kind in STATEMENT_EVENT_KINDS:
        return Topic.STATEMENT
    action_kind = event_action_kind(event)
    if action_kind in INSTRUMENT_KINDS:
        return Topic.INSTRUMENT
    if action_kind in SIGNATURE_KINDS:
        return Topic.SIGNATURE
    return Topic.OTHER


def event_participant_code(event: Event) -> str | None:
    return event.participant.code if event.participant_id else None


def receives(preferences: Preferences, event: Event, codes: frozenset[str] | None = None) -> bool:
    """Whether a subscription with these preferences hears about this event."""
    topic = event_topic(event)
    if topic == Topic.MILESTONE:
        return True
    if topic == Topic.STAGE:
        if not preferences.stages:
            return False
    elif topic == Topic.STATEMENT and getattr(preferences, "statements", False):
        pass  # a subscription that chose statements hears of them whatever its scope
    elif topic not in SCOPE_TOPICS.get(preferences.scope, SCOPE_TOPICS[Scope.INSTRUMENTS]):
        return False
    codes = preferences.participant_codes if codes is None else codes
    return not codes or event_participant_code(event) in codes


def events_for(preferences: Preferences, events: Iterable[Event]) -> list[Event]:
    """The events of an alert this subscription receives, in the alert's order."""
    codes = preferences.participant_codes
    return [event for event in events if receives(preferences, event, codes)]

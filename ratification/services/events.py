"""Build and record `Event` rows: what changed, with the counts a reader needs to understand it.

Every change is recorded through `events_record`, whoever found it (a poll's reconcile, a staff
entry or correction, a review decision, the daily entry-into-force check). The record knows
nothing of who hears it: the events are rows, saved in the transaction of the change and
announced with the `events_recorded` signal (ratification/signals.py); the alerts outbox claims
them once they are committed (alerts/services/fanout.py). The events of a poll and of a staff
entry are built by the same functions here, so both describe the same change the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ratification import rule_selectors, rules, selectors
from ratification.models import INSTRUMENT_KINDS, Action, Event, EventKind, PollRun, Treaty
from ratification.services.writes import last_change_mark, lock_treaty
from ratification.signals import events_recorded

# The daily check announces entry into force on the day (or a few days late, if the worker
# was down); a treaty first tracked long after it entered into force is recorded quietly.
ENTRY_INTO_FORCE_CATCH_UP_DAYS = 7


def counted_after(actions: Iterable[Action], rule: rules.Rule) -> dict[int, int]:
    """For each action id: how many instruments counted once it was deposited (deposit order)."""
    instruments = [a for a in actions if a.kind in INSTRUMENT_KINDS]
    instruments.sort(key=lambda a: (a.date, a.participant.code))
    running = 0
    counts = {}
    for action in instruments:
        if rules.counts_toward_threshold(rule_selectors.as_instrument(action), rule):
            running += 1
        counts[action.pk] = running
    return counts


def new_action_event(
    action: Action,
    *,
    counted: int | None,
    threshold: int | None,
    counts: bool | None,
    poll_run: PollRun | None,
    announce: bool,
) -> Event:
    """The event of a new action; `counted`, `threshold` and `counts` are None when the treaty's
    rule is not known (nothing is counted toward a number nobody confirmed)."""
    return Event(
        treaty=action.treaty,
        kind=EventKind.NEW_ACTION,
        participant=action.participant,
        action=action,
        poll_run=poll_run,
        occurred_on=action.date,
        public=announce,
        data={
            "action_kind": action.kind,
            "date": action.date.isoformat(),
            "counted": counted,
            "threshold": threshold,
            "counts_toward_threshold": counts,
            **({} if announce else {"baseline": True}),
        },
    )


def new_action_events(
    treaty: Treaty, created: list[Action], all_actions: list[Action], *, poll_run: PollRun | None, announce: bool
) -> list[Event]:
    """One `new_action` event per created action, each with the count right after it (when the
    treaty's rule is known)."""
    rule = rule_selectors.treaty_rule(treaty=treaty)
    if rule is None:
        return [
            new_action_event(action, counted=None, threshold=None, counts=None, poll_run=poll_run, announce=announce)
            for action in created
        ]
    running = counted_after(all_actions, rule)
    total = max(running.values(), default=0)
    threshold = rule.threshold if rule.kind != rules.RuleKind.PER_PARTY else None
    events = []
    for action in created:
        is_instrument = action.kind in INSTRUMENT_KINDS
        counts = is_instrument and rules.counts_toward_threshold(rule_selectors.as_instrument(action), rule)
        events.append(
            new_action_event(
                action,
                counted=running.get(action.pk, total),
                threshold=threshold,
                counts=counts,
                poll_run=poll_run,
                announce=announce,
            )
        )
    return events


def action_events(
    treaty: Treaty, created: list[Action], all_actions: list[Action], *, poll_run: PollRun | None, announce: bool
) -> list[Event]:
    """What recording `created` means: a `new_action` event for each, and the threshold milestone
    when they reach it (recorded once per treaty). A poll and a staff entry both come here."""
    events = new_action_events(treaty, created, all_actions, poll_run=poll_run, announce=announce)
    if not treaty.events.filter(kind=EventKind.THRESHOLD_REACHED).exists():
        milestone = threshold_event(treaty, all_actions, poll_run=poll_run, announce=announce)
        events += [milestone] if milestone else []
    return events


def threshold_event(
    treaty: Treaty, all_actions: list[Action], *, poll_run: PollRun | None, announce: bool
) -> Event | None:
    """The milestone event when the threshold of the treaty's known rule is reached, carrying the
    date of entry into force (UNTC's, when it declares one). None while the rule is not known."""
    status = selectors.entry_into_force(treaty=treaty, actions=all_actions)
    if status is None or not status.reached or status.threshold_instrument is None:
        return None
    instrument = next(
        a
        for a in all_actions
        if a.kind in INSTRUMENT_KINDS
        and a.participant.code == status.threshold_instrument.participant
        and a.date == status.threshold_instrument.date
    )
    return Event(
        treaty=treaty,
        kind=EventKind.THRESHOLD_REACHED,
        participant=instrument.participant,
        action=instrument,
        poll_run=poll_run,
        occurred_on=status.threshold_reached_on,
        public=announce,
        data={
            "entry_into_force": status.entry_into_force_on.isoformat() if status.entry_into_force_on else None,
            "entry_into_force_source": rule_selectors.standing_date(treaty=treaty)[1] or rule_selectors.DateSource.RULE,
            "counted": status.counted,
            "threshold": status.threshold,
            **({} if announce else {"baseline": True}),
        },
    )


def action_events_redate(*, action: Action, old: datetime.date, corrected_by: str) -> int:
    """After `action`'s date was corrected: its earlier events (the deposit, a withdrawal) take the
    corrected date and say they were corrected, so the table, the recent changes, the feed and the
    event pages all show one date (issue 18: the table said 26 Nov, the feed still 27 Nov).
    `corrected_by` is `Origin.STAFF` or `Origin.SOURCE`. Returns how many events were changed."""
    stale = list(
        Event.objects.filter(action=action, kind__in=[EventKind.NEW_ACTION, EventKind.WITHDRAWAL]).exclude(
            occurred_on=action.date
        )
    )
    for event in stale:
        data = dict(event.data or {})
        if "date" in data:
            data["date"] = action.date.isoformat()
        # The first published date is what readers may have quoted: it stays the "was".
        data["corrected"] = {
            "was": (data.get("corrected") or {}).get("was", old.isoformat()),
            "by": corrected_by,
            "at": timezone.now().isoformat(),
        }
        event.data, event.occurred_on = data, action.date
    Event.objects.bulk_update(stale, ["data", "occurred_on"])
    return len(stale)


def events_record(*, treaty: Treaty, events: list[Event], poll_run: PollRun | None) -> list[Event]:
    """Save events in the caller's transaction and say so (`events_recorded`): they commit or roll
    back with the change, and wait in the database until the outbox takes them."""
    if not events:
        return []
    Event.objects.bulk_create(events)
    events_recorded.send(sender=Event, treaty=treaty, events=events, poll_run=poll_run)
    return events


@transaction.atomic
def entry_into_force_record(*, treaty: Treaty, today: datetime.date | None = None) -> Event | None:
    """Record that the treaty entered into force, once, on (or after) the day: only for a treaty
    whose rule is known (an unconfirmed rule drives no alert, webhook or chat message)."""
    today = today or timezone.localdate()
    locked = lock_treaty(treaty)
    if locked.events.filter(kind=EventKind.ENTERED_INTO_FORCE).exists():
        return None
    status = selectors.entry_into_force(treaty=locked)
    if status is None or status.entry_into_force_on is None or status.entry_into_force_on > today:
        return None
    late_by = (today - status.entry_into_force_on).days
    announce = late_by <= ENTRY_INTO_FORCE_CATCH_UP_DAYS
    event = Event(
        treaty=locked,
        kind=EventKind.ENTERED_INTO_FORCE,
        occurred_on=status.entry_into_force_on,
        public=announce,
        data={
            "entry_into_force": status.entry_into_force_on.isoformat(),
            "entry_into_force_source": rule_selectors.standing_date(treaty=locked)[1] or rule_selectors.DateSource.RULE,
            "counted": status.counted,
            "threshold": status.threshold,
            **({} if announce else {"baseline": True}),
        },
    )
    events_record(treaty=locked, events=[event], poll_run=None)
    last_change_mark(treaty=locked)
    return event

"""The named world of the public-page tests: deposits, events, and a treaty with every State."""

from __future__ import annotations

import datetime

import pytest

from ratification.models import Action, ActionKind, Event, EventKind, Participant, PollOutcome, PollRun, Treaty
from ratification.selectors import treaty_summary
from ratification.services.participants import known_participants, participant_create_unknown, participants_resolve
from ratification.services.writes import last_change_mark

# A rule staff confirmed, of XVIII-16's shape (article 65): a treaty of the tests whose counts
# matter says so; any other has no known rule, as every treaty the tracker follows until then.
CONFIRMED_RULE = {"rule_basis": "confirmed", "eif_delay_days": 90, "reio_counts": False, "later_party_delay_days": 30}


def participant(name: str) -> Participant:
    """The participant UNTC would call `name`: from the shipped table, else under a provisional code."""
    return participants_resolve(names=[name]).get(name) or participant_create_unknown(name=name)


def touch(treaty: Treaty) -> None:
    """What the reconcile service does after recording a change (the database moves the data version)."""
    last_change_mark(treaty=treaty)


def poll(treaty: Treaty, at: datetime.datetime, outcome: str = PollOutcome.UNCHANGED) -> PollRun:
    """A finished poll of the source, as the polling service records it."""
    run = PollRun.objects.create(treaty=treaty, started_at=at, finished_at=at, outcome=outcome)
    return run


def sign(treaty: Treaty, name: str, on: datetime.date) -> Action:
    action, _ = Action.objects.get_or_create(
        treaty=treaty, participant=participant(name), kind=ActionKind.SIGNATURE, defaults={"date": on}
    )
    return action


def deposit(
    treaty: Treaty, name: str, on: datetime.date, kind: str = ActionKind.RATIFICATION, *, footnotes=()
) -> Action:
    """Record an instrument and its public `new_action` event the way the reconcile service does."""
    who = participant(name)
    action = Action.objects.create(treaty=treaty, participant=who, kind=kind, date=on, footnotes=list(footnotes))
    counts = not who.is_reio or treaty.reio_counts
    Event.objects.create(
        treaty=treaty,
        kind=EventKind.NEW_ACTION,
        participant=who,
        action=action,
        occurred_on=on,
        data={
            "action_kind": str(kind),
            "date": on.isoformat(),
            "counted": treaty_summary(treaty=treaty).counted,
            "threshold": treaty.eif_threshold,
            "counts_toward_threshold": counts if treaty.rule_basis else None,
        },
    )
    touch(treaty)
    return action


@pytest.fixture
def every_state_treaty(db):
    """A treaty signed by all 197 States of the shipped participant table (the European Union aside)."""
    treaty = Treaty.objects.create(
        mtdsg="XXVI-9",
        chapter="XXVI",
        title="A treaty every State signed",
        xml_path="doc/x.xml",
        signature_deadline=datetime.date(2027, 6, 30),
    )
    states = {known.name: known for known in known_participants().values() if not known.is_reio}
    for name in states:
        sign(treaty, name, datetime.date(2025, 10, 25))
    return treaty


def first_instruments(
    treaty: Treaty,
    count: int,
    start: datetime.date = datetime.date(2026, 1, 5),
    every: datetime.timedelta = datetime.timedelta(weeks=1),
) -> list[Action]:
    """`count` signatories deposit a ratification, one `every` week from `start`, in name order."""
    signatories = (
        Action.objects.filter(treaty=treaty, kind=ActionKind.SIGNATURE, participant__is_reio=False)
        .select_related("participant")
        .order_by("participant__name")[:count]
    )
    return [
        deposit(treaty, action.participant.name, start + every * index)
        for index, action in enumerate(list(signatories))
    ]

"""Building blocks of the API tests' world: rows written the way the services write them."""

from __future__ import annotations

import datetime

from ratification.models import Action, Event, EventKind, Participant, Treaty
from ratification.services.participants import participants_resolve

NAMES = {"DEU": "Germany", "NOR": "Norway", "JPN": "Japan", "BRA": "Brazil", "ISL": "Iceland", "MEX": "Mexico"}


def participant(code: str) -> Participant:
    """A participant by code; those missing from the seed are created from the shipped table."""
    found = Participant.objects.filter(code=code).first()
    return found or participants_resolve(names=[NAMES[code]])[NAMES[code]]


def deposit(treaty: Treaty, code: str, kind: str, date: str, **fields) -> Action:
    """Record an action and its new_action event, as the reconcile service does."""
    action, _ = Action.objects.update_or_create(
        treaty=treaty,
        participant=participant(code),
        kind=kind,
        defaults={"date": datetime.date.fromisoformat(date), **fields},
    )
    Event.objects.create(
        treaty=treaty,
        kind=EventKind.NEW_ACTION,
        participant=action.participant,
        action=action,
        occurred_on=action.date,
        data={"action_kind": kind, "date": date},
    )
    return action


def small_treaty(mtdsg: str = "XXVI-9", *, threshold: int = 2, **fields) -> Treaty:
    """Another treaty, in force after `threshold` instruments + 90 days (later parties: + 30 days),
    a rule staff confirmed."""
    return Treaty.objects.create(
        mtdsg=mtdsg,
        chapter=mtdsg.split("-")[0],
        title=f"Test treaty {mtdsg}",
        xml_path=f"doc/{mtdsg}.xml",
        **{
            "rule_basis": "confirmed",
            "eif_threshold": threshold,
            "eif_delay_days": 90,
            "reio_counts": False,
            "later_party_delay_days": 30,
            **fields,
        },
    )

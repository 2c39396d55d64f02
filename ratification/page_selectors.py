"""Reads for the public pages, feeds and exports, each in a constant number of queries.

`selectors.py` answers "where does a treaty stand"; this module adds what the pages show around
it: the recent public events and a participant's record across every tracked treaty.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Subquery
from django.http import Http404

from ratification import selectors
from ratification.models import PUBLIC_EVENT_KINDS, Action, Event, Participant, Treaty


def page_treaty(*, mtdsg: str | None) -> Treaty:
    """The treaty a page is about (the default one for `/`), or 404 with a hint."""
    if mtdsg is None:
        treaty = selectors.default_treaty()
        if treaty is None:
            raise Http404("The default treaty is not stored yet: run `python manage.py seed`.")
        return treaty
    treaty = Treaty.objects.filter(mtdsg=mtdsg).first()
    if treaty is None:
        raise Http404(f"No tracked treaty has the MTDSG number {mtdsg}.")
    return treaty


def public_events(*, treaty: Treaty, limit: int, until: datetime.date | None = None) -> list[Event]:
    """The newest announced events of a treaty, with their participant and action: one query.
    With `until`, only those dated up to that day (the status page as at a date)."""
    events = Event.objects.filter(treaty=treaty, public=True, kind__in=PUBLIC_EVENT_KINDS)
    if until is not None:
        events = events.filter(occurred_on__lte=until)
    return list(events.select_related("participant", "action", "treaty").order_by("-created_at", "-id")[:limit])


def tracked_treaties() -> list[Treaty]:
    return list(Treaty.objects.order_by("mtdsg"))


@dataclass(frozen=True)
class Participation:
    """One participant's standing under one treaty."""

    treaty: Treaty
    row: selectors.ParticipantRow


def participant_by_code(*, code: str) -> Participant:
    participant = Participant.objects.filter(code=code.upper()).first()
    if participant is None:
        raise Http404(f"No participant has the code {code}.")
    return participant


def participant_record(*, participant: Participant) -> list[Participation]:
    """The participant's row in every treaty it acts in: one query whatever their number.

    A party's own entry-into-force date depends on every other instrument of the treaty, so
    all actions of those treaties are read, and each treaty is computed as its page does.
    """
    treaty_ids = Action.objects.filter(participant=participant).values("treaty_id")
    actions = list(
        Action.objects.filter(treaty_id__in=Subquery(treaty_ids))
        .select_related("participant", "treaty")
        .order_by("treaty__mtdsg", "date", "participant__name")
    )
    by_treaty: dict[int, list[Action]] = {}
    for action in actions:
        by_treaty.setdefault(action.treaty_id, []).append(action)
    record = []
    for treaty_actions in by_treaty.values():
        treaty = treaty_actions[0].treaty
        _, rows = selectors.overview_from_actions(treaty=treaty, actions=treaty_actions)
        row = next(row for row in rows if row.participant_id == participant.pk)
        record.append(Participation(treaty=treaty, row=row))
    return record


def participant_events(*, participant: Participant, limit: int) -> list[Event]:
    return list(
        Event.objects.filter(participant=participant, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .order_by("-created_at", "-id")[:limit]
    )

"""Reads for the public pages, feeds and exports, each in a constant number of queries.

`selectors.py` answers "where does a treaty stand"; this module adds what the pages show around
it: the recent public events and a participant's record across every tracked treaty.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Subquery
from django.http import Http404

from ratification import selectors, stage_selectors
from ratification.models import PUBLIC_EVENT_KINDS, Action, Event, Participant, Stage, Treaty
from ratification.pipeline import pipeline_of


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


def public_events(*, treaty: Treaty, limit: int) -> list[Event]:
    """The newest announced events of a treaty, with their participant and action: one query."""
    return list(
        Event.objects.filter(treaty=treaty, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .order_by("-created_at", "-id")[:limit]
    )


def tracked_treaties() -> list[Treaty]:
    return list(Treaty.objects.order_by("mtdsg"))


@dataclass(frozen=True)
class Participation:
    """One participant's standing under one treaty: its UN row (None when it has reported steps
    but no UN action yet) and one timeline of its UN actions and reported steps."""

    treaty: Treaty
    row: selectors.ParticipantRow | None
    timeline: tuple[stage_selectors.TimelineEntry, ...] = ()
    pipeline_step: Stage | None = None


def participant_by_code(*, code: str) -> Participant:
    participant = Participant.objects.filter(code=code.upper()).first()
    if participant is None:
        raise Http404(f"No participant has the code {code}.")
    return participant


def participant_record(*, participant: Participant) -> list[Participation]:
    """The participant's row in every treaty it acts in or reported steps toward: two queries
    whatever their number.

    A party's own entry-into-force date depends on every other instrument of the treaty, so
    all actions of those treaties are read, and each treaty is computed as its page does.
    """
    treaty_ids = Action.objects.filter(participant=participant).values("treaty_id")
    actions = list(
        Action.objects.filter(treaty_id__in=Subquery(treaty_ids))
        .select_related("participant", "treaty")
        .order_by("treaty__mtdsg", "date", "participant__name")
    )
    steps = list(Stage.objects.filter(participant=participant).select_related("treaty", "participant"))
    by_treaty: dict[int, list[Action]] = {}
    treaties: dict[int, Treaty] = {}
    for action in actions:
        by_treaty.setdefault(action.treaty_id, []).append(action)
        treaties[action.treaty_id] = action.treaty
    steps_by_treaty: dict[int, list[Stage]] = {}
    for step in steps:
        steps_by_treaty.setdefault(step.treaty_id, []).append(step)
        treaties[step.treaty_id] = step.treaty
    record = []
    for treaty in sorted(treaties.values(), key=lambda treaty: treaty.mtdsg):
        row = None
        if treaty.pk in by_treaty:
            _, rows = selectors.overview_from_actions(treaty=treaty, actions=by_treaty[treaty.pk])
            row = next(row for row in rows if row.participant_id == participant.pk)
        own = row.actions if row else ()
        pipeline = pipeline_of(steps_by_treaty.get(treaty.pk, []), stage_selectors.deposit_dates(own))
        timeline = stage_selectors.participant_timeline(actions=own, pipeline=pipeline)
        record.append(Participation(treaty=treaty, row=row, timeline=tuple(timeline), pipeline_step=pipeline.current))
    return record


def participant_events(*, participant: Participant, limit: int) -> list[Event]:
    return list(
        Event.objects.filter(participant=participant, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .order_by("-created_at", "-id")[:limit]
    )

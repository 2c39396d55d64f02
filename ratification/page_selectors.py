"""Reads for the public pages, feeds and exports, each in a constant number of queries.

`selectors.py` answers "where does a treaty stand"; this module adds what the pages show around
it: the recent public events, a participant's record across every tracked treaty, and the list
of every tracked treaty with where each stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, fields

from django.db.models import DateTimeField, Max, Min, OuterRef, Q, Subquery
from django.http import Http404

from ratification import cache, rule_selectors, rules, selectors, stage_selectors
from ratification.models import (
    INSTRUMENT_KINDS,
    PUBLIC_EVENT_KINDS,
    Action,
    Event,
    EventKind,
    Participant,
    Stage,
    Treaty,
)
from ratification.pipeline import pipeline_of
from ratification.projection import expected_threshold_on
from ratification.selectors import TreatySummary

# A treaty's long texts, which the pages about a participant, and the events, do not show.
TREATY_TEXTS = ("source_text", "source_notes", "eif_text", "rule_proposal", "registration")
_TREATY_TEXTS_OF_EVENTS = tuple(f"treaty__{name}" for name in TREATY_TEXTS)


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
    events = events.select_related("participant", "action", "treaty").defer(*_TREATY_TEXTS_OF_EVENTS)
    return list(events.order_by("-created_at", "-id")[:limit])


# The status page lists the tracked treaties above itself when there are at most this many.
NAVIGATION_TREATIES = 8


def tracked_treaties() -> list[Treaty]:
    """The treaties the status page's navigation lists: their names only, and one more than it
    lists at most (a page of 150 treaties' rows with their notes cost a tenth of a second)."""
    treaties = Treaty.objects.only("mtdsg", "title", "short_title").order_by("mtdsg")
    return list(treaties[: NAVIGATION_TREATIES + 1])


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
    """The participant's row in every treaty it acts in or reported steps toward: three queries
    whatever their number.

    A party's own entry-into-force date depends on every other instrument of the treaty under
    the treaty's known rule: those are read too, as the rule sees them (a code, a date), for the
    treaties whose rule is known. A treaty whose rule is not known gives no such date, and its
    other participants are not read: a State in 150 treaties would otherwise load every action
    of all of them, seconds of work for one page.
    """
    actions = list(
        Action.objects.filter(participant=participant)
        .select_related("participant", "treaty")
        # Each row carries its treaty: not the treaty's long texts, which this page does not show.
        .defer(*_TREATY_TEXTS_OF_EVENTS)
        .order_by("treaty__mtdsg", "date")
    )
    steps = list(Stage.objects.filter(participant=participant).select_related("treaty", "participant"))
    by_treaty: dict[int, list[Action]] = {}
    treaties: dict[int, Treaty] = {}
    for action in actions:
        by_treaty.setdefault(action.treaty_id, []).append(action)
        treaties[action.treaty_id] = action.treaty
    others = _other_instruments(participant, [pk for pk in by_treaty if rule_selectors.rule_known(treaty=treaties[pk])])
    steps_by_treaty: dict[int, list[Stage]] = {}
    for step in steps:
        steps_by_treaty.setdefault(step.treaty_id, []).append(step)
        treaties[step.treaty_id] = step.treaty
    record = []
    for treaty in sorted(treaties.values(), key=lambda treaty: treaty.mtdsg):
        row = None
        if treaty.pk in by_treaty:
            row = selectors.participant_row(
                treaty=treaty, actions=by_treaty[treaty.pk], others=others.get(treaty.pk, ())
            )
        own = row.actions if row else ()
        pipeline = pipeline_of(steps_by_treaty.get(treaty.pk, []), stage_selectors.deposit_dates(own))
        timeline = stage_selectors.participant_timeline(actions=own, pipeline=pipeline)
        record.append(Participation(treaty=treaty, row=row, timeline=tuple(timeline), pipeline_step=pipeline.current))
    return record


def _other_instruments(participant: Participant, treaty_ids: list[int]) -> dict[int, list[rules.Instrument]]:
    """The other participants' instruments in these treaties, as the rule sees them: one query
    (none when there are no such treaties)."""
    if not treaty_ids:
        return {}
    rows = (
        Action.objects.filter(treaty_id__in=treaty_ids, kind__in=INSTRUMENT_KINDS)
        .exclude(participant=participant)
        .values_list("treaty_id", "participant__code", "date", "participant__is_reio", "withdrawn")
    )
    others: dict[int, list[rules.Instrument]] = {}
    for treaty_id, code, date, is_reio, withdrawn in rows:
        others.setdefault(treaty_id, []).append(
            rules.Instrument(participant=code, date=date, is_reio=is_reio, withdrawn=withdrawn)
        )
    return others


def participant_events(*, participant: Participant, limit: int) -> list[Event]:
    return list(
        Event.objects.filter(participant=participant, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .defer(*_TREATY_TEXTS_OF_EVENTS)
        .order_by("-created_at", "-id")[:limit]
    )


def treaty_summaries(*, treaties: Collection[Treaty]) -> dict[int, TreatySummary]:
    """Each treaty's `selectors.treaty_summary`, kept in the response cache under the treaty's own
    data version (`cache.treaty_values`). A list of 500 treaties of 100 actions each would
    otherwise load 50,000 rows for every response built; here only the treaties changed since
    load theirs, in one query."""

    def computed(missing: list[Treaty]) -> dict[int, dict]:
        actions: dict[int, list[Action]] = {treaty.pk: [] for treaty in missing}
        for action in rule_selectors.action_facts(Action.objects.filter(treaty__in=missing)):
            actions[action.treaty_id].append(action)
        return {
            treaty.pk: _numbers(selectors.treaty_summary(treaty=treaty, actions=actions[treaty.pk]))
            for treaty in missing
        }

    numbers = cache.treaty_values(treaties, name="summary", compute=computed)
    return {treaty.pk: TreatySummary(treaty=treaty, **numbers[treaty.pk]) for treaty in treaties}


def _numbers(summary: TreatySummary) -> dict:
    return {field.name: getattr(summary, field.name) for field in fields(summary) if field.name != "treaty"}


class Standing:
    """Where a treaty stands, for the list of treaties' filter."""

    IN_FORCE = "in_force"
    DATE_SET = "date_set"  # the threshold is reached (or staff set the date): the day is known
    NOT_YET = "not_yet"


@dataclass(frozen=True)
class TreatyListing:
    """One line of the list of tracked treaties."""

    treaty: Treaty
    summary: TreatySummary
    standing: str
    # When the threshold might be reached at the pace so far (the treaty page's estimate) and
    # the entry into force that would follow; None when there is no basis for one.
    estimated_on: datetime.date | None
    # The day the record last changed: its latest signature or deposit, or the last change the
    # tracker recorded after its first reading (a correction, a withdrawal), whichever is later.
    last_change_on: datetime.date | None = None

    @property
    def entry_into_force_on(self) -> datetime.date | None:
        return self.summary.entry_into_force_on

    @property
    def progress(self) -> float:
        """Instruments counted over those needed, 1 at most (for sorting); 0 with no known threshold."""
        if self.standing != Standing.NOT_YET:
            return 1.0
        if not self.summary.counting or not self.summary.threshold:
            return 0.0
        return min(1.0, self.summary.counted / self.summary.threshold)


def _standing(summary: TreatySummary, today: datetime.date) -> str:
    entry_into_force_on = summary.entry_into_force_on
    if entry_into_force_on is None:
        # Provisionally in force, as UNTC declares, is in force.
        provisional = summary.provisional_entry_into_force_on
        return Standing.IN_FORCE if provisional and provisional <= today else Standing.NOT_YET
    return Standing.IN_FORCE if entry_into_force_on <= today else Standing.DATE_SET


def _last_recorded_change() -> Subquery:
    """When the tracker last recorded a change to the treaty's UN record: not its first reading
    (the baseline), nor a national step (never the UN's record)."""
    changes = (
        Event.objects.filter(treaty=OuterRef("pk"))
        .exclude(kind=EventKind.STAGE_REPORTED)
        .filter(Q(data__baseline__isnull=True) | Q(data__baseline=False))
        .order_by("-created_at")
    )
    return Subquery(changes.values("created_at")[:1], output_field=DateTimeField())


def _last_change_on(treaty: Treaty) -> datetime.date | None:
    recorded = treaty.last_recorded_at.date() if treaty.last_recorded_at else None
    return max((day for day in (treaty.latest_action_on, recorded) if day), default=None)


def treaty_listings(*, today: datetime.date) -> list[TreatyListing]:
    """Every tracked treaty with its counts, dates and estimate: two queries whatever their number
    (the treaties with their first and last action's dates and last recorded change, then the
    actions of those whose summary is not cached), one when every summary is cached."""
    treaties = list(
        Treaty.objects.annotate(
            opened_on=Min("actions__date"),
            latest_action_on=Max("actions__date"),
            last_recorded_at=_last_recorded_change(),
        ).order_by("mtdsg")
    )
    summaries = treaty_summaries(treaties=treaties)
    listings = []
    for treaty in treaties:
        summary = summaries[treaty.pk]
        standing = _standing(summary, today)
        estimated_on = None
        # An estimate projects a count toward a known threshold (the treaty page's, with the same rule).
        if standing == Standing.NOT_YET and rule_selectors.rule_counts_alone(treaty=treaty):
            threshold_on = expected_threshold_on(
                counted=summary.counted, threshold=summary.threshold, opened_on=treaty.opened_on, today=today
            )
            if threshold_on is not None:
                estimated_on = threshold_on + datetime.timedelta(days=treaty.eif_delay_days or 0)
        listings.append(
            TreatyListing(
                treaty=treaty,
                summary=summary,
                standing=standing,
                estimated_on=estimated_on,
                last_change_on=_last_change_on(treaty),
            )
        )
    return listings

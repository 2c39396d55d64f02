"""Read-side queries: where a treaty stands, and its participants, in a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ratification import rules
from ratification.collation import name_key
from ratification.models import (
    INSTRUMENT_KINDS,
    SIGNATURE_KINDS,
    Action,
    Treaty,
)
from ratification.rule_selectors import (
    PARTY_VALUES,
    DateSource,
    action_facts,
    as_instrument,
    party_kinds,
    rule_entry_into_force,
    standing_date,
    treaty_rule,
)

# Re-exported: `selectors.treaty_freshness` and `selectors.held_for_review_count` are where the
# pages, the API and the commands read them.
from ratification.source_selectors import Freshness, held_for_review_count, treaty_freshness  # noqa: F401
from scrapers.eif_clause import IN_FORCE_LABEL
from scrapers.model import iso
from scrapers.mtdsg import mtdsg_normalise


class ParticipantStatus:
    """Where a participant stands under one treaty, from most to least advanced."""

    COUNTED = "counted"  # a party whose instrument counts toward the threshold
    # A party whose instrument is not counted toward a threshold: the European Union's under
    # XVIII-16's rule, and every party's while the treaty's rule is not known.
    PARTY = "party"
    SIGNATORY = "signatory"
    # Neither signed nor bound: only a provisional application or acceptance, or another
    # notification (an extension, an application to a territory); counts toward nothing.
    OTHER = "other"
    WITHDRAWN = "withdrawn"
    # No UN action at all: only national steps reported (ratification/stage_selectors.py adds
    # these rows beside the UN record's; nothing in the record counts them).
    NONE = "none"


@dataclass(frozen=True)
class ParticipantRow:
    """One line of a treaty's participants table."""

    participant_id: int
    code: str
    name: str
    is_reio: bool
    status: str
    signature: Action | None
    instrument: Action | None
    entry_into_force_on: datetime.date | None
    footnotes: tuple[int, ...]
    actions: tuple[Action, ...] = field(default_factory=tuple)
    # National steps (ratification/stage_selectors.py `rows_with_stages`), beside the UN record:
    # nothing above depends on them.
    stages: tuple = ()
    pipeline_step: object | None = None  # its latest step no deposit has followed, if any
    reports_approval: bool = False


@dataclass(frozen=True)
class TreatySummary:
    """The numbers a reader wants first: how many, how many more, and when.

    Counts toward a threshold exist only for a treaty whose rule is known (`rule_known`): for
    any other `counted`, `threshold`, `needed` and `threshold_reached_on` are None, and only
    UNTC's own figures (signatories, parties) and declared dates are given.
    """

    treaty: Treaty
    signatories: int
    parties: int
    counted: int | None
    threshold: int | None
    needed: int | None
    reio_parties_not_counted: int
    threshold_reached_on: datetime.date | None
    entry_into_force_on: datetime.date | None
    # A group rule's count from the group, a weight rule's share held (see rules.EntryIntoForce).
    group_counted: int = 0
    weight_held: float = 0.0
    rule_known: bool = False
    provisional_entry_into_force_on: datetime.date | None = None
    entry_into_force_source: str = ""  # a DateSource value, "" when there is no date
    # The date the known rule computes when UNTC declares another (None when they agree, or when
    # the rule computes none: the review item says so).
    rule_entry_into_force_on: datetime.date | None = None

    @property
    def in_force(self) -> bool:
        return self.entry_into_force_on is not None

    @property
    def declared_in_force(self) -> bool:
        """Whether UNTC's header says the treaty is in force, dated or not."""
        return self.treaty.eif_label.strip().lower() == IN_FORCE_LABEL

    @property
    def counting(self) -> bool:
        """Whether there is a known threshold to count toward."""
        return self.threshold is not None

    def as_json(self) -> dict:
        """The `treaty_status --json` shape; dates in ISO 8601 or null, and null counts toward a
        threshold no known rule gives. `entry_into_force` is the definitive date."""
        return {
            "signatories": self.signatories,
            "parties": self.parties,
            "counted": self.counted,
            "threshold": self.threshold,
            "needed": self.needed,
            "threshold_reached_on": iso(self.threshold_reached_on),
            "entry_into_force": iso(self.entry_into_force_on),
        }


def treaty_actions(*, treaty: Treaty) -> QuerySet[Action]:
    """Every action of a treaty with its participant: one query."""
    return Action.objects.filter(treaty=treaty).select_related("participant").order_by("date", "participant__name")


def actions_as_of(*, treaty: Treaty, as_of: datetime.date | None, facts: bool = False) -> list[Action]:
    """The treaty's actions as they stood at the end of `as_of` (None: now), by their dates of
    signature and deposit as now recorded, the way UNTC's "status as at" reads: two queries.

    The source gives no date for a withdrawal; one is taken as effective from the day the
    tracker recorded it (its `withdrawal` event), and as effective already if none was recorded.
    With `facts`, `ActionFacts` rather than whole rows (what a summary needs).
    """

    def read(actions: QuerySet[Action]) -> list:
        return action_facts(actions) if facts else list(actions)

    if as_of is None:
        return read(treaty_actions(treaty=treaty))
    from ratification.models import Event, EventKind

    actions = read(treaty_actions(treaty=treaty).filter(date__lte=as_of))
    later = set(
        Event.objects.filter(treaty=treaty, kind=EventKind.WITHDRAWAL, created_at__date__gt=as_of).values_list(
            "action_id", flat=True
        )
    )
    for action in actions:
        if action.withdrawn and action.pk in later:
            action.withdrawn = False  # in memory only: withdrawn after that day
    return actions


def entry_into_force(*, treaty: Treaty, actions: Iterable[Action] | None = None) -> rules.EntryIntoForce | None:
    """Apply the treaty's known rule to its instruments, with the date that stands (UNTC's or
    staff's) as the general date; None when the rule is not known."""
    rule = treaty_rule(treaty=treaty, override=standing_date(treaty=treaty)[0])
    if rule is None:
        return None
    actions = treaty_actions(treaty=treaty) if actions is None else actions
    instruments = [as_instrument(action) for action in actions if action.kind in INSTRUMENT_KINDS]
    return rules.entry_into_force(rule, instruments)


def _summarise(treaty: Treaty, actions: list[Action], status: rules.EntryIntoForce | None) -> TreatySummary:
    party = party_kinds(treaty=treaty)
    signed = {a.participant_id for a in actions if a.kind in SIGNATURE_KINDS and not a.withdrawn}
    parties = {a.participant_id for a in actions if a.kind in party and not a.withdrawn}
    standing, source = standing_date(treaty=treaty)
    disagreeing = None
    if status is not None:
        reio_parties = {
            a.participant_id
            for a in actions
            if a.kind in INSTRUMENT_KINDS and not a.withdrawn and a.participant.is_reio and not treaty.reio_counts
        }
        if source == DateSource.UNTC:
            # What staff are asked to check (services/rule_checks.py raises the same item).
            computed = rule_entry_into_force(treaty=treaty, actions=actions)
            disagreeing = computed if computed != standing else None
        if standing is None and status.entry_into_force_on is not None:
            standing, source = status.entry_into_force_on, DateSource.RULE
    return TreatySummary(
        treaty=treaty,
        signatories=len(signed),
        parties=len(parties),
        counted=status.counted if status else None,
        threshold=status.threshold if status and treaty.eif_rule_kind != rules.RuleKind.PER_PARTY else None,
        needed=status.needed if status and treaty.eif_rule_kind != rules.RuleKind.PER_PARTY else None,
        reio_parties_not_counted=len(reio_parties) if status else 0,
        threshold_reached_on=status.threshold_reached_on if status else None,
        entry_into_force_on=standing,
        group_counted=status.group_counted if status else 0,
        weight_held=status.weight_held if status else 0.0,
        rule_known=status is not None,
        provisional_entry_into_force_on=treaty.declared_provisional_entry_into_force,
        entry_into_force_source=source,
        rule_entry_into_force_on=disagreeing,
    )


def treaty_summary(
    *, treaty: Treaty, actions: Iterable[Action] | None = None, as_of: datetime.date | None = None
) -> TreatySummary:
    """Counts and dates for one treaty (as at the end of `as_of` if given): one query, two with
    `as_of`, or none when given its actions (e.g. prefetched)."""
    if actions is None:
        actions = actions_as_of(treaty=treaty, as_of=as_of, facts=True)
    actions = list(actions)
    return _summarise(treaty, actions, entry_into_force(treaty=treaty, actions=actions))


def _participant_status(
    row_actions: list[Action], counted_codes: set[str], code: str, party: frozenset[str] = PARTY_VALUES
) -> str:
    live = [a for a in row_actions if not a.withdrawn]
    if not live:
        return ParticipantStatus.WITHDRAWN
    if any(a.kind in INSTRUMENT_KINDS or a.kind in party for a in live):
        return ParticipantStatus.COUNTED if code in counted_codes else ParticipantStatus.PARTY
    if any(a.kind in SIGNATURE_KINDS for a in live):
        return ParticipantStatus.SIGNATORY
    return ParticipantStatus.OTHER


def treaty_overview(
    *, treaty: Treaty, as_of: datetime.date | None = None
) -> tuple[TreatySummary, list[ParticipantRow]]:
    """The summary and the participants table together, from the same single query (two when
    as at the end of `as_of`)."""
    return overview_from_actions(treaty=treaty, actions=actions_as_of(treaty=treaty, as_of=as_of))


def overview_from_actions(*, treaty: Treaty, actions: list[Action]) -> tuple[TreatySummary, list[ParticipantRow]]:
    """`treaty_overview` over actions already read (all of the treaty's, with participants)."""
    status = entry_into_force(treaty=treaty, actions=actions)
    rule = treaty_rule(treaty=treaty)
    # With no known rule, no instrument is "counted": every party is a party, nothing more.
    counted_codes = {
        as_instrument(a).participant
        for a in actions
        if rule is not None and a.kind in INSTRUMENT_KINDS and rules.counts_toward_threshold(as_instrument(a), rule)
    }
    party_dates = status.party_dates if status else {}
    by_participant: dict[int, list[Action]] = {}
    for action in actions:
        by_participant.setdefault(action.participant_id, []).append(action)
    party = party_kinds(treaty=treaty)
    rows = [_row(row_actions, counted_codes, party_dates, party) for row_actions in by_participant.values()]
    # The root order ("Côte d'Ivoire" before "Czech Republic"); pages re-sort in the reader's language.
    rows.sort(key=lambda row: name_key(row.name))
    return _summarise(treaty, actions, status), rows


def participant_row(*, treaty: Treaty, actions: list[Action], others: Iterable[rules.Instrument]) -> ParticipantRow:
    """One participant's row under `treaty`, from its own actions and the other participants'
    instruments as the rule sees them (`others`, read only when the rule is known: the
    participant page, which must not load every action of 150 treaties)."""
    rule = treaty_rule(treaty=treaty, override=standing_date(treaty=treaty)[0])
    own = [as_instrument(action) for action in actions if action.kind in INSTRUMENT_KINDS]
    status = rules.entry_into_force(rule, [*own, *others]) if rule else None
    counted_codes = {
        instrument.participant for instrument in own if rule and rules.counts_toward_threshold(instrument, rule)
    }
    return _row(actions, counted_codes, status.party_dates if status else {}, party_kinds(treaty=treaty))


def _row(
    row_actions: list[Action], counted_codes: set[str], party_dates: dict, party: frozenset[str]
) -> ParticipantRow:
    participant = row_actions[0].participant
    signature = next((a for a in row_actions if a.kind in SIGNATURE_KINDS), None)
    instrument = next((a for a in row_actions if a.kind in INSTRUMENT_KINDS), None)
    footnotes = sorted({n for a in row_actions for n in a.footnotes})
    return ParticipantRow(
        participant_id=participant.pk,
        code=participant.code,
        name=participant.name,
        is_reio=participant.is_reio,
        status=_participant_status(row_actions, counted_codes, participant.code, party),
        signature=signature,
        instrument=instrument,
        entry_into_force_on=party_dates.get(participant.code) if instrument else None,
        footnotes=tuple(footnotes),
        actions=tuple(row_actions),
    )


def treaty_by_number(*, mtdsg: str) -> Treaty | None:
    """The tracked treaty a person names, in any case (`xxvii-7-D` is XXVII-7-d): one query, none
    for what is no MTDSG number."""
    number = mtdsg_normalise(mtdsg)
    return Treaty.objects.filter(mtdsg=number).first() if number else None


def default_treaty() -> Treaty | None:
    from django.conf import settings

    return Treaty.objects.filter(mtdsg=settings.DEFAULT_TREATY).first()

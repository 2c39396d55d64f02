"""Read-side queries: where a treaty stands, and its participants, in a constant number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ratification import rules
from ratification.models import (
    INSTRUMENT_KINDS,
    SIGNATURE_KINDS,
    SUCCESSFUL_OUTCOMES,
    Action,
    PollOutcome,
    PollRun,
    Treaty,
)
from scrapers.eif_clause import IN_FORCE_LABEL
from scrapers.model import iso
from scrapers.mtdsg import mtdsg_normalise

PARTY_VALUES = frozenset(str(kind) for kind in INSTRUMENT_KINDS)


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


class DateSource:
    """Where the entry-into-force date a page shows comes from."""

    UNTC = "untc"  # the date the UN Treaty Collection declares: always the one shown
    STAFF = "staff"  # a date staff set by hand, for a treaty UNTC does not declare in force
    RULE = "rule"  # computed from the treaty's known rule


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
    # The date the known rule computes when it is not the one shown (UNTC declares another).
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


def rule_known(*, treaty: Treaty) -> bool:
    """Whether the treaty's rule may be stated: staff confirmed it, or the rule read from its
    clause gives the date UNTC declares (docs/rules.md, "Known rules")."""
    return bool(treaty.rule_basis)


def treaty_rule(*, treaty: Treaty, override: datetime.date | None = None) -> rules.Rule | None:
    """The treaty's known rule as the pure functions take it, or None when it is not known: the
    one place a `Rule` is built from a `Treaty`, so the pages, the estimate, the events and the
    API all apply the same rule. `override` is the general date that stands (UNTC's, or staff's)."""
    if not rule_known(treaty=treaty):
        return None
    return rules.Rule(
        kind=rules.RuleKind(treaty.eif_rule_kind or rules.RuleKind.COUNT),
        threshold=treaty.eif_threshold or 0,
        delay_days=treaty.eif_delay_days or 0,
        delay_months=treaty.eif_delay_months,
        reio_counts=bool(treaty.reio_counts),
        later_party_delay_days=treaty.later_party_delay_days,
        later_party_delay_months=treaty.later_party_delay_months,
        override=override,
        group=frozenset(treaty.eif_group_codes or ()),
        group_threshold=treaty.eif_group_threshold,
        weights={code: float(share) for code, share in (treaty.eif_weights or {}).items()},
        weight_percent=float(treaty.eif_weight_percent or 0),
    )


def standing_date(*, treaty: Treaty) -> tuple[datetime.date | None, str]:
    """The entry-into-force date that stands whatever a rule computes, and where it comes from:
    the one UNTC declares, else one staff set by hand."""
    if treaty.declared_entry_into_force:
        return treaty.declared_entry_into_force, DateSource.UNTC
    if treaty.eif_date_override:
        return treaty.eif_date_override, DateSource.STAFF
    return None, ""


def rule_counts_alone(*, treaty: Treaty) -> bool:
    """Whether reaching the count is all the known rule asks (what the estimate of the pace projects)."""
    return (
        rule_known(treaty=treaty)
        and standing_date(treaty=treaty)[0] is None
        and treaty.eif_rule_kind in (rules.RuleKind.COUNT, rules.RuleKind.MONTH_FOLLOWING)
    )


def as_instrument(action: Action) -> rules.Instrument:
    return rules.Instrument(
        participant=action.participant.code,
        date=action.date,
        is_reio=action.participant.is_reio,
        withdrawn=action.withdrawn,
    )


@dataclass(frozen=True, slots=True)
class _Who:
    code: str
    is_reio: bool


@dataclass(slots=True)
class ActionFacts:
    """What a summary reads of an action (its rule sees the same), without building the model:
    a badge, an API answer or the list of treaties summarises every action of a treaty, and
    whole rows made that several times slower for a treaty of 200 participants."""

    pk: int
    treaty_id: int
    participant_id: int
    participant: _Who
    kind: str
    date: datetime.date
    withdrawn: bool


def action_facts(actions: QuerySet[Action]) -> list[ActionFacts]:
    """These actions as `ActionFacts`, in their order: one query."""
    rows = actions.values_list(
        "pk", "treaty_id", "participant_id", "participant__code", "participant__is_reio", "kind", "date", "withdrawn"
    )
    return [
        ActionFacts(pk, treaty_id, participant_id, _Who(code, is_reio), kind, date, withdrawn)
        for pk, treaty_id, participant_id, code, is_reio, kind, date, withdrawn in rows
    ]


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


def rule_entry_into_force(*, treaty: Treaty, actions: Iterable[Action]) -> datetime.date | None:
    """The general date the known rule itself computes, whatever UNTC or staff say (None when it
    is not known or computes none): what the check against UNTC's date compares."""
    rule = treaty_rule(treaty=treaty)
    if rule is None:
        return None
    instruments = [as_instrument(action) for action in actions if action.kind in INSTRUMENT_KINDS]
    return rules.entry_into_force(rule, instruments).entry_into_force_on


def party_kinds(*, treaty: Treaty) -> frozenset[str]:
    """The kinds that make a participant one of UNTC's Parties: a consent to be bound, or what
    the treaty's table records instead (an annex of III-2: its "Application")."""
    return frozenset(treaty.party_kinds) if treaty.party_kinds else PARTY_VALUES


def _summarise(treaty: Treaty, actions: list[Action], status: rules.EntryIntoForce | None) -> TreatySummary:
    party = party_kinds(treaty=treaty)
    signed = {a.participant_id for a in actions if a.kind in SIGNATURE_KINDS and not a.withdrawn}
    parties = {a.participant_id for a in actions if a.kind in party and not a.withdrawn}
    standing, source = standing_date(treaty=treaty)
    computed = None
    if status is not None:
        reio_parties = {
            a.participant_id
            for a in actions
            if a.kind in INSTRUMENT_KINDS and not a.withdrawn and a.participant.is_reio and not treaty.reio_counts
        }
        computed = rule_entry_into_force(treaty=treaty, actions=actions) if standing else status.entry_into_force_on
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
        rule_entry_into_force_on=computed if computed != standing else None,
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
    rows.sort(key=lambda row: row.name)
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


def held_for_review_count(*, treaty: Treaty) -> int:
    """Rows of the source held back for staff and not settled yet (one query). They are never
    Action rows until staff accept them, so nothing else here needs to leave them out."""
    from ratification.models import ReviewItem, ReviewKind

    return ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.HELD, resolved_at__isnull=True).count()


def treaty_by_number(*, mtdsg: str) -> Treaty | None:
    """The tracked treaty a person names, in any case (`xxvii-7-D` is XXVII-7-d): one query, none
    for what is no MTDSG number."""
    number = mtdsg_normalise(mtdsg)
    return Treaty.objects.filter(mtdsg=number).first() if number else None


def default_treaty() -> Treaty | None:
    from django.conf import settings

    return Treaty.objects.filter(mtdsg=settings.DEFAULT_TREATY).first()


@dataclass(frozen=True)
class Freshness:
    """How current the stored data is: when the source was last checked and read.

    `last_failure` is the latest failed attempt while the source is failing (None otherwise):
    a failed attempt is not a check of the data, so pages show it apart, with its reason.
    """

    last_checked_at: datetime.datetime | None
    last_success_at: datetime.datetime | None
    consecutive_failures: int
    last_failure: PollRun | None = None

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


def treaty_freshness(*, treaty: Treaty) -> Freshness:
    """Last poll times come from PollRun (an unchanged poll writes nothing else): one query,
    and one more for the failed attempt's reason while the source is failing."""
    from django.db.models import Max, Q

    times = PollRun.objects.filter(treaty=treaty).aggregate(
        last_checked_at=Max("finished_at"),
        last_success_at=Max("finished_at", filter=Q(outcome__in=SUCCESSFUL_OUTCOMES)),
    )
    last_failure = None
    if treaty.consecutive_failures:
        last_failure = (
            PollRun.objects.filter(treaty=treaty, outcome__in=[PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION])
            .only("finished_at", "outcome", "http_status", "error")
            .order_by("-finished_at")
            .first()
        )
    return Freshness(consecutive_failures=treaty.consecutive_failures, last_failure=last_failure, **times)

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
    SUCCESSFUL_OUTCOMES,
    Action,
    PollOutcome,
    PollRun,
    Treaty,
)
from scrapers.model import iso


class ParticipantStatus:
    """Where a participant stands under one treaty, from most to least advanced."""

    COUNTED = "counted"  # a party whose instrument counts toward the threshold
    PARTY = "party"  # a party whose instrument does not count (the European Union for XVIII-16)
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
    """The numbers a reader wants first: how many, how many more, and when."""

    treaty: Treaty
    signatories: int
    parties: int
    counted: int
    threshold: int
    needed: int
    reio_parties_not_counted: int
    threshold_reached_on: datetime.date | None
    entry_into_force_on: datetime.date | None
    # A group rule's count from the group, a weight rule's share held (see rules.EntryIntoForce).
    group_counted: int = 0
    weight_held: float = 0.0

    @property
    def in_force(self) -> bool:
        return self.entry_into_force_on is not None

    def as_json(self) -> dict:
        """The `treaty_status --json` shape; dates in ISO 8601 or null."""
        return {
            "signatories": self.signatories,
            "parties": self.parties,
            "counted": self.counted,
            "threshold": self.threshold,
            "needed": self.needed,
            "threshold_reached_on": iso(self.threshold_reached_on),
            "entry_into_force": iso(self.entry_into_force_on),
        }


def treaty_rule(*, treaty: Treaty) -> rules.Rule:
    """The treaty's rule as the pure functions take it: the one place a `Rule` is built from a
    `Treaty`, so the pages, the estimate, the events and the API all apply the same rule."""
    return rules.Rule(
        kind=rules.RuleKind(treaty.eif_rule_kind or rules.RuleKind.COUNT),
        threshold=treaty.eif_threshold,
        delay_days=treaty.eif_delay_days,
        delay_months=treaty.eif_delay_months,
        reio_counts=treaty.reio_counts,
        later_party_delay_days=treaty.later_party_delay_days,
        later_party_delay_months=treaty.later_party_delay_months,
        override=treaty.eif_date_override,
        group=frozenset(treaty.eif_group_codes or ()),
        group_threshold=treaty.eif_group_threshold,
        weights={code: float(share) for code, share in (treaty.eif_weights or {}).items()},
        weight_percent=float(treaty.eif_weight_percent or 0),
    )


def rule_counts_alone(*, treaty: Treaty) -> bool:
    """Whether reaching the count is all the rule asks (what the estimate of the pace projects)."""
    return treaty.eif_date_override is None and treaty.eif_rule_kind in (
        rules.RuleKind.COUNT,
        rules.RuleKind.MONTH_FOLLOWING,
    )


def as_instrument(action: Action) -> rules.Instrument:
    return rules.Instrument(
        participant=action.participant.code,
        date=action.date,
        is_reio=action.participant.is_reio,
        withdrawn=action.withdrawn,
    )


def treaty_actions(*, treaty: Treaty) -> QuerySet[Action]:
    """Every action of a treaty with its participant: one query."""
    return Action.objects.filter(treaty=treaty).select_related("participant").order_by("date", "participant__name")


def actions_as_of(*, treaty: Treaty, as_of: datetime.date | None) -> list[Action]:
    """The treaty's actions as they stood at the end of `as_of` (None: now), by their dates of
    signature and deposit as now recorded, the way UNTC's "status as at" reads: two queries.

    The source gives no date for a withdrawal; one is taken as effective from the day the
    tracker recorded it (its `withdrawal` event), and as effective already if none was recorded.
    """
    if as_of is None:
        return list(treaty_actions(treaty=treaty))
    from ratification.models import Event, EventKind

    actions = list(treaty_actions(treaty=treaty).filter(date__lte=as_of))
    later = set(
        Event.objects.filter(treaty=treaty, kind=EventKind.WITHDRAWAL, created_at__date__gt=as_of).values_list(
            "action_id", flat=True
        )
    )
    for action in actions:
        if action.withdrawn and action.pk in later:
            action.withdrawn = False  # in memory only: withdrawn after that day
    return actions


def entry_into_force(*, treaty: Treaty, actions: Iterable[Action] | None = None) -> rules.EntryIntoForce:
    """Apply the treaty's rule to its instruments."""
    actions = treaty_actions(treaty=treaty) if actions is None else actions
    instruments = [as_instrument(action) for action in actions if action.kind in INSTRUMENT_KINDS]
    return rules.entry_into_force(treaty_rule(treaty=treaty), instruments)


def _summarise(treaty: Treaty, actions: list[Action], status: rules.EntryIntoForce) -> TreatySummary:
    signed = {a.participant_id for a in actions if a.kind in SIGNATURE_KINDS and not a.withdrawn}
    parties = {a.participant_id for a in actions if a.kind in INSTRUMENT_KINDS and not a.withdrawn}
    reio_parties = {
        a.participant_id
        for a in actions
        if a.kind in INSTRUMENT_KINDS and not a.withdrawn and a.participant.is_reio and not treaty.reio_counts
    }
    return TreatySummary(
        treaty=treaty,
        signatories=len(signed),
        parties=len(parties),
        counted=status.counted,
        threshold=status.threshold,
        needed=status.needed,
        reio_parties_not_counted=len(reio_parties),
        threshold_reached_on=status.threshold_reached_on,
        entry_into_force_on=status.entry_into_force_on,
        group_counted=status.group_counted,
        weight_held=status.weight_held,
    )


def treaty_summary(
    *, treaty: Treaty, actions: Iterable[Action] | None = None, as_of: datetime.date | None = None
) -> TreatySummary:
    """Counts and dates for one treaty (as at the end of `as_of` if given): one query, two with
    `as_of`, or none when given its actions (e.g. prefetched)."""
    actions = list(actions_as_of(treaty=treaty, as_of=as_of) if actions is None else actions)
    return _summarise(treaty, actions, entry_into_force(treaty=treaty, actions=actions))


def _participant_status(row_actions: list[Action], counted_codes: set[str], code: str) -> str:
    live = [a for a in row_actions if not a.withdrawn]
    if not live:
        return ParticipantStatus.WITHDRAWN
    if any(a.kind in INSTRUMENT_KINDS for a in live):
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
    counted_codes = {
        as_instrument(a).participant
        for a in actions
        if a.kind in INSTRUMENT_KINDS and rules.counts_toward_threshold(as_instrument(a), rule)
    }
    by_participant: dict[int, list[Action]] = {}
    for action in actions:
        by_participant.setdefault(action.participant_id, []).append(action)
    rows = []
    for row_actions in by_participant.values():
        participant = row_actions[0].participant
        signature = next((a for a in row_actions if a.kind in SIGNATURE_KINDS), None)
        instrument = next((a for a in row_actions if a.kind in INSTRUMENT_KINDS), None)
        footnotes = sorted({n for a in row_actions for n in a.footnotes})
        rows.append(
            ParticipantRow(
                participant_id=participant.pk,
                code=participant.code,
                name=participant.name,
                is_reio=participant.is_reio,
                status=_participant_status(row_actions, counted_codes, participant.code),
                signature=signature,
                instrument=instrument,
                entry_into_force_on=status.party_dates.get(participant.code) if instrument else None,
                footnotes=tuple(footnotes),
                actions=tuple(row_actions),
            )
        )
    # The root order ("Côte d'Ivoire" before "Czech Republic"); pages re-sort in the reader's language.
    rows.sort(key=lambda row: name_key(row.name))
    return _summarise(treaty, actions, status), rows


def held_for_review_count(*, treaty: Treaty) -> int:
    """Rows of the source held back for staff and not settled yet (one query). They are never
    Action rows until staff accept them, so nothing else here needs to leave them out."""
    from ratification.models import ReviewItem, ReviewKind

    return ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.HELD, resolved_at__isnull=True).count()


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

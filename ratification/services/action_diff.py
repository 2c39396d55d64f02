"""The per-action comparison of a parsed file with the stored actions of one treaty."""

from __future__ import annotations

from dataclasses import dataclass, field

from ratification.models import Action, Event, EventKind, Origin, Participant, Treaty, action_family
from ratification.services.gate import action_key
from ratification.services.reviews import ReviewQueue
from scrapers.untc import ActionRecord, ParticipantRecord


@dataclass
class ActionDiff:
    created: list[Action] = field(default_factory=list)
    updated: list[Action] = field(default_factory=list)
    corrected: list[Action] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    confirmed: int = 0
    #: Stored actions the file's rows matched (their ids).
    seen: set[int] = field(default_factory=set)


def _event(action: Action, kind: str, data: dict, *, public: bool) -> Event:
    return Event(
        treaty=action.treaty,
        kind=kind,
        participant=action.participant,
        action=action,
        occurred_on=action.date,
        public=public,
        data=data,
    )


class _Differ:
    def __init__(self, treaty: Treaty, stored: list[Action], reviews: ReviewQueue) -> None:
        self.treaty = treaty
        self.reviews = reviews
        self.by_key = {action_key(a.participant_id, a.kind, a.label): a for a in stored}
        self.seen: set[tuple[int, str, str]] = set()
        self.diff = ActionDiff()

    def compare(
        self, participant: Participant, record: ActionRecord, footnotes: list[int], row_kinds: set[str]
    ) -> None:
        key = action_key(participant.pk, record.kind, record.label)
        if key in self.seen:
            # The same kind twice for one participant (two columns of one table, e.g. a
            # ratification of the Protocol and one of the Convention as amended): one action
            # per kind is stored (Action's constraint), the first as the parser read it.
            return
        self.seen.add(key)
        action = self.by_key.get(key) or self._kind_corrected(participant, record, row_kinds)
        if action is not None:
            self.diff.seen.add(action.pk)
        if action is None:
            self.diff.created.append(
                Action(
                    treaty=self.treaty,
                    participant=participant,
                    kind=str(record.kind),
                    date=record.date,
                    marker=record.marker,
                    label=record.label,
                    footnotes=footnotes,
                    withdrawn=record.withdrawn,
                    origin=Origin.SOURCE,
                    provenance="untc",
                )
            )
        elif action.locked:
            if (action.date, action.withdrawn) != (record.date, record.withdrawn):
                self.reviews.raise_lock_conflict(action, source_date=record.date, source_withdrawn=record.withdrawn)
        else:
            self._update(action, record, footnotes)

    def _kind_corrected(self, participant: Participant, record: ActionRecord, row_kinds: set[str]) -> Action | None:
        """A stored action of the same family and date whose kind the file now spells otherwise
        (UNTC corrected `A` to `AA`): the same deposit, not a new one."""
        kind = str(record.kind)
        for key, action in self.by_key.items():
            participant_id, stored_kind, _label = key
            if (
                participant_id == participant.pk
                and stored_kind != kind
                and stored_kind in action_family(kind)
                and stored_kind not in row_kinds
                and key not in self.seen
                and action.date == record.date
                and not action.locked
            ):
                self.seen.add(key)
                self.diff.events.append(
                    _event(
                        action, EventKind.CORRECTION, {"field": "kind", "old": stored_kind, "new": kind}, public=False
                    )
                )
                action.kind = kind
                self.diff.corrected.append(action)
                self._mark_updated(action)
                return action
        return None

    def _mark_updated(self, action: Action) -> None:
        if action not in self.diff.updated:
            self.diff.updated.append(action)

    def _update(self, action: Action, record: ActionRecord, footnotes: list[int]) -> None:
        if action.date != record.date:
            old_date, action.date = action.date, record.date
            self.diff.events.append(
                _event(
                    action,
                    EventKind.CORRECTION,
                    {
                        "field": "date",
                        "old": old_date.isoformat(),
                        "new": record.date.isoformat(),
                        "origin": action.origin,
                    },
                    public=False,
                )
            )
            # Seeded dates were provisional: the file corrects them quietly.
            if action.origin != Origin.SEED:
                self.reviews.raise_correction(action, old_date=old_date)
            self.diff.corrected.append(action)
            self._mark_updated(action)
        if action.withdrawn != record.withdrawn:
            action.withdrawn = record.withdrawn
            if record.withdrawn:
                self.diff.events.append(_event(action, EventKind.WITHDRAWAL, {"action_kind": action.kind}, public=True))
            else:
                self.diff.events.append(
                    _event(
                        action, EventKind.CORRECTION, {"field": "withdrawn", "old": True, "new": False}, public=False
                    )
                )
            self._mark_updated(action)
        if action.origin == Origin.SEED:
            action.origin, action.provenance = Origin.SOURCE, "untc"
            self.diff.confirmed += 1
            self._mark_updated(action)
        if (action.marker, action.footnotes, action.label) != (record.marker, footnotes, record.label):
            action.marker, action.footnotes, action.label = record.marker, footnotes, record.label
            self._mark_updated(action)

    def disappeared(self, covered: set) -> None:
        for key, action in self.by_key.items():
            # A staff entry the file has not caught up with yet is lag, not a disappearance;
            # nor is a row held for review (`covered`, keyed by code): it is there, waiting for staff.
            held = action_key(action.participant.code, action.kind, action.label) in covered
            if key not in self.seen and not held and action.origin != Origin.STAFF:
                self.reviews.raise_disappeared(action)


def diff_actions(
    *,
    treaty: Treaty,
    stored: list[Action],
    records: list[ParticipantRecord],
    resolved: dict[str, Participant],
    reviews: ReviewQueue,
    covered: set | None = None,
) -> ActionDiff:
    """What to create, update and announce so the stored actions say what the file's rows
    (those the gate let through) say."""
    differ = _Differ(treaty, stored, reviews)
    for record in records:
        participant = resolved[record.name]
        row_kinds = {str(action.kind) for action in record.actions}
        for action in record.actions:
            differ.compare(participant, action, list(record.footnotes), row_kinds)
    differ.disappeared(covered or set())
    return differ.diff

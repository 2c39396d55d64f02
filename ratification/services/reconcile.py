"""Compare a parsed UNTC status with the database and record each real change once.

Scrapy's pipeline order: normalise, validate (done before this, in `polling`), de-duplicate,
save. Rules this module keeps:

- a surprising row (a name nobody goes by, an implausible date) is held for staff, and the
  rest of the file goes ahead (services/gate.py);
- it never deletes what a file does not show: a row that disappears becomes a review item;
- a staff-locked value is never overwritten: a disagreement becomes a review item;
- a changed date is a correction (recorded, shown to staff), not news;
- a participant renamed in place (same dates, a new name that is a known State's) gets an
  alias, not a new identity; a new name nobody goes by is held for staff, who may map it;
- applying the same file twice changes nothing the second time, and two runs at once are
  serialised on the treaty row, with the unique constraints as the last line of defence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ratification.models import Action, Event, EventKind, Origin, Participant, PollRun, ReviewItem, ReviewKind, Treaty
from ratification.names import mojibake_of
from ratification.services import events as event_builder
from ratification.services.action_diff import ActionDiff, diff_actions
from ratification.services.gate import status_gate
from ratification.services.participants import participant_rename, participants_named, participants_resolve
from ratification.services.reviews import ReviewQueue
from ratification.services.rule_proposals import rule_proposal_refresh
from ratification.services.writes import data_version_bump, lock_treaty
from scrapers.untc import ParticipantRecord, TreatyStatus

UPDATED_FIELDS = ["kind", "date", "marker", "label", "footnotes", "withdrawn", "origin", "provenance", "updated_at"]


@dataclass
class ReconcileResult:
    """What one reconcile changed."""

    created: list[Action] = field(default_factory=list)
    corrected: list[Action] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    review_items: list[ReviewItem] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    confirmed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.corrected or self.events or self.renamed)

    @property
    def held(self) -> list[ReviewItem]:
        """The review items that hold a row back from publication."""
        return [item for item in self.review_items if item.kind == ReviewKind.HELD]


def _signature(record: ParticipantRecord) -> frozenset:
    return frozenset((str(action.kind), action.date) for action in record.actions)


def _resolve_participants(
    treaty: Treaty, status: TreatyStatus, stored: list[Action], result: ReconcileResult
) -> tuple[dict[str, Participant], list[Event], dict[str, Participant]]:
    """Name -> participant for every row whose name is known, telling renames in place from
    newcomers; and, for the other names, the participant each may stand for."""
    names = {record.name for record in status.participants}
    clean = {record.name for record in status.participants if not record.name_was_cleaned}
    linked: set[str] = set()
    resolved = participants_resolve(names=clean, linked=linked)
    # A name with invisible characters only looks known: it is looked up, never created.
    resolved.update(participants_named(names=names - resolved.keys()))
    stored_by_participant: dict[int, set] = {}
    for action in stored:
        stored_by_participant.setdefault(action.participant_id, set()).add((action.kind, action.date))
    events = []
    for record in status.participants:
        participant = resolved.get(record.name)
        if record.name not in linked or participant is None or participant.name in names:
            continue
        if stored_by_participant.get(participant.pk) != _signature(record):
            continue
        # UNTC renamed the row in place, to a name a known State goes by: same dates.
        old_name = participant.name
        participant_rename(participant=participant, new_name=record.name)
        result.renamed.append((old_name, record.name))
        events.append(
            Event(
                treaty=treaty,
                kind=EventKind.RENAME,
                participant=participant,
                occurred_on=timezone.localdate(),
                public=False,
                data={"old_name": old_name, "new_name": record.name},
            )
        )
    return resolved, events, _resemblances(status, resolved, stored_by_participant)


def _resemblances(
    status: TreatyStatus, resolved: dict[str, Participant], stored_by_participant: dict[int, set]
) -> dict[str, Participant]:
    """For each unknown name, the participant it may stand for: the one its mis-decoded
    spelling names, or one gone from the file whose dates it has (a rename staff may confirm)."""
    unknown = [record for record in status.participants if record.name not in resolved]
    if not unknown:
        return {}
    fixed = {record.name: mojibake_of(record.name) for record in unknown}
    named = participants_named(names={name for name in fixed.values() if name})
    present = {participant.pk for participant in resolved.values()}
    participants = {p.pk: p for p in Participant.objects.filter(pk__in=stored_by_participant.keys() - present)}
    resembles = {}
    for record in unknown:
        candidate = named.get(fixed[record.name] or "")
        if candidate is None:
            signature = _signature(record)
            candidate = next((p for pk, p in participants.items() if stored_by_participant[pk] == signature), None)
        if candidate is not None:
            resembles[record.name] = candidate
    return resembles


def _update_header(treaty: Treaty, status: TreatyStatus) -> bool:
    """Take the source's header texts and notes; staff-set title and conclusion are kept. True if changed."""
    header = status.header
    values = {
        "source_text": header.text_section,
        "source_notes": [note.as_json() for note in status.end_notes],
        "eif_label": header.eif_label,
        "eif_text": header.eif_text,
        "registration": header.registration,
        "declared_signatories": header.declared_signatories,
        "declared_parties": header.declared_parties,
        "title": treaty.title or header.title,
        "conclusion_place": treaty.conclusion_place or header.conclusion_place,
        "conclusion_date": treaty.conclusion_date or header.conclusion_date,
    }
    changed = {name: value for name, value in values.items() if getattr(treaty, name) != value}
    for name, value in changed.items():
        setattr(treaty, name, value)
    return bool(changed)


def status_reconcile(*, treaty: Treaty, status: TreatyStatus, poll_run: PollRun | None = None) -> ReconcileResult:
    """Record what `status` says that the database does not know yet, in one transaction."""
    with transaction.atomic():
        treaty = lock_treaty(treaty)
        # The first successful read of a treaty is its baseline: everything in it is
        # history, recorded but not announced (adding the Paris Agreement must not e-mail
        # 195 "new" ratifications).
        announce = bool(treaty.source_hash)
        stored = list(Action.objects.filter(treaty=treaty).select_related("participant", "treaty"))
        reviews = ReviewQueue(treaty=treaty, poll_run=poll_run)
        result = ReconcileResult()
        resolved, rename_events, resembles = _resolve_participants(treaty, status, stored, result)
        gated = status_gate(
            treaty=treaty, header=status.header, records=status.participants, resolved=resolved, stored=stored,
            resembles=resembles, today=timezone.localdate(),
        )  # fmt: skip
        for held in gated.held:
            reviews.raise_held(held, baseline=not announce)
        if status.discrepancies:
            reviews.raise_count_mismatch(status.discrepancies)
        diff: ActionDiff = diff_actions(
            treaty=treaty, stored=stored, records=gated.records, resolved=resolved, reviews=reviews,
            covered=gated.covered,
        )  # fmt: skip

        # PostgreSQL and SQLite >= 3.35 hand back primary keys from a bulk insert.
        created = bulk_create_with_history(diff.created, Action, default_change_reason=_reason(poll_run))
        if diff.updated:
            now = timezone.now()
            for action in diff.updated:
                action.updated_at = now
            bulk_update_with_history(diff.updated, Action, UPDATED_FIELDS, default_change_reason=_reason(poll_run))

        all_actions = [*stored, *created]
        events = [*rename_events, *diff.events]
        events += event_builder.action_events(treaty, created, all_actions, poll_run=poll_run, announce=announce)
        for event in events:
            event.poll_run = poll_run
        event_builder.events_record(treaty=treaty, events=events, poll_run=poll_run)
        for event in diff.events:
            if event.kind == EventKind.CORRECTION and event.data.get("field") == "date":
                old = datetime.date.fromisoformat(event.data["old"])
                event_builder.action_events_redate(action=event.action, old=old, corrected_by=Origin.SOURCE)

        result.created, result.corrected, result.events = created, diff.corrected, events
        result.review_items, result.confirmed = reviews.save(), diff.confirmed
        header_changed = _update_header(treaty, status)
        header_changed |= rule_proposal_refresh(treaty=treaty, status=status)
        # A baseline records what the file already said, which is no change (the list of
        # treaties showed the day of the first read as an old treaty's last change).
        if result.changed and announce:
            treaty.last_change_at = timezone.now()
        if header_changed or result.changed:
            # Saved only when something changed, so the treaty's history is not one entry per poll.
            treaty._change_reason = _reason(poll_run)
            treaty.save()
        # Even a file that changed nothing announced may have confirmed seeded rows or moved a
        # footnote: the public data may differ.
        data_version_bump(treaty=treaty)
    return result


def _reason(poll_run: PollRun | None) -> str:
    return f"UNTC file read by poll run #{poll_run.pk}" if poll_run and poll_run.pk else "UNTC file"

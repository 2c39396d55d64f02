"""Compare a parsed UNTC status with the database and record each real change once.

Scrapy's pipeline order: normalise, validate (done before this, in `polling`), de-duplicate,
save. Rules this module keeps:

- it never deletes what a file does not show: a row that disappears becomes a review item;
- a staff-locked value is never overwritten: a disagreement becomes a review item;
- a changed date is a correction (recorded, shown to staff), not news;
- a participant renamed in place (same dates, new name) gets an alias, not a new identity;
- applying the same file twice changes nothing the second time, and two runs at once are
  serialised on the treaty row, with the unique constraints as the last line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ratification.models import Action, Event, EventKind, Participant, PollRun, ReviewItem, Treaty
from ratification.services import events as event_builder
from ratification.services.action_diff import ActionDiff, diff_actions
from ratification.services.participants import (
    participant_create_unknown,
    participant_rename,
    participants_resolve,
)
from ratification.services.reviews import ReviewQueue
from scrapers.untc import ParticipantRecord, TreatyHeader, TreatyStatus

UPDATED_FIELDS = ["kind", "date", "marker", "footnotes", "withdrawn", "origin", "provenance", "updated_at"]


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


def _lock_treaty(treaty: Treaty) -> Treaty:
    """Serialise reconciles of one treaty: the UPDATE takes PostgreSQL's row lock before
    anything is read, so the second run waits and then sees the first's rows. (SQLite's
    IMMEDIATE transactions already hold the database's write lock from the start.)"""
    Treaty.objects.filter(pk=treaty.pk).update(updated_at=timezone.now())
    return Treaty.objects.get(pk=treaty.pk)


def _signature(record: ParticipantRecord) -> frozenset:
    return frozenset((str(action.kind), action.date) for action in record.actions)


def _resolve_participants(
    treaty: Treaty, status: TreatyStatus, stored: list[Action], reviews: ReviewQueue, result: ReconcileResult
) -> tuple[dict[str, Participant], list[Event]]:
    """Name -> participant for every row, telling renames from newcomers."""
    resolved = participants_resolve(names=[record.name for record in status.participants])
    present = {participant.pk for participant in resolved.values()}
    stored_by_participant: dict[int, set] = {}
    for action in stored:
        stored_by_participant.setdefault(action.participant_id, set()).add((action.kind, action.date))
    participants = {action.participant_id: action.participant for action in stored}
    events = []
    for record in status.participants:
        if record.name in resolved:
            continue
        absent = (pk for pk, actions in stored_by_participant.items() if pk not in present)
        renamed_from = next((pk for pk in absent if stored_by_participant[pk] == _signature(record)), None)
        if renamed_from is not None:
            participant = participants[renamed_from]
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
        else:
            participant = participant_create_unknown(name=record.name)
            reviews.raise_unknown_participant(participant)
        resolved[record.name] = participant
        present.add(participant.pk)
    return resolved, events


def _update_header(treaty: Treaty, header: TreatyHeader) -> bool:
    """Take the source's header texts; staff-set title and conclusion are kept. True if changed."""
    values = {
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
        treaty = _lock_treaty(treaty)
        # The first successful read of a treaty is its baseline: everything in it is
        # history, recorded but not announced (adding the Paris Agreement must not e-mail
        # 195 "new" ratifications).
        announce = bool(treaty.source_hash)
        stored = list(Action.objects.filter(treaty=treaty).select_related("participant", "treaty"))
        reviews = ReviewQueue(treaty=treaty, poll_run=poll_run)
        result = ReconcileResult()
        resolved, rename_events = _resolve_participants(treaty, status, stored, reviews, result)
        diff: ActionDiff = diff_actions(treaty=treaty, stored=stored, status=status, resolved=resolved, reviews=reviews)

        # PostgreSQL and SQLite >= 3.35 hand back primary keys from a bulk insert.
        created = bulk_create_with_history(diff.created, Action, default_change_reason=_reason(poll_run))
        if diff.updated:
            now = timezone.now()
            for action in diff.updated:
                action.updated_at = now
            bulk_update_with_history(diff.updated, Action, UPDATED_FIELDS, default_change_reason=_reason(poll_run))

        all_actions = [*stored, *created]
        events = [*rename_events, *diff.events]
        events += event_builder.new_action_events(treaty, created, all_actions, poll_run=poll_run, announce=announce)
        if not treaty.events.filter(kind=EventKind.THRESHOLD_REACHED).exists():
            milestone = event_builder.threshold_event(treaty, all_actions, poll_run=poll_run, announce=announce)
            events += [milestone] if milestone else []
        for event in events:
            event.poll_run = poll_run
        event_builder.events_record(treaty=treaty, events=events, poll_run=poll_run)

        result.created, result.corrected, result.events = created, diff.corrected, events
        result.review_items, result.confirmed = reviews.save(), diff.confirmed
        header_changed = _update_header(treaty, status.header)
        if result.changed:
            treaty.last_change_at = timezone.now()
        if header_changed or result.changed:
            # Saved only when something changed, so the treaty's history is not one entry per poll.
            treaty._change_reason = _reason(poll_run)
            treaty.save()
    return result


def _reason(poll_run: PollRun | None) -> str:
    return f"UNTC file read by poll run #{poll_run.pk}" if poll_run and poll_run.pk else "UNTC file"

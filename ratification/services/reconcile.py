"""Compare a parsed UNTC status with the database and record each real change once.

Scrapy's pipeline order: normalise, validate (done before this, in `polling`), de-duplicate,
save. Rules this module keeps:

- a surprising row (a name nobody goes by, an implausible date) is held for staff, and the
  rest of the file goes ahead (services/gate.py);
- it never deletes what a file does not show: a row that disappears becomes a review item;
- a staff-locked value is never overwritten: a disagreement becomes a review item;
- a changed date is a correction (recorded, shown to staff), not news;
- a participant renamed in place (same dates, another name of its identity) gets an alias,
  not a new identity; a spelling of its name (case, punctuation, spacing) is only an alias;
  a new name nobody goes by is held for staff, who may map it;
- applying the same file twice changes nothing the second time, and two runs at once are
  serialised on the treaty row, with the unique constraints as the last line of defence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ratification.models import Action, Event, EventKind, Origin, Participant, PollRun, ReviewItem, ReviewKind, Treaty
from ratification.names import mojibake_of
from ratification.services import events as event_builder
from ratification.services.action_diff import ActionDiff, diff_actions
from ratification.services.gate import public_view, status_gate
from ratification.services.identities import NameResolution, names_resolve
from ratification.services.participants import participant_rename, participants_named, participants_store
from ratification.services.reviews import ReviewQueue
from ratification.services.rule_checks import eif_disagreement_raise
from ratification.services.rule_proposals import rule_proposal_refresh
from ratification.services.statements import statements_reconcile
from ratification.services.treaty_facts import treaty_facts_claims, treaty_facts_fix
from ratification.services.writes import lock_treaty, poll_change_reason, rows_update_with_history
from scrapers.eif_clause import declared_dates
from scrapers.model import CONSENT_KINDS
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
    #: How the public sees this file: what the gate held, left out (scrapers/status_diff.py).
    public_view: dict = field(default_factory=dict)
    #: Statements written (created or updated), services/statements.py.
    statements: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.corrected or self.events or self.renamed)

    @property
    def held(self) -> list[ReviewItem]:
        """The review items that hold a row back from publication."""
        return [item for item in self.review_items if item.kind == ReviewKind.HELD]


def _signature(record: ParticipantRecord) -> frozenset:
    return frozenset((str(action.kind), action.date) for action in record.actions)


def _renames(
    treaty: Treaty, records: list[ParticipantRecord], resolved: dict[str, Participant], linked: set[str],
    stored_by_participant: dict[int, set], result: ReconcileResult,
) -> list[Event]:  # fmt: skip
    """Rows UNTC renamed in place, to another name of the same identity with the same dates:
    the new name becomes the participant's, the old one an alias. Only the registry links such
    a name (`linked`); a spelling of the stored name (case, punctuation, spacing) never renames
    it, it is kept as an alias (services/participants.py)."""
    events = []
    for record in records:
        participant = resolved.get(record.name)
        if record.name not in linked or participant is None:
            continue
        if stored_by_participant.get(participant.pk) != _signature(record):
            continue
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
    return events


def _resemblances(
    status: TreatyStatus, resolutions: dict[str, NameResolution], stored_by_participant: dict[int, set]
) -> tuple[dict[str, Participant], dict[str, Participant]]:
    """For a name printed with invisible characters, the stored participant it imitates; for
    each other unresolved name, the participant it may stand for: the one its mis-decoded
    spelling names, or one gone from the file whose dates it has (a rename staff may confirm)."""
    cleaned = {record.name for record in status.participants if record.name_was_cleaned}
    unknown = [record for record in status.participants if not resolutions[record.name].resolved]
    fixed = {record.name: mojibake_of(record.name) for record in unknown}
    named = participants_named(names={*cleaned, *(name for name in fixed.values() if name)})
    looks_like = {name: named[name] for name in cleaned if name in named}
    if not unknown:
        return looks_like, {}
    present = {r.participant.pk for r in resolutions.values() if r.participant is not None}
    participants = {p.pk: p for p in Participant.objects.filter(pk__in=stored_by_participant.keys() - present)}
    resembles = {}
    for record in unknown:
        candidate = named.get(fixed[record.name] or "")
        if candidate is None:
            signature = _signature(record)
            candidate = next((p for pk, p in participants.items() if stored_by_participant[pk] == signature), None)
        if candidate is not None:
            resembles[record.name] = candidate
    return looks_like, resembles


def _update_header(treaty: Treaty, status: TreatyStatus, *, baseline: bool) -> bool:
    """Take the source's header texts and notes; staff-set title and conclusion are kept, and
    after the baseline the file never sets the conclusion. True if changed."""
    header = status.header
    declared = declared_dates(header.eif_label, header.eif_text)
    values = {
        "declared_entry_into_force": declared.definitive,
        # Stored only where the table makes parties of something other than a consent (III-2-*).
        "party_kinds": sorted(str(kind) for kind in status.party_kinds) if status.party_kinds != CONSENT_KINDS else [],
        "declared_provisional_entry_into_force": declared.provisional,
        "source_text": header.text_section,
        "source_notes": [note.as_json() for note in status.end_notes],
        "eif_label": header.eif_label,
        "eif_text": header.eif_text,
        "registration": header.registration,
        "declared_signatories": header.declared_signatories,
        "declared_parties": header.declared_parties,
        "title": treaty.title or header.title,
    }
    if baseline:
        values["conclusion_place"] = treaty.conclusion_place or header.conclusion_place
        values["conclusion_date"] = treaty.conclusion_date or header.conclusion_date
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
        # 195 "new" ratifications), and it fixes the treaty's own facts.
        baseline = not treaty.source_hash
        stored = list(Action.objects.filter(treaty=treaty).select_related("participant", "treaty"))
        reviews = ReviewQueue(treaty=treaty, poll_run=poll_run)
        result = ReconcileResult()
        resolutions = names_resolve(names={record.name for record in status.participants})
        before = _facts(treaty)
        if baseline:
            treaty_facts_fix(treaty=treaty, status=status, resolutions=resolutions)
        elif claims := treaty_facts_claims(treaty=treaty, status=status):
            reviews.raise_treaty_facts(claims)
        stored_by_participant: dict[int, set] = {}
        for action in stored:
            stored_by_participant.setdefault(action.participant_id, set()).add((action.kind, action.date))
        looks_like, resembles = _resemblances(status, resolutions, stored_by_participant)
        gated = status_gate(
            treaty=treaty, records=status.participants, resolutions=resolutions, stored=stored,
            looks_like=looks_like, resembles=resembles, today=timezone.localdate(), baseline=baseline,
        )  # fmt: skip
        for held in gated.held:
            reviews.raise_held(held, baseline=baseline)
        if status.discrepancies:
            reviews.raise_count_mismatch(status.discrepancies)
        linked: set[str] = set()
        resolved = participants_store(resolutions=[resolutions[r.name] for r in gated.records], linked=linked)
        rename_events = _renames(treaty, gated.records, resolved, linked, stored_by_participant, result)
        diff: ActionDiff = diff_actions(
            treaty=treaty, stored=stored, records=gated.records, resolved=resolved, reviews=reviews,
            covered=gated.covered,
        )  # fmt: skip
        result.public_view = public_view(gated, stored, diff.seen, resolved)

        # PostgreSQL and SQLite >= 3.35 hand back primary keys from a bulk insert.
        created = bulk_create_with_history(diff.created, Action, default_change_reason=poll_change_reason(poll_run))
        if diff.updated:
            now = timezone.now()
            for action in diff.updated:
                action.updated_at = now
            rows_update_with_history(diff.updated, UPDATED_FIELDS, change_reason=poll_change_reason(poll_run))

        all_actions = [*stored, *created]
        events = [*rename_events, *diff.events]
        events += event_builder.action_events(treaty, created, all_actions, poll_run=poll_run, announce=not baseline)
        said = statements_reconcile(
            treaty=treaty, statements=status.declarations, sections=status.statement_sections, resolved=resolved,
            resembles=resembles, reviews=reviews, poll_run=poll_run, announce=not baseline and treaty.statements_read,
        )  # fmt: skip
        events += said.events
        result.statements = len(said.created) + len(said.updated)
        if said.held:
            result.public_view = {**result.public_view, "drop_statements": said.held}
        for event in events:
            event.poll_run = poll_run
        event_builder.events_record(treaty=treaty, events=events, poll_run=poll_run)
        for event in diff.events:
            if event.kind == EventKind.CORRECTION and event.data.get("field") == "date":
                old = datetime.date.fromisoformat(event.data["old"])
                event_builder.action_events_redate(action=event.action, old=old, corrected_by=Origin.SOURCE)

        result.created, result.corrected, result.events = created, diff.corrected, events
        header_changed = _update_header(treaty, status, baseline=baseline) or _facts(treaty) != before
        if not treaty.statements_read:
            # Their baseline is taken: from the next file on, statements are news.
            treaty.statements_read, header_changed = True, True
        header_changed |= rule_proposal_refresh(treaty=treaty, status=status)
        # UNTC's date against the known rule's, on the instruments as now recorded.
        eif_disagreement_raise(treaty=treaty, actions=all_actions, reviews=reviews)
        result.review_items, result.confirmed = reviews.save(), diff.confirmed
        # A baseline records what the file already said, which is no change (the list of
        # treaties showed the day of the first read as an old treaty's last change).
        if result.changed and not baseline:
            treaty.last_change_at = timezone.now()
        if header_changed or result.changed:
            # Saved only when something changed, so the treaty's history is not one entry per poll.
            treaty._change_reason = poll_change_reason(poll_run)
            treaty.save()
    return result


def _facts(treaty: Treaty) -> tuple:
    return (treaty.adopted_on, tuple(treaty.action_kinds or ()), treaty.admits_reio)

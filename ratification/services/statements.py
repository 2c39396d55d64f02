"""Record a treaty's statements (reservations, declarations, objections, notifications, territorial
applications) from a parsed file, and each one made, changed or withdrawn as an event.

Called by the reconcile (services/reconcile.py) inside its transaction, after the rows, with
the rows' name resolution. Rules it keeps, the rows' own (docs/untc-format.md §3.5):

- a statement is filed under the participant it names, by identity: a name the gate would hold
  for a row (never seen, invisible characters, mojibake) holds the statement for staff, and
  the rest of the file goes ahead (services/held_statements.py settles it);
- the first read of a treaty's statements is their baseline: recorded, not announced;
- nothing is deleted: a statement gone from the file is marked withdrawn on the day it went,
  and a section missing from the file withdraws nothing (its absence says nothing);
- what a change means (made, changed, withdrawn) is the pure `scrapers.statement_diff`'s, the
  same as the poll's diff page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ratification.models import INSTRUMENT_KINDS, Action, Event, EventKind, Participant, PollRun, Statement, Treaty
from ratification.services.participants import participants_named
from ratification.services.reviews import ReviewQueue
from ratification.services.statement_identity import HeldStatement, answer_code, statement_participants, why_held
from ratification.services.writes import poll_change_reason, rows_update_with_history
from scrapers import model as untc
from scrapers.statement_diff import MADE, WITHDRAWN, StatementChange, change_of, pair

UPDATED_FIELDS = [
    "kinds", "articles", "date", "text", "footnotes", "answers", "position", "since", "withdrawn_on", "updated_at",
]  # fmt: skip
EVENT_KINDS = {
    MADE: EventKind.STATEMENT_MADE,
    WITHDRAWN: EventKind.STATEMENT_WITHDRAWN,
}


@dataclass
class StatementsResult:
    """What recording one file's statements wrote."""

    created: list[Statement] = field(default_factory=list)
    updated: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: Positions (in the file's order) of the statements held for staff: left out of the
    #: public view of the file, as held rows are (services/gate.public_view).
    held: list[int] = field(default_factory=list)


def record_of(row: Statement) -> untc.Statement:
    """A stored statement as the parser would give it, to compare with a fresh parse."""
    return untc.Statement(
        section=row.section,
        participant=row.participant.name,
        kinds=tuple(row.kinds),
        articles=tuple(row.articles),
        date=row.date,
        text=row.text,
        footnotes=tuple(row.footnotes),
        answers=tuple((answer["name"], answer["kind"]) for answer in row.answers),
    )


def baseline_dates(*, treaty: Treaty) -> dict[int, datetime.date]:
    """For each participant, the day its statements read with the baseline are taken to stand
    from when they give no date of their own: its instrument's date (most are "made upon
    ratification"), else its signature's. One query."""
    dates: dict[int, datetime.date] = {}
    signed: dict[int, datetime.date] = {}
    for participant_id, kind, date in Action.objects.filter(treaty=treaty).values_list(
        "participant_id", "kind", "date"
    ):
        bucket = dates if kind in INSTRUMENT_KINDS else signed
        bucket[participant_id] = min(date, bucket.get(participant_id, date))
    return {**signed, **dates}


class _Recorder:
    def __init__(self, treaty: Treaty, poll_run: PollRun | None, announce: bool, today: datetime.date) -> None:
        self.treaty, self.poll_run, self.announce, self.today = treaty, poll_run, announce, today
        self.result = StatementsResult()
        self.by_name: dict[str, Participant] = {}
        # Read with the baseline, an undated statement stands from its participant's instrument.
        self.stands_from = {} if announce else baseline_dates(treaty=treaty)
        # Changes and their rows, turned into events once the new rows have their ids.
        self.pending: list[tuple[StatementChange | None, Statement]] = []

    def answers(self, statement: untc.Statement) -> list[dict]:
        return [
            {"name": name, "kind": kind, "code": answer_code(name, self.by_name)} for name, kind in statement.answers
        ]

    def fill(self, row: Statement, statement: untc.Statement, position: int) -> bool:
        """Set the row to the parsed statement; True if anything differs."""
        values = {
            "kinds": list(statement.kinds),
            "articles": list(statement.articles),
            "date": statement.date,
            "text": statement.text,
            "footnotes": list(statement.footnotes),
            "answers": self.answers(statement),
            "position": position,
            "withdrawn_on": None,
        }
        changed = any(getattr(row, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(row, name, value)
        return changed

    def event(self, change: StatementChange, row: Statement) -> None:
        kind = EVENT_KINDS.get(change.change, EventKind.STATEMENT_CHANGED)
        data = {
            "section": row.section,
            "kinds": list(change.kinds),
            "articles": list(change.articles),
            "answers": [a for a in row.answers if (a["name"], a["kind"]) in change.answers] if change.answers else [],
            "statement_kinds": list(row.kinds),
            "parts": [[kind, list(articles)] for kind, articles in change.parts],
            "date": change.statement.date.isoformat() if change.statement.date else None,
        }
        if change.before is not None and change.before.text != row.text:
            data["previous_text"] = change.before.text
        if not self.announce:
            data["baseline"] = True
        occurred = change.date or (change.statement.date if change.change != WITHDRAWN else None) or self.today
        self.result.events.append(
            Event(
                treaty=self.treaty,
                kind=kind,
                participant=row.participant,
                statement=row,
                poll_run=self.poll_run,
                occurred_on=occurred,
                public=self.announce,
                data=data,
            )
        )

    def group(
        self, participant: Participant, stored: list[Statement], new: list[tuple[int, untc.Statement]], present: bool
    ) -> None:
        current = [row for row in stored if row.withdrawn_on is None]
        former = [row for row in stored if row.withdrawn_on is not None]
        pairing = pair([record_of(row) for row in current], [statement for _position, statement in new])
        for i, j in pairing.same:
            if self.fill(current[i], new[j][1], new[j][0]):
                self.result.updated.append(current[i])  # footnotes or order moved: not news
        for i, j in pairing.changed:
            before, (position, statement) = record_of(current[i]), new[j]
            change = change_of(before, statement, title=self.treaty.title)
            self.fill(current[i], statement, position)
            self.result.updated.append(current[i])
            self.pending.append((change, current[i]))
        for j in pairing.new:
            position, statement = new[j]
            # The same text back after it left the file: the same statement, made again.
            row = next((row for row in former if row.text == statement.text), None)
            if row is not None:
                former.remove(row)
                self.result.updated.append(row)
            else:
                row = Statement(treaty=self.treaty, participant=participant, section=statement.section)
                self.result.created.append(row)
            self.fill(row, statement, position)
            row.since = statement.date or self.stands_from.get(participant.pk) or self.today
            self.pending.append((change_of(None, statement, title=self.treaty.title), row))
        for i in pairing.gone if present else ():
            row = current[i]
            change = change_of(record_of(row), None, title=self.treaty.title)
            row.withdrawn_on = self.today
            self.result.updated.append(row)
            self.pending.append((change, row))


def statements_reconcile(
    *,
    treaty: Treaty,
    statements: tuple[untc.Statement, ...],
    sections: frozenset[str],
    resolved: dict[str, Participant],
    resembles: dict[str, Participant],
    reviews: ReviewQueue,
    poll_run: PollRun | None,
    announce: bool,
) -> StatementsResult:
    """Record what the file's statements say that the database does not know yet (the caller
    holds the treaty lock and the transaction)."""
    recorder = _Recorder(treaty, poll_run, announce, timezone.localdate())
    who = statement_participants(names={s.participant for s in statements if not s.name_was_cleaned}, resolved=resolved)
    recorder.by_name = {**resolved, **who}
    new: dict[tuple[int, str], list[tuple[int, untc.Statement]]] = {}
    participants: dict[int, Participant] = {}
    covered: set[int] = set()
    for position, statement in enumerate(statements):
        participant = None if statement.name_was_cleaned else who.get(statement.participant)
        if participant is None:
            known = participants_named(names=[statement.participant]).get(statement.participant)
            maybe = resembles.get(statement.participant) or known
            covered |= {maybe.pk} if maybe else set()
            held = HeldStatement(statement, [why_held(statement)], position, participant=known, resembles=maybe)
            reviews.raise_held(held, baseline=not announce)
            recorder.result.held.append(position)
            continue
        participants[participant.pk] = participant
        new.setdefault((participant.pk, statement.section), []).append((position, statement))
    stored: dict[tuple[int, str], list[Statement]] = {}
    for row in Statement.objects.filter(treaty=treaty).select_related("participant").order_by("position", "id"):
        stored.setdefault((row.participant_id, row.section), []).append(row)
        participants.setdefault(row.participant_id, row.participant)
    for key in sorted({*new, *stored}):
        participant_id, section = key
        present = section in sections and participant_id not in covered
        recorder.group(participants[participant_id], stored.get(key, []), new.get(key, []), present)
    result = recorder.result
    reason = poll_change_reason(poll_run)
    result.created = bulk_create_with_history(result.created, Statement, default_change_reason=reason)
    if result.updated:
        now = timezone.now()
        for row in result.updated:
            row.updated_at = now
        rows_update_with_history(result.updated, UPDATED_FIELDS, change_reason=reason)
    for change, row in recorder.pending:
        if change is not None:
            recorder.event(change, row)
    return result

"""What changed between two parsed status files, participant by participant: not a text diff.

Pure, like the parser: two `TreatyStatus` in, a `StatusDiff` out. Rows are matched by the
participant's name as the files print it; actions by their kind and the column's label (one
table may hold two columns of one kind); statements as the reconcile matches them
(scrapers/statement_diff.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from scrapers.model import ActionKind, ActionRecord, ParticipantRecord, TreatyStatus
from scrapers.statement_diff import StatementChange, statements_diff


@dataclass(frozen=True)
class ActionChange:
    """One action of a participant that was added, removed, or changed between two files."""

    kind: str
    label: str
    before: ActionRecord | None
    after: ActionRecord | None

    @property
    def change(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    @property
    def date_before(self) -> datetime.date | None:
        return self.before.date if self.before else None

    @property
    def date_after(self) -> datetime.date | None:
        return self.after.date if self.after else None


@dataclass(frozen=True)
class ParticipantChange:
    """A row added, removed or changed, with the actions that differ."""

    name: str
    change: str  # "added", "removed" or "changed"
    actions: tuple[ActionChange, ...]
    footnotes_before: tuple[int, ...] = ()
    footnotes_after: tuple[int, ...] = ()


@dataclass(frozen=True)
class StatusDiff:
    participants: tuple[ParticipantChange, ...] = field(default_factory=tuple)
    signatories: tuple[int | None, int | None] = (None, None)
    parties: tuple[int | None, int | None] = (None, None)
    #: Reservations, declarations, objections... made, changed or withdrawn.
    statements: tuple[StatementChange, ...] = ()

    @property
    def added(self) -> tuple[ParticipantChange, ...]:
        return tuple(p for p in self.participants if p.change == "added")

    @property
    def removed(self) -> tuple[ParticipantChange, ...]:
        return tuple(p for p in self.participants if p.change == "removed")

    @property
    def changed(self) -> tuple[ParticipantChange, ...]:
        return tuple(p for p in self.participants if p.change == "changed")


def _actions(record: ParticipantRecord | None) -> dict[tuple[str, str], ActionRecord]:
    actions: dict[tuple[str, str], ActionRecord] = {}
    for action in record.actions if record else ():
        actions.setdefault((str(action.kind), action.label), action)
    return actions


def _same(before: ActionRecord, after: ActionRecord) -> bool:
    return (before.date, before.marker, before.withdrawn) == (after.date, after.marker, after.withdrawn)


def _action_changes(before: ParticipantRecord | None, after: ParticipantRecord | None) -> tuple[ActionChange, ...]:
    old, new = _actions(before), _actions(after)
    changes = []
    for key in [*old, *(key for key in new if key not in old)]:
        was, now = old.get(key), new.get(key)
        if was is not None and now is not None and _same(was, now):
            continue
        changes.append(ActionChange(kind=key[0], label=key[1], before=was, after=now))
    return tuple(changes)


def status_diff(before: TreatyStatus | None, after: TreatyStatus) -> StatusDiff:
    """The participants added, removed and changed from `before` (None: the first file) to `after`."""
    old = {record.name: record for record in before.participants} if before else {}
    new = {record.name: record for record in after.participants}
    changes = []
    for name in sorted({*old, *new}):
        was, now = old.get(name), new.get(name)
        actions = _action_changes(was, now)
        footnotes = (tuple(was.footnotes) if was else (), tuple(now.footnotes) if now else ())
        if was is None or now is None:
            change = "added" if was is None else "removed"
        elif actions or footnotes[0] != footnotes[1] or was.withdrawn != now.withdrawn:
            change = "changed"
        else:
            continue
        changes.append(ParticipantChange(name, change, actions, *footnotes))
    return StatusDiff(
        participants=tuple(changes),
        signatories=(before.counted_signatories if before else None, after.counted_signatories),
        parties=(before.counted_parties if before else None, after.counted_parties),
        statements=statements_diff(
            before.declarations if before else (),
            after.declarations,
            title=after.header.title,
            sections=after.statement_sections,
        ),
    )


def status_as_published(status: TreatyStatus, view: dict | None) -> TreatyStatus:
    """The file as the public saw it once read: the rows and actions a reader held for review
    left out, and the published values they stood for put back.

    `view` is {"drop": {row index: "all" or [[kind, label], ...]}, "restore": [{"name", "kind",
    "label", "date", "marker", "withdrawn"}, ...], "names": {printed: published},
    "drop_statements": [statement index, ...]}, as the tracker kept it when it read the file;
    None or empty: the file as it is.
    """
    if not view:
        return status
    drop, names = view.get("drop", {}), view.get("names", {})
    rows: list[ParticipantRecord] = []
    for index, record in enumerate(status.participants):
        held = drop.get(str(index))
        if held == "all":
            continue
        if held:
            kept = tuple(a for a in record.actions if [str(a.kind), a.label] not in held)
            record = replace(record, actions=kept)
        if record.name in names:
            record = replace(record, name=names[record.name], printed_name=names[record.name])
        rows.append(record)
    by_name = {record.name: position for position, record in enumerate(rows)}
    for item in view.get("restore", []):
        action = ActionRecord(
            kind=ActionKind(item["kind"]),
            date=datetime.date.fromisoformat(item["date"]),
            marker=item["marker"],
            withdrawn=item["withdrawn"],
            label=item["label"],
        )
        position = by_name.get(item["name"])
        if position is None:
            by_name[item["name"]] = len(rows)
            rows.append(ParticipantRecord(name=item["name"], footnotes=(), withdrawn=False, actions=(action,)))
        elif (action.kind, action.label) not in {(a.kind, a.label) for a in rows[position].actions}:
            record = rows[position]
            rows[position] = replace(record, actions=(*record.actions, action))
    held_statements = set(view.get("drop_statements", ()))
    statements = tuple(
        replace(statement, participant=names.get(statement.participant, statement.participant))
        for position, statement in enumerate(status.declarations)
        if position not in held_statements
    )
    return replace(status, participants=tuple(rows), declarations=statements)

"""The gate: what of a parsed file may be published now, and what is held for staff first.

A file that passes validation is still read row by row by people and machines that may err,
and what a poll publishes is counted toward entry into force and mailed at once. So before
a new or changed row is published, counted or announced, it is checked:

- its name is a participant already stored (or an alias of one), or a known State or
  organisation (ratification.names): a name never seen ("Testland"), or one that only looks
  like a known one ("Fr<U+200B>ance", or "Côte d'Ivoire" mis-decoded to mojibake), is a surprise;
- its dates fall between the treaty's adoption and today (a day of tolerance each way, for
  time zones), and a signature within the signature period where the treaty has one.

A surprise is held: nothing of it reaches the pages, counts, feed, API or alerts until staff
accept it, map it to a participant, or reject it (services/held_rows.py). Everything else in
the same file goes ahead: one odd row never holds back a real ratification.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from ratification.models import Action, Participant, Treaty
from ratification.names import mojibake_of
from scrapers.dates import long_dates
from scrapers.model import NOTIFICATION_KINDS, ActionKind, ActionRecord, ParticipantRecord, TreatyHeader
from scrapers.xmlsafe import visible

#: Time zones: a deposit made today in New York may be dated tomorrow elsewhere.
TOLERANCE = datetime.timedelta(days=1)
#: Signatures checked against the signature period (a succession to a signature, or its
#: confirmation, may come later).
_SIGNATURES = frozenset({ActionKind.SIGNATURE, ActionKind.SIGNATURE_AD_REFERENDUM})
#: Participation is consent expressed through another instrument, dated by it, which may be
#: older than this one (VI-18: parties to the 1961 Convention as amended "by virtue of
#: ratification ... of the Protocol of 25 March 1972", from 1972; the text dates from 1975).
_DATED_BY_ANOTHER_INSTRUMENT = frozenset({ActionKind.PARTICIPATION})


def action_key(participant_id: int, kind: str, label: str = "") -> tuple[int, str, str]:
    """What identifies a stored action (see Action's constraints): a notification by its label too."""
    return (participant_id, str(kind), label if kind in NOTIFICATION_KINDS else "")


@dataclass
class HeldRow:
    """A row, or some of its actions, kept back for staff, and why."""

    record: ParticipantRecord
    actions: list[ActionRecord]
    reasons: list[str]
    #: Who the row is, when its name says so (a date surprise, or invisible characters in a
    #: known name); None for a name nobody goes by.
    participant: Participant | None = None
    #: Who it may be: the participant a mis-decoded or renamed-looking name resembles.
    resembles: Participant | None = None
    #: Stored actions whose new date is what is held: kind -> action.
    corrects: dict[str, Action] = field(default_factory=dict)

    def actions_data(self) -> list[dict]:
        return [
            {
                "kind": str(a.kind),
                "date": a.date.isoformat(),
                "marker": a.marker,
                "label": a.label,
                "withdrawn": a.withdrawn,
            }
            for a in self.actions
        ]

    def description(self) -> str:
        what = "; ".join(f"{a.kind.replace('_', ' ')} {a.date.isoformat()}" for a in self.actions)
        return (
            f"Held: {visible(self.record.printed_name)} ({what}): {'; '.join(self.reasons)}. Nothing of it is "
            "published, counted or announced until staff accept it, map it to a participant, or reject it."
        )

    def as_data(self, *, baseline: bool) -> dict:
        """What the review item keeps: the row as printed (invisible characters spelt out, never
        stored as such), why, and what accepting it would record. The fingerprint (name as
        printed, kinds, dates) tells a later poll showing the same row that it was raised."""
        actions = self.actions_data()
        printed = visible(self.record.printed_name)
        return {
            "fingerprint": digest([printed, sorted(actions, key=lambda a: (a["kind"], a["label"]))]),
            "name": self.record.name,
            "printed_name": printed,
            "raw_row": " | ".join(" ".join(visible(cell).split()) for cell in self.record.cells),
            "reasons": self.reasons,
            "actions": actions,
            "footnotes": list(self.record.footnotes),
            "resembles": self.resembles.pk if self.resembles else None,
            "corrects": {kind: action.pk for kind, action in self.corrects.items()},
            "baseline": baseline,
        }


def digest(value) -> str:
    """A short, stable fingerprint of JSON-able data."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=True).encode()).hexdigest()[:32]


@dataclass
class Gated:
    """The file, split: rows that go ahead, and rows held."""

    records: list[ParticipantRecord] = field(default_factory=list)
    held: list[HeldRow] = field(default_factory=list)
    #: Stored actions the held rows stand for: not "gone from the file" while they wait.
    covered: set[tuple[int, str, str]] = field(default_factory=set)


class _Gate:
    def __init__(self, treaty: Treaty, header: TreatyHeader, stored: list[Action], today: datetime.date) -> None:
        # The earliest date the header gives: an amendment "adopted at London, 14 November
        # 1975 and 9 November 1977" could be accepted from the first.
        dates = [d for d in (treaty.conclusion_date, header.conclusion_date, *long_dates(header.conclusion)) if d]
        self.adopted = min(dates, default=None)
        self.deadline = treaty.signature_deadline
        self.today = today
        self.stored = {action_key(a.participant_id, a.kind, a.label): a for a in stored}
        self.gated = Gated()

    def date_surprise(self, action: ActionRecord) -> str | None:
        what = f"its {action.kind.replace('_', ' ')} is dated {action.date:%d %b %Y}"
        if self.adopted and action.date < self.adopted - TOLERANCE and action.kind not in _DATED_BY_ANOTHER_INSTRUMENT:
            return f"{what}, before the treaty was adopted ({self.adopted})"
        if action.date > self.today + TOLERANCE:
            return f"{what}, in the future"
        if action.kind in _SIGNATURES and self.deadline and action.date > self.deadline + TOLERANCE:
            return f"{what}, after the treaty closed for signature ({self.deadline})"
        return None

    def known_row(self, record: ParticipantRecord, participant: Participant) -> None:
        """A known name: hold only the new or re-dated actions whose dates are implausible."""
        kept, held, reasons, corrects = [], [], [], {}
        for action in record.actions:
            key = action_key(participant.pk, action.kind, action.label)
            stored = self.stored.get(key)
            changed = stored is None or (stored.date != action.date and not stored.locked)
            reason = self.date_surprise(action) if changed else None
            if reason is None:
                kept.append(action)
                continue
            held.append(action)
            reasons.append(reason)
            if stored is not None:
                corrects[str(action.kind)] = stored
                self.gated.covered.add(key)
        if held:
            self.gated.held.append(HeldRow(record, held, reasons, participant=participant, corrects=corrects))
            record = _with_actions(record, kept)
        self.gated.records.append(record)

    def surprising_name(self, record: ParticipantRecord, participant: Participant | None, resembles) -> None:
        """A name that is not what it seems: the whole row waits."""
        if record.name_was_cleaned:
            reason = (
                f"the name holds invisible or bidirectional-control characters (printed "
                f"{visible(record.printed_name)!r}): it only looks like {record.name!r}"
            )
        elif (fixed := mojibake_of(record.name)) is not None:
            reason = f"the name looks like a mis-decoded (mojibake) spelling of {fixed!r}"
        else:
            reason = "the name is not a participant, State or organisation the tracker knows"
        suggestion = participant or resembles
        if suggestion is not None:
            self.gated.covered.update(action_key(suggestion.pk, a.kind, a.label) for a in record.actions)
        self.gated.held.append(
            HeldRow(record, list(record.actions), [reason], participant=participant, resembles=resembles)
        )


def _with_actions(record: ParticipantRecord, actions: list[ActionRecord]) -> ParticipantRecord:
    return ParticipantRecord(
        name=record.name,
        footnotes=record.footnotes,
        withdrawn=record.withdrawn,
        actions=tuple(actions),
        printed_name=record.printed_name,
        cells=record.cells,
    )


def status_gate(
    *,
    treaty: Treaty,
    header: TreatyHeader,
    records: tuple[ParticipantRecord, ...],
    resolved: dict[str, Participant],
    stored: list[Action],
    resembles: dict[str, Participant],
    today: datetime.date,
) -> Gated:
    """Split the file's rows into what goes ahead and what is held (no queries).

    `resolved` maps the names that are known to their participant; `resembles` the others to
    the participant they may stand for, where one is apparent.
    """
    gate = _Gate(treaty, header, stored, today)
    for record in records:
        participant = resolved.get(record.name)
        if participant is None or record.name_was_cleaned:
            gate.surprising_name(record, participant, resembles.get(record.name))
        else:
            gate.known_row(record, participant)
    return gate.gated

"""The participants table: columns mapped by their header legend, rows read into typed records.

Traps guarded against (untc-format.md): the column count varies from 2 to 5 and a table may
have no signature column (§3.2), so columns are mapped by header text, never by position;
markers are case-sensitive (`a` accession, `A` acceptance, `AA` approval; §3.3); footnotes are
escaped `<superscript>2,3</superscript>` runs in the name (§3.3); brackets mean withdrawn
(§4.2); dates carry tabs and NBSP (§3.4, folded by `squash`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import Tag

from scrapers.dates import parse_cell
from scrapers.model import (
    CONSENT_KINDS,
    SIGNATURE_KINDS,
    ActionKind,
    ActionRecord,
    ParseError,
    ParticipantRecord,
)
from scrapers.xmlsafe import children, plain, raw_text, squash

# Legend labels as UNTC prints them in column headers, lower-cased. An unknown label is
# refused rather than guessed: the issue asks for exact data or a clear refusal.
_LABELS: Mapping[str, ActionKind] = {
    "signature": ActionKind.SIGNATURE,
    "succession to signature": ActionKind.SUCCESSION_TO_SIGNATURE,
    "ratification": ActionKind.RATIFICATION,
    "acceptance": ActionKind.ACCEPTANCE,
    "approval": ActionKind.APPROVAL,
    "accession": ActionKind.ACCESSION,
    "succession": ActionKind.SUCCESSION,
    "definitive signature": ActionKind.DEFINITIVE_SIGNATURE,
    "formal confirmation": ActionKind.FORMAL_CONFIRMATION,
    "provisional application": ActionKind.PROVISIONAL_APPLICATION,
    "participation": ActionKind.PARTICIPATION,
}
_LEGEND_ITEM = re.compile(r"(?P<label>.*?)\s*\(\s*(?P<marker>[A-Za-z]{1,3})\s*\)")
_SUPERSCRIPT = re.compile(r"<superscript>(?P<notes>.*?)</superscript>", re.IGNORECASE | re.DOTALL)
_NOTE_NUMBERS = re.compile(r"\d+(?:,\d+)*,?")


@dataclass(frozen=True)
class ActionColumn:
    """A dated column: its header and what each marker ("" for none) means in it."""

    header: str
    legend: Mapping[str, ActionKind]


@dataclass(frozen=True)
class TablePlan:
    """Where the participant names are and how to read every other column."""

    headers: tuple[str, ...]
    participant_index: int
    actions: tuple[tuple[int, ActionColumn], ...]


def split_footnotes(text: str) -> tuple[str, tuple[int, ...]]:
    """Split "Germany<superscript>2,3</superscript>" into ("Germany", (2, 3)).

    Numbers come only from inside the tag: digits glued to a name without the tag are part
    of the name (§3.3 warns against stripping trailing digits), and a tag holding anything
    but comma-separated numbers is refused.
    """
    notes: list[int] = []
    for match in _SUPERSCRIPT.finditer(text):
        content = "".join(match["notes"].split())
        if not _NOTE_NUMBERS.fullmatch(content):
            raise ParseError(f"footnote mark {match['notes']!r} in {text!r} is not a number list")
        notes.extend(int(number) for number in content.split(",") if number)
    if notes or "<" in text:
        text = _SUPERSCRIPT.sub("", text)
    return plain(text), tuple(notes)


def drop_footnote_marks(text: str) -> str:
    """Readable prose without its footnote marks, whatever they hold (header fields)."""
    return plain(_SUPERSCRIPT.sub("", text)) if "<" in text else squash(text)


def plan_table(headers: list[str]) -> TablePlan:
    """Map each column by its header text; refuse a header this parser cannot interpret."""
    participant_columns = [index for index, header in enumerate(headers) if header.lower().startswith("participant")]
    if len(participant_columns) != 1:
        raise ParseError(f"expected one 'Participant' column among the headers {headers!r}")
    index_of_names = participant_columns[0]
    actions = tuple(
        (index, ActionColumn(header, _legend(header)))
        for index, header in enumerate(headers)
        if index != index_of_names
    )
    if not actions:
        raise ParseError("the participants table has no date column")
    return TablePlan(tuple(headers), index_of_names, actions)


def _legend(header: str) -> Mapping[str, ActionKind]:
    if not header:
        raise ParseError("a participants-table column has an empty header")
    legend: dict[str, ActionKind] = {}
    for item in header.split(","):
        match = _LEGEND_ITEM.fullmatch(item.strip())
        label, marker = (match["label"], match["marker"]) if match else (item, "")
        kind = _LABELS.get(squash(label).lower())
        if kind is None:
            raise ParseError(f"column {header!r}: unknown action {squash(label)!r}")
        if marker in legend:
            raise ParseError(f"column {header!r}: marker {marker!r} is defined twice")
        legend[marker] = kind
    kinds = set(legend.values())
    if kinds <= SIGNATURE_KINDS:
        # The issue: in a column headed "Signature", `d` is a succession to signature even
        # when the header does not spell out "Succession to signature(d)".
        legend.setdefault("d", ActionKind.SUCCESSION_TO_SIGNATURE)
    elif kinds & CONSENT_KINDS:
        # The issue: an unmarked date in a consent column is a ratification.
        legend.setdefault("", ActionKind.RATIFICATION)
    return legend


def read_rows(rows: list[Tag], plan: TablePlan) -> tuple[ParticipantRecord, ...]:
    """Read every row; any cell that does not parse refuses the whole table."""
    participants = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        participant = _read_row(number, row, plan)
        if participant.name in seen:
            raise ParseError(f"row {number}: participant {participant.name!r} appears twice")
        seen.add(participant.name)
        participants.append(participant)
    return tuple(participants)


def _read_row(number: int, row: Tag, plan: TablePlan) -> ParticipantRecord:
    cells = children(row, "Entry")
    if len(cells) != len(plan.headers):
        raise ParseError(f"row {number} has {len(cells)} cells where the header has {len(plan.headers)} columns")
    name, footnotes = split_footnotes(raw_text(cells[plan.participant_index]))
    if not name:
        raise ParseError(f"row {number} has no participant name")
    actions = []
    for index, column in plan.actions:
        text = squash(raw_text(cells[index]))
        if text:
            actions.append(_read_action(text, column, f"row {number} ({name})"))
    return ParticipantRecord(
        name=name,
        footnotes=footnotes,
        withdrawn=any(action.withdrawn for action in actions),
        actions=tuple(actions),
    )


def _read_action(text: str, column: ActionColumn, where: str) -> ActionRecord:
    try:
        date, marker, bracketed = parse_cell(text)
    except ParseError as error:
        raise ParseError(f"{where}, column {column.header!r}: {error}") from None
    kind = column.legend.get(marker)
    if kind is None:
        shown = f"marker {marker!r}" if marker else "an unmarked date"
        raise ParseError(f"{where}: {shown} is not in the legend of column {column.header!r}")
    return ActionRecord(kind=kind, date=date, marker=marker, withdrawn=bracketed)

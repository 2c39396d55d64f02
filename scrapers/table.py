"""The participants table: columns mapped by their header legend, rows read into typed records.

Traps guarded against (docs/untc-format.md): the column count varies from 2 to 5 and a table may
have no signature column (§3.2), so columns are mapped by header text, never by position;
markers are case-sensitive (`a` accession, `A` acceptance, `AA` approval; §3.3); footnotes are
escaped `<superscript>2,3</superscript>` runs in the name (§3.3); brackets mean withdrawn
(§4.2); dates carry tabs and NBSP (§3.4, folded by `squash`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import Tag

from scrapers.dates import parse_cell
from scrapers.legend import LegendEntry, read_legend
from scrapers.model import ActionKind, ActionRecord, ParseError, ParticipantRecord
from scrapers.xmlsafe import children, has_invisible, plain, raw_text, squash, visible

#: The longest participant name stored (ratification.models.Participant.name). The longest
#: real one, "United Kingdom of Great Britain and Northern Ireland", has 52 characters.
MAX_NAME_LENGTH = 200

_SUPERSCRIPT = re.compile(r"<superscript>(?P<notes>.*?)</superscript>", re.IGNORECASE | re.DOTALL)
_NOTE_NUMBERS = re.compile(r"\d+(?:,\d+)*,?")


@dataclass(frozen=True)
class ActionColumn:
    """A dated column: its header and what each marker ("" for none) means in it."""

    header: str
    legend: Mapping[str, LegendEntry]


@dataclass(frozen=True)
class TablePlan:
    """Where the participant names are and how to read every other column."""

    headers: tuple[str, ...]
    participant_index: int
    actions: tuple[tuple[int, ActionColumn], ...]

    @property
    def kinds(self) -> frozenset[ActionKind]:
        """Every kind the legends can record."""
        return frozenset(entry.kind for _index, column in self.actions for entry in column.legend.values())


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


def printed_name(text: str, name: str) -> str:
    """The name as printed: footnotes removed, invisible characters kept (`name` drops them)."""
    if text.isascii() or not has_invisible(text):
        return name
    return " ".join(html.unescape(_SUPERSCRIPT.sub("", text)).split())


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
        (index, ActionColumn(header, read_legend(header)))
        for index, header in enumerate(headers)
        if index != index_of_names
    )
    if not actions:
        raise ParseError("the participants table has no date column")
    return TablePlan(tuple(headers), index_of_names, actions)


def read_rows(rows: list[Tag], plan: TablePlan) -> tuple[ParticipantRecord, ...]:
    """Read every row; any cell that does not parse refuses the whole table.

    Two rows printing the same name refuse it too; two whose names differ only by invisible
    characters ("France" and "Fr<U+200B>ance") are both read: telling them apart is for the
    consumer (ratification's gate holds the second for review).
    """
    participants = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        participant = _read_row(number, row, plan)
        if participant.printed_name in seen:
            raise ParseError(f"row {number}: participant {participant.name!r} appears twice")
        seen.add(participant.printed_name)
        participants.append(participant)
    return tuple(participants)


def _read_row(number: int, row: Tag, plan: TablePlan) -> ParticipantRecord:
    cells = children(row, "Entry")
    if len(cells) != len(plan.headers):
        raise ParseError(f"row {number} has {len(cells)} cells where the header has {len(plan.headers)} columns")
    texts = [raw_text(cell) for cell in cells]
    name_text = texts[plan.participant_index]
    if len(name_text) > 4 * MAX_NAME_LENGTH:
        # Refused before any other work on it: a 7-million-character name must cost nothing
        # (the allowance is for footnote markup; the clean name is checked exactly below).
        _name_too_long(number, name_text)
    name, footnotes = split_footnotes(name_text)
    if not name:
        raise ParseError(f"row {number} has no participant name")
    if len(name) > MAX_NAME_LENGTH:
        _name_too_long(number, name)
    actions = []
    for index, column in plan.actions:
        text = squash(texts[index])
        if text:
            actions.append(_read_action(text, column, f"row {number} ({name})"))
    return ParticipantRecord(
        name=name,
        footnotes=footnotes,
        withdrawn=any(action.withdrawn for action in actions),
        actions=tuple(actions),
        printed_name=printed_name(name_text, name),
        cells=tuple(texts),
    )


def _name_too_long(number: int, name: str) -> None:
    raise ParseError(
        f"row {number}: the participant name has {len(name)} characters, over the {MAX_NAME_LENGTH}-character "
        f"limit ({visible(name[:60])!r}...)"
    )


def _read_action(text: str, column: ActionColumn, where: str) -> ActionRecord:
    try:
        date, marker, bracketed = parse_cell(text)
    except ParseError as error:
        raise ParseError(f"{where}, column {column.header!r}: {error}") from None
    entry = column.legend.get(marker)
    if entry is None:
        shown = f"marker {marker!r}" if marker else "an unmarked date"
        raise ParseError(f"{where}: {shown} is not in the legend of column {column.header!r}")
    return ActionRecord(kind=entry.kind, date=date, marker=marker, withdrawn=bracketed, label=entry.label)

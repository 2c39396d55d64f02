"""Read the statement sections of a status file: one `Statement` per element, nothing guessed.

`Declarations`, `DeclarationsUnderArticle`, `Objections`, `Notifications` and
`TerritorialApplications` (docs/untc-format.md §3.5). Each `<Declaration>`, `<Objection>`,
`<Notification>` or `<Application>` is one statement, its participant as printed (footnote marks
apart), its paragraphs kept one per line, its inline HTML unescaped and stripped (§3.3). What it
is, which articles it cites and its date come from its own words (scrapers/statement_words.py).

Two layouts need care, both seen in the real files:

- a `<Declaration>` with a participant and no text: UNTC removed a withdrawn statement and left
  a footnote whose end note says so ("On 20 June 2003, the Government of Cyprus informed the
  Secretary-General that it had decided to withdraw its reservation"): its kinds, articles and
  date are read from those notes, its text stays empty;
- an `<Application>` with an empty `<Participant />`: the participant above notified another
  territory (France, then Viet Nam and Laos in VI-13).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping

from bs4 import Tag

from scrapers import statement_words as words
from scrapers.dates import long_dates, parse_cell
from scrapers.model import ParseError, Statement
from scrapers.table import MAX_NAME_LENGTH, drop_footnote_marks, printed_name, split_footnotes
from scrapers.xmlsafe import child, children, raw_text, rich_text

#: (element of the section, element of one statement, the section's name in the JSON).
SECTIONS = (
    ("Declarations", "Declaration", "declarations"),
    ("DeclarationsUnderArticle", "Declaration", "declarations_under_article"),
    ("Objections", "Objection", "objections"),
    ("Notifications", "Notification", "notifications"),
    ("TerritorialApplications", "Application", "territorial_applications"),
)
#: What every statement of a section is, whatever its words add. The `Declarations` section
#: holds reservations, declarations, understandings and more: its statements say which.
SECTION_KINDS = {
    "declarations_under_article": "declaration",
    "objections": "objection",
    "notifications": "notification",
    "territorial_applications": "territorial_application",
}
#: A paragraph this short ending in a colon is a heading even when not typed as one ("Reservation:").
MAX_HEADING_LENGTH = 120

_RIGHT = re.compile(r"<right>", re.IGNORECASE)
_ITALIC_LINE = re.compile(r"\A\s*<i>.*</i>\s*:?\s*\Z", re.IGNORECASE | re.DOTALL)
# A paragraph that dates what follows: "On 20 June 2003, ...", "In a communication received on
# 15 June 2000, ...", or a date alone on its line.
_DATING = re.compile(
    r"\A(?:On|(?:In|By) an? (?:communication|notification|letter|note) (?:received|dated) on|"
    r"Communication received on|Declaration made on|Notification received on)\s+(?=\d)",
    re.IGNORECASE,
)
_DATE_ALONE = re.compile(r"\A\d{1,2} [A-Z][a-z]+ \d{4}\.?\Z")


def read_statements(
    treaty: Tag, *, title: str, notes: Mapping[int, str]
) -> tuple[tuple[Statement, ...], frozenset[str]]:
    """Every statement of the file in document order, and the sections the file has."""
    statements: list[Statement] = []
    present = set()
    for element, item, section in SECTIONS:
        tag = child(treaty, element)
        if tag is None:
            continue
        present.add(section)
        previous = ("", "")
        # "Notifications made under article 8 (6)": what a statement citing no article is under.
        under = tuple(words.cited_articles(" ".join(map(rich_text, children(tag, "Title"))), title=title))
        for entry in children(tag, item):
            statement = _read(entry, section, previous, title=title, notes=notes)
            previous = (statement.printed_participant, statement.participant)
            if under and not statement.articles and section != "territorial_applications":
                statement = dataclasses.replace(statement, articles=under)
            statements.append(statement)
    return tuple(statements), frozenset(present)


def _read(entry: Tag, section: str, previous: tuple[str, str], *, title: str, notes: Mapping[int, str]) -> Statement:
    printed, name, footnotes = _participant(entry, previous)
    if section == "territorial_applications":
        return Statement(
            section=section,
            participant=name,
            kinds=("territorial_application",),
            articles=(),
            date=_notification_date(entry),
            text=rich_text(child(entry, "Territories")),
            footnotes=footnotes,
            printed_participant=printed,
        )
    headings, paragraphs, dates = _paragraphs(entry)
    if not paragraphs:
        return _emptied(section, name, printed, footnotes, [notes.get(number, "") for number in footnotes], title)
    text = "\n".join(paragraphs)
    kinds = _kinds(section, headings, text)
    answers = words.answered("\n".join(headings)) or (words.answered(text) if "objection" in kinds else [])
    return Statement(
        section=section,
        participant=name,
        kinds=words.ordered(kinds),
        articles=tuple(words.cited_articles(text, title=title)),
        date=dates[0] if dates else _prose_date(paragraphs),
        text=text,
        footnotes=footnotes,
        printed_participant=printed,
        answers=tuple(answers),
    )


def _emptied(
    section: str, name: str, printed: str, footnotes: tuple[int, ...], notes: list[str], title: str
) -> Statement:
    """A statement with no text: what its notes say was withdrawn, when, and of which articles
    (the withdrawal's own line, and the text it quotes when it ends "reads as follows:")."""
    lines = [line for note in notes for line in note.splitlines()]
    said = []
    for number, line in enumerate(lines):
        if words.withdrawn_kinds(line):
            said.append(line)
            if line.rstrip().endswith(":") and number + 1 < len(lines):
                said.append(lines[number + 1])
    withdrawn = words.withdrawn_kinds("\n".join(said))
    kinds = withdrawn | {"withdrawal"} if withdrawn else {SECTION_KINDS.get(section, "declaration")}
    if section in SECTION_KINDS:
        kinds.add(SECTION_KINDS[section])
    return Statement(
        section=section,
        participant=name,
        kinds=words.ordered(kinds),
        articles=tuple(words.cited_articles("\n".join(said), title=title)),
        date=_withdrawal_date(said),
        text="",
        footnotes=footnotes,
        printed_participant=printed,
    )


def _participant(entry: Tag, previous: tuple[str, str]) -> tuple[str, str, tuple[int, ...]]:
    """(name as printed, clean name, footnotes); an empty one continues the statement above it.

    Never a refusal: the table decides whether a file is read, and an odd name here (none at all,
    a footnote mark that is not a number, an absurd length) is the gate's to hold for staff
    (services/statements.py), with the rest of the file published."""
    raw = raw_text(child(entry, "Participant"))[: 4 * MAX_NAME_LENGTH]
    try:
        name, footnotes = split_footnotes(raw)
    except ParseError:
        name, footnotes = drop_footnote_marks(raw), ()
    if not name:
        return (*previous, ())
    printed = printed_name(raw, name)
    return printed[:MAX_NAME_LENGTH], name[:MAX_NAME_LENGTH], footnotes


def _paragraphs(entry: Tag) -> tuple[list[str], list[str], list[datetime.date]]:
    """(headings, every non-empty paragraph, the `<right>` dates in order)."""
    headings, paragraphs, dates = [], [], []
    for tag in children(entry, "text"):
        raw = raw_text(tag)
        line = rich_text(tag)
        if not line:
            continue
        paragraphs.append(line)
        if _RIGHT.search(raw):
            dates += long_dates(line)[:1]
        elif tag.get("type") == "title" or _looks_like_heading(raw, line):
            headings.append(line)
    return headings, paragraphs, dates


def _looks_like_heading(raw: str, line: str) -> bool:
    if len(line) > MAX_HEADING_LENGTH:
        return False
    return line.endswith(":") or bool(_ITALIC_LINE.match(raw))


def _kinds(section: str, headings: list[str], text: str) -> set[str]:
    withdrawn = words.withdrawn_kinds(text)
    kinds = set().union(*map(words.heading_kinds, headings)) | ({"withdrawal"} if withdrawn else set())
    if section == "objections":
        # An objection's headings name the statement it answers ("the reservations made by X"),
        # not kinds of its own.
        return {"objection"} | (kinds & {"withdrawal"})
    if section in SECTION_KINDS:
        return kinds | {SECTION_KINDS[section]}
    if not kinds - {"withdrawal"}:
        # No heading says what it is: the State's own prose does, and a withdrawal names what
        # it takes back ("decided to withdraw its reservation").
        kinds |= words.prose_kinds(text) | withdrawn
    return kinds if kinds - {"withdrawal"} else kinds | {"declaration"}


def _notification_date(entry: Tag) -> datetime.date | None:
    text = rich_text(child(entry, "DateNotification"))
    if not text:
        return None
    try:
        return parse_cell(text)[0]
    except ParseError:
        found = long_dates(text)
        return found[0] if found else None


def _withdrawal_date(lines: list[str]) -> datetime.date | None:
    """The date a note gives its withdrawal: the last one before the verb ("Czechoslovakia had
    acceded on 2 January 1974 ... Subsequently, on 22 January 1991, ... decided to withdraw")."""
    for line in lines:
        start = words.withdrawal_start(line)
        found = long_dates(line[:start]) if start is not None else []
        if found:
            return found[-1]
    return None


def _prose_date(paragraphs: list[str]) -> datetime.date | None:
    """The date a paragraph opens with ("On 20 June 2003, ..."), or a date alone on its line."""
    for paragraph in paragraphs:
        if _DATING.match(paragraph) or _DATE_ALONE.match(paragraph):
            found = long_dates(paragraph[:80])
            if found:
                return found[0]
    return None

"""Read a UNTC status file (the MTDSG XML publication) into exact typed data, or refuse it.

`parse_status(data)` is pure: bytes in, frozen dataclasses out, no Django, network or clock.
It never returns a partial result: a file that is truncated, not the status file, laid out in
a way it does not understand, or whose rows do not add up to its own declared Signatories and
Parties counts raises `ParseError` with a message for a human.

Run as `python -m scrapers.untc SOURCE` for the command line (see `scrapers.cli`).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from scrapers.dates import find_long_date
from scrapers.model import (
    CONSENT_KINDS,
    SIGNATURE_KINDS,
    ActionKind,
    ActionRecord,
    Declaration,
    EndNote,
    ParseError,
    ParticipantRecord,
    TreatyHeader,
    TreatyStatus,
    is_consent_to_be_bound,
)
from scrapers.table import drop_footnote_marks, plan_table, read_rows, split_footnotes
from scrapers.xmlsafe import child, children, load_tree, path, raw_text, rich_text, squash

__all__ = [
    "CONSENT_KINDS",
    "SIGNATURE_KINDS",
    "ActionKind",
    "ActionRecord",
    "Declaration",
    "EndNote",
    "ParseError",
    "ParticipantRecord",
    "TreatyHeader",
    "TreatyStatus",
    "is_consent_to_be_bound",
    "parse_status",
]

_CHAPTER = re.compile(r"CHAPTER ([IVXLC]+)", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"[0-9]+[A-Za-z]?")
_SUBSECTION = re.compile(r"[A-Za-z0-9]{1,3}")
# Declaration-like sections whose layout has been seen in real files, and the kind recorded.
_STATEMENT_SECTIONS = (
    ("Declarations", "Declaration", "declaration"),
    ("Objections", "Objection", "objection"),
)


def parse_status(data: bytes) -> TreatyStatus:
    """Parse one status file; raise ParseError (with the reason) unless it is complete."""
    treaty = _treaty(load_tree(data))
    header = _read_header(treaty)
    headers, rows = _participants_table(treaty)
    status = TreatyStatus(
        header=header,
        columns=tuple(headers),
        participants=read_rows(rows, plan_table(headers)),
        end_notes=_read_end_notes(treaty),
        declarations=_read_statements(treaty),
    )
    _check_counts(status)
    return status


def _treaty(soup: BeautifulSoup) -> Tag:
    document = child(soup, "Document")
    if document is None:
        root = next((node.name for node in soup.children if isinstance(node, Tag)), None)
        raise ParseError(f"root element is <{root}>, not the MTDSG <Document>")
    treaty = child(document, "Treaty")
    if treaty is None:
        raise ParseError("the document has no <Treaty> element")
    return treaty


# ---- header ------------------------------------------------------------------------------


def _read_header(treaty: Tag) -> TreatyHeader:
    chapter_tag = path(treaty, "Header", "Chapter")
    data = path(treaty, "Header", "ExternalData")
    if chapter_tag is None or data is None:
        raise ParseError("the treaty header (Header/Chapter, Header/ExternalData) is missing")
    chapter = _chapter_number(squash(raw_text(child(chapter_tag, "Header"))))
    title = rich_text(child(data, "Subtitlesect")) or rich_text(child(data, "Titlesect"))
    if not title:
        raise ParseError("the treaty header has no title")
    conclusion = _header_text(child(data, "Conclusion"))
    found = find_long_date(conclusion)
    status = child(data, "Status")
    return TreatyHeader(
        mtdsg=_mtdsg(chapter, data),
        chapter=chapter,
        chapter_name=rich_text(child(chapter_tag, "Name")),
        title=title,
        conclusion=conclusion,
        conclusion_place=conclusion[: found[1]].rstrip(" ,") if found else "",
        conclusion_date=found[0] if found else None,
        eif_label=_header_text(path(data, "EIF", "Label")),
        eif_text=_header_text(path(data, "EIF", "Labeltext")),
        registration=_header_text(path(data, "Registration", "Labeltext")),
        declared_signatories=_declared_count(status, "Signatories"),
        declared_parties=_declared_count(status, "Parties"),
    )


def _header_text(tag: Tag | None) -> str:
    # Header prose may end in a footnote mark (untc-format.md §2.2); drop the mark, keep text.
    return drop_footnote_marks(raw_text(tag))


def _chapter_number(heading: str) -> str:
    match = _CHAPTER.fullmatch(heading)
    if match is None:
        raise ParseError(f"cannot read a chapter number from {heading!r}")
    return match[1].upper()


def _mtdsg(chapter: str, data: Tag) -> str:
    number = squash(raw_text(child(data, "Numsect")))
    if not _SECTION_NUMBER.fullmatch(number):
        raise ParseError(f"cannot read a treaty number from Numsect {number!r}")
    sub = squash(raw_text(child(data, "Subnumsect")))
    if sub and not _SUBSECTION.fullmatch(sub):
        raise ParseError(f"cannot read a sub-number from Subnumsect {sub!r}")
    return "-".join(part for part in (chapter, number, sub) if part)


def _declared_count(status: Tag | None, name: str) -> int | None:
    # XVIII-16 has a Signatories figure and no Parties element at all: absent means "none
    # declared" (None), which the counts check reads as 0 (untc-format.md §4.7).
    text = squash(raw_text(child(status, name)))
    if not text:
        return None
    if not text.isdigit():
        raise ParseError(f"the declared {name} count {text!r} is not a number")
    return int(text)


# ---- participants table -----------------------------------------------------------------


def _participants_table(treaty: Tag) -> tuple[list[str], list[Tag]]:
    # XVIII-12.xml in the fixtures is a header with no table: refuse it, never read it as
    # "no participants" (untc-format.md §1, maintenance trap: 0 rows is not "all withdrew").
    participants = child(treaty, "Participants")
    tables = children(participants, "Table")
    if not tables:
        raise ParseError("the file has no participants table (Participants/Table is missing)")
    if len(tables) > 1:
        raise ParseError(f"the file has {len(tables)} participants tables; expected one")
    group = child(tables[0], "TGroup")
    head_row = path(group, "Thead", "Row")
    body = path(group, "Tbody")
    if head_row is None or body is None:
        raise ParseError("the participants table has no header row or no body")
    headers = [split_footnotes(raw_text(cell))[0] for cell in children(head_row, "Entry")]
    declared_columns = group.get("cols") if group is not None else None
    if declared_columns is not None and str(declared_columns) != str(len(headers)):
        raise ParseError(f"TGroup declares {declared_columns} columns, header has {len(headers)}")
    wrapper = child(body, "Rows")
    return headers, children(wrapper if wrapper is not None else body, "Row")


def _check_counts(status: TreatyStatus) -> None:
    """Refuse a file whose rows do not add up to its own declared counts.

    UNTC's Signatories figure counts rows with a signature cell and Parties rows with a
    consent cell, the European Union included (verified on the real files, untc-format.md
    §4.7). Whether UNTC still counts a withdrawn (bracketed) row is not known from real data,
    so either reading is accepted when brackets are present.
    """
    for label, kinds, declared in (
        ("Signatories", SIGNATURE_KINDS, status.header.declared_signatories),
        ("Parties", CONSENT_KINDS, status.header.declared_parties),
    ):
        rows = [p for p in status.participants if p.has_kind(kinds)]
        current = [p for p in rows if not p.withdrawn]
        expected = declared or 0
        if expected not in (len(rows), len(current)):
            shown = declared if declared is not None else "no figure (read as 0)"
            raise ParseError(
                f"the file declares {label}: {shown}, but {len(rows)} rows are counted: "
                "incomplete or inconsistent status file"
            )


# ---- end notes and declarations ---------------------------------------------------------


def _read_end_notes(treaty: Tag) -> tuple[EndNote, ...]:
    notes = []
    for note in children(child(treaty, "EndNotes"), "Note"):
        index = squash(raw_text(child(note, "index")))
        if not index.isdigit():
            raise ParseError(f"end note index {index!r} is not a number")
        notes.append(EndNote(index=int(index), text=_paragraphs(note)))
    return tuple(notes)


def _read_statements(treaty: Tag) -> tuple[Declaration, ...]:
    statements = []
    for section, item, kind in _STATEMENT_SECTIONS:
        for entry in children(child(treaty, section), item):
            participant = _header_text(child(entry, "Participant"))
            if not participant:
                raise ParseError(f"a <{item}> in <{section}> names no participant")
            statements.append(Declaration(participant, _paragraphs(entry), kind))
    return tuple(statements)


def _paragraphs(tag: Tag) -> str:
    # Notes and declarations keep their escaped inline HTML (§3.3): unescape, strip, one
    # paragraph per line.
    return "\n".join(text for text in map(rich_text, children(tag, "text")) if text)


if __name__ == "__main__":
    import sys

    from scrapers.cli import main

    sys.exit(main())

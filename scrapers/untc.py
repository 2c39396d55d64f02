"""Read a UNTC status file (the MTDSG XML publication) into exact typed data, or refuse it.

`parse_status(data)` is pure: bytes in, frozen dataclasses out, no Django, network or clock.
It never returns a partial result: a file that is truncated, not the status file, laid out in
a way it does not understand, or whose rows fall well short of (or beyond) its own declared
Signatories and Parties counts raises `ParseError` with a message for a human. A complete file
whose rows disagree with its figures by a little (the UN's files are not always consistent) is
read, with the disagreement in `TreatyStatus.discrepancies` for staff.

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
    EndNote,
    ParseError,
    ParticipantRecord,
    Statement,
    TreatyHeader,
    TreatyStatus,
    is_consent_to_be_bound,
    party_kinds,
)
from scrapers.mtdsg import mtdsg_from_header
from scrapers.statements import read_statements
from scrapers.table import drop_footnote_marks, plan_table, read_rows, split_footnotes
from scrapers.xmlsafe import child, children, load_tree, path, raw_text, rich_text, squash

__all__ = [
    "CONSENT_KINDS",
    "SIGNATURE_KINDS",
    "ActionKind",
    "ActionRecord",
    "EndNote",
    "ParseError",
    "ParticipantRecord",
    "Statement",
    "TreatyHeader",
    "TreatyStatus",
    "is_consent_to_be_bound",
    "parse_header",
    "parse_status",
]

#: The longest short header field (place of conclusion, entry-into-force label, registration).
MAX_HEADER_FIELD_LENGTH = 200

_CHAPTER = re.compile(r"CHAPTER ([IVXLC]+)", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"[0-9]+[A-Za-z]?")
_SUBSECTION = re.compile(r"[A-Za-z0-9]{1,3}")
_PART = re.compile(r"[A-Za-z]")


def parse_status(data: bytes) -> TreatyStatus:
    """Parse one status file; raise ParseError (with the reason) unless it is complete."""
    treaty = _treaty(load_tree(data))
    header = _read_header(treaty)
    headers, rows = _participants_table(treaty)
    plan = plan_table(headers)
    participants = read_rows(rows, plan)
    parties_are = party_kinds(plan.kinds)
    end_notes = _read_end_notes(treaty)
    notes = {note.index: note.text for note in end_notes}
    statements, sections = read_statements(treaty, title=header.title, notes=notes)
    return TreatyStatus(
        header=header,
        columns=tuple(headers),
        participants=participants,
        end_notes=end_notes,
        declarations=statements,
        statement_sections=sections,
        discrepancies=check_counts(header, participants, parties_are),
        party_kinds=parties_are,
        kinds=plan.kinds,
    )


def parse_header(data: bytes) -> TreatyHeader:
    """Read only the header of a status file (a file with no participants table has one too)."""
    return _read_header(_treaty(load_tree(data)))


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
    chapter = _chapter_number(_header_text(child(chapter_tag, "Header")))
    title = rich_text(child(data, "Subtitlesect")) or rich_text(child(data, "Titlesect"))
    if not title:
        raise ParseError("the treaty header has no title")
    conclusion = _header_text(child(data, "Conclusion"))
    found = find_long_date(conclusion)
    status = child(data, "Status")
    return TreatyHeader(
        mtdsg=_mtdsg(chapter, path(treaty, "Header", "SubChapter"), data),
        chapter=chapter,
        chapter_name=rich_text(child(chapter_tag, "Name")),
        title=title,
        conclusion=conclusion,
        conclusion_place=_bounded("place of conclusion", conclusion[: found[1]].rstrip(" ,") if found else ""),
        conclusion_date=found[0] if found else None,
        eif_label=_bounded("entry-into-force label", _header_text(path(data, "EIF", "Label"))),
        eif_text=_header_text(path(data, "EIF", "Labeltext")),
        registration=_bounded("registration", _header_text(path(data, "Registration", "Labeltext"))),
        declared_signatories=_declared_count(status, "Signatories"),
        declared_parties=_declared_count(status, "Parties"),
        text_section="\n".join(filter(None, map(rich_text, children(child(data, "TreatyText"), "Text")))),
    )


def _bounded(field: str, text: str) -> str:
    # Short header fields are stored in columns of a fixed size (the longest real values have
    # 16 to 52 characters): refuse an absurd one here, never as a database error later.
    if len(text) > MAX_HEADER_FIELD_LENGTH:
        raise ParseError(
            f"the header's {field} has {len(text)} characters, over the {MAX_HEADER_FIELD_LENGTH}-character limit"
        )
    return text


def _header_text(tag: Tag | None) -> str:
    # Header prose may end in a footnote mark (docs/untc-format.md §2.2); drop the mark, keep text.
    return drop_footnote_marks(raw_text(tag))


def _chapter_number(heading: str) -> str:
    match = _CHAPTER.fullmatch(heading)
    if match is None:
        raise ParseError(f"cannot read a chapter number from {heading!r}")
    return match[1].upper()


def _mtdsg(chapter: str, sub_chapter: Tag | None, data: Tag) -> str:
    number = squash(raw_text(child(data, "Numsect")))
    if not _SECTION_NUMBER.fullmatch(number):
        raise ParseError(f"cannot read a treaty number from Numsect {number!r}")
    sub = squash(raw_text(child(data, "Subnumsect")))
    if sub and not _SUBSECTION.fullmatch(sub):
        raise ParseError(f"cannot read a sub-number from Subnumsect {sub!r}")
    # Chapter XI's part letter (XI-A-10) is the SubChapter's header.
    part = squash(raw_text(child(sub_chapter, "Header"))) if sub_chapter is not None else ""
    if part and not _PART.fullmatch(part):
        raise ParseError(f"cannot read a part letter from SubChapter {part!r}")
    return mtdsg_from_header(chapter=chapter, part=part, number=number, sub=sub)


def _declared_count(status: Tag | None, name: str) -> int | None:
    # XVIII-16 has a Signatories figure and no Parties element at all; some files have no
    # <Status>, others only `<CustomText>Parties*</CustomText>`: absent means "no figure
    # declared" (None), never 0, and the table's structure is checked instead.
    text = squash(raw_text(child(status, name)))
    if not text:
        return None
    if not text.isdigit():
        raise ParseError(f"the declared {name} count {text!r} is not a number")
    return int(text)


# ---- participants table -----------------------------------------------------------------


def _participants_table(treaty: Tag) -> tuple[list[str], list[Tag]]:
    # XVIII-12.xml in the fixtures is a header with no table: refuse it, never read it as
    # "no participants" (docs/untc-format.md §1, maintenance trap: 0 rows is not "all withdrew").
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
    # The table's own structure is what stands in for absent figures: the TGroup says how
    # many columns it has, and each row is checked against the header (table.read_rows).
    declared_columns = group.get("cols")
    if declared_columns is None:
        raise ParseError("the participants table does not say how many columns it has (TGroup cols)")
    if str(declared_columns) != str(len(headers)):
        raise ParseError(f"TGroup declares {declared_columns} columns, header has {len(headers)}")
    wrapper = child(body, "Rows")
    return headers, children(wrapper if wrapper is not None else body, "Row")


def count_tolerance(declared: int) -> int:
    """How far rows may fall from a declared figure in a complete file and still be read: two
    rows, or 2% of a large treaty (the 2018 dump's worst is 2 of 12, XIX-34). A file cut
    short loses far more than that."""
    return max(2, declared // 50)


def check_counts(
    header: TreatyHeader,
    participants: tuple[ParticipantRecord, ...],
    parties_are: frozenset[ActionKind] = CONSENT_KINDS,
) -> tuple[str, ...]:
    """Compare the rows with the file's own figures: refuse a gap that looks like a cut-off
    file, return the small disagreements of a complete one (for staff).

    UNTC's Signatories figure counts rows with a signature cell and Parties rows with a
    consent cell (`parties_are`: see model.party_kinds), the European Union included, and
    neither ever counts a withdrawn (bracketed) row: over the whole 2018 dump, in all 32 cases
    where brackets change a count, the declared figure is the count without them, in none the
    count with them. A figure the
    file does not declare is not checked: the strict XML parse (every element closed, the
    document's end reached), the TGroup column count and every row's cells stand in for it.
    """
    discrepancies = []
    for label, kinds, declared in (
        ("Signatories", SIGNATURE_KINDS, header.declared_signatories),
        ("Parties", parties_are, header.declared_parties),
    ):
        if declared is None:
            continue
        counted = sum(p.counts_as(kinds) for p in participants)
        if counted == declared:
            continue
        if abs(counted - declared) > count_tolerance(declared):
            raise ParseError(
                f"the file declares {label}: {declared}, but {counted} rows are counted (withdrawn rows "
                "left out, as UNTC does): incomplete or inconsistent status file"
            )
        discrepancies.append(
            f"the file declares {label}: {declared}, but its table lists {counted} (withdrawn rows left out, "
            "as UNTC does)"
        )
    return tuple(discrepancies)


# ---- end notes (statements: scrapers/statements.py) ------------------------------------------------------


def _read_end_notes(treaty: Tag) -> tuple[EndNote, ...]:
    notes = []
    for note in children(child(treaty, "EndNotes"), "Note"):
        index = squash(raw_text(child(note, "index")))
        if not index.isdigit():
            raise ParseError(f"end note index {index!r} is not a number")
        notes.append(EndNote(index=int(index), text=_paragraphs(note)))
    return tuple(notes)


def _paragraphs(tag: Tag) -> str:
    # Notes keep their escaped inline HTML (§3.3): unescape, strip, one paragraph per line.
    return "\n".join(text for text in map(rich_text, children(tag, "text")) if text)


if __name__ == "__main__":
    import sys

    from scrapers.cli import main

    sys.exit(main())

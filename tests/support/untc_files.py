"""UNTC status files for tests, built from the real XVIII-16 file with rows changed.

The replay tests need the same convention at different moments (a new signature, the
European Union's approval, the 40th instrument); this keeps the real header and layout and
recomputes the Status counts the way UNTC does (rows with a signature; rows with an instrument).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "untc"
XVIII_16 = FIXTURES / "XVIII-16.xml"
PARIS = FIXTURES / "XXVII-7-d.xml"
XML_PATH = "doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"
URL_PATH = "/" + XML_PATH

MAINTENANCE_PAGE = (
    b"<!DOCTYPE html><html><head><title>United Nations Treaty Collection</title></head><body>"
    b"<p>The United Nations Treaty Collection website is undergoing urgent maintenance and is "
    b"currently unavailable. We apologize for the inconvenience.</p></body></html>"
)


@dataclass(frozen=True)
class Row:
    """One participant row: dates as UNTC prints them, e.g. "25 Oct 2025", "6 Sep 2026 AA"."""

    name: str
    signature: str = ""
    instrument: str = ""


def hanoi_rows() -> list[Row]:
    """The 72 rows of the real XVIII-16 file."""
    text = XVIII_16.read_bytes().decode("iso-8859-1")
    return [
        Row(name=name.replace("&apos;", "'").replace("&amp;", "&"), signature=signature)
        for name, signature in re.findall(r"<Row><Entry>(.*?)</Entry><Entry>(.*?)</Entry><Entry />", text)
    ]


def _entry(value: str) -> str:
    return f"<Entry>{escape(value, quote=False)}</Entry>" if value else "<Entry />"


def hanoi_file(rows: list[Row]) -> bytes:
    """The XVIII-16 file with these rows, and Status counts that add up."""
    text = XVIII_16.read_bytes().decode("iso-8859-1")
    body = "".join(f"\n<Row>{_entry(r.name)}{_entry(r.signature)}{_entry(r.instrument)}</Row>" for r in rows)
    text = re.sub(r"<Rows>.*</Rows>", lambda _: f"<Rows>{body}\n</Rows>", text, flags=re.DOTALL)
    signatories = sum(bool(r.signature) for r in rows)
    parties = sum(bool(r.instrument) for r in rows)
    counts = f"<Signatories>{signatories}</Signatories>"
    if parties:
        counts += f"<PartiesLabel>Parties</PartiesLabel><Parties>{parties}</Parties>"
    text = re.sub(r"<Signatories>\d+</Signatories>", counts, text)
    # What Latin-1 cannot hold (a zero-width space, a bidi override) goes in as a character
    # reference, as an XML file would carry it.
    return text.encode("iso-8859-1", "xmlcharrefreplace")


def with_instruments(rows: list[Row], instruments: dict[str, str]) -> list[Row]:
    """Rows with these participants' instrument cells filled in (name -> "10 Feb 2026 AA")."""
    return [Row(r.name, r.signature, instruments.get(r.name, r.instrument)) for r in rows]

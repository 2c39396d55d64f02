"""Which names are known: every name a State or organisation may take part in a UN treaty under.

The list ships with the tracker (`data/known_names.tsv`, built by scripts/build_known_names.py
from the UN's short names, ISO 3166-1 and -3, and the organisations that take part in UN
treaties). A name on it is a real participant even the first time a file shows it; a name
that is not, or that is a mis-decoded spelling of one, is a surprise for staff (see
services/gate.py).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "known_names.tsv"

# What a UTF-8 name becomes when its bytes are read one by one (the two single-byte
# encodings files are mislabelled with).
_MIS_DECODINGS = ("cp1252", "latin-1")


@dataclass(frozen=True)
class KnownName:
    """A name on the list, with the code of whoever goes by it."""

    code: str
    name: str
    is_reio: bool
    source: str


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@cache
def known_names() -> dict[str, KnownName]:
    """The shipped list, keyed by case-folded name."""
    with TABLE.open(encoding="utf-8", newline="") as rows:
        return {
            _key(row["name"]): KnownName(row["code"], row["name"], row["reio"] == "yes", row["source"])
            for row in csv.DictReader(rows, delimiter="\t")
        }


def known_name(name: str) -> KnownName | None:
    """The list's entry for this name (case and spacing aside), or None."""
    return known_names().get(_key(name))


def mojibake_of(name: str) -> str | None:
    """The name this one would be if it were UTF-8 read as a single-byte encoding, or None.

    "Côte d'Ivoire" in UTF-8, decoded byte by byte, reads "C", then U+00C3 and U+00B4, then
    "te d'Ivoire": such a name decodes back to the real one; a plain name has no such reading.
    """
    if name.isascii():
        return None
    for encoding in _MIS_DECODINGS:
        try:
            fixed = name.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != name:
            return fixed
    return None

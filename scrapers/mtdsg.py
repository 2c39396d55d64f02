"""MTDSG numbers (XVIII-16, XXVII-7-d, XI-B-19) and the UNTC addresses built from them.

See docs/untc-format.md §1 for the shapes of numbers and addresses.
"""

from __future__ import annotations

from urllib.parse import urlencode

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(numeral: str) -> int:
    """XVIII -> 18: a chapter number as UNTC's page addresses want it."""
    values = [_ROMAN[letter] for letter in numeral]
    return sum(-value if later > value else value for value, later in zip(values, [*values[1:], 0], strict=True))


def status_page_url(base_url: str, *, mtdsg: str, chapter: str) -> str:
    """A treaty's human-readable status page (not the XML file the poller reads)."""
    query = urlencode({"src": "TREATY", "mtdsg_no": mtdsg, "chapter": roman_to_int(chapter), "clang": "_en"})
    return f"{base_url}/Pages/ViewDetails.aspx?{query}"


def notification_url(base_url: str, *, number: int, year: int) -> str:
    """The depositary notification C.N.<number>.<year> (its English PDF), docs/untc-format.md §1."""
    return f"{base_url}/doc/Publication/CN/{year}/CN.{number}.{year}-Eng.pdf"

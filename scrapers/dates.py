"""The one date parser for UNTC text: table cells ("9 Nov 2016 a") and prose ("24 December 2024")."""

from __future__ import annotations

import datetime
import re

from scrapers.model import ParseError

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_FULL_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}

# docs/untc-format.md §3.3: "D Mon YYYY", no zero padding, marker after one space; inside brackets
# a one-digit day is space-padded ("[ 3 Oct 1975 ]", "[ 1 Jan 1992 a]"). The text reaching
# this pattern has had every run of whitespace (tabs, NBSP, CR: §3.4) folded to one space.
_CELL = re.compile(
    r"(?P<open>\[)? ?(?P<day>\d{1,2}) (?P<month>[A-Za-z]{3}) (?P<year>\d{4})"
    r"(?: (?P<marker>[A-Za-z]{1,3}))? ?(?P<close>\])?"
)
_LONG_DATE = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})")


def parse_cell(text: str) -> tuple[datetime.date, str, bool]:
    """Read one non-empty date cell: (date, raw marker or "", whether it is bracketed).

    `text` must already be whitespace-normalised. Raises ParseError for anything that is not
    exactly one date with an optional marker, so a layout change is refused, not guessed at.
    """
    match = _CELL.fullmatch(text)
    if match is None:
        raise ParseError(f"cannot read {text!r} as a date like '9 Nov 2016' or '9 Nov 2016 a'")
    if bool(match["open"]) != bool(match["close"]):
        raise ParseError(f"unbalanced bracket in date cell {text!r}")
    month = _MONTHS.get(match["month"])
    if month is None:
        raise ParseError(f"unknown month {match['month']!r} in date cell {text!r}")
    day = _build_date(int(match["year"]), month, int(match["day"]), text)
    return day, match["marker"] or "", bool(match["open"])


def find_long_date(text: str) -> tuple[datetime.date, int] | None:
    """Find the last "24 December 2024" in prose; return the date and where it starts."""
    found = None
    for match in _LONG_DATE.finditer(text):
        month = _FULL_MONTHS.get(match["month"])
        if month is not None:
            found = (match, month)
    if found is None:
        return None
    match, month = found
    try:
        return datetime.date(int(match["year"]), month, int(match["day"])), match.start()
    except ValueError:
        return None


def long_dates(text: str) -> list[datetime.date]:
    """Every "24 December 2024" in prose, in order ("London, 14 November 1975 and 9 November
    1977": both dates of an amendment adopted in two steps)."""
    found = []
    for match in _LONG_DATE.finditer(text):
        month = _FULL_MONTHS.get(match["month"])
        if month is None:
            continue
        try:
            found.append(datetime.date(int(match["year"]), month, int(match["day"])))
        except ValueError:
            continue
    return found


def _build_date(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ParseError(f"impossible date {text!r}") from None

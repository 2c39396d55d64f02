"""Depositary notification references (C.N.s) cited in a status file's notes and texts.

Pure: text in, references out. The numbering has drifted over the years (docs/untc-format.md
§5): `C.N.196.2025.TREATIES-XVIII.16 of 13 May 2025`, `CN.475.2017.TREATIES-XXVI-9`,
`C.N.488.2004.TREATIES-10`; each is read loosely, by its number and year, which are what
UNTC's address of the notification is built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REFERENCE = re.compile(
    r"\bC\.?\s?N\.\s?(?P<number>\d{1,5})\.(?P<year>(?:19|20)\d\d)\.TREATIES(?:-[A-Za-z0-9.\-]*[A-Za-z0-9])?"
    r"(?:\s+of\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4}))?"
)


@dataclass(frozen=True)
class NotificationReference:
    """One citation of a depositary notification, as it appears in the text."""

    text: str  # the words cited, e.g. "C.N.196.2025.TREATIES-XVIII.16 of 13 May 2025"
    number: int
    year: int
    start: int  # where it is in the text
    end: int


def notification_references(text: str) -> tuple[NotificationReference, ...]:
    """Every C.N. reference in `text`, in order."""
    return tuple(
        NotificationReference(
            text=match.group(0),
            number=int(match.group("number")),
            year=int(match.group("year")),
            start=match.start(),
            end=match.end(),
        )
        for match in REFERENCE.finditer(text or "")
    )

"""Shared test material: fixture paths (the HTTP server lives in tests/support/http_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.untc import SIGNATURE_KINDS, ParseError, TreatyStatus, count_tolerance, parse_status
from tests.support.http_server import (  # noqa: F401  (re-exported for the scraper tests)
    Handler,
    LocalServer,
    conditional,
    local_server,
    ok,
    status,
    streamed,
)

TESTS = Path(__file__).resolve().parent.parent
REAL = TESTS / "fixtures" / "untc"
SYNTHETIC = TESTS / "fixtures" / "untc-synthetic"
EXPECTED = Path(__file__).resolve().parent / "expected"

#: The real files that parse, with the counts their Status block declares (checked by eye).
PARSEABLE = {
    "XVIII-16": (72, None),
    "XXVI-9": (56, 3),
    "XXVII-7-d": (195, 173),
    "XVIII-12-a": (117, 173),
}
#: The real file that must be refused: a header with no participants table.
HEADER_ONLY = "XVIII-12"


def real(name: str) -> bytes:
    return (REAL / f"{name}.xml").read_bytes()


def synthetic(name: str) -> bytes:
    return (SYNTHETIC / name).read_bytes()


def refusal(data: bytes) -> str:
    """The reason parse_status gives for refusing `data` (the test fails if it reads it)."""
    with pytest.raises(ParseError) as caught:
        parse_status(data)
    return str(caught.value)


def assert_figures_agree(parsed: TreatyStatus) -> None:
    """The rows count exactly what the file declares, or (a complete file off by a little)
    the difference is within the tolerance and named in `discrepancies` for staff."""
    for label, declared, kinds in (
        ("Signatories", parsed.header.declared_signatories, SIGNATURE_KINDS),
        ("Parties", parsed.header.declared_parties, parsed.party_kinds),
    ):
        if declared is None:
            continue
        counted = sum(p.counts_as(kinds) for p in parsed.participants)
        if counted != declared:
            assert abs(counted - declared) <= count_tolerance(declared), (label, declared, counted)
            said = f"declares {label}: {declared}, but its table lists {counted}"
            assert any(said in text for text in parsed.discrepancies), parsed.discrepancies

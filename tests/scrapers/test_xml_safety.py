"""Hostile XML is refused fast and never reads a file (reliability.md items 15 and 17)."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scrapers import xmlsafe
from scrapers.untc import ParseError, parse_status
from tests.scrapers.helpers import real


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE Document [' + "".join(entities) + "]>"
        "<Document><Treaty>&lol9;</Treaty></Document>"
    ).encode()


def external_entity(target: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        f'<!DOCTYPE Document [<!ENTITY secret SYSTEM "{target}">]>'
        "<Document><Treaty><Footer>&secret;</Footer></Treaty></Document>"
    ).encode()


def xviii_16_with_rows(count: int) -> bytes:
    """XVIII-16 with its 72 rows replaced by `count` made-up ones (8 tags each)."""
    head, rest = real("XVIII-16").split(b"<Rows>", 1)
    tail = rest.split(b"</Rows>", 1)[1]
    rows = b"".join(
        b"<Row><Entry>P%06d</Entry><Entry>25 Oct 2025</Entry><Entry>1 Dec 2025 a</Entry></Row>" % i
        for i in range(count)
    )
    return head + b"<Rows>" + rows + b"</Rows>" + tail


def timed_refusal(data: bytes) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        parse_status(data)
    return str(caught.value), time.perf_counter() - started


class EntityAttackTests:
    def test_it_refuses_a_billion_laughs_in_well_under_a_second(self) -> None:
        message, seconds = timed_refusal(billion_laughs())
        assert "DTD" in message
        assert seconds < 1.0

    def test_it_refuses_an_external_entity_without_showing_the_file(self) -> None:
        message, seconds = timed_refusal(external_entity("file:///etc/passwd"))
        assert "DTD" in message
        assert "root:" not in message
        assert seconds < 1.0

    def test_it_never_opens_the_file_an_external_entity_names(self, tmp_path: Path) -> None:
        # A FIFO with no writer blocks whoever opens it for reading: if the parser tried to
        # read the entity, the parse would hang instead of returning.
        fifo = tmp_path / "secret"
        os.mkfifo(fifo)
        outcome: list[BaseException | None] = []

        def run() -> None:
            try:
                parse_status(external_entity(fifo.as_uri()))
                outcome.append(None)
            except BaseException as error:
                outcome.append(error)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(5)
        if worker.is_alive():  # unblock the reader so the thread can end, then fail
            with open(fifo, "wb"):
                pass
            pytest.fail("the parser opened the external entity's file")
        assert isinstance(outcome[0], ParseError)

    def test_its_parser_does_not_expand_entities_even_past_the_dtd_check(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-CONTENT")
        monkeypatch.setattr(xmlsafe, "_DTD", __import__("re").compile(rb"(?!)"))
        for data in (external_entity(secret.as_uri()), billion_laughs()):
            started = time.perf_counter()
            with pytest.raises(ParseError) as caught:
                parse_status(data)
            assert "TOP-SECRET" not in str(caught.value)
            assert time.perf_counter() - started < 1.0

    def test_beautifulsoup_alone_does_not_resolve_external_entities_either(self, tmp_path: Path) -> None:
        # What the lxml-xml builder does by itself (lxml >= 5 resolves internal entities only);
        # parse_status does not rely on it, it refuses the DTD first.
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-CONTENT")
        soup = BeautifulSoup(external_entity(secret.as_uri()), "xml")
        assert "TOP-SECRET" not in str(soup)


class HostileShapeTests:
    def test_it_refuses_10k_deep_nesting_without_a_recursion_error(self) -> None:
        data = b"<?xml version='1.0'?><Document>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</Document>"
        message, seconds = timed_refusal(data)
        assert "nest" in message
        assert seconds < 1.0

    def test_it_refuses_an_oversized_input_before_parsing(self) -> None:
        data = b"<?xml version='1.0'?><Document>" + b" " * (xmlsafe.MAX_INPUT_BYTES + 1) + b"</Document>"
        message, seconds = timed_refusal(data)
        assert "limit" in message
        assert seconds < 1.0

    def test_it_refuses_a_5_mb_page_of_tiny_elements_at_once(self) -> None:
        data = xviii_16_with_rows(62_000)
        assert len(data) > 5_000_000
        message, seconds = timed_refusal(data)
        assert "tags" in message
        assert seconds < 1.0

    def test_it_gets_through_the_largest_page_it_accepts_within_5_seconds(self) -> None:
        data = xviii_16_with_rows((xmlsafe.MAX_TAGS - 600) // 8)
        started = time.perf_counter()
        with pytest.raises(ParseError, match="declares Signatories: 72, but 12425 rows"):
            parse_status(data)
        assert time.perf_counter() - started < 5.0

    def test_it_parses_a_5_mb_declaration_within_5_seconds(self) -> None:
        prose = b"The Government declares that it shall apply the Convention in good faith. " * 70_000
        data = real("XVIII-16").replace(
            b"<Declarations />",
            b'<Declarations><Declaration><Participant>Mali</Participant><text type="para">'
            + prose
            + b"</text></Declaration></Declarations>",
        )
        assert len(data) > 5_000_000
        started = time.perf_counter()
        (declaration,) = parse_status(data).declarations
        assert time.perf_counter() - started < 5.0
        assert declaration.participant == "Mali"

    def test_it_escapes_nothing_and_returns_script_text_as_plain_text(self) -> None:
        # Output safety is the templates' job; the parser must hand the text over unchanged.
        data = real("XVIII-16").replace(
            b"<Entry>Mali</Entry>", b"<Entry>Mali&lt;script&gt;alert(1)&lt;/script&gt;</Entry>"
        )
        names = {p.name for p in parse_status(data).participants}
        assert "Malialert(1)" in names


class ResourceTests:
    @staticmethod
    def peak_megabytes(data: bytes) -> float:
        tracemalloc.start()
        try:
            parse_status(data)
        except ParseError:
            pass
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return peak / 1e6

    def test_it_parses_the_largest_real_file_in_under_500_ms_and_50_mb(self) -> None:
        data = real("XVIII-12-a")
        started = time.perf_counter()
        parse_status(data)
        assert time.perf_counter() - started < 0.5
        assert self.peak_megabytes(data) < 50

    def test_it_stays_under_50_mb_on_the_largest_page_it_accepts(self) -> None:
        assert self.peak_megabytes(xviii_16_with_rows((xmlsafe.MAX_TAGS - 600) // 8)) < 50

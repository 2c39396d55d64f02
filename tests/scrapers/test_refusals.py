"""parse_status refuses, with a reason a person can act on, everything that is not a complete file."""

from __future__ import annotations

import re

import pytest

from scrapers.untc import parse_status
from tests.scrapers.helpers import HEADER_ONLY, real, refusal, synthetic


def without_row(data: bytes, *names: bytes) -> bytes:
    """The file with the rows of these participants removed (compact or indented layout)."""
    for name in names:
        pattern = rb"<Row>\s*<Entry>" + re.escape(name) + rb"</Entry>.*?</Row>\s*"
        data, count = re.subn(pattern, b"", data, count=1, flags=re.DOTALL)
        assert count == 1
    return data


class NotAStatusFileTests:
    def test_it_refuses_the_maintenance_page(self) -> None:
        assert "urgent maintenance" in refusal(synthetic("maintenance.html"))

    def test_it_refuses_another_html_page(self) -> None:
        page = b"<!DOCTYPE html><html><body><p>Page not found</p></body></html>"
        assert "HTML page" in refusal(page)

    def test_it_refuses_an_empty_body(self) -> None:
        assert "empty" in refusal(b"")
        assert "empty" in refusal(b"  \r\n")

    def test_it_refuses_garbage(self) -> None:
        assert "not XML" in refusal(b"\x89PNG\r\n\x1a\n\x00\x00")

    def test_it_refuses_xml_that_is_not_an_mtdsg_document(self) -> None:
        assert "<Document>" in refusal(b'<?xml version="1.0"?><rss><channel/></rss>')

    def test_it_refuses_the_header_only_file_as_having_no_participants_table(self) -> None:
        message = refusal(real(HEADER_ONLY))
        assert "no participants table" in message

    def test_it_refuses_a_table_with_no_header_row(self) -> None:
        data = re.sub(rb"<Thead>.*?</Thead>", b"", real("XVIII-16"), flags=re.DOTALL)
        assert "no header row" in refusal(data)

    def test_it_refuses_an_undeclared_encoding_that_is_not_utf_8(self) -> None:
        data = real("XVIII-16").replace(b' encoding="iso-8859-1"', b"")
        assert "not valid utf-8" in refusal(data)

    def test_it_refuses_an_unknown_encoding(self) -> None:
        data = real("XVIII-16").replace(b"iso-8859-1", b"klingon-1")
        assert "unknown encoding" in refusal(data)


class IncompleteFileTests:
    @pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
    def test_it_refuses_a_truncated_file(self, fraction: float) -> None:
        data = real("XXVII-7-d")
        assert "not well-formed" in refusal(data[: int(len(data) * fraction)])

    def test_it_refuses_a_file_cut_after_the_table(self) -> None:
        # The table is complete and the counts add up: only strict XML parsing sees the cut.
        data = real("XVIII-12-a")
        cut = data.index(b"<EndNotes>") + 40
        assert "not well-formed" in refusal(data[:cut])

    def test_it_reads_a_complete_file_one_signatory_short_and_says_so(self) -> None:
        # The UN's own files are not always consistent (one of 2018 declares 23 signatories
        # and lists 22): read, and the disagreement goes to staff.
        status = parse_status(without_row(real("XVIII-16"), b"Mali"))
        assert status.counted_signatories == 71
        assert status.discrepancies == (
            "the file declares Signatories: 72, but its table lists 71 (withdrawn rows left out, as UNTC does)",
        )

    def test_it_reads_a_complete_file_one_party_short_and_says_so(self) -> None:
        status = parse_status(without_row(real("XXVII-7-d"), b"Nicaragua"))
        assert [text.split(", but")[0] for text in status.discrepancies] == ["the file declares Parties: 173"]

    def test_it_refuses_a_shortfall_that_looks_like_a_cut_off_file(self) -> None:
        names = (b"Algeria", b"Angola", b"Australia")
        message = refusal(without_row(real("XVIII-16"), *names))
        assert "declares Signatories: 72, but 69 rows are counted" in message
        assert "incomplete or inconsistent" in message

    def test_it_reads_rows_when_no_parties_figure_is_declared(self) -> None:
        # XVIII-16 declares Signatories only; a complete table is what stands in for the figure.
        data = real("XVIII-16").replace(
            b"<Entry>Mali</Entry><Entry>26 Oct 2025</Entry><Entry />",
            b"<Entry>Mali</Entry><Entry>26 Oct 2025</Entry><Entry>1 Dec 2025</Entry>",
        )
        status = parse_status(data)
        assert (status.header.declared_parties, status.counted_parties, status.discrepancies) == (None, 1, ())

    def test_it_refuses_a_table_that_does_not_say_how_many_columns_it_has(self) -> None:
        data = real("XVIII-16").replace(b'<TGroup cols="3">', b"<TGroup>")
        assert "does not say how many columns" in refusal(data)

    def test_it_refuses_an_empty_table_that_declares_participants(self) -> None:
        data = re.sub(rb"<Rows>.*?</Rows>", b"<Rows></Rows>", real("XVIII-16"), flags=re.DOTALL)
        assert "declares Signatories: 72, but 0 rows" in refusal(data)

    def test_it_refuses_a_declared_count_that_is_not_a_number(self) -> None:
        data = real("XVIII-16").replace(b"<Signatories>72<", b"<Signatories>seventy-two<")
        assert "'seventy-two' is not a number" in refusal(data)


class UnreadableCellTests:
    def test_it_refuses_a_marker_outside_the_column_legend(self) -> None:
        message = refusal(synthetic("illegal-marker.xml"))
        assert "row 1 (Algeria): marker 'd' is not in the legend" in message

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [
            (b"31 Feb 2025", "impossible date"),
            (b"25 Okt 2025", "unknown month"),
            (b"25 October 2025", "cannot read"),
            (b"2025-10-25", "cannot read"),
            (b"[25 Oct 2025", "unbalanced bracket"),
            (b"25 Oct 2025 a b", "cannot read"),
        ],
    )
    def test_it_refuses_a_date_it_cannot_read(self, cell: bytes, reason: str) -> None:
        data = real("XVIII-16").replace(
            b"<Entry>Mali</Entry><Entry>26 Oct 2025</Entry>",
            b"<Entry>Mali</Entry><Entry>" + cell + b"</Entry>",
        )
        message = refusal(data)
        assert reason in message
        assert "Mali" in message and "'Signature'" in message

    def test_it_refuses_an_unmarked_date_where_the_legend_has_no_unmarked_action(self) -> None:
        # Two kinds, neither a consent to be bound: an unmarked date could be either.
        data = (
            synthetic("four-columns.xml")
            .replace(b">Provisional application(n)<", b">Provisional application(n), Notification under article 7(x)<")
            .replace(b"4 Apr 2020 n", b"4 Apr 2020")
        )
        assert "an unmarked date is not in the legend" in refusal(data)

    def test_it_refuses_a_column_header_it_cannot_classify_naming_the_legend(self) -> None:
        data = real("XVIII-16").replace(b">Signature<", b">Denunciation(x)<")
        assert "cannot tell what 'Denunciation' records" in refusal(data)

    def test_it_refuses_a_row_with_a_missing_cell(self) -> None:
        data = real("XVIII-16").replace(b"<Entry>Mali</Entry><Entry>26 Oct 2025</Entry>", b"<Entry>Mali</Entry>")
        assert "has 2 cells where the header has 3 columns" in refusal(data)

    def test_it_refuses_a_participant_listed_twice(self) -> None:
        data = real("XVIII-16").replace(b"<Entry>Mali</Entry>", b"<Entry>Malaysia</Entry>")
        assert "'Malaysia' appears twice" in refusal(data)

    def test_it_refuses_a_footnote_mark_that_is_not_a_number(self) -> None:
        data = real("XVIII-16").replace(
            b"<Entry>Mali</Entry>", b"<Entry>Mali&lt;superscript&gt;x&lt;/superscript&gt;</Entry>"
        )
        assert "footnote mark 'x'" in refusal(data)

    def test_it_refuses_a_row_with_no_name(self) -> None:
        data = real("XVIII-16").replace(b"<Entry>Mali</Entry>", b"<Entry> </Entry>")
        assert "row 38 has no participant name" in refusal(data)

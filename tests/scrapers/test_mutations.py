"""Random damage to real files ends in a consistent result or a ParseError, never anything else.

"Consistent" means the rows add up to the counts the (damaged) file itself declares, or differ
from them by no more than the tolerance of a complete file and say so in `discrepancies`: the
one promise parse_status makes about a result it returns.
"""

from __future__ import annotations

import datetime
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.untc import ParseError, TreatyStatus, parse_status
from tests.scrapers.helpers import assert_figures_agree, real

FILES = {name: real(name) for name in ("XVIII-16", "XXVI-9", "XXVII-7-d")}
ROW = re.compile(rb"<Row>\s*<Entry>(?!Participant).*?</Row>\s*", re.DOTALL)
BOUNDED = settings(
    max_examples=200,
    deadline=datetime.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)

files = st.sampled_from(sorted(FILES))


def assert_consistent_or_refused(data: bytes) -> TreatyStatus | None:
    """Parse; a ParseError is an acceptable answer, any other exception fails the test."""
    try:
        status = parse_status(data)
    except ParseError as error:
        assert str(error), "a refusal must say why"
        return None
    assert_figures_agree(status)
    return status


class TruncationTests:
    @BOUNDED
    @given(name=files, fraction=st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
    def test_it_never_returns_a_truncated_file(self, name: str, fraction: float) -> None:
        data = FILES[name]
        cut = data[: int(len(data) * fraction)]
        # Only whitespace after </Document> may go; anything more is a refusal.
        if cut.rstrip() != data.rstrip():
            assert assert_consistent_or_refused(cut) is None


class ByteFlipTests:
    @BOUNDED
    @given(
        name=files,
        flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=5),
    )
    def test_it_refuses_or_stays_consistent_after_flipped_bytes(
        self, name: str, flips: list[tuple[float, int]]
    ) -> None:
        data = bytearray(FILES[name])
        for where, value in flips:
            data[int(where * len(data))] = value
        assert_consistent_or_refused(bytes(data))

    @BOUNDED
    @given(
        name=files,
        where=st.floats(0, 1, exclude_max=True),
        junk=st.binary(min_size=1, max_size=8) | st.sampled_from([b"<", b"&", b"[", b"]", b"a", b" 1"]),
    )
    def test_it_refuses_or_stays_consistent_after_inserted_bytes(self, name: str, where: float, junk: bytes) -> None:
        data = FILES[name]
        at = int(where * len(data))
        assert_consistent_or_refused(data[:at] + junk + data[at:])

    @BOUNDED
    @given(name=files, start=st.floats(0, 1, exclude_max=True), length=st.integers(1, 400))
    def test_it_refuses_or_stays_consistent_after_a_deleted_slice(self, name: str, start: float, length: int) -> None:
        data = FILES[name]
        at = int(start * len(data))
        assert_consistent_or_refused(data[:at] + data[at + length :])


class DroppedRowTests:
    @BOUNDED
    @given(name=files, picks=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=10))
    def test_it_refuses_or_flags_a_file_with_rows_missing(self, name: str, picks: list[float]) -> None:
        # Every row of the real files has a signature or a consent, so losing any row breaks
        # a declared count: the result is a refusal, or (a few rows) a discrepancy for staff.
        data = FILES[name]
        rows = list(ROW.finditer(data))
        doomed = {int(pick * len(rows)) for pick in picks}
        kept = b"".join(
            data[(rows[i - 1].end() if i else 0) : row.start()] + (b"" if i in doomed else row.group())
            for i, row in enumerate(rows)
        )
        damaged = kept + data[rows[-1].end() :]
        status = assert_consistent_or_refused(damaged)
        assert status is None or status.discrepancies

    @BOUNDED
    @given(name=files, pick=st.floats(0, 1, exclude_max=True))
    def test_it_refuses_a_file_with_a_row_repeated(self, name: str, pick: float) -> None:
        data = FILES[name]
        rows = list(ROW.finditer(data))
        row = rows[int(pick * len(rows))]
        damaged = data[: row.end()] + row.group() + data[row.end() :]
        assert assert_consistent_or_refused(damaged) is None

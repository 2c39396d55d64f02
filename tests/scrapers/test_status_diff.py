"""The public view of a file: what a reader held is left out, the published values put back."""

from __future__ import annotations

from scrapers.status_diff import status_as_published, status_diff
from scrapers.untc import parse_status
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments


def parsed(rows: list[Row]):
    return parse_status(hanoi_file(rows))


class PublishedViewTests:
    def test_no_view_is_the_file_as_it_is(self) -> None:
        status = parsed(hanoi_rows())
        assert status_as_published(status, None) is status and status_as_published(status, {}) is status

    def test_held_rows_and_actions_are_left_out_and_published_values_put_back(self) -> None:
        rows = with_instruments(hanoi_rows(), {"Ghana": "[ 2 Nov 2026 ]", "France": "3 Nov 2026"})
        status = parsed([*rows, Row("Gh\u0430na", "", "20 Nov 2026"), Row("FRANCE", "25 Oct 2025")][::-1])
        france_row, france = next((i, r) for i, r in enumerate(status.participants) if r.name == "France")
        label = france.actions[-1].label
        ghana_row = next(i for i, r in enumerate(status.participants) if r.name == "Ghana")
        held = ["ratification", label]  # Ghana's bracketed instrument, held for staff
        view = {
            "drop": {"0": "all", "1": "all", str(france_row): [["ratification", label]], str(ghana_row): [held]},
            "restore": [
                {"name": "Ghana", "kind": "ratification", "label": label, "date": "2026-11-02", "marker": "",
                 "withdrawn": False},
            ],
            "names": {},
        }  # fmt: skip
        published = status_as_published(status, view)
        names = [record.name for record in published.participants]
        assert "Gh\u0430na" not in names and "FRANCE" not in names
        france = next(r for r in published.participants if r.name == "France")
        assert [str(a.kind) for a in france.actions] == ["signature"]
        ghana = next(r for r in published.participants if r.name == "Ghana")
        assert [(str(a.kind), a.withdrawn) for a in ghana.actions][-1] == ("ratification", False)
        assert published.counted_parties == 1

    def test_a_row_under_another_spelling_is_compared_under_its_published_name(self) -> None:
        before = parsed(hanoi_rows())
        after = parsed([Row("FRANCE" if r.name == "France" else r.name, r.signature) for r in hanoi_rows()])
        assert status_diff(before, after).participants  # the raw files differ by a name
        diff = status_diff(before, status_as_published(after, {"names": {"FRANCE": "France"}}))
        assert diff.participants == () and diff.signatories == (72, 72)

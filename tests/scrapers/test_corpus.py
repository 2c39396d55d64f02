"""parse_status on 200 real UNTC status files of January 2018 (tests/fixtures/untc-2018/).

Every file with a participants table is read, with counts equal to the figures the file itself
declares (or, in a complete file the UN got wrong by a little, the disagreement reported for
staff); every file without a table is refused. Nothing here lists the legends of these files:
the 207 other files of the same dump, held apart, are run the same way.

Eleven files of different shapes also have their whole JSON under expected/untc-2018/. That
JSON was produced by parse_status and checked against an independent reading of the same
bytes (regular expressions, `strptime`, and the meaning of each column's markers written
below by hand after reading each legend), which `HandCheckedTests` repeats.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from pathlib import Path

import pytest

from scrapers.untc import ParseError, parse_status
from tests.scrapers.helpers import EXPECTED, TESTS, assert_figures_agree

CORPUS = TESTS / "fixtures" / "untc-2018"
FILES = sorted(CORPUS.glob("*.xml"))
CORPUS_EXPECTED = EXPECTED / "untc-2018"

#: The two files of these 200 whose rows disagree with their own figures, as read by hand:
#: VII-9 lists 54 parties (29 by the Protocol, 21 successions, 4 accessions, none withdrawn)
#: and declares 53; XIX-34 declares all 12 rows parties, but two of them only accepted
#: provisionally, which the Copper Study Group file (XIX-35) does not count.
DISAGREEING = {"VII-9.en.xml": ("Parties", 53, 54), "XIX-34.en.xml": ("Parties", 12, 10)}

#: What each column's markers mean, written by hand from each file's legend.
HAND_MEANINGS: dict[str, dict[int, dict[str, str]]] = {
    # Only "Application" (to a specialized agency): the act that makes a Party of the annex.
    "III-2-18": {1: {"": "application"}},
    "XXVI-2-a": {1: {"P": "consent_to_be_bound", "d": "succession", "": "ratification"}},
    "XIV-7": {
        1: {"": "signature", "s": "signature_ad_referendum"},
        2: {"C": "confirmation_of_signature"},
        3: {"": "ratification", "A": "acceptance", "a": "accession"},
        4: {"": "notification"},
    },
    # "Definitive signature of the Protocol, Acceptance of the Protocol": no marker tells them apart.
    "VI-11": {1: {"": "consent_to_be_bound"}, 2: {"": "ratification", "a": "accession"}},
    "XIX-35": {1: {"": "provisional_acceptance"}, 2: {"": "acceptance"}},
    "XIX-34": {1: {"": "provisional_acceptance"}, 2: {"": "acceptance"}},
    "VII-11-a": {
        1: {"": "signature", "d": "succession_to_signature"},
        2: {"": "ratification", "a": "accession", "d": "succession"},
    },
    "IX-1-c": {1: {"A": "acceptance", "": "ratification"}},
    "VIII-5": {
        1: {"A": "acceptance", "": "consent_to_be_bound"},
        2: {"": "ratification", "a": "accession", "d": "succession"},
    },
    # "Notification in respect of the Agreement as amended(d)": `d`, a succession.
    "VI-9": {1: {"": "consent_to_be_bound", "d": "succession"}},
    "X-4": {
        1: {"": "signature", "d": "succession_to_signature"},
        2: {"": "ratification", "A": "acceptance", "P": "participation"},
    },
}


def has_table(data: bytes) -> bool:
    """Whether the file has a participants table, read without the parser."""
    participants = re.search(rb"<Participants>(.*?)</Participants>", data, re.DOTALL)
    return bool(participants and re.search(rb"<Table\b", participants.group(1)))


class CorpusTests:
    def test_it_holds_the_200_files_and_their_provenance(self) -> None:
        assert len(FILES) == 200
        assert (CORPUS / "SOURCES.md").exists()
        assert sum(has_table(path.read_bytes()) for path in FILES) == 158

    @pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
    def test_it_reads_every_file_with_a_table_and_refuses_every_file_without(self, path: Path) -> None:
        data = path.read_bytes()
        if not has_table(data):
            with pytest.raises(ParseError, match="no participants table"):
                parse_status(data)
            return
        status = parse_status(data)
        # The file's own number (chapter, chapter XI's SubChapter, Numsect, Subnumsect) is its name.
        assert status.header.mtdsg == path.name.removesuffix(".en.xml")
        assert_figures_agree(status)
        assert all(action.label for row in status.participants for action in row.actions)

    def test_only_the_two_files_the_un_got_wrong_disagree_with_their_figures(self) -> None:
        disagreeing = {}
        for path in FILES:
            data = path.read_bytes()
            if has_table(data) and (status := parse_status(data)).discrepancies:
                disagreeing[path.name] = status
        assert sorted(disagreeing) == sorted(DISAGREEING)
        for name, (label, declared, counted) in DISAGREEING.items():
            assert disagreeing[name].discrepancies == (
                f"the file declares {label}: {declared}, but its table lists {counted} (withdrawn rows left out, "
                "as UNTC does)",
            )


class HandCheckedTests:
    @pytest.mark.parametrize("name", sorted(HAND_MEANINGS))
    def test_it_matches_the_hand_checked_json(self, name: str) -> None:
        expected = json.loads((CORPUS_EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
        assert parse_status((CORPUS / f"{name}.en.xml").read_bytes()).as_json() == expected

    @pytest.mark.parametrize("name", sorted(HAND_MEANINGS))
    def test_it_agrees_with_an_independent_reading_of_the_rows(self, name: str) -> None:
        data = (CORPUS / f"{name}.en.xml").read_bytes()
        status = parse_status(data)
        read = [
            (p.name, sorted((str(a.kind), a.date.isoformat(), a.marker, a.withdrawn) for a in p.actions))
            for p in status.participants
        ]
        assert read == independent_rows(data, HAND_MEANINGS[name])


def independent_rows(data: bytes, meanings: dict[int, dict[str, str]]) -> list[tuple[str, list]]:
    """The table read with regular expressions and strptime, markers mapped by hand."""
    text = data.decode("iso-8859-1")
    body = re.search(r"<Tbody>(.*?)</Tbody>", text, re.DOTALL).group(1)
    rows = []
    for row in re.findall(r"<Row>(.*?)</Row>", body, re.DOTALL):
        cells = [html.unescape(m or "") for m in re.findall(r"<Entry>(.*?)</Entry>|<Entry />", row, re.DOTALL)]
        name = " ".join(re.sub(r"<superscript>.*?</superscript>", "", cells[0]).split())
        actions = []
        for index, cell in enumerate(cells[1:], start=1):
            cell = " ".join(cell.split())
            if not cell:
                continue
            match = re.fullmatch(r"(\[)? ?(\d{1,2} \w{3} \d{4})(?: (\w{1,3}))? ?\]?", cell)
            day = datetime.datetime.strptime(match.group(2), "%d %b %Y").date()
            marker = match.group(3) or ""
            actions.append((meanings[index][marker], day.isoformat(), marker, bool(match.group(1))))
        rows.append((name, sorted(actions)))
    return rows

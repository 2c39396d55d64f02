"""The rule proposed from each real status file, checked against history (docs/rules.md).

Over the 200 files of January 2018 (tests/fixtures/untc-2018/): for every treaty in force for
which a rule is proposed, the rule applied to the file's own instruments gives exactly the date
UNTC declares. A proposal that would not is never kept: it comes back as "no rule proposed",
with the reason.
"""

from __future__ import annotations

import collections
import datetime
from functools import cache
from pathlib import Path

import pytest

from ratification.proposals import proposal_from_file

CORPUS = Path(__file__).resolve().parent / "fixtures" / "untc-2018"
FILES = sorted(CORPUS.glob("*.xml"))


@cache
def proposals() -> dict:
    # Read once per run, when a test first asks (not at collection).
    return {path.name: proposal_from_file(path.read_bytes()) for path in FILES}


def in_force() -> dict:
    return {name: proposal for name, proposal in proposals().items() if proposal.in_force}


#: The figures docs/rules.md reports; a change to the reader must update both.
FIGURES = {"files": 200, "in force": 170, "proposed": 16, "equal": 16}
PROPOSED_IN_FORCE = {
    "IV-16",
    "IV-9-b",
    "IX-4",
    "X-19",
    "XVIII-12-a",
    "XVIII-12-b",
    "XVIII-13",
    "XVIII-8",
    "XVIII-8-a",
    "XXI-9",
    "XXII-3",
    "XXVII-1-f",
    "XXVII-1-g",
    "XXVII-14",
    "XXVII-15",
    "XXVII-17",
}


class CheckedAgainstHistoryTests:
    @pytest.mark.parametrize("mtdsg", sorted(PROPOSED_IN_FORCE))
    def test_a_proposed_rule_gives_the_date_untc_declares(self, mtdsg):
        proposal = proposals()[f"{mtdsg}.en.xml"]
        assert proposal.rule is not None
        assert proposal.declared_on is not None
        assert proposal.computed_on == proposal.declared_on

    def test_the_figures_of_the_report(self):
        proposed = [p for p in in_force().values() if p.rule is not None]
        assert {
            "files": len(proposals()),
            "in force": len(in_force()),
            "proposed": len(proposed),
            "equal": sum(p.computed_on == p.declared_on for p in proposed),
        } == FIGURES
        assert {p.mtdsg for p in proposed} == PROPOSED_IN_FORCE

    def test_why_no_rule_is_proposed_for_the_rest(self):
        reasons = collections.Counter(
            p.reason.split(":", 1)[1].split(";")[0].split(" read as")[0].strip()
            for p in in_force().values()
            if p.rule is None
        )
        assert reasons == {
            "UNTC quotes no entry-into-force clause in this file": 148,
            "the condition is a share of a weight (emissions, tonnage, trade or votes), not a count of "
            "instruments: set a weight rule by hand with the table of weights": 3,
            "the clause sets further conditions that a count of instruments cannot express": 1,
            "the condition is a fraction of the parties, not a fixed number of instruments": 1,
            "article 18(1)": 1,
        }

    def test_a_rule_that_contradicts_the_declared_date_is_dropped_with_the_reason(self):
        # XXVII-8-c quotes only article 18(1): read as "40th instrument + 90 days" it gives
        # 2 January 2018; UNTC declares 5 March 2018, which the European Union's instrument
        # not being counted explains (a paragraph UNTC does not quote).
        proposal = proposals()["XXVII-8-c.en.xml"]
        assert proposal.rule is None
        assert proposal.declared_on == datetime.date(2018, 3, 5)
        assert "gives 2018-01-02" in proposal.reason
        assert "UNTC declares 2018-03-05" in proposal.reason
        assert "not counted it would agree" in proposal.reason

    def test_treaties_not_in_force_keep_their_proposal_for_staff(self):
        waiting = sorted(p.mtdsg for p in proposals().values() if not p.in_force and p.rule is not None)
        assert waiting == ["X-13", "XXIII-3", "XXVII-16", "XXVII-3-b", "XXVIII-1"]
        assert all(proposals()[f"{m}.en.xml"].declared_on is None for m in waiting)

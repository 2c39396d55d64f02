"""`propose_rule FILE --json`: the rule a real status file proposes, without touching the database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.support.untc_files import FIXTURES

CORPUS = FIXTURES.parent / "untc-2018"

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class ProposeRuleCommandTests:
    def test_the_hanoi_convention_prints_the_documented_json_and_touches_no_table(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            answer = json.loads(run("propose_rule", str(FIXTURES / "XVIII-16.xml"), "--json"))
        assert answer == {
            "mtdsg": "XVIII-16",
            "rule": {
                "kind": "count",
                "threshold": 40,
                "delay_days": 90,
                "delay_months": 0,
                "reio_counts": False,
                "later_party_delay_days": None,
                "later_party_delay_months": None,
                "article": "article 65(1)",
            },
            "reason": "proposed from article 65(1); the quoted clause does not say when it enters into force "
            "for a later party",
            "computed_entry_into_force": None,
            "declared_entry_into_force": None,
        }

    def test_a_treaty_in_force_gets_both_dates(self):
        answer = json.loads(run("propose_rule", str(CORPUS / "IV-16.en.xml"), "--json"))
        assert (answer["rule"]["threshold"], answer["rule"]["delay_days"]) == (20, 30)
        assert answer["computed_entry_into_force"] == answer["declared_entry_into_force"] == "2010-12-23"

    def test_the_paris_agreement_gets_no_rule_and_the_reason(self):
        answer = json.loads(run("propose_rule", str(FIXTURES / "XXVII-7-d.xml"), "--json"))
        assert answer["rule"] is None
        assert answer["reason"].startswith("no rule proposed: the condition is a share of a weight")
        assert (answer["computed_entry_into_force"], answer["declared_entry_into_force"]) == (None, "2016-11-04")

    def test_without_json_it_prints_lines(self):
        output = run("propose_rule", str(CORPUS / "XXII-3.en.xml"))
        assert output.startswith("XXII-3: proposed from article 9(1)")
        assert 'declared entry into force: "2017-10-18"' in output

    def test_a_file_that_is_not_a_status_file_is_refused(self, tmp_path):
        page = tmp_path / "page.xml"
        page.write_bytes(b"<html><body>maintenance</body></html>")
        with pytest.raises(CommandError, match="not a readable UNTC status file"):
            run("propose_rule", str(page), "--json")
        with pytest.raises(CommandError, match="cannot read"):
            run("propose_rule", str(tmp_path / "absent.xml"))

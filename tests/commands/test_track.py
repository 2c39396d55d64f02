"""`track MTDSG ...`: follow treaties by number against a local server serving real UNTC files."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ratification import selectors
from ratification.models import Event, EventKind, PollRun, Treaty
from ratification.services.treaties import treaty_xml_path
from tests.support.http_server import local_server, ok
from tests.support.untc_files import FIXTURES

CORPUS = FIXTURES.parent / "untc-2018"

pytestmark = pytest.mark.django_db


@pytest.fixture
def untc(settings):
    """Serve each fixture file at the path `treaty_xml_path` derives for its number."""
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url

        def serve(mtdsg: str, path) -> None:
            server.routes["/" + treaty_xml_path(mtdsg=mtdsg)] = [ok(path.read_bytes())]

        server.serve = serve
        yield server


def track(*numbers: str) -> str:
    out = StringIO()
    call_command("track", *numbers, stdout=out, stderr=out)
    return out.getvalue()


class TrackCommandTests:
    def test_a_treaty_in_force_gets_the_rule_that_gives_the_declared_date(self, untc):
        untc.serve("XXVII-14", CORPUS / "XXVII-14.en.xml")  # Rotterdam: 50th instrument + 90 days
        output = track("XXVII-14")
        treaty = Treaty.objects.get(mtdsg="XXVII-14")
        assert (treaty.eif_rule_kind, treaty.eif_threshold, treaty.eif_delay_days, treaty.reio_counts) == (
            "count",
            50,
            90,
            False,
        )
        assert "gives 2004-02-24, the date UNTC declares" in output
        assert selectors.treaty_summary(treaty=treaty).entry_into_force_on == datetime.date(2004, 2, 24)
        # The one read was the baseline, under the right rule: its milestone carries the real date.
        assert untc.hits("/" + treaty.xml_path) == 1
        assert PollRun.objects.get(treaty=treaty).outcome == "changed"
        milestone = Event.objects.get(treaty=treaty, kind=EventKind.THRESHOLD_REACHED)
        assert (milestone.public, milestone.data["entry_into_force"]) == (False, "2004-02-24")
        reasons = list(treaty.history.values_list("history_change_reason", flat=True))
        assert "track: gives 2004-02-24, the date UNTC declares (rule proposed from article 26 confirmed)" in reasons
        assert treaty.rule_proposal["confirmed"] == "article 26"

    def test_a_treaty_not_in_force_keeps_the_default_rule_and_the_proposal_waits_for_staff(self, untc):
        untc.serve("XXVII-16", CORPUS / "XXVII-16.en.xml")
        output = track("XXVII-16")
        treaty = Treaty.objects.get(mtdsg="XXVII-16")
        assert "rule proposed from article 29; not in force, it waits for staff" in output
        assert treaty.eif_threshold == 40  # unchanged until staff confirm
        assert treaty.rule_proposal["rule"]["threshold"] == 16
        assert treaty.rule_proposal["declared"] is None

    def test_a_treaty_whose_clause_is_no_count_gets_the_declared_date_by_hand(self, untc):
        untc.serve("XXVII-7-d", FIXTURES / "XXVII-7-d.xml")  # Paris: 55 Parties and 55% of emissions
        output = track("XXVII-7-d")
        treaty = Treaty.objects.get(mtdsg="XXVII-7-d")
        assert treaty.eif_date_override == datetime.date(2016, 11, 4)
        assert "share of a weight" in output
        assert treaty.rule_proposal["rule"] is None

    def test_several_numbers_and_the_ones_that_fail(self, untc):
        untc.serve("IV-16", CORPUS / "IV-16.en.xml")
        with pytest.raises(CommandError, match="2 of 3 not fully tracked: XXVI-4, nonsense"):
            track("IV-16", "XXVI-4", "nonsense")  # XXVI-4 is not served: 404
        assert set(Treaty.objects.values_list("mtdsg", flat=True)) >= {"IV-16", "XXVI-4"}
        assert Treaty.objects.get(mtdsg="IV-16").eif_threshold == 20

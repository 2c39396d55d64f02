"""`track MTDSG ...`: follow treaties by number against a local server serving real UNTC files."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ratification import selectors
from ratification.models import Event, EventKind, PollRun, Treaty
from scrapers.mtdsg import treaty_xml_path
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

    def test_a_treaty_not_in_force_has_no_known_rule_and_the_proposal_waits_for_staff(self, untc):
        untc.serve("XXVII-16", CORPUS / "XXVII-16.en.xml")
        output = track("XXVII-16")
        treaty = Treaty.objects.get(mtdsg="XXVII-16")
        assert "rule read from article 29; not in force, so no date checks it" in output
        assert (treaty.rule_basis, treaty.eif_threshold) == ("", None)  # nothing known until staff confirm
        assert treaty.rule_proposal["rule"]["threshold"] == 16
        assert treaty.rule_proposal["declared"] is None
        summary = selectors.treaty_summary(treaty=treaty)
        assert (summary.counted, summary.threshold, summary.needed) == (None, None, None)

    def test_a_treaty_whose_clause_is_no_count_shows_the_date_untc_declares(self, untc):
        untc.serve("XXVII-7-d", FIXTURES / "XXVII-7-d.xml")  # Paris: 55 Parties and 55% of emissions
        output = track("XXVII-7-d")
        treaty = Treaty.objects.get(mtdsg="XXVII-7-d")
        assert treaty.eif_date_override is None  # not a date staff set: UNTC's, and said to be
        assert treaty.declared_entry_into_force == datetime.date(2016, 11, 4)
        assert "share of a weight" in output and "UNTC declares it in force since 2016-11-04" in output
        assert treaty.rule_proposal["rule"] is None
        summary = selectors.treaty_summary(treaty=treaty)
        assert (summary.entry_into_force_on, summary.entry_into_force_source) == (datetime.date(2016, 11, 4), "untc")
        assert summary.threshold is None
        assert not Event.objects.filter(treaty=treaty, kind__in=[EventKind.THRESHOLD_REACHED]).exists()

    def test_it_reads_again_a_treaty_whose_first_read_failed_and_says_so(self, untc):
        with pytest.raises(CommandError, match="1 of 1 not fully tracked: XXVII-14"):
            track("XXVII-14")  # not served yet: 404
        untc.serve("XXVII-14", CORPUS / "XXVII-14.en.xml")
        output = track("XXVII-14")
        assert "XXVII-14: already followed, never read successfully: reading it again" in output
        assert "baseline read" in output
        assert Treaty.objects.get(mtdsg="XXVII-14").rule_basis == "declared_date"
        again = track("xxvii-14")  # any case: the same number
        assert "XXVII-14: already followed and read; nothing done" in again
        assert PollRun.objects.filter(treaty__mtdsg="XXVII-14", outcome="changed").count() == 1

    def test_it_reads_again_a_treaty_whose_file_was_refused(self, untc):
        untc.serve("XXVII-14", FIXTURES.parent / "untc-synthetic" / "four-columns.xml")  # another treaty's file
        with pytest.raises(CommandError):
            track("XXVII-14")
        untc.serve("XXVII-14", CORPUS / "XXVII-14.en.xml")
        assert "reading it again" in track("XXVII-14")
        assert Treaty.objects.get(mtdsg="XXVII-14").actions.count() > 0

    def test_several_numbers_and_the_ones_that_fail(self, untc):
        untc.serve("IV-16", CORPUS / "IV-16.en.xml")
        with pytest.raises(CommandError, match="2 of 3 not fully tracked: XXVI-4, nonsense"):
            track("IV-16", "XXVI-4", "nonsense")  # XXVI-4 is not served: 404
        assert set(Treaty.objects.values_list("mtdsg", flat=True)) >= {"IV-16", "XXVI-4"}
        assert Treaty.objects.get(mtdsg="IV-16").eif_threshold == 20

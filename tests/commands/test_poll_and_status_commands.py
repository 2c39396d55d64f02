"""The command-line interface: poll now, and print where a treaty stands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ratification.models import Action, Event, Treaty
from tests.scrapers.test_corpus import CORPUS
from tests.support.http_server import local_server, ok
from tests.support.untc_files import FIXTURES, URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TreatyStatusCommandTests:
    def test_it_prints_the_documented_json_for_the_seeded_convention(self, treaty):
        assert json.loads(run("treaty_status", "XVIII-16", "--json")) == {
            "signatories": 72,
            "parties": 0,
            "counted": 0,
            "threshold": 40,
            "needed": 40,
            "threshold_reached_on": None,
            "entry_into_force": None,
            "held_for_review": 0,
        }

    def test_it_prints_readable_lines_without_json(self, treaty):
        output = run("treaty_status", "XVIII-16")
        assert "needed: 40" in output

    def test_it_refuses_an_untracked_treaty(self, treaty):
        with pytest.raises(CommandError, match="XXVI-9 is not tracked"):
            run("treaty_status", "XXVI-9")


class PollTreatyCommandTests:
    def test_it_polls_a_saved_file_and_says_what_changed(self, treaty, tmp_path):
        saved = tmp_path / "XVIII-16.xml"
        saved.write_bytes(hanoi_file([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")]))
        run("poll_treaty", "XVIII-16", "--file", str(saved))  # the first read is the baseline
        saved.write_bytes(
            hanoi_file(with_instruments([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")], {"Ghana": "10 Feb 2026"}))
        )
        output = run("poll_treaty", "XVIII-16", "--file", str(saved))
        assert "new: Ghana, ratification, 2026-02-10 (announced)" in output
        assert "event:" not in output  # the line above says it, with whom

    def test_a_first_reading_is_one_line_not_a_line_per_row_without_a_name(self, tmp_path):
        """An old treaty's whole record is its baseline: no news, and hundreds of rows."""
        treaty = Treaty.objects.create(mtdsg="XXVI-2-a", chapter="XXVI", title="Old", xml_path="x")
        corpus_file = str(CORPUS / "XXVI-2-a.en.xml")
        output = run("poll_treaty", treaty.mtdsg, "--file", corpus_file)
        created = Action.objects.filter(treaty=treaty).count()
        assert created > 20
        assert f"First reading of XXVI-2-a, its baseline: {created} actions of" in output
        assert "none announced. (--verbosity 2 lists them.)" in output
        assert "new:" not in output and "event: New action" not in output
        assert len(output.splitlines()) < 8
        # Read again as a first reading, asking for every row.
        Treaty.objects.filter(pk=treaty.pk).update(source_hash="")
        Event.objects.filter(treaty=treaty).delete()
        Action.objects.filter(treaty=treaty).delete()
        listed = run("poll_treaty", treaty.mtdsg, "--file", corpus_file, "--verbosity", "2")
        assert listed.count("  new: ") == created
        assert "(not announced)" in listed and "(announced)" not in listed

    def test_a_milestone_is_named_in_words(self, treaty, tmp_path):
        saved = tmp_path / "XVIII-16.xml"
        saved.write_bytes(hanoi_file(hanoi_rows()))
        run("poll_treaty", "XVIII-16", "--file", str(saved))
        instruments = {row.name: "2 Mar 2026" for row in hanoi_rows()[:41] if row.name != "European Union"}
        saved.write_bytes(hanoi_file(with_instruments(hanoi_rows(), instruments)))
        output = run("poll_treaty", "XVIII-16", "--file", str(saved))
        assert "  event: Threshold reached: " in output and "(announced), 2026-03-02" in output

    def test_it_reads_from_untc_base_url(self, treaty, settings):
        with local_server() as server:
            server.routes[URL_PATH] = [ok(hanoi_file(hanoi_rows()))]
            settings.UNTC_BASE_URL = server.base_url
            output = run("poll_treaty", "XVIII-16")
        assert f"from {server.base_url}{URL_PATH}" in output
        assert "72 seeded rows confirmed by the source" in output

    def test_it_says_why_it_refuses_a_file(self, treaty):
        with pytest.raises(CommandError, match=r"no participants table.*Nothing was changed"):
            run("poll_treaty", "XVIII-16", "--file", str(FIXTURES / "XVIII-12.xml"))

    def test_it_names_a_missing_file(self, treaty, tmp_path):
        with pytest.raises(CommandError, match="cannot read"):
            run("poll_treaty", "XVIII-16", "--file", str(tmp_path / "missing.xml"))

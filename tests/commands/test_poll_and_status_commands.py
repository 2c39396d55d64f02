"""The command-line interface: poll now, and print where a treaty stands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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
        assert "new: Ghana, ratification, 2026-02-10" in output
        assert "event: new action (announced) 2026-02-10" in output

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

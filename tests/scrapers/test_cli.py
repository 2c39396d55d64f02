"""`python -m scrapers.untc SOURCE`, run as a researcher would: a real process, real files, a local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scrapers.helpers import (
    EXPECTED,
    HEADER_ONLY,
    PARSEABLE,
    REAL,
    SYNTHETIC,
    TESTS,
    LocalServer,
    local_server,
    ok,
    real,
)

ROOT = Path(__file__).resolve().parents[2]
XML_PATH = "/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"


def run(source: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {key: value for key, value in os.environ.items() if key != "UNTC_BASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "scrapers.untc", source],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        timeout=60,
        check=False,
    )


def assert_refused(done: subprocess.CompletedProcess[bytes], *words: str) -> None:
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1, lines
    for word in words:
        assert word in lines[0]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


class PrintsJsonTests:
    @pytest.mark.parametrize("name", sorted(PARSEABLE))
    def test_it_prints_the_hand_checked_json_for_each_real_file(self, name: str) -> None:
        done = run(str(REAL / f"{name}.xml"))
        assert (done.returncode, done.stderr) == (0, b"")
        assert json.loads(done.stdout) == json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))

    def test_it_prints_the_issue_shape(self) -> None:
        data = json.loads(run(str(REAL / "XXVI-9.xml")).stdout)
        assert data["mtdsg"] == "XXVI-9"
        assert data["declared"] == {"signatories": 56, "parties": 3}
        assert data["participants"][0]["name"] == "Algeria"
        assert data["participants"][0]["actions"][0] == {
            "kind": "signature",
            "label": "Signature",
            "date": "2017-09-20",
            "marker": "",
            "withdrawn": False,
        }

    def test_it_writes_utf_8_even_in_the_c_locale(self) -> None:
        done = run(str(REAL / "XVIII-16.xml"), LC_ALL="C", LANG="C", PYTHONIOENCODING="ascii")
        assert done.returncode == 0
        assert "Côte d'Ivoire" in done.stdout.decode("utf-8")

    def test_it_fetches_a_url_under_untc_base_url(self, server: LocalServer) -> None:
        server.routes[XML_PATH] = [ok(real("XVIII-16"))]
        done = run(server.url(XML_PATH), UNTC_BASE_URL=server.base_url)
        assert (done.returncode, done.stderr) == (0, b"")
        assert json.loads(done.stdout) == json.loads((EXPECTED / "XVIII-16.json").read_text("utf-8"))


class DisagreementTests:
    def test_it_prints_a_file_that_disagrees_a_little_with_its_figures_and_warns(self) -> None:
        done = run(str(TESTS / "fixtures" / "untc-2018" / "XIX-34.en.xml"))
        assert done.returncode == 0
        assert b"warning: " in done.stderr and b"declares Parties: 12, but its table lists 10" in done.stderr
        data = json.loads(done.stdout)
        assert (data["declared"]["parties"], data["counted"]["parties"]) == (12, 10)
        assert {a["label"] for p in data["participants"] for a in p["actions"]} == {
            "Provisional acceptance/accession",
            "Definitive acceptance",
        }


class RefusesTests:
    def test_it_refuses_the_header_only_file(self) -> None:
        assert_refused(run(str(REAL / f"{HEADER_ONLY}.xml")), "no participants table")

    def test_it_refuses_the_maintenance_page(self) -> None:
        assert_refused(run(str(SYNTHETIC / "maintenance.html")), "urgent maintenance")

    def test_it_refuses_an_illegal_marker(self) -> None:
        assert_refused(run(str(SYNTHETIC / "illegal-marker.xml")), "marker 'd'")

    def test_it_refuses_a_truncated_file(self, tmp_path: Path) -> None:
        cut = tmp_path / "cut.xml"
        cut.write_bytes(real("XXVII-7-d")[:30_000])
        assert_refused(run(str(cut)), "not well-formed")

    def test_it_refuses_a_missing_file(self, tmp_path: Path) -> None:
        assert_refused(run(str(tmp_path / "absent.xml")), "No such file")

    def test_it_refuses_a_url_outside_untc_base_url(self, server: LocalServer) -> None:
        done = run("http://169.254.169.254/latest/meta-data/", UNTC_BASE_URL=server.base_url)
        assert_refused(done, "only URLs under")

    def test_it_refuses_any_url_when_untc_base_url_is_unset(self) -> None:
        assert_refused(run("http://127.0.0.1:9/x.xml"), "https://treaties.un.org")

    def test_it_refuses_a_url_that_answers_404(self, server: LocalServer) -> None:
        assert_refused(run(server.url("/absent.xml"), UNTC_BASE_URL=server.base_url), "HTTP 404")

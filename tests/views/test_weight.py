"""Light pages: compressed answers, and what the heaviest pages weigh once compressed.

Targets (issue 26): the XVIII-16 status page at most 40 KB compressed, a treaty of 115 parties
at most 60 KB: here XIX-21, read from its real 2018 file (113 parties among 131 participants:
more rows than 115, so a heavier page than the target's).
The world map's outlines are a static file the page only colours (ratification/charts.py).
"""

from __future__ import annotations

import datetime
import gzip

import pytest

from ratification.models import Action, ActionKind, Treaty
from ratification.services.polling import poll_treaty
from tests.scrapers.test_corpus import CORPUS
from tests.stages.conftest import step
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}
XVIII_16_MAX = 40_000
PARTIES_115_MAX = 60_000


def compressed(client, path: str) -> tuple[bytes, bytes]:
    """The compressed body a browser gets for `path`, and the plain one."""
    answer = client.get(path, headers=GZIP)
    assert answer.status_code == 200, path
    assert answer["Content-Encoding"] == "gzip", path
    plain = client.get(path).content
    assert gzip.decompress(answer.content) == plain
    return answer.content, plain


@pytest.fixture
def thirty_counted(treaty):
    """XVIII-16 as bench/bench_status_page.py seeds it: 72 signatories, 30 of them ratified."""
    signatures = Action.objects.filter(treaty=treaty, kind=ActionKind.SIGNATURE, participant__is_reio=False)
    for index, signature in enumerate(signatures.order_by("participant__name")[:30]):
        deposit(treaty, signature.participant.name, datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * index))
    step(treaty, "AUT", datetime.date(2026, 3, 12))
    return treaty


class WeightTests:
    def test_the_xviii_16_page_weighs_at_most_40_kb_compressed(self, client, thirty_counted):
        body, plain = compressed(client, "/")
        print(f"XVIII-16 status page: {len(plain)} bytes, {len(body)} compressed")
        assert len(body) <= XVIII_16_MAX

    def test_a_page_of_115_parties_weighs_at_most_60_kb_compressed(self, client, db):
        content = (CORPUS / "XIX-21.en.xml").read_bytes()
        treaty = Treaty.objects.create(mtdsg="XIX-21", chapter="XIX", title="XIX-21", xml_path="x")
        poll_treaty(treaty=treaty, content=content)
        body, plain = compressed(client, "/treaties/XIX-21/")
        assert plain.count(b'<tr data-status="') == 131
        print(f"XIX-21 status page (131 participants): {len(plain)} bytes, {len(body)} compressed")
        assert len(body) <= PARTIES_115_MAX


class CompressionTests:
    @pytest.mark.parametrize(
        "path",
        [
            "/",
            "/treaties/",
            "/participants/VNM/",
            "/treaties/XVIII-16/history/",
            "/feeds/XVIII-16.atom",
            "/treaties/XVIII-16/participants.json",
            "/treaties/XVIII-16/participants.csv",
            "/api/v1/treaties/",
            "/api/v1/treaties/XVIII-16/participants/",
            "/api/schema/",
        ],
    )
    def test_pages_feeds_exports_and_json_are_compressed_fresh_and_from_the_cache(self, client, treaty, path):
        for _ in range(2):  # built, then from the response cache
            answer = client.get(path, headers=GZIP)
            assert answer["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in answer["Vary"]
            assert int(answer["Content-Length"]) == len(answer.content)
        assert gzip.decompress(answer.content) == client.get(path).content

    def test_a_client_that_does_not_accept_gzip_gets_the_plain_answer(self, client, treaty):
        for _ in range(2):
            answer = client.get("/", headers={"accept-encoding": "identity"})
            assert "Content-Encoding" not in answer
            assert answer.content.startswith(b"<!doctype html>")
            assert "Accept-Encoding" in answer["Vary"]

    def test_the_compressed_copy_has_a_weak_etag_that_revalidates(self, client, treaty):
        plain = client.get("/")
        packed = client.get("/", headers=GZIP)
        assert packed["ETag"] == "W/" + plain["ETag"]
        again = client.get("/", headers={**GZIP, "if-none-match": packed["ETag"]})
        assert again.status_code == 304

    def test_a_page_with_a_csrf_token_is_never_compressed(self, client, treaty):
        """BREACH: a secret beside text the attacker chooses, in a compressed body (tracker/compression.py)."""
        page = client.get("/subscribe/?treaty=XVIII-16", headers=GZIP)
        assert b"csrfmiddlewaretoken" in page.content
        assert "Content-Encoding" not in page
        admin_login = client.get("/admin/login/", headers=GZIP)
        assert "Content-Encoding" not in admin_login

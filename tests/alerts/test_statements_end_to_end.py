"""End to end on XVIII-16, with a stand-in for treaties.un.org and a real SMTP server (aiosmtpd):
a poll adds France's reservation and declaration, the next Germany's objection to it, the next
withdraws the reservation. Each is checked where people look: the participant page, the table
by article, the API, the feed, and the e-mail of a reader who chose to hear of statements (and
no e-mail to one who did not)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from alerts.models import Subscription
from ratification.models import PollOutcome, Treaty
from ratification.services.polling import poll_treaty
from tests.alerts.world import subscribe
from tests.support.http_server import local_server, ok
from tests.support.untc_files import URL_PATH
from tests.support.untc_statements import (
    FRANCE_DECLARATION,
    FRANCE_RESERVATION,
    GERMANY_OBJECTION,
    HanoiFile,
    Note,
    Said,
)

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/\S+/)")


@pytest.fixture
def poll(treaty, settings, django_capture_on_commit_callbacks):
    """Serve this file from the stand-in for UNTC, poll, and run what the poll published."""
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        settings.POLL_FETCH_BACKOFF = 0.01

        def run(file: HanoiFile) -> None:
            server.routes[URL_PATH] = [ok(file.bytes())]
            with django_capture_on_commit_callbacks(execute=True):
                outcome = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run.outcome
            assert outcome in (PollOutcome.CHANGED, PollOutcome.UNCHANGED)

        run(HanoiFile())  # the seeded state, read once: the baseline
        yield run


def sign_up_for_statements(browser: Client, smtp_sink, treaty, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(
            "/subscribe/",
            {"email": "ada@example.org", "scope": "instruments", "statements": "on", "treaty": treaty.mtdsg},
        )
    assert answer.status_code == 200
    [confirmation] = smtp_sink.to("ada@example.org")
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    confirm = next(path for path in LINK.findall(text) if path.startswith("/subscribe/confirm/"))
    browser.post(confirm)
    assert Subscription.objects.get(subscriber__email="ada@example.org").statements is True


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def section(page: str) -> str:
    start = page.index('id="declarations"')
    table = page[start : page.index("</section>", start)]
    return table[table.index("<tbody>") :] if "<tbody>" in table else table


class StatementJourneyTests:
    def test_a_reservation_an_objection_and_a_withdrawal_reach_every_place_and_the_readers_who_asked(
        self, treaty, poll, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        browser = Client()
        sign_up_for_statements(browser, smtp_sink, treaty, django_capture_on_commit_callbacks)
        subscribe("bob@example.org", treaty)  # instruments only: statements are off by default

        # 1. France formulates a reservation and makes a declaration.
        france = Said("France", (FRANCE_RESERVATION, FRANCE_DECLARATION), right="10 March 2026")
        poll(HanoiFile(said=[france]))
        [alert] = smtp_sink.to("ada@example.org")[1:]
        made = "France formulated a reservation to article 22(4) and made a declaration on article 40"
        assert alert["Subject"] == made
        text = body(alert)
        assert "  > Reservation:" in text and "  > In accordance with article 22, paragraph 4" in text
        html_part = alert.get_body(preferencelist=("html",)).get_content()
        assert "<blockquote" in html_part and "Full text and source</a>" in html_part
        event_path = next(path for path in LINK.findall(text) if path.startswith("/events/"))
        assert "France reserves the right not to establish" in html.unescape(browser.get(event_path).content.decode())
        participant = browser.get("/participants/FRA/").content.decode()
        assert '<a href="/treaties/XVIII-16/?article=22#declarations">article 22(4)</a>' in participant
        table = section(browser.get("/treaties/XVIII-16/").content.decode())
        assert "Article 22" in table and "France" in table and "Article 40" in table
        [row] = browser.get("/api/v1/treaties/XVIII-16/declarations/?article=22").json()["results"]
        assert (row["participant"], row["kinds"], row["date"]) == ("FRA", ["reservation", "declaration"], "2026-03-10")
        assert made in html.unescape(browser.get("/feeds/XVIII-16.atom").content.decode())

        # 2. Germany objects to France's reservation.
        germany = Said("Germany", (GERMANY_OBJECTION,), section="objections", right="2 April 2026")
        poll(HanoiFile(said=[france, germany]))
        alert = smtp_sink.to("ada@example.org")[-1]
        assert alert["Subject"] == "Germany objected to France's reservation"
        table = section(browser.get("/treaties/XVIII-16/?kind=objection").content.decode())
        assert "Germany" in table and "(to France)" in table
        [row] = browser.get("/api/v1/treaties/XVIII-16/declarations/?participant=DEU").json()["results"]
        assert row["answers"] == [{"name": "France", "kind": "reservation", "participant": "FRA"}]
        assert "Germany objected to France's reservation" in html.unescape(
            browser.get("/feeds/XVIII-16.atom").content.decode()
        )

        # 3. France withdraws its reservation: UNTC removes its text and notes the withdrawal.
        note = Note(1, "On 9 April 2026, the Government of France notified the Secretary-General that it had "
                       "decided to withdraw the reservation to article 22 made upon ratification.")  # fmt: skip
        remaining = Said("France", (FRANCE_DECLARATION,), right="10 March 2026", footnotes=(1,))
        poll(HanoiFile(said=[remaining, germany], notes=[note]))
        alert = smtp_sink.to("ada@example.org")[-1]
        assert alert["Subject"] == "France withdrew its reservation to article 22(4)"
        assert "  > Reservation:" in body(alert)  # the text withdrawn, quoted
        participant = browser.get("/participants/FRA/").content.decode()
        assert "France reserves the right" not in participant and "Ministry of Justice" in participant
        article_22 = section(browser.get("/treaties/XVIII-16/?article=22").content.decode())
        assert ">France<" not in article_22 and "Germany" in article_22
        [row] = browser.get("/api/v1/treaties/XVIII-16/declarations/?participant=FRA").json()["results"]
        assert row["kinds"] == ["declaration"] and row["footnotes"] == [1]
        feed = html.unescape(browser.get("/feeds/XVIII-16.atom").content.decode())
        assert "France withdrew its reservation to article 22(4)" in feed

        assert len(smtp_sink.to("ada@example.org")) == 4  # the confirmation and three alerts
        assert smtp_sink.to("bob@example.org") == []

"""The whole path against a real SMTP server (aiosmtpd) and a stand-in for treaties.un.org:
subscribe, confirm from the e-mail that arrived, a poll finds an instrument, exactly one alert
arrives with the right headers, one-click unsubscribe, the next change sends nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alerts.models import Subscription, SubscriptionStatus
from ratification.models import PollOutcome, Treaty
from ratification.services.polling import poll_treaty
from tests.support.http_server import local_server, ok
from tests.support.untc_files import URL_PATH, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/\S+/)")


def link_in(message, prefix: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(path for path in LINK.findall(text) if path.startswith(prefix))


@pytest.fixture
def untc(settings):
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        settings.POLL_FETCH_BACKOFF = 0.01
        settings.POLL_FETCH_TIMEOUT = 2
        yield server


@pytest.fixture
def poll(treaty, untc, django_capture_on_commit_callbacks):
    """Serve this UNTC file, poll the treaty, and run what the poll published after commit."""

    def run(instruments: dict[str, str]) -> None:
        untc.routes[URL_PATH] = [ok(hanoi_file(with_instruments(hanoi_rows(), instruments)))]
        with django_capture_on_commit_callbacks(execute=True):
            outcome = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run.outcome
        assert outcome in (PollOutcome.CHANGED, PollOutcome.UNCHANGED)

    run({})  # the seeded state, read once: nothing to announce
    return run


class AlertJourneyTests:
    def test_it_takes_a_reader_from_sign_up_to_one_alert_to_one_click_unsubscribe(
        self, treaty, poll, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        browser = Client()
        assert browser.get("/subscribe/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            answer = browser.post(
                "/subscribe/", {"email": "Ada@Example.org", "scope": "instruments", "treaty": treaty.mtdsg}
            )
        assert answer.status_code == 200
        [confirmation] = smtp_sink.to("ada@example.org")
        assert confirmation["Subject"] == "Confirm your alerts about the UN Convention against Cybercrime"

        confirm_path = link_in(confirmation, "/subscribe/confirm/")
        page = browser.get(confirm_path)
        assert page.status_code == 200
        assert b"<button" in page.content
        assert Subscription.objects.get().status == SubscriptionStatus.PENDING
        browser.post(confirm_path)
        assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED

        poll({"Ghana": "10 Feb 2026"})
        alerts = smtp_sink.to("ada@example.org")[1:]
        assert len(alerts) == 1
        [alert] = alerts
        assert alert["Subject"] == "Ghana ratified the UN Convention against Cybercrime: 1 of 40"
        assert "Feb. 10, 2026" in alert.get_body(preferencelist=("plain",)).get_content()
        assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe_url = re.fullmatch(r"<(http://testserver/u/[^>]+/)>", alert["List-Unsubscribe"].strip()).group(1)
        assert "ada" not in unsubscribe_url.lower() and "example" not in unsubscribe_url

        # What a mail provider does (RFC 8058): a POST with that body, no cookie, no CSRF token.
        provider = Client(enforce_csrf_checks=True)
        answer = provider.post(
            unsubscribe_url.removeprefix("http://testserver"),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 200
        assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED

        poll({"Ghana": "10 Feb 2026", "France": "3 Mar 2026"})
        assert len(smtp_sink.to("ada@example.org")) == 2

    def test_it_sends_one_email_listing_every_instrument_a_poll_finds(self, treaty, poll, smtp_sink, eager_celery):
        from tests.alerts.world import subscribe

        subscribe("ada@example.org", treaty)
        poll({"Ghana": "10 Feb 2026", "France": "3 Mar 2026", "Chile": "4 Mar 2026"})
        [alert] = smtp_sink.to("ada@example.org")
        assert alert["Subject"] == "3 new instruments for the UN Convention against Cybercrime: 3 of 40"
        text = alert.get_body(preferencelist=("plain",)).get_content()
        assert all(f"{name} ratified" in text for name in ("Ghana", "France", "Chile"))

    def test_it_announces_the_fortieth_instrument_and_the_day_of_entry_into_force_to_everyone(
        self, treaty, poll, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        import datetime

        from alerts.models import Scope
        from ratification.services.events import entry_into_force_record
        from tests.alerts.world import subscribe

        subscribe("instruments@example.org", treaty)
        subscribe("milestones@example.org", treaty, scope=Scope.MILESTONES)
        names = [row.name for row in hanoi_rows() if row.name != "European Union"][:40]
        thirty_nine = dict.fromkeys(names[:39], "1 Jun 2026")
        poll(thirty_nine)
        assert [m["Subject"] for m in smtp_sink.to("instruments@example.org")] == [
            "39 new instruments for the UN Convention against Cybercrime: 39 of 40"
        ]
        assert smtp_sink.to("milestones@example.org") == []

        poll({**thirty_nine, names[39]: "22 Oct 2026"})
        milestone = "40 of 40: the UN Convention against Cybercrime enters into force on Jan. 20, 2027"
        for address in ("instruments@example.org", "milestones@example.org"):
            assert smtp_sink.to(address)[-1]["Subject"] == milestone

        with django_capture_on_commit_callbacks(execute=True):
            entry_into_force_record(treaty=treaty, today=datetime.date(2027, 1, 20))
        in_force = "The UN Convention against Cybercrime entered into force on Jan. 20, 2027"
        for address in ("instruments@example.org", "milestones@example.org"):
            assert smtp_sink.to(address)[-1]["Subject"] == in_force
        assert len(smtp_sink.to("milestones@example.org")) == 2

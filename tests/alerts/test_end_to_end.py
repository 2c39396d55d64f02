"""The whole path against a real SMTP server: subscribe, confirm from the e-mail, a change is
recorded, one alert arrives, one-click unsubscribe, the next change sends nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alerts.models import Subscription, SubscriptionStatus
from tests.alerts.world import instrument, record

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/\S+/)")


def link_in(message, prefix: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(path for path in LINK.findall(text) if path.startswith(prefix))


class AlertJourneyTests:
    def test_it_takes_a_reader_from_sign_up_to_one_alert_to_one_click_unsubscribe(
        self, treaty, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        browser = Client()
        assert browser.get("/subscribe/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            answer = browser.post(
                "/subscribe/", {"email": "Ada@Example.org", "scope": "instruments", "treaty": "XVIII-16"}
            )
        assert answer.status_code == 200
        [confirmation] = smtp_sink.to("ada@example.org")
        assert "Confirm your alerts about the UN Convention against Cybercrime" in confirmation["Subject"]

        confirm_path = link_in(confirmation, "/subscribe/confirm/")
        page = browser.get(confirm_path)
        assert page.status_code == 200
        assert b"<button" in page.content
        assert Subscription.objects.get().status == SubscriptionStatus.PENDING
        browser.post(confirm_path)
        assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED

        with django_capture_on_commit_callbacks(execute=True):
            record(treaty, instrument("Ghana", counted=12))
        alerts = smtp_sink.to("ada@example.org")[1:]
        assert len(alerts) == 1
        [alert] = alerts
        assert alert["Subject"] == "Ghana ratified the UN Convention against Cybercrime: 12 of 40"
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

        with django_capture_on_commit_callbacks(execute=True):
            record(treaty, instrument("France", counted=13))
        assert len(smtp_sink.to("ada@example.org")) == 2

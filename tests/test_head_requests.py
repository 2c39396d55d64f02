"""HEAD is answered wherever GET is (RFC 9110, 9.3.2): the same status and headers, no body,
and nothing done (a HEAD of a confirmation or unsubscribe link changes no subscription)."""

from __future__ import annotations

import datetime

import pytest

from alerts import tokens
from alerts.models import SubscriptionStatus
from tests.alerts.world import subscribe
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(treaty):
    return subscribe("ada@example.org", treaty, status=SubscriptionStatus.PENDING)


def public_urls(subscription) -> list[str]:
    return [
        "/",
        "/treaties/XVIII-16/",
        "/participants/VNM/",
        "/feeds/XVIII-16.atom",
        "/treaties/XVIII-16.ics",
        "/treaties/XVIII-16/participants.csv",
        "/treaties/XVIII-16/participants.json",
        "/treaties/XVIII-16/badge.svg",
        "/treaties/XVIII-16/embed/",
        "/oembed/?url=http://testserver/treaties/XVIII-16/",
        "/subscribe/",
        f"/subscribe/confirm/{tokens.confirm_token(subscription)}/",
        f"/u/{tokens.manage_token(subscription)}/",
        "/api/v1/",
        "/api/v1/treaties/XVIII-16/",
        "/api/v1/actions/",
        "/api/schema/",
        "/api/docs/",
        "/healthz",
        "/favicon.ico",
    ]


class HeadTests:
    def test_every_page_served_to_get_answers_head_the_same_way_without_a_body(self, client, treaty, pending):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        for url in public_urls(pending):
            get, head = client.get(url), client.head(url)
            assert head.status_code == get.status_code != 405, url
            assert head["Content-Type"] == get["Content-Type"], url
            assert not b"".join(head.streaming_content if head.streaming else [head.content]), url

    def test_head_of_a_confirmation_or_unsubscribe_link_changes_nothing(self, client, treaty, pending):
        client.head(f"/subscribe/confirm/{tokens.confirm_token(pending)}/")
        client.head(f"/u/{tokens.manage_token(pending)}/")
        pending.refresh_from_db()
        assert pending.status == SubscriptionStatus.PENDING

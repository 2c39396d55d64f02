"""The signed links: confirm (GET shows, POST acts, 7 days), manage and one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import tokens
from alerts.models import Delivery, DeliveryStatus, Scope, SubscriptionStatus
from tests.alerts.world import instrument, record, subscribe

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.fixture
def pending(treaty):
    return subscribe("ada@example.org", treaty, status=SubscriptionStatus.PENDING, scope=Scope.SIGNATURES)


@pytest.fixture
def confirmed(treaty):
    return subscribe("ada@example.org", treaty)


def tampered(token: str) -> str:
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


class ConfirmLinkTests:
    def test_it_shows_a_button_on_get_and_confirms_nothing(self, client, pending):
        page = client.get(path(tokens.confirm_url(pending)))
        assert page.status_code == 200
        assert "Yes, send me alerts" in page.content.decode()
        pending.refresh_from_db()
        assert pending.status == SubscriptionStatus.PENDING

    def test_it_confirms_on_post(self, client, pending):
        page = client.post(path(tokens.confirm_url(pending)))
        assert page.status_code == 200
        assert "You are subscribed" in page.content.decode()
        pending.refresh_from_db()
        assert pending.status == SubscriptionStatus.CONFIRMED
        assert pending.confirmed_at is not None

    def test_it_refuses_a_tampered_token_with_400(self, client, pending):
        token = tokens.confirm_token(pending)
        assert client.get(f"/subscribe/confirm/{tampered(token)}/").status_code == 400
        assert client.post(f"/subscribe/confirm/{tampered(token)}/").status_code == 400
        assert client.post(f"/subscribe/confirm/{tokens.manage_token(pending)}/").status_code == 400

    def test_it_refuses_a_link_older_than_seven_days_and_offers_a_new_one(
        self, client, pending, eager_celery, django_capture_on_commit_callbacks
    ):
        url = path(tokens.confirm_url(pending))
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            page = client.post(url)
            assert page.status_code == 410
            assert "Send me a new link" in page.content.decode()
            pending.refresh_from_db()
            assert pending.status == SubscriptionStatus.PENDING
            with django_capture_on_commit_callbacks(execute=True):
                client.post(f"{url}new/")
            [fresh] = mail.outbox
            fresh_url = next(word for word in fresh.body.split() if "/subscribe/confirm/" in word)
            assert client.post(path(fresh_url)).status_code == 200
        pending.refresh_from_db()
        assert pending.status == SubscriptionStatus.CONFIRMED

    def test_it_still_works_on_the_seventh_day(self, client, pending):
        with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
            assert client.post(path(tokens.confirm_url(pending))).status_code == 200


class OneClickUnsubscribeTests:
    def test_it_unsubscribes_a_post_with_no_cookie_or_csrf_token(self, confirmed):
        provider = Client(enforce_csrf_checks=True)
        answer = provider.post(
            path(tokens.manage_url(confirmed)),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 200
        confirmed.refresh_from_db()
        assert confirmed.status == SubscriptionStatus.UNSUBSCRIBED

    def test_it_only_shows_a_page_on_get(self, client, confirmed):
        page = client.get(path(tokens.manage_url(confirmed)))
        assert page.status_code == 200
        assert "Unsubscribe from these alerts" in page.content.decode()
        confirmed.refresh_from_db()
        assert confirmed.status == SubscriptionStatus.CONFIRMED

    def test_it_drops_alerts_already_queued_for_the_address(self, client, treaty, confirmed):
        record(treaty, instrument("Ghana"))
        client.post(path(tokens.manage_url(confirmed)), {"List-Unsubscribe": "One-Click"})
        assert Delivery.objects.get().status == DeliveryStatus.SKIPPED

    def test_it_refuses_a_tampered_token_with_400(self, client, confirmed):
        token = tokens.manage_token(confirmed)
        assert client.get(f"/u/{tampered(token)}/").status_code == 400
        assert client.post(f"/u/{tampered(token)}/").status_code == 400
        confirmed.refresh_from_db()
        assert confirmed.status == SubscriptionStatus.CONFIRMED

    def test_it_puts_no_address_and_no_row_id_in_the_token(self, confirmed):
        token = tokens.manage_token(confirmed)
        key, _ = token.split(":")
        assert key == confirmed.key
        assert "ada" not in token.lower() and "example" not in token.lower()
        assert str(confirmed.pk) != key


class PreferencesTests:
    def test_it_changes_what_the_subscription_receives(self, client, confirmed):
        url = path(tokens.manage_url(confirmed))
        answer = client.post(f"{url}preferences/", {"scope": Scope.MILESTONES, "participants": ["FRA"]})
        assert answer.status_code == 302
        assert "Your preferences are saved." in client.get(answer.url).content.decode()
        confirmed.refresh_from_db()
        assert (confirmed.scope, confirmed.participant_codes) == (Scope.MILESTONES, {"FRA"})

    def test_it_needs_the_page_csrf_token(self, confirmed):
        browser = Client(enforce_csrf_checks=True)
        url = path(tokens.manage_url(confirmed))
        assert browser.post(f"{url}preferences/", {"scope": Scope.MILESTONES}).status_code == 403

    def test_it_subscribes_again_from_the_same_link(self, client, confirmed):
        url = path(tokens.manage_url(confirmed))
        client.post(url)
        client.post(f"{url}preferences/", {"scope": Scope.INSTRUMENTS})
        confirmed.refresh_from_db()
        assert confirmed.status == SubscriptionStatus.CONFIRMED

    def test_it_explains_a_bad_choice_and_changes_nothing(self, client, confirmed):
        url = path(tokens.manage_url(confirmed))
        answer = client.post(f"{url}preferences/", {"scope": "all-the-things"})
        assert answer.status_code == 400
        confirmed.refresh_from_db()
        assert confirmed.scope == Scope.INSTRUMENTS


class UnconfirmedPurgeTests:
    def test_it_forgets_a_sign_up_never_confirmed_within_thirty_days(self, treaty, settings):
        from alerts.models import Subscriber, Subscription
        from alerts.services.subscriptions import subscriptions_purge_unconfirmed

        old = subscribe("old@example.org", treaty, status=SubscriptionStatus.PENDING)
        Subscription.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=31))
        subscribe("recent@example.org", treaty, status=SubscriptionStatus.PENDING)
        subscribe("reader@example.org", treaty)
        assert subscriptions_purge_unconfirmed() == 1
        assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
            "reader@example.org",
            "recent@example.org",
        ]

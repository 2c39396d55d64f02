"""With several treaties tracked, the sign-up form offers each, and a subscription follows its own treaty
from the confirmation e-mail to the alerts: a change to another treaty sends it nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alerts.models import Subscription, SubscriptionStatus
from ratification.models import Treaty
from tests.alerts.test_end_to_end import link_in
from tests.alerts.world import instrument, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris(treaty):
    return Treaty.objects.create(
        mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", short_title="Paris Agreement", xml_path="x.xml"
    )


@pytest.fixture
def paused(treaty):
    """A tracked treaty whose polling staff paused: still followed, still offered."""
    return Treaty.objects.create(
        mtdsg="XXVI-9", chapter="XXVI", title="A treaty read by hand", xml_path="y.xml", poll_enabled=False
    )


def options(page: str) -> list[tuple[str, str, bool]]:
    select = re.search(r'<select name="treaty"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    ]


class TreatyChoiceTests:
    def test_it_offers_every_tracked_treaty_by_name_and_number(self, client, paris, paused):
        page = client.get("/subscribe/").content.decode()
        assert options(page) == [
            ("XVIII-16", "UN Convention against Cybercrime (XVIII-16)", True),
            ("XXVI-9", "A treaty read by hand (XXVI-9)", False),
            ("XXVII-7-d", "Paris Agreement (XXVII-7-d)", False),
        ]
        assert '<label for="id_treaty">Treaty</label>' in page

    def test_the_link_of_a_treaty_page_preselects_that_treaty(self, client, paris):
        status_page = client.get("/treaties/XXVII-7-d/").content.decode()
        assert 'href="/subscribe/?treaty=XXVII-7-d"' in status_page
        page = client.get("/subscribe/?treaty=XXVII-7-d").content.decode()
        assert [value for value, _, selected in options(page) if selected] == ["XXVII-7-d"]

    def test_with_one_treaty_the_choice_is_not_asked(self, client, treaty):
        page = client.get("/subscribe/").content.decode()
        assert '<input type="hidden" name="treaty" value="XVIII-16"' in page


class PerTreatyJourneyTests:
    def test_a_subscription_to_one_treaty_is_confirmed_by_name_and_alerted_only_for_it(
        self, treaty, paris, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        browser = Client()
        with django_capture_on_commit_callbacks(execute=True):
            answer = browser.post(
                "/subscribe/", {"email": "ada@example.org", "scope": "instruments", "treaty": "XXVII-7-d"}
            )
        assert answer.status_code == 200
        [confirmation] = smtp_sink.to("ada@example.org")
        assert confirmation["Subject"] == "Confirm your alerts about the Paris Agreement"
        body = confirmation.get_body(preferencelist=("plain",)).get_content()
        assert "e-mail alerts about the Paris Agreement" in body
        browser.post(link_in(confirmation, "/subscribe/confirm/"))
        subscription = Subscription.objects.get()
        assert (subscription.treaty, subscription.status) == (paris, SubscriptionStatus.CONFIRMED)

        with django_capture_on_commit_callbacks(execute=True):
            record(treaty, instrument("Ghana"))
        assert len(smtp_sink.to("ada@example.org")) == 1  # XVIII-16's change is not hers
        with django_capture_on_commit_callbacks(execute=True):
            record(paris, instrument("France"))
        [_, alert] = smtp_sink.to("ada@example.org")
        assert "Paris Agreement" in alert["Subject"]

    def test_one_address_can_follow_two_treaties_each_confirmed_apart(
        self, treaty, paris, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        browser = Client()
        for mtdsg in ("XVIII-16", "XXVII-7-d"):
            with django_capture_on_commit_callbacks(execute=True):
                browser.post("/subscribe/", {"email": "ada@example.org", "scope": "instruments", "treaty": mtdsg})
        subjects = [message["Subject"] for message in smtp_sink.to("ada@example.org")]
        assert subjects == [
            "Confirm your alerts about the UN Convention against Cybercrime",
            "Confirm your alerts about the Paris Agreement",
        ]
        assert sorted(Subscription.objects.values_list("treaty__mtdsg", flat=True)) == ["XVIII-16", "XXVII-7-d"]

"""Subscribers who chose to may hear of reported steps: worded as reports, through the one outbox.

And the other way round: steps never change what the deposit alerts say, or to whom they go.
"""

from __future__ import annotations

import pytest
from django.test import Client

from alerts import tokens
from alerts.mailmerge import AlertMessages
from alerts.models import Alert, Delivery, Scope, Subscription
from ratification.models import Event, EventKind, StageKind
from tests.alerts.world import instrument, record, subscribe
from tests.stages.conftest import D, step
from tests.support.outbox import outbox_take

pytestmark = pytest.mark.django_db


def recipients(alert: Alert) -> set[str]:
    return set(alert.deliveries.values_list("subscription__subscriber__email", flat=True))


@pytest.fixture
def readers(treaty):
    """A default reader, three who chose reported steps (one for milestones only, one for Ghana only)."""
    subscribe("default@example.org", treaty)
    for email, scope, codes in [
        ("steps@example.org", Scope.INSTRUMENTS, ()),
        ("milestones-and-steps@example.org", Scope.MILESTONES, ()),
        ("ghana-steps@example.org", Scope.SIGNATURES, ("GHA",)),
    ]:
        subscription = subscribe(email, treaty, scope=scope, codes=codes)
        Subscription.objects.filter(pk=subscription.pk).update(stages=True)
    return treaty


class StageAlertTests:
    def test_only_those_who_chose_reported_steps_are_owed_one(self, readers):
        step(readers, "AUT", D(2026, 3, 12), announce=True)
        outbox_take()
        alert = Alert.objects.get()
        assert [event.kind for event in alert.events.all()] == [EventKind.STAGE_REPORTED]
        assert recipients(alert) == {"steps@example.org", "milestones-and-steps@example.org"}

    def test_it_is_worded_as_a_report_not_a_deposit(self, readers):
        step(readers, "AUT", D(2026, 3, 12), announce=True)
        outbox_take()
        alert = Alert.objects.get()
        subscription = Subscription.objects.get(subscriber__email="steps@example.org")
        message = AlertMessages().message(alert, subscription)
        assert message.subject == "Reported: Austria: parliament approved the UN Convention against Cybercrime"
        assert "Reported by parlament.gv.at, not yet deposited with the UN: https://www.parlament.gv.at/" in (
            message.body
        )
        assert "not deposits with the UN" in message.body
        assert "ratified" not in message.body and "United Nations Treaty Collection" not in message.body

    def test_a_step_of_its_own_label_says_so(self, readers):
        step(readers, "AUT", D(2026, 3, 12), StageKind.OTHER, label="Council of Ministers decision", announce=True)
        outbox_take()
        subscription = Subscription.objects.get(subscriber__email="steps@example.org")
        message = AlertMessages().message(Alert.objects.get(), subscription)
        assert message.subject == (
            "Reported: Austria: Council of Ministers decision (toward the UN Convention against Cybercrime)"
        )

    def test_nobody_hears_of_a_step_recorded_without_announcing_it(self, readers):
        step(readers, "AUT", D(2026, 3, 12), announce=False)
        outbox_take()
        assert Alert.objects.count() == 0 and not Event.objects.get().public

    def test_it_goes_out_through_the_one_outbox_to_a_real_smtp_server(
        self, readers, smtp_sink, eager_celery, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            step(readers, "AUT", D(2026, 3, 12), announce=True)
        assert Delivery.objects.filter(status="sent").count() == 2
        [message] = smtp_sink.to("steps@example.org")
        assert message["Subject"].startswith("Reported: Austria")
        assert smtp_sink.to("default@example.org") == []


class DepositAlertsUnchangedTests:
    def test_steps_do_not_change_who_hears_of_a_deposit_or_what_it_says(self, readers):
        step(readers, "GHA", D(2026, 1, 20), announce=True)
        record(readers, instrument("Ghana"))
        deposit_alert = Alert.objects.latest("pk")
        assert [event.kind for event in deposit_alert.events.all()] == [EventKind.NEW_ACTION]
        assert recipients(deposit_alert) == {"default@example.org", "steps@example.org", "ghana-steps@example.org"}
        subscription = Subscription.objects.get(subscriber__email="steps@example.org")
        message = AlertMessages().message(deposit_alert, subscription)
        assert message.subject == "Ghana ratified the UN Convention against Cybercrime: 12 of 40"
        assert "Reported" not in message.body

    def test_even_forty_announced_deposits_make_no_threshold_or_deposit_event(self, treaty):
        from ratification.models import Participant

        for participant in Participant.objects.order_by("code")[:40]:
            step(treaty, participant.code, D(2026, 3, 1), StageKind.DEPOSIT_ANNOUNCED)
        assert set(Event.objects.values_list("kind", flat=True)) == {EventKind.STAGE_REPORTED}


class ManagePageTests:
    def test_the_choice_is_off_by_default_and_saved_from_the_manage_page(self, treaty):
        subscription = subscribe("ada@example.org", treaty)
        assert subscription.stages is False
        client = Client()
        token = tokens.manage_token(subscription)
        page = client.get(f"/u/{token}/").content.decode()
        assert "Also tell me of national steps reported before a deposit" in page
        assert 'name="stages"' in page and "checked" not in page.split('name="stages"')[1].split(">")[0]
        client.post(f"/u/{token}/preferences/", {"scope": "instruments", "stages": "on"})
        assert Subscription.objects.get().stages is True
        page = client.get(f"/u/{token}/").content.decode()
        assert "checked" in page.split('name="stages"')[1].split(">")[0]
        client.post(f"/u/{token}/preferences/", {"scope": "instruments"})
        assert Subscription.objects.get().stages is False

    def test_the_sign_up_form_offers_it_unticked(self, treaty, client):
        page = client.get("/subscribe/").content.decode()
        assert "Also tell me of national steps reported before a deposit" in page

"""From recorded events to Delivery rows: in the recording transaction, for the right people."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from alerts.models import SUBSCRIPTION_SCOPES, Alert, Delivery, DeliveryStatus, Scope, SubscriptionStatus
from alerts.selectors import alert_recipients
from alerts.topics import events_for
from tests.alerts.world import (
    correction,
    entered_into_force,
    instrument,
    record,
    signature,
    subscribe,
    threshold_reached,
)

pytestmark = pytest.mark.django_db


def recipients(alert: Alert) -> set[str]:
    return set(alert.deliveries.values_list("subscription__subscriber__email", flat=True))


class AlertCreationTests:
    def test_it_owes_one_delivery_per_confirmed_subscriber_for_one_poll(self, treaty):
        subscribe("ada@example.org", treaty)
        subscribe("bo@example.org", treaty)
        record(treaty, instrument("Ghana"), instrument("France", counted=13), instrument("Chile", counted=14))
        alert = Alert.objects.get()
        assert alert.events.count() == 3
        assert alert.recipients == 2
        assert recipients(alert) == {"ada@example.org", "bo@example.org"}
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}

    def test_it_owes_nothing_to_pending_or_unsubscribed_addresses(self, treaty):
        subscribe("pending@example.org", treaty, status=SubscriptionStatus.PENDING)
        subscribe("gone@example.org", treaty, status=SubscriptionStatus.UNSUBSCRIBED)
        record(treaty, instrument("Ghana"))
        assert Delivery.objects.count() == 0

    def test_it_never_announces_corrections_or_staff_only_events(self, treaty):
        subscribe("ada@example.org", treaty, scope=Scope.SIGNATURES)
        record(treaty, correction("Ghana"))
        assert Alert.objects.count() == 0
        assert Delivery.objects.count() == 0

    def test_it_creates_the_deliveries_in_the_recording_transaction(self, treaty):
        subscribe("ada@example.org", treaty)
        with pytest.raises(RuntimeError), transaction.atomic():
            record(treaty, instrument("Ghana"))
            assert Delivery.objects.count() == 1
            raise RuntimeError("the poll fails after recording")
        assert Alert.objects.count() == 0
        assert Delivery.objects.count() == 0

    def test_it_publishes_nothing_when_the_recording_rolls_back(self, treaty, django_capture_on_commit_callbacks):
        subscribe("ada@example.org", treaty)
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
            record(treaty, instrument("Ghana"))
            raise RuntimeError("rolled back")
        assert callbacks == []

    def test_it_publishes_the_fan_out_once_after_the_commit(self, treaty, django_capture_on_commit_callbacks):
        subscribe("ada@example.org", treaty)
        with django_capture_on_commit_callbacks() as callbacks:
            record(treaty, instrument("Ghana"), instrument("France", counted=13))
        assert len(callbacks) == 1


class PreferencesTests:
    def test_it_sends_signatures_only_to_those_who_asked_for_them(self, treaty):
        subscribe("instruments@example.org", treaty)
        subscribe("everything@example.org", treaty, scope=Scope.SIGNATURES)
        subscribe("milestones@example.org", treaty, scope=Scope.MILESTONES)
        record(treaty, signature("Norway"))
        assert recipients(Alert.objects.get()) == {"everything@example.org"}

    def test_it_sends_milestones_to_everyone_confirmed_whatever_they_chose(self, treaty):
        subscribe("instruments@example.org", treaty)
        subscribe("milestones@example.org", treaty, scope=Scope.MILESTONES)
        subscribe("only-france@example.org", treaty, codes=("FRA",))
        record(treaty, threshold_reached("Ghana"))
        record(treaty, entered_into_force(), poll=False)
        for alert in Alert.objects.all():
            assert len(recipients(alert)) == 3

    def test_it_limits_a_filtered_subscription_to_its_participants(self, treaty):
        subscribe("only-france@example.org", treaty, codes=("FRA",))
        subscribe("only-ghana@example.org", treaty, codes=("GHA", "NOR"))
        record(treaty, instrument("Ghana"))
        assert recipients(Alert.objects.get()) == {"only-ghana@example.org"}

    def test_it_chooses_recipients_in_sql_as_it_filters_events_in_python(self, treaty):
        choices = [
            (scope, codes)
            for scope, _label in SUBSCRIPTION_SCOPES
            for codes in [(), ("GHA",), ("FRA",), ("GHA", "NOR"), ("NOR",)]
        ]
        subscriptions = [
            subscribe(f"{scope}-{'-'.join(codes) or 'all'}@example.org", treaty, scope=scope, codes=codes)
            for scope, codes in choices
        ]
        batches = [
            [instrument("Ghana")],
            [signature("Norway")],
            [instrument("Norway", counted=13), signature("Ghana")],
            [signature("Iceland"), instrument("France", counted=14)],
            [threshold_reached("Chile")],
        ]
        for changes in batches:
            events = record(treaty, *changes)
            in_sql = set(alert_recipients(treaty=treaty, events=events).values_list("pk", flat=True))
            in_python = {s.pk for s in subscriptions if events_for(s, events)}
            assert in_sql == in_python, changes

    def test_it_sends_no_mail_inside_the_transaction(self, treaty):
        subscribe("ada@example.org", treaty)
        record(treaty, instrument("Ghana"))
        assert mail.outbox == []

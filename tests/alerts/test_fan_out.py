"""From committed events to Delivery rows: taken once, for the right people."""

from __future__ import annotations

from datetime import date as D

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from alerts.models import SUBSCRIPTION_SCOPES, Alert, Delivery, DeliveryStatus, Scope, SubscriptionStatus
from alerts.selectors import alert_recipients
from alerts.services.fanout import events_claim
from alerts.services.sweep import UNQUEUED_GRACE, deliveries_requeue
from alerts.topics import events_for
from ratification.models import Action, Event, PollRun
from ratification.services.events import events_record, new_action_event
from ratification.services.participants import participants_resolve
from tests.alerts.world import (
    correction,
    entered_into_force,
    instrument,
    record,
    signature,
    subscribe,
    threshold_reached,
)
from tests.support.outbox import outbox_take

pytestmark = pytest.mark.django_db


def recorded(treaty, name: str) -> list[Event]:
    """Events saved by the record's own service, with nothing to take them yet."""
    run = PollRun.objects.create(treaty=treaty, started_at=timezone.now(), outcome="changed")
    participant = participants_resolve(names=[name])[name]
    action = Action.objects.create(treaty=treaty, participant=participant, kind="ratification", date=D(2026, 2, 10))
    event = new_action_event(action, counted=None, threshold=None, counts=None, poll_run=run, announce=True)
    return events_record(treaty=treaty, events=[event], poll_run=run)


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

    def test_it_takes_the_events_of_a_recording_once_it_commits(self, treaty, django_capture_on_commit_callbacks):
        subscribe("ada@example.org", treaty)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events = recorded(treaty, "Ghana")
            assert Alert.objects.count() == 0  # nothing is owed before the commit
        alert = Alert.objects.get()
        assert set(alert.events.all()) == set(events)
        assert Delivery.objects.count() == 1
        assert not Event.objects.filter(processed_at__isnull=True).exists()

    def test_it_owes_nothing_for_a_recording_rolled_back(self, treaty, django_capture_on_commit_callbacks):
        subscribe("ada@example.org", treaty)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
            recorded(treaty, "Ghana")
            raise RuntimeError("the poll fails after recording")
        assert outbox_take() == 0
        assert Alert.objects.count() == 0
        assert Delivery.objects.count() == 0

    def test_a_second_claim_of_the_same_events_owes_nothing_more(self, treaty):
        subscribe("ada@example.org", treaty)
        events = recorded(treaty, "Ghana")
        assert events_claim(event_ids=[event.pk for event in events]) is not None
        assert events_claim(event_ids=[event.pk for event in events]) is None
        assert outbox_take() == 0
        assert Delivery.objects.count() == 1

    def test_the_sweeper_takes_the_events_whose_on_commit_claim_never_ran(self, treaty):
        subscribe("ada@example.org", treaty)
        recorded(treaty, "Ghana")  # inside the test's transaction: no on-commit claim runs
        assert Alert.objects.count() == 0
        with time_machine.travel(timezone.now() + UNQUEUED_GRACE * 2):
            assert deliveries_requeue().recordings == 1
            assert deliveries_requeue().recordings == 0
        assert Delivery.objects.count() == 1

    def test_a_claim_overlapping_another_takes_nothing_and_leaves_the_rest(self, treaty):
        subscribe("ada@example.org", treaty)
        first, second = recorded(treaty, "Ghana"), recorded(treaty, "Chile")
        assert events_claim(event_ids=[event.pk for event in first]) is not None
        assert events_claim(event_ids=[event.pk for event in first + second]) is None
        assert list(Event.objects.filter(processed_at__isnull=True)) == second

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

"""The API's small world: XVIII-16 with a few instruments and events, a staff member and an outsider."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ratification.models import Action, ActionKind, Event, EventKind, PollOutcome, PollRun
from tests.api.world import deposit, participant


@pytest.fixture
def world(treaty):
    """XVIII-16: France ratified, Austria accepted, the EU approved (not counted), Mali withdrew its signature."""
    france = deposit(treaty, "FRA", ActionKind.RATIFICATION, "2026-02-10")
    deposit(treaty, "AUT", ActionKind.ACCEPTANCE, "2026-03-02", marker="A", footnotes=[3])
    deposit(treaty, "EUU", ActionKind.APPROVAL, "2026-01-15", marker="AA")
    Action.objects.filter(treaty=treaty, participant__code="MLI").update(withdrawn=True, updated_at=timezone.now())
    Event.objects.create(
        treaty=treaty,
        kind=EventKind.WITHDRAWAL,
        participant=participant("MLI"),
        occurred_on=datetime.date(2026, 3, 5),
        data={"action_kind": "signature"},
    )
    Event.objects.create(
        treaty=treaty,
        kind=EventKind.CORRECTION,
        participant=france.participant,
        action=france,
        occurred_on=france.date,
        public=False,
        data={"field": "date", "old": "2026-02-09", "new": "2026-02-10"},
    )
    PollRun.objects.create(
        treaty=treaty,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        finished_at=timezone.now(),
        outcome=PollOutcome.CHANGED,
        http_status=200,
        new_actions=3,
    )
    return treaty


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", "staff@example.org", "pw", is_staff=True)


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", "outsider@example.org", "pw")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client

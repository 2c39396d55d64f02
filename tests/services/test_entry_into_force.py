"""The daily check records entry into force once, on the day, and announces it only then."""

from __future__ import annotations

import datetime

import pytest

from alerts.models import Alert
from ratification.models import Action, ActionKind, Event, EventKind, Participant, Treaty
from ratification.services.events import entry_into_force_record
from ratification.tasks import entry_into_force_check
from tests.support.outbox import outbox_take

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def forty(treaty):
    """40 counted ratifications, the 40th on 22 Oct 2026: in force on 20 Jan 2027."""
    participants = list(Participant.objects.exclude(code="EUU").order_by("code")[:40])
    for participant in participants[:39]:
        Action.objects.create(treaty=treaty, participant=participant, kind=ActionKind.RATIFICATION, date=D(2026, 3, 2))
    Action.objects.create(
        treaty=treaty, participant=participants[39], kind=ActionKind.RATIFICATION, date=D(2026, 10, 22)
    )
    return treaty


class EntryIntoForceRecordTests:
    def test_it_records_nothing_before_the_day(self, forty):
        assert entry_into_force_record(treaty=forty, today=D(2027, 1, 19)) is None
        assert not Event.objects.exists()

    def test_it_announces_it_on_the_day_once(self, forty):
        event = entry_into_force_record(treaty=forty, today=D(2027, 1, 20))
        again = entry_into_force_record(treaty=forty, today=D(2027, 1, 21))
        assert (event.kind, event.occurred_on, event.public) == (EventKind.ENTERED_INTO_FORCE, D(2027, 1, 20), True)
        assert event.data["entry_into_force"] == "2027-01-20"
        assert again is None
        assert outbox_take() == 1  # the outbox takes the committed event once
        [alert] = Alert.objects.all()
        assert list(alert.events.all()) == [event]
        assert Treaty.objects.get(pk=forty.pk).last_change_at is not None

    def test_it_records_a_long_past_date_quietly(self, forty):
        event = entry_into_force_record(treaty=forty, today=D(2028, 1, 1))
        assert event.public is False
        assert event.data["baseline"] is True

    def test_the_daily_task_reports_how_many_it_recorded(self, forty, time_machine):
        time_machine.move_to(datetime.datetime(2027, 1, 20, 0, 5, tzinfo=datetime.UTC))
        assert entry_into_force_check() == 1
        assert entry_into_force_check() == 0

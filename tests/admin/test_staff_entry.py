"""A staff-entered instrument behaves like one the poll found, after a confirmation step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from alerts.models import Alert, ChatChannel, WebhookEndpoint
from ratification.models import Action, Event, EventKind, Origin, Participant, ReviewItem, ReviewKind, Treaty
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.alerts.world import subscribe
from tests.support.outbox import outbox_take
from tests.support.untc_files import hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db
D = datetime.date
ADD = reverse("admin:ratification_action_add")


def entry(treaty: Treaty, code: str, **fields) -> dict:
    participant = Participant.objects.get(code=code)
    return {
        "treaty": treaty.pk,
        "participant": participant.pk,
        "kind": "ratification",
        "date": "2026-02-10",
        "reason": "C.N.77.2026.TREATIES-XVIII.16",
        **fields,
    }


def alerts_owed() -> list[tuple]:
    """Every alert owed so far, once the outbox took the committed events: its treaty, its
    events' kinds, its poll run."""
    outbox_take()
    return [
        (alert.treaty.mtdsg, [event.kind for event in alert.events.all()], alert.poll_run)
        for alert in Alert.objects.order_by("pk")
    ]


@pytest.fixture
def subscribers(confirmed):
    """Three readers who would be e-mailed about any new instrument."""
    return [subscribe(f"reader{number}@example.org", confirmed) for number in range(3)]


class ConfirmationTests:
    def test_it_shows_what_will_be_announced_and_how_many_will_be_emailed_before_saving(
        self, staff, confirmed, subscribers
    ):
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "Record the ratification of Qatar on 10 February 2026 under XVIII-16?" in page
        assert "Counted: 1 of the 40 instruments needed." in page
        assert "This will e-mail 3 subscribers." in page
        assert not Action.objects.filter(kind="ratification").exists()
        assert not Event.objects.exists()

    def test_it_says_when_nobody_would_be_emailed(self, staff, confirmed):
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "This will e-mail 0 subscribers." in page
        assert "It will also be" not in page

    def test_it_says_that_webhooks_and_chat_channels_will_be_told_too(self, staff, confirmed, subscribers):
        WebhookEndpoint.objects.create(treaty=confirmed, url="https://93.184.215.14/hook")
        WebhookEndpoint.objects.create(treaty=confirmed, url="https://93.184.215.14/other")
        WebhookEndpoint.objects.create(treaty=confirmed, url="https://93.184.215.14/off", enabled=False)
        ChatChannel.objects.create(treaty=confirmed, apprise_url="json://127.0.0.1:9/chat")
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "This will e-mail 3 subscribers." in page
        assert "It will also be sent to 2 webhook endpoints." in page
        assert "It will also be posted to 1 chat channel." in page

    def test_it_records_and_announces_like_the_poll_once_confirmed(self, staff, staff_user, confirmed):
        response = staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        qatar = Action.objects.get(kind="ratification", participant__code="QAT")
        assert response.status_code == 302
        assert (qatar.origin, qatar.locked, qatar.date) == (Origin.STAFF, False, D(2026, 2, 10))
        [event] = Event.objects.filter(action=qatar)
        assert (event.kind, event.public, event.poll_run, event.occurred_on) == ("new_action", True, None, qatar.date)
        assert event.data == {
            "action_kind": "ratification",
            "date": "2026-02-10",
            "counted": 1,
            "threshold": 40,
            "counts_toward_threshold": True,
            "origin": "staff",
            "reason": "C.N.77.2026.TREATIES-XVIII.16",
        }
        assert alerts_owed() == [("XVIII-16", ["new_action"], None)]
        created = qatar.history.first()
        assert (created.history_user, created.history_change_reason) == (staff_user, "C.N.77.2026.TREATIES-XVIII.16")
        assert Treaty.objects.get(pk=confirmed.pk).last_change_at is not None

    def test_the_poll_then_confirms_it_quietly(self, staff, confirmed, untc):
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        serve(untc, hanoi_file(with_instruments(hanoi_rows(), {"Qatar": "10 Feb 2026"})))
        run = poll_treaty(treaty=confirmed).run
        assert (run.outcome, run.new_actions) == ("unchanged", 0)
        assert Event.objects.filter(kind=EventKind.NEW_ACTION).count() == 1
        assert len(alerts_owed()) == 1

    def test_a_later_different_date_from_the_source_comes_back_to_staff(self, staff, confirmed, untc):
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        serve(untc, hanoi_file(with_instruments(hanoi_rows(), {"Qatar": "11 Feb 2026"})))
        poll_treaty(treaty=confirmed)
        assert Action.objects.get(kind="ratification").date == D(2026, 2, 11)
        assert ReviewItem.objects.filter(kind=ReviewKind.CORRECTION).count() == 1

    def test_the_fortieth_instrument_entered_by_staff_reaches_the_threshold(self, staff, confirmed):
        codes = list(
            Action.objects.filter(treaty=confirmed).exclude(participant__code__in=["QAT", "EUU"])
            .values_list("participant__code", flat=True)[:39]
        )  # fmt: skip
        for code in codes:
            staff.post(ADD, {**entry(confirmed, code, date="2026-01-05"), "_confirmed": "yes"})
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "Counted: 40 of the 40 instruments needed." in page
        assert "The threshold is reached: entry into force on 2026-05-11." in page
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        milestone = Event.objects.get(kind=EventKind.THRESHOLD_REACHED)
        assert (milestone.participant.code, milestone.public, milestone.data["entry_into_force"]) == (
            "QAT",
            True,
            "2026-05-11",
        )


class ValidationTests:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"kind": "definitive_signature"}, "kind", "XVIII-16 does not provide for this kind of action"),
            ({"date": "2031-01-01"}, "date", "The date is in the future"),
            ({"date": "2024-12-01"}, "date", "The treaty was concluded on 2024-12-24"),
            ({"kind": "signature"}, "kind", "Qatar already has a signature of"),
            ({"reason": ""}, "reason", "Say why"),
        ],
    )
    def test_it_refuses_what_the_poll_would_never_record(self, staff, confirmed, fields, field, message):
        for step in ({}, {"_confirmed": "yes"}):
            response = staff.post(ADD, {**entry(confirmed, "QAT", **fields), **step})
            assert response.status_code == 200
            assert message in " ".join(response.context["form"].errors[field])
        assert Action.objects.count() == 72
        assert not Event.objects.exists()

    def test_it_refuses_a_second_instrument_for_a_party(self, staff, confirmed):
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        response = staff.post(ADD, entry(confirmed, "QAT", kind="accession"))
        assert "Qatar already has a ratification of 2026-02-10" in " ".join(response.context["form"].errors["kind"])

    def test_it_checks_again_when_confirming(self, staff, confirmed, untc):
        preview = staff.post(ADD, entry(confirmed, "QAT"))
        assert "Yes, record and announce it" in preview.content.decode()
        serve(untc, hanoi_file(with_instruments(hanoi_rows(), {"Qatar": "9 Feb 2026"})))
        poll_treaty(treaty=confirmed)  # the poll found it in between
        response = staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        assert "Qatar already has a ratification of 2026-02-09" in " ".join(response.context["form"].errors["kind"])
        assert Action.objects.filter(kind="ratification").count() == 1


class WordingTests:
    def test_it_says_which_entries_do_not_count(self, staff, confirmed):
        Participant.objects.create(code="MUS", name="Mauritius")
        signature = staff.post(ADD, entry(confirmed, "MUS", kind="signature"))
        assert "A signature: it does not count toward entry into force." in signature.content.decode()
        approval = staff.post(ADD, entry(confirmed, "EUU", kind="approval")).content.decode()
        assert "Does not count toward the threshold (an instrument of a regional organisation" in approval

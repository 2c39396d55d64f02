"""The alerts side of the admin: subscribers, deliveries, and the count on the staff-entry page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from alerts.models import Alert, Delivery, DeliveryStatus, Scope, SubscriptionStatus
from ratification.models import Action, Participant
from ratification.services.staff import instrument_record
from tests.alerts.world import subscribe
from tests.support.outbox import outbox_take

pytestmark = pytest.mark.django_db
ADD = reverse("admin:ratification_action_add")


def entry(treaty, code: str, **fields) -> dict:
    return {
        "treaty": treaty.pk,
        "participant": Participant.objects.get(code=code).pk,
        "kind": "ratification",
        "date": "2026-02-10",
        "reason": "C.N.77.2026.TREATIES-XVIII.16",
        **fields,
    }


@pytest.fixture
def readers(confirmed):
    """Who would hear of Qatar's ratification: two readers of every instrument and one of Qatar's;
    not a pending sign-up, a milestones-only reader, a reader of Mali only, nor an unsubscribed one."""
    return {
        "all": subscribe("all@example.org", confirmed),
        "signatures": subscribe("signatures@example.org", confirmed, scope=Scope.SIGNATURES),
        "qatar": subscribe("qatar@example.org", confirmed, codes=("QAT",)),
        "pending": subscribe("pending@example.org", confirmed, status=SubscriptionStatus.PENDING),
        "milestones": subscribe("milestones@example.org", confirmed, scope=Scope.MILESTONES),
        "mali": subscribe("mali@example.org", confirmed, codes=("MLI",)),
        "gone": subscribe("gone@example.org", confirmed, status=SubscriptionStatus.UNSUBSCRIBED),
    }


def changelist(model: str) -> str:
    return reverse(f"admin:alerts_{model}_changelist")


class StaffEntryCountTests:
    def test_the_confirmation_counts_the_subscribers_who_will_be_emailed(self, staff, confirmed, readers):
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "This will e-mail 3 subscribers." in page
        mali = staff.post(ADD, entry(confirmed, "MLI")).content.decode()
        assert "This will e-mail 3 subscribers." in mali  # all, signatures, and the reader of Mali
        signature = staff.post(ADD, entry(confirmed, "EUU", kind="signature"))
        assert "already has a signature" in signature.content.decode()

    def test_the_count_is_what_the_alert_then_owes(self, staff, confirmed, readers):
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        outbox_take()  # the outbox takes the committed events
        alert = Alert.objects.get()
        assert alert.recipients == 3
        owed = set(Delivery.objects.values_list("subscription__subscriber__email", flat=True))
        assert owed == {"all@example.org", "signatures@example.org", "qatar@example.org"}

    def test_the_instrument_that_reaches_the_threshold_emails_every_confirmed_subscriber(
        self, staff, staff_user, confirmed, readers
    ):
        others = Action.objects.filter(treaty=confirmed).exclude(participant__code__in=["QAT", "EUU"])
        for action in others.select_related("participant")[:39]:
            day = action.date.replace(year=2026, month=1)
            instrument_record(
                treaty=confirmed, participant=action.participant, kind="ratification", date=day, user=staff_user,
                reason="seeding",
            )  # fmt: skip
        page = staff.post(ADD, entry(confirmed, "QAT")).content.decode()
        assert "The threshold is reached" in page
        assert "This will e-mail 5 subscribers." in page  # milestones reach every confirmed subscription


class SubscriberTests:
    def test_it_finds_subscribers_by_address_and_status(self, staff, readers):
        found = staff.get(changelist("subscriber"), {"q": "qatar@"}).context["cl"].result_list
        assert [s.email for s in found] == ["qatar@example.org"]
        pending = staff.get(changelist("subscription"), {"status__exact": "pending"}).context["cl"].result_list
        assert [s.subscriber.email for s in pending] == ["pending@example.org"]

    def test_it_resends_the_confirmation_to_pending_ones_only_after_asking(
        self, staff, readers, eager_celery, django_capture_on_commit_callbacks
    ):
        chosen = {"action": "resend_confirmation", "_selected_action": [readers["pending"].subscriber_id,
                                                                        readers["all"].subscriber_id]}  # fmt: skip
        asked = staff.post(changelist("subscriber"), chosen).content.decode()
        assert "pending@example.org" in asked and "Left alone" in asked
        assert mail.outbox == []
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(changelist("subscriber"), {**chosen, "_confirmed": "yes"})
        assert [m.to for m in mail.outbox] == [["pending@example.org"]]
        assert "confirm" in mail.outbox[0].subject.lower()

    def test_it_unsubscribes_after_asking_and_skips_what_was_owed(self, staff, confirmed, readers):
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        outbox_take()  # the outbox takes the committed events
        chosen = {"action": "unsubscribe", "_selected_action": [readers["qatar"].pk]}
        staff.post(changelist("subscription"), chosen)
        assert readers["qatar"].__class__.objects.get(pk=readers["qatar"].pk).status == SubscriptionStatus.CONFIRMED
        staff.post(changelist("subscription"), {**chosen, "_confirmed": "yes"})
        readers["qatar"].refresh_from_db()
        assert readers["qatar"].status == SubscriptionStatus.UNSUBSCRIBED
        skipped = Delivery.objects.get(subscription=readers["qatar"])
        assert (skipped.status, skipped.error) == (DeliveryStatus.SKIPPED, "unsubscribed")

    def test_staff_cannot_add_a_subscriber_or_edit_a_choice(self, staff, readers):
        assert staff.get(reverse("admin:alerts_subscriber_add")).status_code == 403
        url = reverse("admin:alerts_subscription_change", args=[readers["pending"].pk])
        staff.post(url, {"status": "confirmed"})
        readers["pending"].refresh_from_db()
        assert readers["pending"].status == SubscriptionStatus.PENDING


class DeliveryTests:
    @pytest.fixture
    def failed(self, staff, confirmed, readers) -> Delivery:
        staff.post(ADD, {**entry(confirmed, "QAT"), "_confirmed": "yes"})
        outbox_take()  # the outbox takes the committed events
        Delivery.objects.update(status=DeliveryStatus.SENT)
        delivery = Delivery.objects.get(subscription=readers["qatar"])
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8, error="451 try later")
        Alert.objects.update(staff_alerted_at="2026-02-10T12:00:00Z")
        return delivery

    def test_it_shows_deliveries_read_only(self, staff, failed):
        page = staff.get(reverse("admin:alerts_delivery_change", args=[failed.pk])).content.decode()
        assert "451 try later" in page
        assert 'name="status"' not in page
        assert staff.get(reverse("admin:alerts_delivery_add")).status_code == 403

    def test_it_sends_the_failed_ones_again_after_asking(
        self, staff, failed, eager_celery, django_capture_on_commit_callbacks
    ):
        sent = Delivery.objects.exclude(pk=failed.pk).first()
        chosen = {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]}
        asked = staff.post(changelist("delivery"), chosen).content.decode()
        assert "Left alone (not failed)" in asked
        with django_capture_on_commit_callbacks(execute=True):
            staff.post(changelist("delivery"), {**chosen, "_confirmed": "yes"})
        failed.refresh_from_db()
        assert (failed.status, failed.attempts, failed.error) == (DeliveryStatus.SENT, 0, "")
        assert [m.to for m in mail.outbox] == [["qatar@example.org"]]
        assert Alert.objects.get().staff_alerted_at is None
        assert Delivery.objects.get(pk=sent.pk).status == DeliveryStatus.SENT

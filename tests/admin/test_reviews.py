"""The review queue: staff settle each item, the decision is recorded, and it holds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ratification.models import (
    Action,
    Event,
    EventKind,
    Origin,
    Participant,
    ParticipantAlias,
    ReviewItem,
    ReviewKind,
    ReviewResolution,
)
from ratification.services import staff as staff_service
from ratification.services.held_rows import held_row_settle
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.support.untc_files import Row, hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db
D = datetime.date
MAURITIUS = Row("Mauritius", "19 Nov 2025")


def settle(staff, item: ReviewItem, resolution: str, note: str = ""):
    return staff.post(
        reverse("admin:ratification_reviewitem_change", args=[item.pk]), {"resolution": resolution, "note": note}
    )


def poll_rows(treaty, untc, rows) -> None:
    serve(untc, hanoi_file(rows))
    poll_treaty(treaty=treaty)


@pytest.fixture
def conflict(confirmed, untc, staff_user) -> ReviewItem:
    """Staff locked Mali's signature at 25 October; the file keeps saying 26 October."""
    mali = Action.objects.get(participant__code="MLI")
    staff_service.action_correct(action=mali, user=staff_user, reason="the notification says 25", date=D(2025, 10, 25))
    poll_rows(confirmed, untc, [*hanoi_rows(), MAURITIUS])
    return ReviewItem.objects.get(kind=ReviewKind.LOCK_CONFLICT)


class QueueTests:
    def test_it_lists_open_items_by_default(self, staff, conflict):
        changelist = reverse("admin:ratification_reviewitem_changelist")
        assert list(staff.get(changelist).context["cl"].result_list) == [conflict]
        ReviewItem.objects.filter(pk=conflict.pk).update(resolution="keep_lock", resolved_at=conflict.created_at)
        assert list(staff.get(changelist).context["cl"].result_list) == []
        assert list(staff.get(changelist, {"open": "no"}).context["cl"].result_list) == [conflict]

    def test_it_explains_each_decision_on_the_item_page(self, staff, conflict):
        page = staff.get(reverse("admin:ratification_reviewitem_change", args=[conflict.pk])).content.decode()
        assert "the UNTC file says signature on 26 Oct 2025; staff locked 25 Oct 2025" in page
        assert "Take the source&#x27;s value: the lock is released" in page
        assert "Keep the staff value: nothing changes" in page


class LockConflictTests:
    def test_taking_the_source_unlocks_sets_its_value_and_records_why(self, staff, staff_user, conflict):
        response = settle(staff, conflict, "take_source", note="UNTC is right after all")
        assert response.status_code == 302
        mali = Action.objects.get(participant__code="MLI")
        assert (mali.date, mali.locked, mali.origin) == (D(2025, 10, 26), False, Origin.SOURCE)
        assert mali.history.first().history_change_reason == (
            f"review #{conflict.pk}: took the source's value. UNTC is right after all"
        )
        assert mali.history.first().history_user == staff_user
        correction = Event.objects.filter(kind=EventKind.CORRECTION, action=mali).latest("created_at")
        assert (correction.public, correction.data["old"], correction.data["new"]) == (
            False,
            "2025-10-25",
            "2025-10-26",
        )
        conflict.refresh_from_db()
        assert (conflict.resolution, conflict.resolved_by, conflict.note) == (
            ReviewResolution.TAKE_SOURCE,
            staff_user,
            "UNTC is right after all",
        )

    def test_taking_the_source_needs_a_note(self, staff, conflict):
        response = settle(staff, conflict, "take_source")
        assert "Say why" in " ".join(response.context["form"].errors["note"])
        assert ReviewItem.objects.get(pk=conflict.pk).is_open

    def test_keeping_the_lock_changes_nothing_and_is_not_asked_again(self, staff, confirmed, untc, conflict):
        settle(staff, conflict, "keep_lock", note="the notification is authoritative")
        assert Action.objects.get(participant__code="MLI").date == D(2025, 10, 25)
        poll_rows(confirmed, untc, [*hanoi_rows(), MAURITIUS, Row("Mongolia", "2 Dec 2025")])
        assert ReviewItem.objects.filter(kind=ReviewKind.LOCK_CONFLICT).count() == 1
        # A new disagreement is a new question.
        rows = [Row(r.name, "24 Oct 2025" if r.name == "Mali" else r.signature) for r in hanoi_rows()]
        poll_rows(confirmed, untc, [*rows, MAURITIUS, Row("Mongolia", "2 Dec 2025")])
        assert ReviewItem.objects.filter(kind=ReviewKind.LOCK_CONFLICT, resolved_at__isnull=True).count() == 1

    def test_a_decision_is_taken_once(self, staff, conflict):
        settle(staff, conflict, "keep_lock")
        response = staff.get(reverse("admin:ratification_reviewitem_change", args=[conflict.pk]))
        assert response.context["form"] is None
        assert "kept the staff value, by ada" in response.content.decode()
        from django.core.exceptions import ValidationError

        from ratification.services.reviews import review_settle

        with pytest.raises(ValidationError, match="already settled"):
            review_settle(item=conflict, resolution="take_source", user=None, note="late")


class OtherKindsTests:
    def test_a_disappeared_row_is_acknowledged_kept_and_not_raised_again(self, staff, confirmed, untc):
        without_mali = [r for r in hanoi_rows() if r.name != "Mali"]
        poll_rows(confirmed, untc, without_mali)
        item = ReviewItem.objects.get(kind=ReviewKind.DISAPPEARED)
        page = staff.get(reverse("admin:ratification_reviewitem_change", args=[item.pk])).content.decode()
        assert "Acknowledging keeps the row" in page
        settle(staff, item, "acknowledged", note="UNTC dropped it by mistake; asked them")
        assert Action.objects.filter(participant__code="MLI").exists()
        poll_rows(confirmed, untc, [*without_mali, MAURITIUS])
        assert ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).count() == 1

    def test_a_source_correction_can_be_kept_or_undone_and_locked(self, staff, staff_user, confirmed, untc):
        staff_service.instrument_record(
            treaty=confirmed, participant=Participant.objects.get(code="QAT"), kind="ratification",
            date=D(2026, 2, 10), user=staff_user, reason="notification",
        )  # fmt: skip
        rows = [Row(r.name, r.signature, "12 Feb 2026" if r.name == "Qatar" else "") for r in hanoi_rows()]
        poll_rows(confirmed, untc, rows)
        item = ReviewItem.objects.get(kind=ReviewKind.CORRECTION)
        settle(staff, item, "keep_lock", note="the notification says the 10th")
        qatar = Action.objects.get(kind="ratification")
        assert (qatar.date, qatar.locked, qatar.origin) == (D(2026, 2, 10), True, Origin.STAFF)
        assert "kept the previous date" in qatar.history.first().history_change_reason

    def test_acknowledging_in_bulk_leaves_items_that_need_a_real_decision(self, staff, confirmed, untc, conflict):
        poll_rows(confirmed, untc, [r for r in hanoi_rows() if r.name != "Nauru"] + [MAURITIUS])
        disappeared = ReviewItem.objects.get(kind=ReviewKind.DISAPPEARED)
        changelist = reverse("admin:ratification_reviewitem_changelist")
        selected = {"action": "acknowledge", "_selected_action": [disappeared.pk, conflict.pk]}
        asked = staff.post(changelist, selected).content.decode()
        assert "Left alone" in asked
        staff.post(changelist, {**selected, "_confirmed": "yes", "note": "seen"})
        assert not ReviewItem.objects.get(pk=disappeared.pk).is_open
        assert ReviewItem.objects.get(pk=conflict.pk).is_open


class UnknownParticipantTests:
    """A name nobody goes by is held; once staff accept it, it is a participant under a
    provisional code, and giving it its ISO code may merge it into another."""

    @pytest.fixture
    def unknown(self, confirmed, untc, staff_user) -> Participant:
        poll_rows(confirmed, untc, [*hanoi_rows(), Row("Republic of Atlantis", "1 Dec 2025")])
        item = ReviewItem.objects.get(kind=ReviewKind.HELD)
        held_row_settle(item=item, decision=ReviewResolution.ACCEPTED, user=staff_user, note="a new member state")
        return Participant.objects.get(name="Republic of Atlantis")

    def code_url(self, participant: Participant) -> str:
        return reverse("admin:ratification_participant_code", args=[participant.pk])

    def test_giving_a_new_code_recodes_after_confirmation(self, staff, unknown):
        assert unknown.code.startswith("X")
        asked = staff.post(self.code_url(unknown), {"code": "atl", "reason": "new member state"})
        page = asked.content.decode()
        assert "Republic of Atlantis will have the code ATL." in page
        assert "does not know ATL" in page
        assert Participant.objects.get(pk=unknown.pk).code.startswith("X")
        staff.post(self.code_url(unknown), {"code": "atl", "reason": "new member state", "_confirmed": "yes"})
        assert Participant.objects.get(pk=unknown.pk).code == "ATL"

    def test_giving_an_existing_code_merges_them(self, staff, staff_user, confirmed, untc, unknown):
        Participant.objects.create(code="PRY", name="Paraguay")
        page = staff.post(self.code_url(unknown), {"code": "PRY", "reason": "UNTC's old spelling"}).content.decode()
        assert "PRY belongs to Paraguay: the two will be merged." in page
        assert "1 action moves to Paraguay." in page
        staff.post(self.code_url(unknown), {"code": "PRY", "reason": "UNTC's old spelling", "_confirmed": "yes"})
        paraguay = Participant.objects.get(code="PRY")
        assert not Participant.objects.filter(pk=unknown.pk).exists()
        assert ParticipantAlias.objects.get(name="Republic of Atlantis").participant == paraguay
        moved = Action.objects.get(participant=paraguay)
        assert "moved from Republic of Atlantis" in moved.history.first().history_change_reason
        gone = Participant.history.filter(id=unknown.pk).first()
        assert (gone.history_type, gone.history_user) == ("-", staff_user)
        # The next poll files the row under Paraguay, and holds nothing.
        poll_rows(confirmed, untc, [*hanoi_rows(), Row("Republic of Atlantis", "1 Dec 2025"), MAURITIUS])
        assert not Participant.objects.filter(name="Republic of Atlantis").exists()
        assert not ReviewItem.objects.filter(resolved_at__isnull=True).exists()

    def test_a_merge_that_would_hold_two_signatures_is_refused(self, staff, unknown):
        page = staff.post(self.code_url(unknown), {"code": "MLI", "reason": "typo"}).content.decode()
        assert "Refused: both hold the same kind of action" in page
        staff.post(self.code_url(unknown), {"code": "MLI", "reason": "typo", "_confirmed": "yes"})
        assert Participant.objects.get(pk=unknown.pk).code.startswith("X")

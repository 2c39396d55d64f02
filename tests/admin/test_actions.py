"""Actions in the admin: a staff correction locks the value, keeps its reason, and beats the scraper."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ratification.models import Action, Event, EventKind, Origin, ReviewItem, ReviewKind, Treaty
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.support.untc_files import Row, hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db
D = datetime.date


def action_of(treaty: Treaty, code: str, kind: str = "signature") -> Action:
    return Action.objects.get(treaty=treaty, participant__code=code, kind=kind)


def correct(staff, action: Action, **changes):
    """Post the action's change form as shown, with these changes."""
    data = {
        "kind": action.kind,
        "date": action.date.isoformat(),
        "marker": action.marker,
        "footnotes": "[]",
        "provenance": action.provenance,
        **({"withdrawn": "on"} if action.withdrawn else {}),
    }
    data.update(changes)
    return staff.post(reverse("admin:ratification_action_change", args=[action.pk]), data)


class CorrectionTests:
    def test_it_locks_a_corrected_value_with_its_reason_and_records_a_correction(self, staff, staff_user, confirmed):
        mali = action_of(confirmed, "MLI")
        reason = "C.N.512.2025.TREATIES-XVIII.16 gives 25 October"
        response = correct(staff, mali, date="2025-10-25", reason=reason)
        assert response.status_code == 302
        mali.refresh_from_db()
        assert (mali.date, mali.origin, mali.locked, mali.lock_reason) == (D(2025, 10, 25), Origin.STAFF, True, reason)
        [event] = Event.objects.filter(kind=EventKind.CORRECTION, action=mali)
        assert (event.public, event.data) == (
            False,
            {"field": "date", "old": "2025-10-26", "new": "2025-10-25", "origin": "staff", "reason": reason},
        )
        # Where the staff value comes from is its reason, not the source's "untc" (issue 18 item 9).
        assert mali.provenance == reason
        latest = mali.history.first()
        assert (latest.history_user, latest.history_change_reason) == (staff_user, reason)
        assert Treaty.objects.get(pk=confirmed.pk).last_change_at not in (None, confirmed.last_change_at)

    def test_the_scraper_then_raises_a_review_item_instead_of_overwriting(self, staff, confirmed, untc):
        mali = action_of(confirmed, "MLI")
        correct(staff, mali, date="2025-10-25", reason="the notification says 25 October")
        serve(untc, hanoi_file([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")]))  # still says 26 Oct for Mali
        poll_treaty(treaty=confirmed)
        assert action_of(confirmed, "MLI").date == D(2025, 10, 25)
        [item] = ReviewItem.objects.filter(kind=ReviewKind.LOCK_CONFLICT)
        assert item.data["source_date"] == "2025-10-26"

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"reason": ""}, "reason", "Say why"),
            ({"date": "2031-01-01", "reason": "x"}, "date", "The date is in the future"),
            ({"date": "2024-01-01", "reason": "x"}, "date", "concluded on 2024-12-24"),
            ({"date": "2025-11-02", "reason": "x"}, "date", "open for signature until 2025-10-31"),
            ({"kind": "definitive_signature", "reason": "x"}, "kind", "does not provide for this kind"),
            ({"footnotes": "2, five", "reason": "x"}, "footnotes", "Footnote numbers only"),
        ],
    )
    def test_it_refuses_bad_values_and_stores_nothing(self, staff, treaty, changes, field, message):
        Treaty.objects.filter(pk=treaty.pk).update(signature_deadline=D(2025, 10, 31))
        mali = action_of(treaty, "MLI")
        response = correct(staff, mali, **changes)
        assert response.status_code == 200
        assert message in " ".join(response.context["adminform"].form.errors[field])
        assert Action.objects.get(pk=mali.pk).locked is False
        assert mali.history.count() == 1
        assert not Event.objects.exists()

    def test_footnotes_are_written_and_shown_as_numbers_not_json(self, staff, treaty):
        mali = action_of(treaty, "MLI")
        assert correct(staff, mali, footnotes="3; 12", reason="the record has two notes").status_code == 302
        assert action_of(treaty, "MLI").footnotes == [3, 12]
        page = staff.get(reverse("admin:ratification_action_change", args=[mali.pk])).content.decode()
        assert 'name="footnotes" value="3, 12"' in page

    def test_it_refuses_a_kind_the_participant_already_holds(self, staff, treaty):
        from ratification.services import staff as staff_service

        mali = action_of(treaty, "MLI")
        staff_service.instrument_record(
            treaty=treaty, participant=mali.participant, kind="ratification", date=D(2026, 2, 1), user=None, reason="x"
        )
        response = correct(staff, Action.objects.get(treaty=treaty, participant=mali.participant, kind="ratification"),
                           kind="signature", reason="x")  # fmt: skip
        assert "already has a signature of" in " ".join(response.context["adminform"].form.errors["kind"])

    def test_it_releases_locks_with_a_reason_after_asking(self, staff, staff_user, confirmed):
        mali = action_of(confirmed, "MLI")
        correct(staff, mali, date="2025-10-25", reason="the notification says 25 October")
        changelist = reverse("admin:ratification_action_changelist")
        asked = staff.post(changelist, {"action": "release_lock", "_selected_action": [mali.pk]})
        assert "From the next poll on, the source" in asked.content.decode()
        assert action_of(confirmed, "MLI").locked
        done = staff.post(
            changelist,
            {"action": "release_lock", "_selected_action": [mali.pk], "_confirmed": "yes", "reason": "UNTC fixed it"},
        )
        assert done.status_code == 302
        mali.refresh_from_db()
        assert (mali.locked, mali.lock_reason, mali.history.first().history_change_reason) == (
            False,
            "",
            "UNTC fixed it",
        )

    def test_it_filters_the_list_by_kind_origin_and_date(self, staff, confirmed):
        correct(staff, action_of(confirmed, "MLI"), date="2025-10-25", reason="notification")
        changelist = reverse("admin:ratification_action_changelist")
        staff_rows = staff.get(changelist, {"origin__exact": "staff"}).context["cl"].result_list
        assert [a.participant.code for a in staff_rows] == ["MLI"]
        dated = staff.get(changelist, {"date__gte": "2025-10-26", "date__lt": "2025-10-27", "kind__exact": "signature"})
        assert {a.date for a in dated.context["cl"].result_list} == {D(2025, 10, 26)}
        found = staff.get(changelist, {"q": "Türkiye"}).context["cl"].result_list
        assert [a.participant.code for a in found] == ["TUR"]


class RemovalTests:
    def test_it_removes_a_seeded_row_after_confirmation_and_keeps_its_history(self, staff, staff_user, treaty):
        mali = action_of(treaty, "MLI")
        url = reverse("admin:ratification_action_remove", args=[mali.pk])
        assert "never announced" in staff.get(url).content.decode()
        assert staff.post(url, {"reason": ""}).status_code == 200
        assert Action.objects.filter(pk=mali.pk).exists()
        response = staff.post(url, {"reason": "Mali did not sign: a mistake in the seed"})
        assert response.status_code == 302
        assert not Action.objects.filter(pk=mali.pk).exists()
        deleted = Action.history.filter(id=mali.pk).first()
        assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
            "-",
            staff_user,
            "Mali did not sign: a mistake in the seed",
        )

    def test_it_refuses_to_remove_a_row_from_the_source(self, staff, confirmed):
        mali = action_of(confirmed, "MLI")
        url = reverse("admin:ratification_action_remove", args=[mali.pk])
        assert "It comes from the UNTC file" in staff.get(url).content.decode()
        staff.post(url, {"reason": "try anyway"})
        assert Action.objects.filter(pk=mali.pk).exists()

    def test_it_refuses_to_remove_an_announced_staff_entry(self, staff, treaty):
        from ratification.services import staff as staff_service

        entry = staff_service.instrument_record(
            treaty=treaty, participant=action_of(treaty, "MLI").participant, kind="ratification",
            date=D(2026, 2, 1), user=None, reason="notification",
        )  # fmt: skip
        url = reverse("admin:ratification_action_remove", args=[entry.action.pk])
        assert "announced to subscribers on" in staff.get(url).content.decode()
        staff.post(url, {"reason": "try anyway"})
        assert Action.objects.filter(pk=entry.action.pk).exists()

"""Poll runs, raw files and participants as staff read them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ratification.models import Participant, PollRun, Treaty
from ratification.services.participants import participant_create_unknown
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.support.http_server import status
from tests.support.untc_files import Row, hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db


class PollRunTests:
    def test_it_shows_a_run_read_only_with_its_counts_and_differences(self, staff, confirmed, untc):
        serve(untc, hanoi_file([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")]))
        run = poll_treaty(treaty=confirmed).run
        response = staff.get(reverse("admin:ratification_pollrun_change", args=[run.pk]))
        page = response.content.decode()
        assert "<h3>new actions (1)</h3><ul><li>Mauritius: signature 2025-11-19</li></ul>" in page
        assert 'name="outcome"' not in page  # nothing to edit
        assert 'type="submit"' not in page.split('id="content-main"')[1]

    def test_it_downloads_the_stored_raw_file_exactly_as_received(self, staff, confirmed, untc):
        body = hanoi_file([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")])
        serve(untc, body)
        run = poll_treaty(treaty=confirmed).run
        response = staff.get(reverse("admin:ratification_pollrun_raw", args=[run.pk]))
        assert response.content == body
        assert response["Content-Disposition"].startswith('attachment; filename="XVIII-16-')
        assert response["Content-Type"] == "application/octet-stream"
        snapshot = staff.get(reverse("admin:ratification_sourcesnapshot_raw", args=[run.snapshot_id]))
        assert snapshot.content == body

    def test_a_failed_run_shows_why_and_has_no_file(self, staff, treaty, untc):
        serve(untc, status(503))
        run = poll_treaty(treaty=treaty).run
        page = staff.get(reverse("admin:ratification_pollrun_change", args=[run.pk])).content.decode()
        assert "HTTP 503" in page
        assert "not stored" in page
        assert staff.get(reverse("admin:ratification_pollrun_raw", args=[run.pk])).status_code == 404

    def test_it_cannot_be_added_changed_or_deleted(self, staff, treaty, untc):
        serve(untc, status(503))
        run = poll_treaty(treaty=treaty).run
        assert staff.get(reverse("admin:ratification_pollrun_add")).status_code == 403
        assert (
            staff.post(reverse("admin:ratification_pollrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
        )
        assert PollRun.objects.filter(pk=run.pk).exists()


class ParticipantTests:
    def changelist(self, staff, **query):
        response = staff.get(reverse("admin:ratification_participant_changelist"), query)
        return sorted(p.code for p in response.context["cl"].result_list)

    def test_it_finds_a_participant_by_name_alias_or_code(self, staff, treaty):
        assert self.changelist(staff, q="Türkiye") == ["TUR"]
        assert self.changelist(staff, q="Turkey") == ["TUR"]  # its older name
        assert self.changelist(staff, q="MLI") == ["MLI"]

    def test_it_filters_provisional_codes_and_organisations(self, staff, confirmed):
        # What accepting a held row with a name nobody goes by stores (services/held_rows.py).
        participant_create_unknown(name="Republic of Atlantis")
        [provisional] = self.changelist(staff, provisional="yes")
        assert provisional.startswith("X")
        assert self.changelist(staff, is_reio__exact="1") == ["EUU"]

    def test_it_shows_a_participant_s_actions_inline_read_only(self, staff, treaty):
        mali = Participant.objects.get(code="MLI")
        page = staff.get(reverse("admin:ratification_participant_change", args=[mali.pk])).content.decode()
        assert "<caption>Actions of Mali</caption>" in page
        assert "<td>XVIII-16</td>" in page and "Oct. 26, 2025" in page
        assert 'name="date"' not in page
        assert reverse("admin:ratification_participant_code", args=[mali.pk]) in page

    def test_an_edit_needs_a_reason_and_refreshes_the_treaties_it_is_in(self, staff, staff_user, treaty):
        eu = Participant.objects.get(code="EUU")
        url = reverse("admin:ratification_participant_change", args=[eu.pk])
        inline_management = {"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
        data = {"name": eu.name, **inline_management}
        assert staff.post(url, data).status_code == 200
        assert Participant.objects.get(pk=eu.pk).is_reio
        response = staff.post(url, {**data, "reason": "data fix"})
        assert response.status_code == 302
        eu.refresh_from_db()
        assert eu.is_reio is False
        assert (eu.history.first().history_change_reason, eu.history.first().history_user) == ("data fix", staff_user)
        assert Treaty.objects.get(pk=treaty.pk).last_change_at is not None

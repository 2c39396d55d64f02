"""Staff record national steps in the admin: one at a time with a reason, or a whole CSV file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ratification.models import Event, EventKind, Participant, Stage, StageKind
from tests.stages.conftest import SOURCE, D, step

pytestmark = pytest.mark.django_db
ADD = reverse("admin:ratification_stage_add")
IMPORT = reverse("admin:ratification_stage_import")
LIST = reverse("admin:ratification_stage_changelist")


@pytest.fixture
def staff(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def entry(treaty, code: str, **fields) -> dict:
    return {
        "treaty": treaty.pk,
        "participant": Participant.objects.get(code=code).pk,
        "kind": "approved",
        "label": "",
        "date": "2026-03-12",
        "source_url": SOURCE,
        "note": "Nationalrat, unanimous",
        "reason": "the parliament's record",
        **fields,
    }


class StageAdminTests:
    def test_staff_record_a_step_with_its_reason_in_the_history(self, staff, treaty, staff_user):
        response = staff.post(ADD, entry(treaty, "AUT", announce="on"))
        assert response.status_code == 302, response.content.decode()[:3000]
        stage = Stage.objects.get()
        assert (stage.participant.code, stage.kind, stage.date) == ("AUT", StageKind.APPROVED, D(2026, 3, 12))
        record = stage.history.get()
        assert (record.history_user, record.history_change_reason) == (staff_user, "the parliament's record")
        event = Event.objects.get(kind=EventKind.STAGE_REPORTED)
        assert event.public and event.data["source_host"] == "parlament.gv.at"

    def test_a_step_without_a_reason_or_with_an_ftp_source_is_refused(self, staff, treaty):
        page = staff.post(ADD, entry(treaty, "AUT", reason="", source_url="ftp://example.org/x")).content.decode()
        assert "Say why" in page and "http:// or https://" in page
        assert not Stage.objects.exists()

    def test_a_step_of_another_kind_needs_its_own_label(self, staff, treaty):
        page = staff.post(ADD, entry(treaty, "AUT", kind="other")).content.decode()
        assert "needs its own label" in page
        staff.post(ADD, entry(treaty, "AUT", kind="other", label="Government decision"))
        assert Stage.objects.get().display_label == "Government decision"

    def test_a_correction_is_kept_in_the_history_and_not_announced(self, staff, treaty):
        stage = step(treaty, "AUT", D(2026, 3, 12))
        url = reverse("admin:ratification_stage_change", args=[stage.pk])
        data = entry(treaty, "AUT", date="2026-03-13", reason="the record gives the 13th")
        response = staff.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        stage.refresh_from_db()
        assert stage.date == D(2026, 3, 13)
        assert stage.history.first().history_change_reason == "the record gives the 13th"
        assert Event.objects.filter(kind=EventKind.STAGE_REPORTED).count() == 1
        assert staff.get(reverse("admin:ratification_stage_history", args=[stage.pk])).status_code == 200

    def test_steps_are_removed_with_a_reason_not_deleted(self, staff, treaty):
        stage = step(treaty, "AUT", D(2026, 3, 12))
        post = {"action": "remove_stages", "_selected_action": [stage.pk]}
        page = staff.post(LIST, post).content.decode()
        assert "Remove national steps" in page and Stage.objects.exists()
        staff.post(LIST, {**post, "_confirmed": "yes", "reason": "a rumour, not a vote"})
        assert not Stage.objects.exists()
        assert Stage.history.filter(history_type="-").get().history_change_reason == "a rumour, not a vote"
        assert staff.get(reverse("admin:ratification_stage_delete", args=[stage.pk])).status_code == 403

    def test_the_list_and_the_add_page_open(self, staff, treaty):
        step(treaty, "AUT", D(2026, 3, 12))
        page = staff.get(LIST).content.decode()
        assert "parlament.gv.at" in page and "Import a CSV file" in page and "Export XVIII-16 (CSV)" in page
        assert staff.get(ADD).status_code == 200


class StageUploadTests:
    def upload(self, staff, treaty, text: str):
        csv_file = SimpleUploadedFile("steps.csv", text.encode(), content_type="text/csv")
        return staff.post(IMPORT, {"treaty": treaty.pk, "file": csv_file, "reason": "campaign's spreadsheet"})

    def test_a_good_file_is_imported(self, staff, treaty):
        response = self.upload(
            staff, treaty, f"participant,date,stage,source_url,note\nAUT,2026-03-12,approved,{SOURCE},\n"
        )
        assert response.status_code == 302
        assert Stage.objects.get().history.get().history_change_reason == "campaign's spreadsheet"
        assert not Event.objects.get(kind=EventKind.STAGE_REPORTED).public  # a file is history, not news

    def test_a_bad_file_is_refused_whole_with_each_bad_line(self, staff, treaty):
        text = (
            "participant,date,stage,source_url,note\n"
            f"AUT,2026-03-12,approved,{SOURCE},\n"
            f"XXX,2026-03-12,approved,{SOURCE},\n"
            "GHA,2026-03-12,approved,javascript:alert(1),\n"
        )
        page = self.upload(staff, treaty, text).content.decode()
        assert "The file was refused: 2 rows are bad. Nothing was imported." in page
        assert "line 3: no participant has the code" in page and "line 4: source_url" in page
        assert not Stage.objects.exists()

    def test_the_page_opens(self, staff, treaty):
        assert "participant,date,stage,source_url,note" in staff.get(IMPORT).content.decode()

    def test_a_field_over_the_csv_limit_is_a_refusal_not_a_500(self, staff, treaty):
        text = f"participant,date,stage,source_url,note\nAUT,2026-03-12,approved,{SOURCE},{'x' * 200_000}\n"
        response = self.upload(staff, treaty, text)
        assert response.status_code == 200
        assert "line 2: not a CSV file the tracker can read" in response.content.decode()
        assert not Stage.objects.exists()

    def test_a_file_too_big_is_refused_before_it_is_read(self, staff, treaty):
        from ratification.services.stage_import import MAX_FILE_BYTES

        page = self.upload(staff, treaty, "participant,date,stage,source_url,note\n" + "x" * MAX_FILE_BYTES)
        assert "a file of national steps has at most 4,194,304" in page.content.decode()
        assert not Stage.objects.exists()

    def test_a_step_with_a_bidirectional_control_in_its_note_is_refused(self, staff, treaty):
        response = staff.post(
            ADD,
            {
                "treaty": treaty.pk,
                "participant": Participant.objects.get(code="AUT").pk,
                "kind": StageKind.APPROVED,
                "label": "",
                "date": "2026-03-12",
                "source_url": SOURCE,
                "note": "approved \u202ekrowten",
                "reason": "seen in the gazette",
            },
        )
        assert "invisible control character (U+202E)" in response.content.decode()
        assert not Stage.objects.exists()

"""Treaties in the admin: follow one by its MTDSG number, edit its rule and schedule, poll now."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ratification.models import Action, Event, PollRun, Treaty
from ratification.services import treaties as treaty_service
from scrapers.mtdsg import treaty_xml_path
from tests.admin.conftest import form_data, serve
from tests.support.http_server import status
from tests.support.untc_files import MAINTENANCE_PAGE, PARIS, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db
ADD = reverse("admin:ratification_treaty_add")
RULE = {"eif_threshold": "55", "eif_delay_days": "30", "reio_counts": "false", "later_party_delay_days": "30"}
KINDS = ["signature", "ratification", "acceptance", "approval", "accession"]


def add(staff, **fields):
    return staff.post(ADD, {"action_kinds": KINDS, **RULE, **fields})


def change_url(treaty: Treaty) -> str:
    return reverse("admin:ratification_treaty_change", args=[treaty.pk])


def edit(staff, treaty: Treaty, **changes):
    """Post the treaty's change form as shown, with these changes."""
    data = form_data(staff.get(change_url(treaty)))
    data.update(changes)
    return staff.post(change_url(treaty), {k: v for k, v in data.items() if v is not None})


class XmlPathTests:
    @pytest.mark.parametrize(
        ("mtdsg", "path"),
        [
            ("XVIII-16", "doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"),
            ("XXVII-7-d", "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"),
            ("VI-18", "doc/Publication/MTDSG/Volume%20I/Chapter%20VI/VI-18.en.xml"),
            ("IV-4", "doc/Publication/MTDSG/Volume%20I/Chapter%20IV/IV-4.en.xml"),
            ("XII-7", "doc/Publication/MTDSG/Volume%20II/Chapter%20XII/XII-7.en.xml"),
            ("XI-B-19", "doc/Publication/MTDSG/Volume%20I/Chapter%20XI/XI-B-19.en.xml"),
        ],
    )
    def test_it_derives_the_status_file_path_from_the_chapter(self, mtdsg, path):
        assert treaty_xml_path(mtdsg=mtdsg) == path


class MtdsgNumberTests:
    @pytest.mark.parametrize(
        ("typed", "stored"), [("xxvii-7-D", "XXVII-7-d"), ("xi-b-19", "XI-B-19"), (" XVIII-12-a ", "XVIII-12-a")]
    )
    def test_it_writes_the_number_the_way_untc_does(self, db, typed, stored):
        assert treaty_service.mtdsg_check(typed) == (stored, stored.split("-")[0])


class AddTreatyTests:
    def test_it_follows_a_treaty_from_its_mtdsg_number_with_a_derived_path_and_a_schedule(self, staff, staff_user):
        response = add(staff, mtdsg="xxvii-7-D", short_title="the Paris Agreement")
        paris = Treaty.objects.get(mtdsg="XXVII-7-d")
        assert response.status_code == 302
        assert (paris.chapter, paris.eif_threshold, paris.action_kinds) == ("XXVII", 55, KINDS)
        assert paris.xml_path == "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"
        task = Treaty.objects.get(pk=paris.pk).poll_task
        assert (task.enabled, task.interval.every, task.interval.period) == (True, 6, "hours")
        [created] = paris.history.all()
        assert (created.history_user, created.history_change_reason) == (staff_user, "followed by staff")

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"mtdsg": "XVIII 16"}, "mtdsg", "An MTDSG number looks like XVIII-16, XXVII-7-d, XI-B-19 or III-2-12b"),
            ({"mtdsg": "XXX-1"}, "mtdsg", "a chapter from I to XXIX"),
            ({"mtdsg": "18-16"}, "mtdsg", "An MTDSG number looks like XVIII-16"),
            ({"mtdsg": "XVIII-16"}, "mtdsg", "XVIII-16 is already followed."),
            ({"mtdsg": "XXVI-9", "chapter": "XXVII"}, "chapter", "XXVI-9 is in chapter XXVI, not XXVII."),
            ({"mtdsg": "XXVI-9", "xml_path": "http://127.0.0.1/x.xml"}, "xml_path", "is not a path under the UNTC"),
            ({"mtdsg": "XXVI-9", "xml_path": "doc/../../etc/passwd.xml"}, "xml_path", "only URLs under"),
            ({"mtdsg": "XXVI-9", "xml_path": "doc/Publication/MTDSG/x.pdf"}, "xml_path", "ends in .en.xml"),
        ],
    )
    def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(self, staff, treaty, fields, field, message):
        before = (Treaty.objects.count(), PeriodicTask.objects.count())
        response = add(staff, **fields)
        assert response.status_code == 200
        assert message in " ".join(response.context["adminform"].form.errors[field])
        assert (Treaty.objects.count(), PeriodicTask.objects.count()) == before

    def test_it_takes_a_path_staff_give_and_polls_right_away_as_a_baseline(
        self, staff, untc, eager_celery, django_capture_on_commit_callbacks
    ):
        path = "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"
        serve(untc, PARIS.read_bytes(), path="/" + path)
        with django_capture_on_commit_callbacks(execute=True):
            response = add(staff, mtdsg="XXVII-7-d", xml_path=path, poll_now="on")
        paris = Treaty.objects.get(mtdsg="XXVII-7-d")
        [run] = PollRun.objects.filter(treaty=paris)
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:ratification_pollrun_change", args=[run.pk])
        assert run.outcome == "changed"
        assert paris.title.startswith("Paris Agreement")  # filled in from the file's header
        assert Action.objects.filter(treaty=paris).count() > 300
        assert not Event.objects.filter(treaty=paris, public=True).exists()  # a baseline announces nothing


class EditTreatyTests:
    def test_it_records_who_changed_the_rule_when_and_why(self, staff, staff_user, treaty):
        response = edit(staff, treaty, eif_threshold="41", reason="Article 65 re-read: typo in the seed")
        assert response.status_code == 302
        treaty.refresh_from_db()
        assert treaty.eif_threshold == 41
        assert treaty.last_change_at is not None
        latest = treaty.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            staff_user,
            "Article 65 re-read: typo in the seed",
        )
        history = staff.get(reverse("admin:ratification_treaty_history", args=[treaty.pk])).content.decode()
        assert "Article 65 re-read: typo in the seed" in history
        assert "ada" in history

    def test_it_asks_for_a_reason_and_changes_nothing_without_one(self, staff, treaty):
        response = edit(staff, treaty, eif_threshold="41", reason="")
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["reason"]
        assert Treaty.objects.get(pk=treaty.pk).eif_threshold == 40

    def test_it_edits_the_poll_schedule_from_the_treaty_page(self, staff, treaty):
        edit(staff, treaty, poll_every_hours="12", poll_enabled=None, reason="UNTC asked us to poll less")
        task = Treaty.objects.get(pk=treaty.pk).poll_task
        assert (task.interval.every, task.enabled) == (12, False)
        assert Treaty.objects.get(pk=treaty.pk).poll_enabled is False
        page = staff.get(change_url(treaty)).content.decode()
        assert reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]) in page


@pytest.fixture
def poll_now(staff, django_capture_on_commit_callbacks):
    """Press "Poll now" on a treaty; the poll runs when the request's transaction commits."""

    def press(treaty):
        with django_capture_on_commit_callbacks(execute=True):
            return staff.post(reverse("admin:ratification_treaty_poll", args=[treaty.pk]))

    return press


class PollNowTests:
    def test_it_asks_before_polling_and_names_the_url(self, staff, treaty, untc):
        page = staff.get(reverse("admin:ratification_treaty_poll", args=[treaty.pk])).content.decode()
        assert f"{untc.base_url}/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml" in page
        assert PollRun.objects.count() == 0

    def test_it_queues_the_poll_for_a_worker_instead_of_reading_in_the_request(self, staff, confirmed, untc):
        with mock.patch("ratification.tasks.poll_treaty_task.delay") as delay:
            response = staff.post(reverse("admin:ratification_treaty_poll", args=[confirmed.pk]))
        [run] = PollRun.objects.all()
        assert run.outcome == "running"  # the poll lock: a scheduled poll now waits its turn
        assert response["Location"] == reverse("admin:ratification_pollrun_change", args=[run.pk])
        assert not untc.requests
        delay.assert_not_called()  # published once the request's transaction commits

    def test_its_poll_run_shows_what_changed(self, staff, confirmed, untc, eager_celery, poll_now):
        serve(
            untc,
            hanoi_file(with_instruments([*hanoi_rows(), Row("Mauritius", "19 Nov 2025")], {"Qatar": "3 Feb 2026"})),
        )
        page = staff.get(poll_now(confirmed)["Location"]).content.decode()
        assert "XVIII-16 " in page and " changed" in page
        assert "Mauritius: signature 2025-11-19" in page
        assert "Qatar: ratification 2026-02-03" in page

    def test_its_poll_run_shows_why_a_poll_was_refused(self, staff, confirmed, untc, eager_celery, poll_now):
        serve(untc, MAINTENANCE_PAGE)
        page = staff.get(poll_now(confirmed)["Location"]).content.decode()
        assert "failed validation" in page
        assert "maintenance" in page

    def test_it_polls_the_selected_treaties_from_the_list(
        self, staff, confirmed, untc, eager_celery, django_capture_on_commit_callbacks
    ):
        serve(untc, status(500))
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                reverse("admin:ratification_treaty_changelist"),
                {"action": "poll_selected", "_selected_action": [confirmed.pk]},
                follow=True,
            )
        [run] = PollRun.objects.all()
        assert run.outcome == "failed"
        assert reverse("admin:ratification_pollrun_change", args=[run.pk]) in response.content.decode()

    def test_it_says_so_when_another_poll_is_running(self, staff, treaty, untc):
        PollRun.objects.create(treaty=treaty, started_at=timezone.now())
        response = staff.post(reverse("admin:ratification_treaty_poll", args=[treaty.pk]), follow=True)
        assert "another poll of this treaty is running" in response.content.decode()
        assert PollRun.objects.count() == 1
        assert not untc.requests

    def test_it_records_on_the_run_that_the_broker_refused_the_poll(
        self, staff, confirmed, untc, django_capture_on_commit_callbacks
    ):
        refused = OSError("Connection refused")
        with (
            mock.patch("ratification.tasks.poll_treaty_task.delay", side_effect=refused),
            django_capture_on_commit_callbacks(execute=True),
        ):
            staff.post(reverse("admin:ratification_treaty_poll", args=[confirmed.pk]))
        [run] = PollRun.objects.all()
        assert run.outcome == "failed"
        assert "could not be queued" in run.error


class DeleteTreatyTests:
    def test_it_deletes_a_treaty_added_by_mistake_with_its_schedule(self, staff, staff_user):
        add(staff, mtdsg="XXVI-9")
        mistake = Treaty.objects.get(mtdsg="XXVI-9")
        response = staff.post(reverse("admin:ratification_treaty_delete", args=[mistake.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert not Treaty.objects.filter(mtdsg="XXVI-9").exists()
        assert not PeriodicTask.objects.filter(name=f"Poll UNTC: {mistake.mtdsg}").exists()
        assert Treaty.history.filter(mtdsg="XXVI-9", history_type="-").get().history_user == staff_user

    def test_it_keeps_a_treaty_that_has_actions(self, staff, treaty):
        page = staff.get(reverse("admin:ratification_treaty_delete", args=[treaty.pk])).content.decode()
        assert "<title>Cannot delete treaty" in page
        staff.post(reverse("admin:ratification_treaty_delete", args=[treaty.pk]), {"post": "yes"})
        assert Treaty.objects.filter(pk=treaty.pk).exists()
        assert Treaty.objects.get(pk=treaty.pk).poll_task is not None

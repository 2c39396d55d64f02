from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import pytest

from ratification.models import Event, EventKind
from tests.views.conftest import deposit, first_instruments, participant, sign

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_entries(response) -> list[ET.Element]:
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def threshold_reached(treaty, action, *, counted: int) -> Event:
    """The milestone event the reconcile service records with the instrument that reached 40."""
    return Event.objects.create(
        treaty=treaty,
        kind=EventKind.THRESHOLD_REACHED,
        participant=action.participant,
        action=action,
        occurred_on=action.date,
        data={"entry_into_force": "2026-05-29", "counted": counted, "threshold": 40},
    )


@pytest.mark.django_db
class AtomFeedTests:
    def test_it_has_one_entry_per_public_event_with_the_cn_facts(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        entries = atom_entries(client.get("/feeds/XVIII-16.atom"))
        assert len(entries) == 1
        entry = entries[0]
        assert entry.findtext(f"{ATOM}title") == "Viet Nam: ratification"
        assert (
            entry.findtext(f"{ATOM}summary") == "Ratification deposited on Feb. 10, 2026; 1 of 40 instruments counted."
        )
        assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/events/{Event.objects.get().pk}/"

    def test_the_feed_names_its_author_as_rfc_4287_requires(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        feed = ET.fromstring(client.get("/feeds/XVIII-16.atom").content)
        # Entries have no author of their own, so the feed must have one (RFC 4287, 4.1.1).
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Treaty ratification tracker"
        assert feed.findtext(f"{ATOM}author/{ATOM}uri") == "http://testserver/"
        assert all(entry.find(f"{ATOM}author") is None for entry in feed.findall(f"{ATOM}entry"))

    def test_entry_ids_are_stable_tag_uris(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        first = atom_entries(client.get("/feeds/XVIII-16.atom"))[0].findtext(f"{ATOM}id")
        deposit(treaty, "France", datetime.date(2026, 2, 11))
        ids = [entry.findtext(f"{ATOM}id") for entry in atom_entries(client.get("/feeds/XVIII-16.atom"))]
        assert first in ids
        assert first.startswith("tag:testserver,")

    def test_it_leaves_out_corrections_and_renames(self, client, treaty):
        france = participant("France")
        Event.objects.create(
            treaty=treaty,
            kind=EventKind.CORRECTION,
            participant=france,
            occurred_on=datetime.date(2026, 1, 1),
            public=False,
            data={"field": "date", "old": "2025-10-25", "new": "2025-10-26"},
        )
        assert atom_entries(client.get("/feeds/XVIII-16.atom")) == []

    def test_it_announces_the_threshold_and_the_entry_into_force_date(self, client, treaty):
        last = first_instruments(treaty, 40, start=datetime.date(2025, 11, 3), every=datetime.timedelta(days=3))[-1]
        threshold_reached(treaty, last, counted=40)
        titles = [entry.findtext(f"{ATOM}title") for entry in atom_entries(client.get("/feeds/XVIII-16.atom"))]
        assert "Threshold reached: 40 of 40 instruments counted" in titles

    def test_past_the_threshold_it_says_reached_not_41_of_40(self, client, treaty):
        # The 40th and 41st instruments arrive in one poll: the milestone carries the count of 41.
        instruments = first_instruments(treaty, 41, start=datetime.date(2025, 11, 3), every=datetime.timedelta(days=3))
        threshold_reached(treaty, instruments[39], counted=41)
        entries = atom_entries(client.get("/feeds/XVIII-16.atom"))
        text = " ".join(entry.findtext(f"{ATOM}title") + entry.findtext(f"{ATOM}summary") for entry in entries)
        assert "Threshold reached: 41 instruments counted, 40 needed" in text
        assert "Ratification deposited on March 3, 2026; 41 instruments counted, 40 needed." in text
        assert "41 of 40" not in text

    def test_text_from_untc_is_escaped_in_the_feed(self, client, treaty):
        hostile = participant("<script>alert(1)</script>")
        sign(treaty, hostile.name, datetime.date(2025, 11, 1))
        deposit(treaty, hostile.name, datetime.date(2026, 2, 1))
        response = client.get("/feeds/XVIII-16.atom")
        assert b"<script>" not in response.content
        assert atom_entries(response)[0].findtext(f"{ATOM}title") == "<script>alert(1)</script>: ratification"

    def test_an_unknown_treaty_has_no_feed(self, client, treaty):
        assert client.get("/feeds/XXVI-9.atom").status_code == 404


@pytest.mark.django_db
class CalendarTests:
    def test_it_has_the_signature_deadline_before_entry_into_force_is_known(self, client, treaty):
        response = client.get("/treaties/XVIII-16.ics")
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(event["summary"]) for event in events] == ["Last day to sign: UN Convention against Cybercrime"]
        assert events[0].decoded("dtstart") == datetime.date(2026, 12, 31)
        assert str(events[0]["uid"]) == "XVIII-16-signature-deadline@testserver"

    def test_it_adds_the_entry_into_force_date_once_known(self, client, treaty):
        first_instruments(treaty, 40, start=datetime.date(2025, 11, 3), every=datetime.timedelta(days=3))
        events = icalendar.Calendar.from_ical(client.get("/treaties/XVIII-16.ics").content).walk("VEVENT")
        entry = next(event for event in events if "entry-into-force" in str(event["uid"]))
        assert entry.decoded("dtstart") == datetime.date(2026, 5, 29)
        assert str(entry["summary"]) == "Entry into force: UN Convention against Cybercrime"

    def test_past_the_threshold_it_says_reached_not_41_of_40(self, client, treaty):
        first_instruments(treaty, 41, start=datetime.date(2025, 11, 3), every=datetime.timedelta(days=3))
        events = icalendar.Calendar.from_ical(client.get("/treaties/XVIII-16.ics").content).walk("VEVENT")
        entry = next(event for event in events if "entry-into-force" in str(event["uid"]))
        assert str(entry["description"]) == (
            "The UN Convention against Cybercrime (XVIII-16) enters into force; 41 instruments counted, 40 needed."
        )


@pytest.mark.django_db
class ExportTests:
    def test_the_csv_has_one_row_per_participant_with_machine_readable_values(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10), footnotes=[3])
        response = client.get("/treaties/XVIII-16/participants.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="XVIII-16-participants.csv"' in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert len(rows) == 72
        viet_nam = next(row for row in rows if row["code"] == "VNM")
        assert viet_nam == {
            "code": "VNM",
            "name": "Viet Nam",
            "status": "counted",
            "signature_date": "2025-10-25",
            "instrument_kind": "ratification",
            "instrument_date": "2026-02-10",
            "entry_into_force": "",
            "footnotes": "3",
            "reported_stage": "",  # national steps (tests/stages/test_data.py)
            "reported_stage_date": "",
            "reported_stage_source": "",
        }

    def test_the_csv_has_a_byte_order_mark_for_excel_when_asked(self, client, treaty):
        plain = client.get("/treaties/XVIII-16/participants.csv")
        assert plain.content.startswith(b"code,name,")
        for_excel = client.get("/treaties/XVIII-16/participants.csv?bom=1")
        assert for_excel.content.startswith(b"\xef\xbb\xbfcode,name,")
        assert for_excel.content[3:] == plain.content
        assert for_excel["ETag"] != plain["ETag"]  # a cache never answers one with the other
        page = client.get("/").content.decode()
        assert 'href="/treaties/XVIII-16/participants.csv?bom=1"' in page
        assert "with a byte-order mark, so Excel shows accented names" in page

    def test_the_csv_cannot_smuggle_a_spreadsheet_formula(self, client, treaty):
        sign(treaty, participant("=HYPERLINK(1)").name, datetime.date(2025, 11, 1))
        text = client.get("/treaties/XVIII-16/participants.csv").content.decode()
        assert "'=HYPERLINK(1)" in text

    def test_the_json_has_the_treaty_its_summary_and_the_participants(self, client, treaty):
        deposit(treaty, "Viet Nam", datetime.date(2026, 2, 10))
        document = json.loads(client.get("/treaties/XVIII-16/participants.json").content)
        assert document["treaty"]["mtdsg"] == "XVIII-16"
        assert document["treaty"]["signature_deadline"] == "2026-12-31"
        assert document["summary"]["counted"] == 1
        assert document["summary"]["needed"] == 39
        assert len(document["participants"]) == 72
        assert {"code": "VNM", "status": "counted"}.items() <= next(
            p for p in document["participants"] if p["code"] == "VNM"
        ).items()

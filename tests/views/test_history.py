"""The public record: a replay of UNTC files and staff corrections, then the history, each event's
page, the archived sources, the file diffs and the status as at a date, against expectations
written by hand."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from ratification.models import Action, ActionKind, Event, EventKind, PollRun, Treaty
from ratification.services.polling import poll_treaty
from ratification.services.staff import action_correct
from tests.support.http_server import ok
from tests.support.untc_files import MAINTENANCE_PAGE, URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

D = datetime.date
UTC = datetime.UTC


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Replay:
    """Four files served in turn by the stand-in UNTC, and one staff correction."""

    def __init__(self, treaty: Treaty, untc, clock) -> None:
        rows = hanoi_rows()
        self.files = [
            hanoi_file(rows),  # the seed file: nothing new
            hanoi_file(with_instruments(rows, {"Viet Nam": "10 Feb 2026"})),
            # Viet Nam's date corrected by the source; Ghana deposits; Mauritius signs.
            hanoi_file(
                with_instruments(
                    [*rows, Row("Mauritius", "19 Nov 2025")], {"Viet Nam": "11 Feb 2026", "Ghana": "3 Mar 2026"}
                )
            ),
        ]
        self.runs: list[PollRun] = []
        for index, content in enumerate(self.files):
            clock.move_to(at(f"2026-03-{10 + index:02d}"))
            untc.routes[URL_PATH] = [ok(content)]
            self.runs.append(poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run)
        clock.move_to(at("2026-03-20"))
        self.staff = User.objects.create_superuser("ada", "ada@example.org", "correct horse battery staple")
        self.ghana = Action.objects.get(treaty=treaty, participant__code="GHA", kind=ActionKind.RATIFICATION)
        action_correct(
            action=self.ghana,
            user=self.staff,
            reason="C.N.310.2026.TREATIES-XVIII.16 gives 2 March 2026",
            date=D(2026, 3, 2),
        )


@pytest.fixture
def replay(treaty, untc, time_machine) -> Replay:
    time_machine.move_to(at("2026-03-10"), tick=False)
    return Replay(treaty, untc, time_machine)


def text_of(response) -> str:
    """The page's text without tags or repeated spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
class HistoryTests:
    def test_it_lists_every_change_newest_first_with_its_provenance(self, client, replay):
        response = client.get("/treaties/XVIII-16/history/")
        assert response.status_code == 200
        text = text_of(response)
        titles = [
            "Ghana: ratification corrected correction",  # staff, 20 March
            "Mauritius: signature new action",  # the third file, 12 March
            "Ghana: ratification new action",
            "Viet Nam: ratification corrected correction",
            "Viet Nam: ratification new action",  # the second file, 11 March
        ]
        assert re.search(".*".join(map(re.escape, titles)), text)
        assert "5 changes" in text
        assert "C.N.310.2026.TREATIES-XVIII.16 gives 2 March 2026" in text
        assert "Date: March 3, 2026 → March 2, 2026." in text
        assert "Date: Feb. 10, 2026 → Feb. 11, 2026." in text
        html = response.content.decode()
        assert f'href="/sources/{sha(replay.files[2])}/"' in html
        assert f'href="/treaties/XVIII-16/history/{replay.runs[2].pk}/diff/"' in html
        for event in Event.objects.all():
            assert f'href="/events/{event.pk}/"' in html
        assert '<link rel="alternate" type="application/atom+xml" href="/feeds/XVIII-16.atom"' in html

    def test_it_filters_by_participant_and_kind_without_javascript(self, client, replay):
        listing = text_of(client.get("/treaties/XVIII-16/history/?participant=VNM")).split("Filter", 1)[1]
        assert "2 changes" in listing and "Viet Nam: ratification corrected" in listing and "Ghana" not in listing
        text = text_of(client.get("/treaties/XVIII-16/history/?kind=correction"))
        assert "2 changes" in text and "Mauritius: signature" not in text
        assert "0 changes" in text_of(client.get("/treaties/XVIII-16/history/?participant=FRA&kind=correction"))

    def test_each_event_has_a_permanent_page_with_its_effect_and_provenance(self, client, replay):
        deposit = Event.objects.get(kind=EventKind.NEW_ACTION, participant__code="VNM")
        text = text_of(client.get(f"/events/{deposit.pk}/"))
        assert "Viet Nam" in text and "Ratification, Feb. 11, 2026" in text
        assert "It brought the count to 1 of 40 instruments counted." in text
        assert sha(replay.files[1]) in text
        assert "Date corrected (first recorded as Feb. 10, 2026)." in text
        correction = Event.objects.get(kind=EventKind.CORRECTION, participant__code="GHA")
        text = text_of(client.get(f"/events/{correction.pk}/"))
        assert "Corrected by staff" in text and "C.N.310.2026" in text
        signature = Event.objects.get(participant__code="MUS")
        assert "it makes the participant a signatory" in text_of(client.get(f"/events/{signature.pk}/"))
        assert client.get("/events/999999/").status_code == 404

    def test_the_archived_files_are_the_bytes_the_source_sent(self, client, replay, untc):
        for content in replay.files[1:]:
            response = client.get(f"/sources/{sha(content)}.xml")
            assert response.status_code == 200
            assert response["Content-Type"] == "application/xml"
            assert response.content == content and sha(response.content) == sha(content)
            assert response["ETag"] == f'"{sha(content)}"'
            again = client.get(f"/sources/{sha(content)}.xml", HTTP_IF_NONE_MATCH=f'"{sha(content)}"')
            assert again.status_code == 304
        page = text_of(client.get(f"/sources/{sha(replay.files[2])}/"))
        assert untc.url(URL_PATH) in page
        assert "Mauritius: signature" in page and "Viet Nam: ratification corrected" in page
        assert "Viet Nam: ratification " not in page.replace("ratification corrected", "")
        assert client.get(f"/sources/{'0' * 64}.xml").status_code == 404

    def test_a_file_read_is_shown_in_its_own_sandboxed_origin(self, client, replay):
        response = client.get(f"/sources/{sha(replay.files[1])}.xml")
        assert response["Content-Disposition"].startswith("inline;")
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_bytes_every_poll_refused_are_a_download_never_a_page_of_the_site(self, client, replay, untc):
        xhtml = (
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
            b"<h1>Treaty ratification tracker</h1><p>Log in again at evil.example</p></body></html>"
        )
        untc.routes[URL_PATH] = [ok(xhtml)]
        refused = poll_treaty(treaty=Treaty.objects.get(mtdsg="XVIII-16")).run
        assert refused.outcome == "failed_validation"
        response = client.get(f"/sources/{sha(xhtml)}.xml")
        assert response.status_code == 200 and response.content == xhtml  # byte for byte, still
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == f'attachment; filename="{sha(xhtml)}.xml"'
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"

    def test_the_diff_lists_participants_and_actions_added_removed_and_changed(self, client, replay):
        response = client.get(f"/treaties/XVIII-16/history/{replay.runs[2].pk}/diff/")
        rows = re.findall(r"<tr class=\"change-(\w+)\">(.*?)</tr>", response.content.decode(), re.DOTALL)
        changes = {re.search(r"<th[^>]*>(.*?)</th>", row).group(1): (kind, text_of_row(row)) for kind, row in rows}
        assert set(changes) == {"Ghana", "Mauritius", "Viet Nam"}
        assert changes["Mauritius"][0] == "added"
        assert "participant added" in changes["Mauritius"][1] and "Nov. 19, 2025" in changes["Mauritius"][1]
        assert changes["Ghana"][0] == "changed" and "action added" in changes["Ghana"][1]
        assert changes["Viet Nam"][0] == "changed"
        assert "action changed" in changes["Viet Nam"][1]
        assert "Feb. 10, 2026" in changes["Viet Nam"][1] and "Feb. 11, 2026" in changes["Viet Nam"][1]
        assert "Signatories: 72 → 73." in text_of(response)

    def test_a_refused_file_between_two_good_ones_is_not_the_before(self, client, replay, untc, time_machine):
        time_machine.move_to(at("2026-03-21"))
        untc.routes[URL_PATH] = [ok(MAINTENANCE_PAGE)]
        refused = poll_treaty(treaty=Treaty.objects.get(mtdsg="XVIII-16")).run
        assert refused.outcome == "failed_validation" and refused.snapshot is not None
        time_machine.move_to(at("2026-03-22"))
        untc.routes[URL_PATH] = [ok(replay.files[1])]  # back to the second file: Ghana, Mauritius gone
        run = poll_treaty(treaty=Treaty.objects.get(mtdsg="XVIII-16")).run
        html = client.get(f"/treaties/XVIII-16/history/{run.pk}/diff/").content.decode()
        assert f'href="/sources/{sha(replay.files[2])}/"' in html
        assert "could not be read" not in html
        # Ghana and Mauritius stay published until staff confirm they are gone (issue 22): the
        # diff shows the file as published, so nobody is "removed" yet.
        assert "participant removed" not in html


def text_of_row(row: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


@pytest.mark.django_db
class StatusAsAtTests:
    EXPECTED = {
        # day: (counted, signatories)
        "2025-10-24": (0, 0),
        "2025-10-25": (0, 69),  # signed in Hanoi on the first day
        "2025-10-26": (0, 72),  # and three on the second
        "2025-11-18": (0, 72),
        "2025-11-19": (0, 73),  # Mauritius
        "2026-02-10": (0, 73),  # Viet Nam's ratification is now recorded as of the 11th
        "2026-02-11": (1, 73),
        "2026-03-01": (1, 73),
        "2026-03-02": (2, 73),  # Ghana's, as corrected by staff
    }

    def test_the_command_gives_the_counts_at_the_end_of_each_day(self, replay):
        for day, (counted, signatories) in self.EXPECTED.items():
            out = StringIO()
            call_command("treaty_status", "XVIII-16", "--json", "--as-of", day, stdout=out)
            status = json.loads(out.getvalue())
            assert (status["counted"], status["signatories"], status["as_of"]) == (counted, signatories, day)

    def test_the_page_and_exports_take_the_same_date(self, client, replay):
        text = text_of(client.get("/treaties/XVIII-16/?as_of=2026-02-11"))
        assert "Status as at the end of Feb. 11, 2026" in text and "1 of 40 instruments counted" in text
        csv = client.get("/treaties/XVIII-16/participants.csv?as_of=2026-02-11").content.decode()
        assert "VNM,Viet Nam,counted,2025-10-25,ratification,2026-02-11" in csv and "GHA,Ghana,signatory" in csv
        assert "MUS" in csv
        document = json.loads(client.get("/treaties/XVIII-16/participants.json?as_of=2025-11-18").content)
        assert document["as_of"] == "2025-11-18" and document["summary"]["signatories"] == 72
        assert "MUS" not in {record["code"] for record in document["participants"]}

    def test_a_malformed_or_future_date_is_refused_with_a_reason(self, client, replay):
        for url in (
            "/treaties/XVIII-16/",
            "/treaties/XVIII-16/participants.csv",
            "/treaties/XVIII-16/participants.json",
        ):
            response = client.get(url + "?as_of=13/05/2026")
            assert response.status_code == 400
            assert "as_of must be a date written YYYY-MM-DD" in response.content.decode()
            response = client.get(url + "?as_of=2026-03-21")
            assert response.status_code == 400 and "after today (2026-03-20)" in response.content.decode()
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("treaty_status", "XVIII-16", "--as-of", "2026-W10-1")


@pytest.mark.django_db
class CorrectedDateTests:
    """Issue 18 item 9: a staff correction of a date left the table and the feed disagreeing."""

    def test_a_corrected_date_shows_everywhere_and_says_it_was_corrected(self, client, replay):
        page = text_of(client.get("/treaties/XVIII-16/"))
        recent = page.split("Recent changes")[1]
        assert "March 2, 2026" in recent and "March 3, 2026" not in recent.split("first recorded as")[0]
        assert "Date corrected (first recorded as March 3, 2026)." in recent
        feed = client.get("/feeds/XVIII-16.atom").content.decode()
        ghana = next(entry for entry in feed.split("<entry>") if "Ghana" in entry)
        assert "deposited on March 2, 2026" in ghana and "first recorded as March 3, 2026" in ghana
        participant = text_of(client.get("/participants/GHA/"))
        assert "staff (untc)" not in participant and "staff (C.N.310.2026" in participant


@pytest.mark.django_db
class HistoryQueryTests:
    @pytest.mark.parametrize("events", [10, 1000])
    def test_a_history_page_costs_the_same_queries_whatever_the_number_of_events(
        self, client, treaty, events, django_assert_num_queries
    ):
        run = PollRun.objects.create(treaty=treaty, started_at=at("2026-03-01"), outcome="changed")
        signatures = list(Action.objects.filter(treaty=treaty).select_related("participant")[:10])
        Event.objects.bulk_create(
            Event(
                treaty=treaty,
                kind=EventKind.NEW_ACTION,
                participant=signatures[index % 10].participant,
                action=None,
                poll_run=run if index % 2 else None,
                occurred_on=D(2025, 10, 25),
                data={"action_kind": "signature", "origin": "staff", "reason": "r"},
            )
            for index in range(events)
        )
        # The data version, the treaty, the page count and page, the participants of the filter.
        with django_assert_num_queries(5):
            response = client.get("/treaties/XVIII-16/history/")
        assert response.status_code == 200
        assert response.content.decode().count('class="kind-new_action"') == min(events, 50)


@pytest.mark.django_db
class DepositaryNotificationTests:
    def test_the_status_page_links_the_notification_its_source_cites(self, client, replay, untc):
        html = client.get("/treaties/XVIII-16/").content.decode()
        link = (
            f'<a href="{untc.base_url}/doc/Publication/CN/2025/CN.196.2025-Eng.pdf" rel="external" class="cn">'
            "C.N.196.2025.TREATIES-XVIII.16 of 13 May 2025</a> (Opening for signature)."
        )
        assert "Depositary notifications: " + link in html

    def test_a_note_is_shown_with_its_participants_and_the_notification_it_cites(self, client, replay, untc):
        Action.objects.filter(participant__code="GHA", kind=ActionKind.RATIFICATION).update(footnotes=[1])
        Treaty.objects.filter(mtdsg="XVIII-16").update(
            source_notes=[
                {"index": 1, "text": "With a declaration. See C.N.320.2026.TREATIES-XVIII.16 of 5 March 2026."}
            ]
        )

        html = client.get("/treaties/XVIII-16/").content.decode()
        assert (
            '<li id="note-1" value="1"><strong>Ghana</strong>: With a declaration. See '
            f'<a href="{untc.base_url}/doc/Publication/CN/2026/CN.320.2026-Eng.pdf" rel="external" class="cn">'
            "C.N.320.2026.TREATIES-XVIII.16 of 5 March 2026</a>.</li>"
        ) in html

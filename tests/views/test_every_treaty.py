"""Every real treaty of the 2018 corpus, end to end: tracked as `manage.py track` does, then every
public page and API resource of every treaty requested (issue 21), its statements' too (issue 25).

The corpus is cut into PARTS interleaved parts, each tracked once into its test's database and
shared by every request of that part: the parts run on different workers of `make test`, where one
test of the whole corpus kept one core busy for a minute at the end of the run (issue 23). Each
failure is collected with its address, and all are reported together: one broken page does not
hide the others. Other real files, held apart, are run the same way: TRACKER_TEST_CORPUS names
their folder (tests/support/corpus.py).
"""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from urllib.parse import quote

import icalendar
import pytest
from django.test import Client

from ratification.models import STATEMENT_EVENT_KINDS, Event, EventKind, Participant, PollRun, Treaty
from tests.support.corpus import readable_numbers, track_corpus
from tests.support.html_check import html_problems
from tests.support.http_server import local_server

pytestmark = pytest.mark.django_db


def _html(text: str) -> list[str]:
    return html_problems(text)


def _xml(text: str) -> list[str]:
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    return []


def _json(text: str) -> list[str]:
    try:
        json.loads(text)
    except ValueError as error:
        return [f"not JSON: {error}"]
    return []


def _csv(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    widths = {len(row) for row in rows}
    return [] if rows and len(widths) == 1 else [f"rows of {sorted(widths)} cells"]


def _ics(text: str) -> list[str]:
    try:
        icalendar.Calendar.from_ical(text)
    except ValueError as error:
        return [f"not iCalendar: {error}"]
    return []


class Visitor:
    """Requests addresses and keeps what went wrong with each."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.problems: list[str] = []
        self.requests = 0

    def get(self, url: str, check: Callable[[str], list[str]], *, status: int = 200) -> str:
        self.requests += 1
        # Each request from its own address, as from many readers: the API's limit per client
        # (API_ANON_RATE) is not what is tested here.
        address = f"10.{self.requests // 65536 % 256}.{self.requests // 256 % 256}.{self.requests % 256}"
        try:
            response = self.client.get(url, REMOTE_ADDR=address)
        except Exception as error:  # a crash is a finding like any other: keep going
            self.problems.append(f"{url}: raised {type(error).__name__}: {error}")
            return ""
        if response.status_code != status:
            self.problems.append(f"{url}: HTTP {response.status_code}, expected {status}")
            return ""
        text = response.content.decode("utf-8")
        self.problems += [f"{url}: {problem}" for problem in check(text)]
        return text


PARTS = 4


@pytest.mark.slow(
    reason="tracks a quarter of the 158 readable files of the 2018 corpus with `track`, then requests some 800 "
    "pages and resources of them: about 15 s of CPU, so that each part's treaties are tracked once"
)
# The run's 300 s timeout is for hangs; the whole corpus's minute of CPU once took over 300 s of
# wall time on PostgreSQL at a load of 9 on 2 cores.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_of_every_tracked_treaty_answers_and_parses(client, settings, part):
    started, cpu_started = time.monotonic(), time.process_time()
    every_number = readable_numbers()
    assert len(every_number) >= PARTS  # 158 in the 2018 corpus
    numbers = every_number[part::PARTS]
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        output = track_corpus(server, numbers)
    tracked, cpu_tracked = time.monotonic(), time.process_time()
    assert output.count("baseline read") == len(numbers), output
    treaties = list(Treaty.objects.order_by("mtdsg"))
    assert [treaty.mtdsg for treaty in treaties] == numbers

    # Nothing is written from here on: every answer may read the data's version once a minute,
    # as production reads it once a second (tests/settings.py reads it at every request).
    settings.DATA_VERSION_MAX_AGE = 60
    visit = Visitor(client)
    visit.get("/treaties/", _html)
    statements_met = 0
    for treaty in treaties:
        base = f"/treaties/{treaty.mtdsg}/"
        page = visit.get(base, _html)
        if page and "No new signature or instrument" not in page and "Recent changes" not in page:
            visit.problems.append(f"{base}: no recent changes section")
        visit.get(base + "history/", _html)
        run = PollRun.objects.filter(treaty=treaty).latest()
        visit.get(f"{base}history/{run.pk}/diff/", _html)
        visit.get(base + "badge.svg", _xml)
        visit.get(base + "embed/", _html)
        visit.get(f"/oembed/?url={quote('http://testserver' + base)}", _json)
        visit.get(base + "participants.csv", _csv)
        visit.get(base + "participants.json", _json)
        visit.get(f"/treaties/{treaty.mtdsg}.ics", _ics)
        visit.get(f"/feeds/{treaty.mtdsg}.atom", _xml)
        visit.get(f"/api/v1/treaties/{treaty.mtdsg}/", _json)
        visit.get(f"/api/v1/treaties/{treaty.mtdsg}/participants/?page_size=200", _json)
        # Its reservations, declarations and objections (issue 25), as data.
        visit.get(base + "declarations.csv", _csv)
        visit.get(base + "declarations.json", _json)
        visit.get(f"/api/v1/treaties/{treaty.mtdsg}/declarations/?page_size=200", _json)
        # The first and the last event of each treaty, its first statement's, and every milestone.
        events = Event.objects.filter(treaty=treaty).order_by("id")
        statement = events.filter(kind__in=STATEMENT_EVENT_KINDS).first()
        statements_met += statement is not None
        for event in {events.first(), events.last(), statement}:
            if event is not None:
                visit.get(f"/events/{event.pk}/", _html)
    for event in Event.objects.filter(kind__in=[EventKind.THRESHOLD_REACHED, EventKind.ENTERED_INTO_FORCE]):
        visit.get(f"/events/{event.pk}/", _html)
    for code in Participant.objects.order_by("code").values_list("code", flat=True):
        visit.get(f"/participants/{code}/", _html)
    # The documented answers to what is not there.
    visit.get("/treaties/XXIX-99/", lambda text: [], status=404)
    visit.get("/api/v1/treaties/XXIX-99/", lambda text: [], status=404)
    visit.get("/oembed/", lambda text: [], status=400)
    finished, cpu_finished = time.monotonic(), time.process_time()
    print(
        f"\ncorpus: {len(treaties)} treaties tracked in {tracked - started:.1f} s ({cpu_tracked - cpu_started:.1f} s "
        f"of CPU), {statements_met} with statements; {visit.requests} pages and resources requested in "
        f"{finished - tracked:.1f} s ({cpu_finished - cpu_tracked:.1f} s of CPU)"
    )
    assert statements_met, "no treaty of the corpus recorded a statement: its pages were not met"
    assert visit.problems == []

"""The history of changes and the pages it links to, in Chromium: accessible, and usable
without JavaScript."""

from __future__ import annotations

import hashlib

import pytest

from ratification.models import Event, EventKind, PollRun
from tests.browser.test_status_page import serious_violations
from tests.views.test_history import Replay

pytestmark = pytest.mark.django_db(transaction=True)


class _Now:
    """Replay's clock, left running: the events are recorded as of now."""

    def move_to(self, moment) -> None:
        pass


@pytest.fixture
def replay(treaty, untc) -> Replay:
    return Replay(treaty, untc, _Now())


class HistoryPageInChromiumTests:
    def test_axe_finds_no_serious_violation_on_the_history_and_the_pages_it_links(self, tab, replay):
        deposit = Event.objects.get(kind=EventKind.NEW_ACTION, participant__code="VNM")
        run = PollRun.objects.filter(snapshot__isnull=False).order_by("-started_at").first()
        paths = [
            "/treaties/XVIII-16/history/",
            "/treaties/XVIII-16/history/?participant=GHA&kind=correction",
            f"/events/{deposit.pk}/",
            f"/sources/{run.snapshot.sha256}/",
            f"/treaties/XVIII-16/history/{run.pk}/diff/",
            "/treaties/XVIII-16/?as_of=2026-02-11",
        ]
        for path in paths:
            tab.page.goto(path)
            assert serious_violations(tab.page) == [], path
        tab.page.goto(paths[0])
        tab.screenshot("history")
        assert tab.console_errors == []

    def test_it_filters_without_javascript(self, tab_without_javascript, replay):
        page = tab_without_javascript.page
        page.goto("/treaties/XVIII-16/history/")
        page.select_option("#history-participant", "VNM")
        page.select_option("#history-kind", "correction")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/treaties/XVIII-16/history/?participant=VNM&kind=correction")
        titles = page.locator("ol.history > li strong a").all_inner_texts()
        assert titles == ["Viet Nam: ratification corrected"]

    def test_the_source_link_gives_the_bytes_received(self, tab, replay):
        content = replay.files[2]
        response = tab.page.request.get(f"/sources/{hashlib.sha256(content).hexdigest()}.xml")
        assert response.status == 200 and response.body() == content

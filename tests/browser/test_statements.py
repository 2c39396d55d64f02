"""The reservations and declarations on the pages, in Chromium: accessible (axe), and filtered
without JavaScript, by keyboard as by mouse. Each test polls three files first (about 3 s)."""

from __future__ import annotations

import pytest

from ratification.models import Event, PollRun, Treaty
from ratification.services.polling import poll_treaty
from tests.browser.test_status_page import serious_violations
from tests.support.untc_statements import (
    FRANCE_DECLARATION,
    FRANCE_RESERVATION,
    GERMANY_OBJECTION,
    HanoiFile,
    Note,
    Said,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def statements(treaty):
    """Two polls: France's reservation and declaration, then Germany's objection to it and France's
    reservation withdrawn (with its note)."""
    france = Said("France", (FRANCE_RESERVATION, FRANCE_DECLARATION), right="10 March 2026")
    poll_treaty(treaty=treaty, content=HanoiFile().bytes())
    poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=HanoiFile(said=[france]).bytes())
    germany = Said("Germany", (GERMANY_OBJECTION,), section="objections")
    note = Note(1, "On 9 April 2026, France withdrew its reservation to article 22.")
    later = HanoiFile(said=[Said("France", (FRANCE_DECLARATION,), footnotes=(1,)), germany], notes=[note])
    poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=later.bytes())
    return treaty


class StatementPagesInChromiumTests:
    def test_axe_finds_no_serious_violation_where_statements_are_shown(self, tab, statements):
        withdrawn = Event.objects.get(kind="statement_withdrawn")
        run = PollRun.objects.filter(snapshot__isnull=False).order_by("-started_at").first()
        paths = [
            "/treaties/XVIII-16/#declarations",
            "/treaties/XVIII-16/?article=22&kind=objection#declarations",
            "/treaties/XVIII-16/?participant=FRA#declarations",
            "/participants/FRA/",
            "/participants/DEU/",
            f"/events/{withdrawn.pk}/",
            f"/treaties/XVIII-16/history/{run.pk}/diff/",
            "/subscribe/",
        ]
        for path in paths:
            tab.page.goto(path)
            assert serious_violations(tab.page) == [], path
        tab.page.goto(paths[0])
        tab.page.locator("#declarations").screenshot(
            path=str(tab.screenshot("declarations").with_name("declarations-section.png"))
        )
        assert tab.console_errors == []

    def test_it_filters_without_javascript_and_the_footnote_leads_to_its_note(self, tab_without_javascript, statements):
        page = tab_without_javascript.page
        page.goto("/treaties/XVIII-16/")
        page.get_by_label("Article", exact=True).select_option("22")
        page.get_by_label("Kind", exact=True).select_option("objection")
        page.get_by_role("button", name="Filter statements").click()
        page.wait_for_url("**/treaties/XVIII-16/?article=22&kind=objection&participant=#declarations")
        cells = page.locator("table.declarations-table tbody td ul li").all_inner_texts()
        assert cells == ["Germany (to France)"]
        page.goto("/treaties/XVIII-16/?participant=FRA#declarations")
        page.locator("table.declarations-table sup a").first.click()
        assert page.url.endswith("#note-1")

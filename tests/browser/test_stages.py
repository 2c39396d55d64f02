"""National steps in Chromium: the filter with and without JavaScript, their own look, and axe."""

from __future__ import annotations

import datetime

import pytest

from ratification.models import StageKind
from tests.browser.conftest import PHONE_WIDTH
from tests.browser.test_status_page import serious_violations, visible_names
from tests.stages.conftest import step
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


@pytest.fixture
def pipeline(treaty):
    deposit(treaty, "Viet Nam", D(2026, 1, 20))
    deposit(treaty, "France", D(2026, 3, 1))
    step(treaty, "FRA", D(2026, 1, 10))  # then deposited: out of the pipeline
    step(treaty, "AUT", D(2026, 3, 12))
    step(treaty, "GHA", D(2026, 2, 1), StageKind.SUBMITTED)
    step(treaty, "GHA", D(2026, 4, 1), StageKind.SIGNED_INTO_LAW)
    step(treaty, "CHL", D(2026, 5, 5), StageKind.SUBMITTED)
    return treaty


class StagesInChromiumTests:
    def test_the_table_filters_by_step_in_the_browser_and_keeps_it_in_the_address(self, tab, pipeline):
        tab.page.goto("/")
        tab.page.get_by_label("National step").select_option("approval")
        assert visible_names(tab.page) == ["Austria", "Ghana"]
        assert "stage=approval" in tab.page.url
        assert tab.page.locator("#table-count").inner_text() == "Showing 2 of 72 participants."
        tab.page.get_by_label("Show").select_option("signatory")
        assert visible_names(tab.page) == ["Austria", "Ghana"]
        tab.page.get_by_label("National step").select_option("pipeline")
        assert visible_names(tab.page) == ["Austria", "Chile", "Ghana"]
        tab.page.get_by_role("link", name="Signature", exact=True).click()
        assert "stage=pipeline" in tab.page.url and "sort=signature" in tab.page.url
        tab.screenshot("status-page-stages")
        assert tab.console_errors == []

    def test_the_table_filters_by_step_without_javascript(self, tab_without_javascript, pipeline):
        page = tab_without_javascript.page
        page.goto("/")
        page.get_by_label("National step").select_option("submitted")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(lambda url: "stage=submitted" in url)
        assert visible_names(page) == ["Chile"]

    def test_reported_steps_look_and_read_apart_from_the_un_record(self, tab, pipeline):
        tab.page.goto("/participants/FRA/")
        stage = tab.page.locator(".timeline-list li.is-stage")
        words = stage.text_content()  # as a screen reader reads it (the tag is upper-cased by CSS only)
        assert "Reported Approved by parliament" in words and "deposited with the UN since" in words
        style = stage.evaluate("(li) => getComputedStyle(li).borderLeftStyle")
        assert style == "dashed"
        action = tab.page.locator(".timeline-list li:not(.is-stage)").first
        assert action.evaluate("(li) => getComputedStyle(li).borderLeftStyle") == "solid"
        tab.screenshot("participant-page-stages")

    @pytest.mark.parametrize("path", ["/", "/?stage=approval&status=signatory", "/participants/AUT/"])
    def test_axe_finds_no_serious_violation(self, tab, pipeline, path):
        tab.page.goto(path)
        assert serious_violations(tab.page) == []

    def test_on_a_phone_the_step_is_named_beside_its_value(self, phone, pipeline):
        phone.page.goto("/")
        row = phone.page.locator("#participants-table tbody tr", has_text="Austria")
        labels = row.evaluate(
            "(tr) => [...tr.cells].filter((cell) => cell.offsetParent)"
            ".map((cell) => getComputedStyle(cell, '::before').content)"
        )
        assert labels[-1] == '"National step (reported, not deposited): " / ""'
        assert serious_violations(phone.page) == []


class ManagePageTests:
    def test_a_reader_chooses_reported_steps_with_the_keyboard_and_the_page_passes_axe(
        self, tab, treaty, live_server, settings
    ):
        from alerts import tokens
        from alerts.models import Subscription
        from tests.alerts.world import subscribe

        settings.SITE_URL = live_server.url
        subscription = subscribe("ada@example.org", treaty)
        tab.page.goto(tokens.manage_url(subscription).removeprefix(live_server.url))
        box = tab.page.get_by_label("Also tell me of national steps reported before a deposit")
        assert not box.is_checked()
        assert serious_violations(tab.page) == []
        box.focus()
        tab.page.keyboard.press("Space")
        tab.page.get_by_role("button", name="Save preferences").click()
        tab.page.wait_for_selector("text=Your preferences are saved.")
        assert Subscription.objects.get().stages is True
        assert serious_violations(tab.page) == []


class StagesOnAPhoneTests:
    @pytest.mark.parametrize("language", ["en", "fr", "cs"])
    def test_on_a_390px_phone_the_filters_fit_and_the_page_never_scrolls_sideways(self, phone, pipeline, language):
        step(pipeline, "CHL", D(2026, 6, 1), StageKind.OTHER, label="Approved by the Senate in second reading")
        phone.page.goto(f"/?lang={language}")
        fits = phone.page.evaluate(
            """() => ({
                page: document.documentElement.scrollWidth,
                selects: [...document.querySelectorAll('.table-filter select')]
                    .map((select) => select.getBoundingClientRect().right),
            })"""
        )
        assert fits["page"] <= PHONE_WIDTH, "the page scrolls sideways"
        assert all(right <= PHONE_WIDTH for right in fits["selects"]), fits
        phone.screenshot(f"phone-390-filters-{language}")

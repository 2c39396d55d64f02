from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from ratification.models import ActionKind
from tests.browser.conftest import PHONE_WIDTH
from tests.views.conftest import deposit, participant, sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parties(treaty):
    deposit(treaty, "Viet Nam", datetime.date(2026, 1, 20), footnotes=[2])
    deposit(treaty, "Ghana", datetime.date(2026, 2, 14), ActionKind.ACCEPTANCE)
    deposit(treaty, "France", datetime.date(2026, 3, 1))
    deposit(treaty, "European Union", datetime.date(2026, 4, 2), ActionKind.APPROVAL)
    return treaty


def visible_names(page) -> list[str]:
    return page.locator("#participants-table tbody tr:not([hidden]) th[scope=row]").all_inner_texts()


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} x{len(violation['nodes'])}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


class StatusPageInChromiumTests:
    def test_it_renders_with_no_console_errors_and_keeps_a_screenshot(self, tab, parties):
        tab.page.goto("/")
        assert tab.page.locator("h1").inner_text() == "UN Convention against Cybercrime"
        assert tab.page.locator("progress").get_attribute("value") == "3"
        assert tab.page.locator("svg[role=img]").count() == 2
        assert tab.screenshot("status-page").stat().st_size > 10_000
        assert tab.console_errors == []

    def test_the_table_sorts_when_a_heading_is_activated_by_mouse_or_keyboard(self, tab, parties):
        tab.page.goto("/")
        tab.page.get_by_role("link", name="Instrument", exact=True).click()
        assert visible_names(tab.page)[:4] == ["Viet Nam", "Ghana", "France", "European Union"]
        heading = tab.page.locator("th:has(a[data-sort-key=instrument])")
        assert heading.get_attribute("aria-sort") == "ascending"
        tab.page.get_by_role("link", name="Instrument", exact=True).focus()
        tab.page.keyboard.press("Enter")
        assert visible_names(tab.page)[:4] == ["European Union", "France", "Ghana", "Viet Nam"]
        assert heading.get_attribute("aria-sort") == "descending"
        assert "sort=instrument&order=desc" in tab.page.url
        assert tab.console_errors == []

    def test_the_table_filters_by_status(self, tab, parties):
        tab.page.goto("/")
        tab.page.get_by_label("Show").select_option("counted")
        assert visible_names(tab.page) == ["France", "Ghana", "Viet Nam"]
        assert tab.page.locator("#table-count").inner_text() == "Showing 3 of 72 participants."
        tab.page.get_by_label("Show").select_option("party")
        assert visible_names(tab.page) == ["European Union"]
        assert tab.page.get_by_text("No participant matches these filters.").is_hidden()

    def test_filtering_to_no_participant_says_so(self, tab, parties):
        tab.page.goto("/")
        tab.page.get_by_label("Show").select_option("withdrawn")
        assert visible_names(tab.page) == []
        assert tab.page.get_by_text("No participant matches these filters.").is_visible()
        assert tab.page.locator("#table-count").inner_text() == "Showing 0 of 72 participants."
        tab.page.get_by_label("Show").select_option("")
        assert tab.page.get_by_text("No participant matches these filters.").is_hidden()
        assert tab.console_errors == []

    def test_the_table_sorts_and_filters_without_javascript(self, tab_without_javascript, parties):
        page = tab_without_javascript.page
        page.goto("/")
        page.get_by_label("Show").select_option("counted")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(lambda url: "status=counted" in url)
        assert visible_names(page) == ["France", "Ghana", "Viet Nam"]
        page.get_by_role("link", name="Signature", exact=True).click()
        assert "sort=signature" in page.url and "status=counted" in page.url

    def test_the_language_switcher_changes_the_language_and_the_date_format(self, tab, parties):
        tab.page.goto("/participants/FRA/")
        tab.page.get_by_role("button", name="Français").click()
        tab.page.wait_for_url("**/participants/FRA/")
        assert tab.page.locator("html").get_attribute("lang") == "fr"
        assert "1 mars 2026" in tab.page.locator("main").inner_text()
        tab.page.goto("/")
        assert "instruments comptabilisés" in tab.page.locator(".progress").inner_text()
        tab.screenshot("status-page-fr")
        assert tab.console_errors == []

    def test_text_from_untc_is_shown_as_text_and_never_run(self, tab, treaty):
        hostile = participant("<script>alert(1)</script>")
        sign(treaty, hostile.name, datetime.date(2025, 11, 1))
        tab.page.goto("/")
        assert tab.page.get_by_role("link", name="<script>alert(1)</script>").count() == 1
        tab.page.goto(f"/participants/{hostile.code}/")
        assert tab.page.locator("h1").inner_text() == "<script>alert(1)</script>"
        assert tab.dialogs == []


# Where each table's caption and the Viet Nam row's cells sit, against what the reader can see.
# A cell inside a scrolling wrapper can be "on the page" yet hidden: both edges are checked.
TABLE_GEOMETRY = """(selector) => {
    const table = document.querySelector(selector);
    const wrap = table.closest('.table-wrap') || table.parentElement;
    const view = wrap.getBoundingClientRect();
    const box = (element) => { const r = element.getBoundingClientRect(); return [r.left, r.right]; };
    const row = [...table.tBodies[0].rows].find((tr) => tr.textContent.includes('Viet Nam')
        || tr.textContent.includes('Cybercrime'));
    return {
        viewport: window.innerWidth,
        page_width: document.documentElement.scrollWidth,
        hidden_by_scrolling: wrap.scrollWidth - wrap.clientWidth,
        wrap: [view.left, view.right],
        caption: box(table.caption),
        cells: [...row.cells].filter((cell) => cell.textContent.trim())
            .map((cell) => [cell.textContent.trim(), ...box(cell)]),
    };
}"""


class WorldMapTests:
    def test_the_static_outlines_load_and_take_the_colour_of_each_status(self, tab, parties):
        """The map is a static file the page colours through <use>: it must load under the site's
        Content-Security-Policy, and each participant's country must take its status's fill."""
        loaded = []
        tab.page.on("response", lambda response: "world-110m.svg" in response.url and loaded.append(response.status))
        tab.page.goto("/")
        tab.page.locator("#map-heading").scroll_into_view_if_needed()
        tab.page.wait_for_function(
            "() => document.querySelector('.world use.s-counted').getBBox().width > 0", timeout=10_000
        )
        drawn = tab.page.evaluate(
            """() => [...document.querySelectorAll('.world use')].map((use) => ({
                status: use.getAttribute('class'),
                width: use.getBBox().width,
                fill: getComputedStyle(use).fill,
            }))"""
        )
        assert loaded and set(loaded) <= {200, 304}
        assert drawn[0]["status"] == "s-none" and drawn[0]["width"] > 500  # the land, whole
        fills = {item["status"]: item["fill"] for item in drawn}
        assert fills["s-counted"] != fills["s-none"] and fills["s-signatory"] != fills["s-none"]
        assert all(item["width"] > 0 for item in drawn), drawn
        assert tab.console_errors == []


class PhoneTests:
    @pytest.mark.parametrize(("path", "table"), [("/", "#participants-table"), ("/participants/VNM/", "table")])
    def test_on_a_390px_phone_every_column_of_the_tables_is_readable(self, phone, parties, path, table):
        phone.page.goto(path)
        phone.page.locator(table).scroll_into_view_if_needed()
        screenshot = phone.screenshot(f"phone-390{path.replace('/', '-').rstrip('-')}")
        assert screenshot.stat().st_size > 10_000
        geometry = phone.page.evaluate(TABLE_GEOMETRY, table)
        width = PHONE_WIDTH  # not innerWidth: a phone's layout viewport widens to what overflows
        assert geometry["page_width"] <= width
        assert geometry["hidden_by_scrolling"] <= 0, "columns hidden in a sideways scroll with no hint"
        left, right = geometry["wrap"]
        assert geometry["caption"][0] >= 0 and geometry["caption"][1] <= min(right, width), "caption clipped"
        texts = [text for text, _, _ in geometry["cells"]]
        assert any("Ratification" in text for text in texts)  # the instrument column
        assert any("2026" in text for text in texts)
        for text, cell_left, cell_right in geometry["cells"]:
            assert left <= cell_left and cell_right <= min(right, width), f"{text!r} is cut off"
        assert phone.console_errors == []

    def test_on_a_phone_the_columns_are_named_beside_each_value(self, phone, parties):
        phone.page.goto("/")
        row = phone.page.locator("#participants-table tbody tr", has_text="Viet Nam")
        labels = row.evaluate(
            "(tr) => [...tr.cells].filter((cell) => cell.offsetParent)"
            ".map((cell) => getComputedStyle(cell, '::before').content)"
        )
        # The row's own name needs no label; an empty cell (no entry into force yet) is left out.
        assert labels == ["none", *(f'"{name}: " / ""' for name in ("Status", "Signature", "Instrument", "Footnotes"))]
        assert serious_violations(phone.page) == []


class AccessibilityTests:
    @pytest.mark.parametrize("path", ["/", "/?status=counted&sort=instrument&order=desc", "/participants/VNM/"])
    def test_axe_finds_no_serious_violation(self, tab, parties, path):
        tab.page.goto(path)
        assert serious_violations(tab.page) == []

    def test_the_skip_link_is_the_first_stop_and_focus_is_visible(self, tab, treaty):
        tab.page.goto("/")
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate("document.activeElement.textContent")
        assert focused == "Skip to content"
        outline = tab.page.evaluate("getComputedStyle(document.activeElement).left")
        assert outline != "-999px"

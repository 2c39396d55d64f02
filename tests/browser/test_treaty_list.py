"""/treaties/ in Chromium: sorting and filtering with links and a form (no script), axe, desktop and phone."""

from __future__ import annotations

import datetime

import pytest

from ratification.models import Treaty
from tests.browser.conftest import PHONE_WIDTH
from tests.browser.test_status_page import TABLE_GEOMETRY, serious_violations
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def treaties(treaty):
    """XVIII-16 (nothing counted yet), the Paris Agreement (in force) and a convention halfway there."""
    paris = Treaty.objects.create(
        mtdsg="XXVII-7-d",
        chapter="XXVII",
        title="Paris Agreement",
        short_title="Paris Agreement",
        xml_path="x.xml",
        eif_threshold=2,
        eif_delay_days=30,
    )
    deposit(paris, "France", datetime.date(2016, 10, 5))
    deposit(paris, "Viet Nam", datetime.date(2016, 10, 20))
    halfway = Treaty.objects.create(
        mtdsg="IV-8", chapter="IV", title="A convention on rights", xml_path="y.xml", eif_threshold=4
    )
    deposit(halfway, "Ghana", datetime.date(2024, 3, 1))
    return [treaty, paris, halfway]


def titles(page) -> list[str]:
    return page.locator("#treaties-table tbody th[scope=row]").all_inner_texts()


class TreatyListInChromiumTests:
    def test_it_is_reached_from_the_site_navigation_and_links_to_each_treaty(self, tab, treaties):
        tab.page.goto("/")
        tab.page.get_by_role("navigation", name="Site").get_by_role("link", name="All treaties").click()
        tab.page.wait_for_url("**/treaties/")
        assert tab.page.locator("h1").inner_text() == "Tracked treaties"
        assert titles(tab.page) == ["A convention on rights", "UN Convention against Cybercrime", "Paris Agreement"]
        assert tab.screenshot("treaty-list").stat().st_size > 10_000
        tab.page.get_by_role("link", name="Paris Agreement").click()
        tab.page.wait_for_url("**/treaties/XXVII-7-d/")
        assert tab.page.locator("h1").inner_text() == "Paris Agreement"
        assert tab.console_errors == []

    def test_it_sorts_and_filters_without_javascript(self, tab_without_javascript, treaties):
        page = tab_without_javascript.page
        page.goto("/treaties/")
        page.get_by_role("link", name="Progress", exact=True).click()
        page.wait_for_url("**sort=progress")
        assert titles(page)[0] == "UN Convention against Cybercrime"
        heading = page.locator("th", has=page.get_by_role("link", name="Progress", exact=True))
        assert heading.get_attribute("aria-sort") == "ascending"
        page.get_by_role("link", name="Progress", exact=True).focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**order=desc")
        assert titles(page)[0] == "Paris Agreement"
        assert heading.get_attribute("aria-sort") == "descending"
        page.get_by_label("Show").select_option("not_yet")
        page.get_by_label("Title or number contains").fill("convention")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(lambda url: "status=not_yet" in url and "sort=progress" in url)
        assert titles(page) == ["A convention on rights", "UN Convention against Cybercrime"]
        assert page.locator("#table-count").inner_text() == "Showing 2 of 3 treaties."


class TreatyListAccessibilityTests:
    @pytest.mark.parametrize("path", ["/treaties/", "/treaties/?status=in_force&sort=last_change&order=desc"])
    def test_axe_finds_no_serious_violation_on_a_desktop(self, tab, treaties, path):
        tab.page.goto(path)
        assert serious_violations(tab.page) == []

    def test_on_a_390px_phone_every_column_is_readable_and_named(self, phone, treaties):
        phone.page.goto("/treaties/?q=cybercrime")
        assert phone.screenshot("phone-390-treaties").stat().st_size > 5_000
        geometry = phone.page.evaluate(TABLE_GEOMETRY, "#treaties-table")
        width = PHONE_WIDTH  # not innerWidth: a phone's layout viewport widens to what overflows
        assert geometry["page_width"] <= width
        assert geometry["hidden_by_scrolling"] <= 0
        left, right = geometry["wrap"]
        for text, cell_left, cell_right in geometry["cells"]:
            assert left <= cell_left and cell_right <= min(right, width), f"{text!r} is cut off"
        row = phone.page.locator("#treaties-table tbody tr", has_text="Cybercrime")
        labels = row.evaluate(
            "(tr) => [...tr.cells].filter((cell) => cell.offsetParent)"
            ".map((cell) => getComputedStyle(cell, '::before').content)"
        )
        names = ("Number", "Progress", "Entry into force", "Last change")
        assert labels == ["none", *(f'"{name}: " / ""' for name in names)]
        assert serious_violations(phone.page) == []
        assert phone.console_errors == []

"""The badge and the embed card as another site shows them: in Chromium, from a page on another origin."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_status_page import serious_violations
from tests.support.http_server import local_server, ok
from tests.views.conftest import deposit, poll

pytestmark = pytest.mark.django_db(transaction=True)

BADGE = "/treaties/XVIII-16/badge.svg"
EMBED = "/treaties/XVIII-16/embed/"


@pytest.fixture
def parties(treaty):
    deposit(treaty, "Viet Nam", datetime.date(2026, 1, 20))
    deposit(treaty, "Ghana", datetime.date(2026, 2, 14))
    deposit(treaty, "France", datetime.date(2026, 3, 1))
    poll(treaty, datetime.datetime(2026, 11, 30, 6, tzinfo=datetime.UTC))  # the card says when it was read
    return treaty


@pytest.fixture
def host_page(live_server):
    """A newsroom's page on another origin (127.0.0.1 on its own port; the tracker is on localhost)
    showing the badge, the card, and, as a control, an iframe of the status page itself."""
    tracker = live_server.url
    name = "UN Convention against Cybercrime: ratification status"
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A newsroom's article</title></head>
<body><main>
<h1>Where the cybercrime convention stands</h1>
<p><a href="{tracker}/treaties/XVIII-16/"><img src="{tracker}{BADGE}" alt="{name}"></a></p>
<iframe id="card" src="{tracker}{EMBED}" width="400" height="200" title="{name}" style="border:0"></iframe>
<iframe id="status-page" src="{tracker}/treaties/XVIII-16/" width="400" height="200" title="Status"></iframe>
</main></body></html>"""
    with local_server() as server:
        server.routes["/article"] = [ok(body.encode(), **{"Content-Type": "text/html; charset=utf-8"})]
        yield server.url("/article")


class BadgeInChromiumTests:
    def test_it_renders_at_its_size_with_its_accessible_name(self, tab, parties):
        response = tab.page.goto(BADGE)
        assert response.headers["content-type"] == "image/svg+xml; charset=utf-8"
        badge = tab.page.locator("svg")
        assert badge.get_attribute("aria-label") == "UN Convention against Cybercrime: 3 of 40 instruments counted"
        box = badge.bounding_box()
        assert box["height"] == 20
        assert box["width"] == pytest.approx(float(badge.get_attribute("width")), abs=0.5)
        assert tab.console_errors == []

    def test_a_page_on_another_site_shows_it(self, tab, parties, host_page):
        # Screenshots of the badge as an image in a page: Playwright cannot photograph an SVG
        # document opened on its own (it waits for fonts such a document never reports).
        tab.page.goto(host_page)
        image = tab.page.get_by_role("img", name="UN Convention against Cybercrime: ratification status")
        assert image.evaluate("image => image.complete && image.naturalHeight") == 20
        ARTIFACTS.mkdir(exist_ok=True)
        image.screenshot(path=ARTIFACTS / "badge.png")
        assert (ARTIFACTS / "badge.png").stat().st_size > 1_000

    def test_each_text_is_drawn_inside_its_box(self, tab, parties):
        tab.page.goto(BADGE + "?lang=fr")
        boxes = tab.page.evaluate(
            """() => [...document.querySelectorAll('text:not([fill-opacity])')].map(text => {
                 const box = text.getBBox(); return [box.x, box.x + box.width]; })"""
        )
        label_width = float(tab.page.locator("g[clip-path] rect").first.get_attribute("width"))
        width = float(tab.page.locator("svg").get_attribute("width"))
        (label_left, label_right), (message_left, message_right) = boxes
        assert 0 < label_left < label_right < label_width < message_left < message_right < width


class EmbedInChromiumTests:
    def test_another_site_shows_the_card_in_an_iframe_but_not_the_status_page(self, tab, parties, host_page):
        tab.page.goto(host_page)
        card = tab.page.frame_locator("#card")
        assert card.locator("h1").text_content() == "UN Convention against Cybercrime (opens in a new tab)"
        assert card.locator("progress").get_attribute("value") == "3"
        assert card.locator(".headline").inner_text() == "Not yet in force: 37 more instruments needed"
        # The badge loaded (an image that failed has no natural width).
        assert tab.page.locator("img").evaluate("image => image.naturalWidth") > 100
        # X-Frame-Options DENY and frame-ancestors 'none': Chromium refuses to show the status page.
        refused = tab.page.locator("#status-page").element_handle().content_frame()
        assert refused.url.startswith("chrome-error://")
        assert "UN Convention against Cybercrime" not in refused.content()
        assert tab.screenshot("embed-in-another-site").stat().st_size > 5_000

    def test_showing_the_badge_and_the_card_sets_no_cookie(self, tab, parties, host_page):
        tab.page.goto(host_page)
        tab.page.frame_locator("#card").locator("progress").wait_for()
        assert tab.page.context.cookies() == []

    def test_its_link_opens_the_full_page_in_a_new_tab(self, tab, parties, host_page):
        tab.page.goto(host_page)
        with tab.page.context.expect_page() as opened:
            tab.page.frame_locator("#card").get_by_role("link", name="Full status").click()
        new_tab = opened.value
        new_tab.wait_for_load_state()
        assert new_tab.url.endswith("/treaties/XVIII-16/")
        assert tab.page.url == host_page

    def test_it_works_without_javascript(self, tab_without_javascript, parties):
        tab_without_javascript.page.goto(EMBED + "?lang=cs")
        page = tab_without_javascript.page
        assert page.locator("html").get_attribute("lang") == "cs"
        assert page.locator(".headline").inner_text() == "Ještě nevstoupila v platnost: chybí 37 listin"
        assert tab_without_javascript.screenshot("embed-czech").stat().st_size > 3_000

    @pytest.mark.parametrize("language", ["en", "fr", "cs"])
    @pytest.mark.parametrize("size", [(400, 200), (320, 250)])  # oEmbed's sizes, wide and narrow
    def test_the_card_fits_its_iframe_in_every_language(self, tab, parties, language, size):
        width, height = size
        tab.page.set_viewport_size({"width": width, "height": height})
        tab.page.goto(f"{EMBED}?lang={language}")
        bottom = tab.page.locator(".source").evaluate("line => line.getBoundingClientRect().bottom")
        assert bottom <= height
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= width

    @pytest.mark.parametrize("query", ["", "?lang=fr"])
    def test_axe_finds_no_serious_violation_in_the_card(self, tab, parties, query):
        tab.page.set_viewport_size({"width": 400, "height": 200})
        tab.page.goto(EMBED + query)
        assert serious_violations(tab.page) == []

    def test_axe_finds_no_serious_violation_on_a_page_that_shows_the_badge(self, tab, parties, host_page):
        tab.page.goto(host_page)
        assert serious_violations(tab.page) == []


class SnippetsInChromiumTests:
    def test_the_status_page_offers_the_snippets_with_a_live_preview(self, tab, parties):
        tab.page.goto("/treaties/XVIII-16/")
        field = tab.page.get_by_label("Progress card, HTML (an iframe)")
        assert field.get_attribute("readonly") is not None
        assert field.input_value().startswith("<iframe src=")
        markdown = tab.page.get_by_label("Badge, Markdown (GitHub, GitLab)").input_value()
        assert markdown.startswith("[![UN Convention against Cybercrime: ratification status](")
        preview = tab.page.get_by_role("img", name="UN Convention against Cybercrime: ratification status")
        assert preview.evaluate("image => image.naturalWidth") > 100
        tab.page.locator("#share-heading").scroll_into_view_if_needed()
        assert tab.screenshot("status-page-snippets").stat().st_size > 10_000
        assert tab.console_errors == []

"""The documentation page in a real browser: it renders from local files and its "Try it out" works."""

from __future__ import annotations

import pytest

from tests.support.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, treaty, browser):
    """Chromium on the live server, recording requests that leave it and CSP violations; the data is stored first,
    since Playwright's event loop makes Django refuse database calls from this thread meanwhile."""
    with chromium_page(browser) as page:
        page.set_default_timeout(15_000)
        page.foreign_requests, page.csp_violations = [], []

        def record_request(request) -> None:
            if not request.url.startswith(live_server.url):
                page.foreign_requests.append(request.url)

        def record_csp_violation(message) -> None:
            if "Content Security Policy" in message.text:
                page.csp_violations.append(message.text)

        page.on("request", record_request)
        page.on("console", record_csp_violation)
        yield page


class DocumentationPageTests:
    def test_it_renders_every_endpoint_without_fetching_anything_from_elsewhere(self, page, live_server):
        page.goto(f"{live_server.url}/api/docs/")
        page.get_by_text("/api/v1/treaties/{mtdsg}/participants/").first.wait_for()
        for path in ("/api/v1/treaties/", "/api/v1/actions/", "/api/v1/events/", "/api/v1/poll-runs/"):
            assert page.get_by_text(path, exact=True).count() >= 1
        assert page.foreign_requests == []
        assert page.csp_violations == []  # the site's CSP allows nothing inline
        assert page.locator("main h1").first.inner_text() == "API documentation"

    def test_it_tries_a_request_against_the_live_api(self, page, live_server):
        page.goto(f"{live_server.url}/api/docs/")
        page.get_by_text("Get one treaty, its rule and computed status").click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_placeholder("mtdsg").fill("XVIII-16")
        page.get_by_role("button", name="Execute").click()
        response = page.locator(".live-responses-table tbody .response-col_status").first
        response.wait_for()
        assert response.inner_text().strip().startswith("200")
        assert "UN Convention against Cybercrime" in page.locator(".live-responses-table").inner_text()

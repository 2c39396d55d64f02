"""From the status page to a sign-up, in Chromium: the page's alerts link and the alerts app's form."""

from __future__ import annotations

import pytest

from tests.browser.test_status_page import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


class SubscriptionFromTheStatusPageTests:
    def test_the_alerts_link_leads_to_a_form_that_submits(self, tab, treaty):
        tab.page.goto("/")
        tab.page.get_by_role("link", name="Get e-mail alerts").click()
        tab.page.wait_for_url("**/subscribe/?treaty=XVIII-16")
        assert serious_violations(tab.page) == []
        tab.page.locator("input[name=email]").fill("reader@example.org")
        tab.page.get_by_role("button", name="Subscribe").click()
        tab.page.wait_for_load_state()
        assert "reader@example.org" in tab.page.locator("main").inner_text()
        tab.screenshot("subscribe-sent")
        assert tab.console_errors == []

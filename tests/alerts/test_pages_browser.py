"""The sign-up, confirmation and preferences pages in a real browser: usable with the keyboard
alone, and without axe-core violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from alerts import tokens
from alerts.models import Subscription, SubscriptionStatus
from tests.alerts.world import subscribe
from tests.support.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    with chromium_page(browser) as page:
        yield page


def accessibility_violations(page) -> str:
    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


class AlertPagesInABrowserTests:
    def test_it_lets_a_keyboard_user_subscribe_and_the_pages_pass_axe(
        self, page, live_server, treaty, eager_celery, settings
    ):
        settings.SITE_URL = live_server.url
        page.goto(f"{live_server.url}/subscribe/")
        assert accessibility_violations(page) == ""

        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")  # the site name
        for _ in range(5):
            if page.evaluate("document.activeElement.name") == "email":
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == "email"
        page.keyboard.type("not an address")
        page.keyboard.press("Enter")
        page.wait_for_selector("[role=alert]")
        assert "Enter a complete e-mail address" in page.inner_text("[role=alert]")
        assert accessibility_violations(page) == ""

        page.fill("#id_email", "ada@example.org")
        page.press("#id_email", "Enter")
        page.wait_for_selector("text=Check your inbox")
        assert accessibility_violations(page) == ""
        assert len(mail.outbox) == 1

        subscription = Subscription.objects.get()
        page.goto(tokens.confirm_url(subscription))
        assert accessibility_violations(page) == ""
        page.get_by_role("button", name="Yes, send me alerts").press("Enter")
        page.wait_for_selector("text=You are subscribed")
        subscription.refresh_from_db()
        assert subscription.status == SubscriptionStatus.CONFIRMED

    def test_it_shows_an_accessible_preferences_page(self, page, live_server, treaty, settings):
        settings.SITE_URL = live_server.url
        subscription = subscribe("ada@example.org", treaty)
        page.goto(tokens.manage_url(subscription))
        assert accessibility_violations(page) == ""
        page.get_by_label("Milestones only").check()
        page.get_by_role("button", name="Save preferences").click()
        page.wait_for_selector("text=Your preferences are saved.")
        subscription.refresh_from_db()
        assert subscription.scope == "milestones"
        page.get_by_role("button", name="Unsubscribe from these alerts").click()
        page.wait_for_selector("text=You are unsubscribed")
        assert accessibility_violations(page) == ""

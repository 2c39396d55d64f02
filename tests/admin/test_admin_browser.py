"""The staff screens in a real browser: logging in and settling a review item with the keyboard,
and the pages this project adds to the admin free of axe-core violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.urls import reverse

from ratification.models import Action, Origin, ReviewItem, ReviewKind
from ratification.services.polling import poll_treaty
from tests.admin.conftest import serve
from tests.alerts.world import subscribe
from tests.support.browser import chromium_page
from tests.support.services import ROOT
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long staff password"


@pytest.fixture
def page(browser):
    with chromium_page(browser) as page:
        page.csp_errors = []
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and page.csp_errors.append((page.url, m.text[:80])),
        )
        yield page


def violations(page) -> str:
    results = Axe().run(page)
    return results.generate_report() if results.violations_count else ""


def focus(page, name: str, limit: int = 120) -> None:
    """Tab until the element named `name` (or with that value) has the focus."""
    for _ in range(limit):
        if name in (page.evaluate("document.activeElement.name"), page.evaluate("document.activeElement.value")):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{name} never got the focus")


class StaffScreensInABrowserTests:
    def test_staff_log_in_and_settle_a_review_item_with_the_keyboard(self, page, live_server, treaty, untc):
        User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
        serve(untc, hanoi_file(hanoi_rows()))
        poll_treaty(treaty=treaty)
        serve(untc, hanoi_file([r for r in hanoi_rows() if r.name != "Mali"]))
        poll_treaty(treaty=treaty)
        item = ReviewItem.objects.get(kind=ReviewKind.DISAPPEARED)

        page.goto(f"{live_server.url}/admin/login/")
        focus(page, "username")
        page.keyboard.type("ada")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/admin/")

        page.goto(live_server.url + reverse("admin:ratification_reviewitem_change", args=[item.pk]))
        assert violations(page) == ""
        focus(page, "acknowledged")  # keep the row as it is (the other choice confirms a withdrawal)
        page.keyboard.press("Space")
        focus(page, "note")
        page.keyboard.type("UNTC dropped the row by mistake")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.value") == "Settle"
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/admin/ratification/reviewitem/")
        item.refresh_from_db()
        assert (item.resolution, item.note, item.resolved_by.username) == (
            "acknowledged",
            "UNTC dropped the row by mistake",
            "ada",
        )
        assert page.csp_errors == [], [e[0] for e in page.csp_errors]

    @pytest.mark.slow(reason="two polls, then axe-core over six admin pages in Chromium, then each page again for CSP")
    def test_the_pages_this_project_adds_pass_axe(self, page, live_server, treaty, untc):
        admin_user = User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
        serve(untc, hanoi_file(hanoi_rows()))
        poll_treaty(treaty=treaty)
        serve(
            untc,
            hanoi_file([*hanoi_rows(), Row("Republic of Atlantis", "1 Dec 2025"), Row("Mauritius", "19 Nov 2025")]),
        )
        page.context.add_cookies([self.session_cookie(live_server, admin_user)])
        mali = Action.objects.get(participant__code="MLI")
        ours = {
            "poll confirmation": reverse("admin:ratification_treaty_poll", args=[treaty.pk]),
            "entry form": reverse("admin:ratification_action_add"),
            "removal": reverse("admin:ratification_action_remove", args=[mali.pk]),
            "code": reverse("admin:ratification_participant_code", args=[mali.participant_id]),
        }
        # Django's change forms with our read-only displays (participant's actions, a run's
        # differences). Their jQuery probes inline styles, which the CSP blocks harmlessly.
        djangos = {
            "participant": reverse("admin:ratification_participant_change", args=[mali.participant_id]),
            "poll run": reverse("admin:ratification_pollrun_change", args=[treaty.poll_runs.first().pk]),
        }
        for name, url in {**djangos, **ours}.items():
            page.goto(live_server.url + url)
            found = violations(page)
            assert found == "", (name, found[found.find("Target") :][:600])
        page.csp_errors.clear()
        for url in ours.values():
            page.goto(live_server.url + url)
        page.goto(live_server.url + ours["poll confirmation"])
        page.click("input[type=submit]")  # queued for a worker (none runs here): its poll run shows
        page.wait_for_selector("text=Poll of XVIII-16 queued")
        assert violations(page) == "", "poll run, queued"
        page.csp_errors.clear()  # Django's change form, as above
        page.goto(live_server.url + ours["entry form"])
        page.select_option("#id_participant", label="Qatar")
        page.fill("#id_date", "2026-02-10")
        page.fill("#id_reason", "C.N.77.2026.TREATIES-XVIII.16")
        page.click("input[type=submit]")
        page.wait_for_selector("text=This will e-mail 0 subscribers.")
        assert violations(page) == "", "entry confirmation"
        subscribe("pending@example.org", treaty, status="pending")
        page.goto(live_server.url + reverse("admin:alerts_subscriber_changelist"))
        page.check("input.action-select")
        page.select_option("select[name=action]", "resend_confirmation")
        page.click("button[name=index]")
        page.wait_for_selector("text=A new confirmation link goes to these addresses")
        assert violations(page) == "", "an admin action's confirmation"
        assert page.csp_errors == [], [e[0] for e in page.csp_errors]

    def test_the_review_queue_keeps_what_happened_on_screen_at_1280_px(self, page, live_server, treaty, untc):
        admin_user = User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
        serve(untc, hanoi_file(hanoi_rows()))
        poll_treaty(treaty=treaty)
        # A disappearance, and held rows with long reasons (an invisible character, a name
        # nobody goes by, a date in the future), as a busy morning leaves the queue.
        rows = [r for r in hanoi_rows() if r.name != "Mali"]
        rows += [Row("Fr\u200bance", "", "3 Mar 2026"), Row("Testland", "", "10 Feb 2026 a")]
        serve(untc, hanoi_file(with_instruments(rows, {"Ghana": "3 Mar 2031"})))
        poll_treaty(treaty=treaty)
        page.context.add_cookies([self.session_cookie(live_server, admin_user)])
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + reverse("admin:ratification_reviewitem_changelist"))
        shot = ARTIFACTS / "review-queue-1280.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        # Nothing hides in the table's own scroll box either: every column is in view.
        results = page.locator("#changelist .results")
        assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
        visible = results.bounding_box()
        cells = page.locator("#result_list th.column-short_description, #result_list .field-short_description")
        assert cells.count() == 5  # the header and four items
        for index in range(cells.count()):
            box = cells.nth(index).bounding_box()
            assert visible["x"] <= box["x"] and box["x"] + box["width"] <= visible["x"] + visible["width"], box
        assert violations(page) == ""
        held = ReviewItem.objects.filter(kind=ReviewKind.HELD).first()
        page.goto(live_server.url + reverse("admin:ratification_reviewitem_change", args=[held.pk]))
        page.screenshot(path=str(ARTIFACTS / "held-row-1280.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert violations(page) == "", "held row"

    @staticmethod
    def session_cookie(live_server, user) -> dict:
        from django.test import Client

        client = Client()
        client.force_login(user)
        return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def screenshot(page, name: str) -> None:
    """Kept in test-artifacts/ (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


class StaffScreensAt1280Tests:
    """The staff screens as a 1280-pixel-wide window shows them (screenshots in test-artifacts/)."""

    @pytest.fixture(autouse=True)
    def logged_in(self, page, live_server):
        user = User.objects.create_superuser("ada", "ada@example.org", PASSWORD)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.context.add_cookies([StaffScreensInABrowserTests.session_cookie(live_server, user)])

    def test_the_index_lists_the_trackers_own_sections_first(self, page, live_server, treaty):
        page.goto(f"{live_server.url}/admin/")
        screenshot(page, "admin-index-1280")
        captions = [text.strip() for text in page.locator("#content-main caption").all_text_contents()]
        assert captions[:2] == ["Treaty ratification", "Alerts"]
        assert {"Authentication and Authorization", "Axes", "Periodic Tasks"} <= set(captions[2:])

    def test_the_action_form_has_one_reason_footnotes_as_numbers_and_only_buttons_that_work(
        self, page, live_server, confirmed
    ):
        mali = Action.objects.get(treaty=confirmed, participant__code="MLI")
        mali.footnotes = [2, 5]
        mali.save()
        page.goto(live_server.url + reverse("admin:ratification_action_change", args=[mali.pk]))
        screenshot(page, "admin-action-1280")
        assert page.get_by_label("Reason").count() == 1  # the lock's own reason is "why it was locked"
        assert page.get_by_label("Footnotes").input_value() == "2, 5"
        # A row from the source cannot be removed: no button leading to a refusal.
        assert page.get_by_role("link", name="Remove").count() == 0
        # A correction is not followed by adding another action (that is a different form).
        assert page.get_by_role("button", name="Save and add another").count() == 0
        save = page.get_by_role("button", name="Save", exact=True).bounding_box()
        assert save["x"] + save["width"] <= 1280
        page.get_by_label("Footnotes").fill("2, 7")
        page.get_by_label("Reason").fill("C.N.512.2025 lists footnote 7")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url("**/admin/ratification/action/")
        mali.refresh_from_db()
        assert (mali.footnotes, mali.origin) == ([2, 7], Origin.STAFF)

    def test_a_seeded_action_never_announced_offers_remove(self, page, live_server, treaty):
        mali = Action.objects.get(treaty=treaty, participant__code="MLI")
        page.goto(live_server.url + reverse("admin:ratification_action_change", args=[mali.pk]))
        page.get_by_role("link", name="Remove").click()
        page.wait_for_selector("text=never announced")
        assert "cannot be removed" not in page.content()

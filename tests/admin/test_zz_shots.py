from __future__ import annotations
import pytest
from playwright.sync_api import sync_playwright
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.urls import reverse
from ratification.models import ReviewItem, Participant
from tests.admin.conftest import serve
from tests.support.untc_files import Row, hanoi_file, hanoi_rows
from ratification.services.polling import poll_treaty

pytestmark = [pytest.mark.django_db(transaction=True)]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def test_shots(live_server, treaty, untc, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    User.objects.create_superuser("ada", "a@example.org", "pw-ok-123456")
    serve(untc, hanoi_file(hanoi_rows()))
    poll_treaty(treaty=treaty)
    serve(untc, hanoi_file([r for r in hanoi_rows() if r.name != "Mali"] + [Row("Republic of Atlantis", "1 Dec 2025")]))
    poll_treaty(treaty=treaty)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = b.new_page(viewport={"width": 1300, "height": 900})
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "ada")
        page.fill("#id_password", "pw-ok-123456")
        page.click("input[type=submit]")
        urls = {
            "treaty": reverse("admin:ratification_treaty_change", args=[treaty.pk]),
            "treaty_add": reverse("admin:ratification_treaty_add"),
            "poll": reverse("admin:ratification_treaty_poll", args=[treaty.pk]),
            "reviews": reverse("admin:ratification_reviewitem_changelist"),
            "settle": reverse(
                "admin:ratification_reviewitem_change", args=[ReviewItem.objects.filter(kind="disappeared").first().pk]
            ),
            "entry": reverse("admin:ratification_action_add"),
            "actions": reverse("admin:ratification_action_changelist"),
            "action": reverse("admin:ratification_action_change", args=[treaty.actions.first().pk]),
            "participant": reverse(
                "admin:ratification_participant_change", args=[Participant.objects.get(code="MLI").pk]
            ),
            "pollrun": reverse("admin:ratification_pollrun_change", args=[treaty.poll_runs.first().pk]),
            "history": reverse("admin:ratification_action_history", args=[treaty.actions.first().pk]),
        }
        for name, url in urls.items():
            page.goto(live_server.url + url)
            page.screenshot(path=f"/tmp/shots/{name}.png", full_page=True)
            r = Axe().run(page)
            print(name, r.violations_count, r.generate_report()[:1500] if r.violations_count else "")
        page.goto(live_server.url + urls["poll"])
        page.click("input[type=submit]")
        page.screenshot(path="/tmp/shots/poll_result.png", full_page=True)
        r = Axe().run(page)
        print("poll_result", r.violations_count, r.generate_report()[:1500] if r.violations_count else "")
        page.goto(live_server.url + urls["entry"])
        page.select_option("#id_participant", label="Qatar")
        page.fill("#id_date", "2026-02-10")
        page.fill("#id_reason", "C.N.1")
        page.click("input[type=submit]")
        page.screenshot(path="/tmp/shots/entry_confirm.png", full_page=True)
        r = Axe().run(page)
        print("entry_confirm", r.violations_count, r.generate_report()[:1500] if r.violations_count else "")
        b.close()

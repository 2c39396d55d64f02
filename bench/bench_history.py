"""How does a treaty's history page cost grow with the number of recorded events?

XVIII-16 as seeded (72 signatures) in an SQLite database, with 10, 1,000 and 10,000 events,
half of them read from an archived file. The history page is built uncached
(`CACHE_URL=dummycache://`) through Django's test client and timed next to the status page
built in the same run and the same database: the ratio says what the history costs against
the page readers open first. (Its query count, five whatever the number of events, is
checked by tests/views/test_history.py.)

Run: `python bench/bench_history.py [--rounds N]`.
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
WORK = Path(tempfile.mkdtemp(prefix="bench-history-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="tracker.settings",
    DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}",
    CACHE_URL="dummycache://",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="error",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from ratification.models import Action, Event, EventKind, PollOutcome, PollRun, Treaty  # noqa: E402
from ratification.services.polling import poll_treaty  # noqa: E402
from ratification.services.seed import treaty_seed  # noqa: E402

HANOI = (ROOT / "tests/fixtures/untc/XVIII-16.xml").read_bytes()


def grow(treaty: Treaty, total: int) -> None:
    """Add events until the treaty has `total`."""
    run = PollRun.objects.filter(treaty=treaty, snapshot__isnull=False).first()
    actions = list(Action.objects.filter(treaty=treaty).select_related("participant"))
    have = Event.objects.filter(treaty=treaty).count()
    Event.objects.bulk_create(
        Event(
            treaty=treaty,
            kind=EventKind.CORRECTION,
            participant=actions[index % len(actions)].participant,
            action=actions[index % len(actions)],
            poll_run=run if index % 2 else None,
            occurred_on=datetime.date(2025, 10, 25),
            public=False,
            data={"field": "date", "old": "2025-10-24", "new": "2025-10-25", "origin": "staff", "reason": "bench"},
        )
        for index in range(have, total)
    )


def timed(client: Client, path: str, rounds: int) -> float:
    assert client.get(path).status_code == 200
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    treaty_seed()
    treaty = Treaty.objects.get(mtdsg="XVIII-16")
    poll_treaty(treaty=treaty, content=HANOI)
    PollRun.objects.filter(treaty=treaty).update(outcome=PollOutcome.CHANGED, started_at=timezone.now())
    client = Client()
    for total in (10, 1_000, 10_000):
        grow(treaty, total)
        status = timed(client, "/treaties/XVIII-16/", rounds)
        history = timed(client, "/treaties/XVIII-16/history/", rounds)
        print(
            f"{total:>6} events: history {history * 1000:6.1f} ms, "
            f"status page {status * 1000:6.1f} ms, ratio {history / status:.2f}"
        )


if __name__ == "__main__":
    main()

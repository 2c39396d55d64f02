"""How much does a poll cost beyond reading and parsing the file?

A poll of the Paris Agreement file (197 participants, 368 actions) served by a local HTTP
server, through the whole path (fetch, hash, parse, validate, reconcile, events), against an
SQLite database, measured in the same run as two baselines on the same bytes:

- cold: a first poll that records every action, next to `parse_status` alone;
- unchanged: a poll of the same file again (hash match: no parse, one PollRun row), next to a
  bare `requests.get` of the file from the same server.

Run: `python bench/bench_poll.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-poll-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="tracker.settings",
    DATABASE_URL=f"sqlite:///{WORK / 'bench.sqlite3'}",
    CACHE_URL="locmemcache://",
    LOG_LEVEL="error",
)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from ratification.models import Action, Event, PollRun, ReviewItem, Treaty  # noqa: E402
from ratification.services.polling import poll_treaty  # noqa: E402
from scrapers.untc import parse_status  # noqa: E402
from tests.support.http_server import local_server, ok  # noqa: E402

PARIS = (ROOT / "tests/fixtures/untc/XXVII-7-d.xml").read_bytes()
PATH = "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def fresh_treaty() -> Treaty:
    for model in (Event, ReviewItem, Action, PollRun, Treaty):
        model.objects.all().delete()
    return Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path=PATH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    with local_server() as server:
        server.routes["/" + PATH] = [ok(PARIS)]
        settings.UNTC_BASE_URL = server.base_url
        url = f"{server.base_url}/{PATH}"
        cold, unchanged, parse, get = [], [], [], []
        for _ in range(rounds):
            treaty = fresh_treaty()
            cold.append(timed(lambda: poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk))))  # noqa: B023
            parse.append(timed(lambda: parse_status(PARIS)))
            for _ in range(3):
                unchanged.append(timed(lambda: poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk))))  # noqa: B023
                get.append(timed(lambda: requests.get(url, timeout=10).content))
        assert PollRun.objects.filter(outcome="unchanged").count() == 3
    report(rounds, cold=cold, parse=parse, unchanged=unchanged, get=get)


def report(rounds: int, **samples: list[float]) -> None:
    ms = {name: statistics.median(values) for name, values in samples.items()}
    print(f"Poll of the Paris Agreement file ({len(PARIS):,} bytes): medians of {rounds} cold, {3 * rounds} unchanged")
    print(f"  cold poll (parse, reconcile 368 actions)   {ms['cold']:8.2f} ms")
    print(f"  parse_status alone (baseline)              {ms['parse']:8.2f} ms  ratio {ms['cold'] / ms['parse']:.2f}x")
    print(f"  unchanged poll (hash, one PollRun row)     {ms['unchanged']:8.2f} ms")
    print(f"  bare requests.get of the file (baseline)   {ms['get']:8.2f} ms  ratio {ms['unchanged'] / ms['get']:.2f}x")


if __name__ == "__main__":
    main()

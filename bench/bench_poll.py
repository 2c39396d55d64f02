"""How much does a poll cost beyond reading and parsing the file?

A poll of the Paris Agreement file (197 participants, 368 actions) served by a local HTTP
server, through the whole path (fetch, hash, parse, validate, reconcile, events), against an
SQLite database, measured in the same run as two baselines on the same bytes:

- cold: a first poll that records every action, next to `parse_status` alone;
- unchanged: a poll of the same file again (hash match: no parse, one PollRun row), next to a
  bare `requests.get` of the file from the same server;
- the gate's share (ratification/services/identities.py: who each printed name is, against the
  stored participants and the registry; ratification/services/gate.py: every new or changed row
  checked before it is published; and the look-up of whom an unknown name may stand for) of the
  cold poll, and
  of a poll of a re-served file that differs only by a byte after `</Document>` (parsed and
  reconciled in full, nothing new). Target: under 10%.

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

from ratification.models import Action, Event, PollRun, ReviewItem, Statement, Treaty  # noqa: E402
from ratification.services import reconcile  # noqa: E402
from ratification.services.polling import poll_treaty  # noqa: E402
from scrapers.untc import parse_status  # noqa: E402
from tests.support.http_server import local_server, ok  # noqa: E402

PARIS = (ROOT / "tests/fixtures/untc/XXVII-7-d.xml").read_bytes()
PARIS_AGAIN = PARIS + b"\n"  # another hash, the same content
PATH = "doc/Publication/MTDSG/Volume%20II/Chapter%20XXVII/XXVII-7-d.en.xml"
GATE_TARGET = 0.10


class GateClock:
    """Times the gate's two steps inside reconcile, wherever a poll calls them."""

    def __init__(self) -> None:
        self.spent = 0.0
        for name in ("names_resolve", "status_gate", "_resemblances"):
            setattr(reconcile, name, self.timed(getattr(reconcile, name)))

    def timed(self, work):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                self.spent += (time.perf_counter() - started) * 1000

        return run

    def around(self, work) -> tuple[float, float]:
        """(ms of the whole work, ms of it in the gate)."""
        self.spent = 0.0
        total = timed(work)
        return total, self.spent


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def fresh_treaty() -> Treaty:
    for model in (Event, ReviewItem, Statement, Action, PollRun, Treaty):  # those a treaty protects first
        model.objects.all().delete()
    return Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path=PATH)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    clock = GateClock()
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        url = f"{server.base_url}/{PATH}"
        cold, unchanged, parse, get, reread = [], [], [], [], []
        cold_gate, reread_gate = [], []
        for _ in range(rounds):
            server.routes["/" + PATH] = [ok(PARIS)]
            treaty = fresh_treaty()
            total, gate = clock.around(lambda: poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)))  # noqa: B023
            cold.append(total)
            cold_gate.append(gate)
            parse.append(timed(lambda: parse_status(PARIS)))
            for _ in range(3):
                unchanged.append(timed(lambda: poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk))))  # noqa: B023
                get.append(timed(lambda: requests.get(url, timeout=10).content))
            server.routes["/" + PATH] = [ok(PARIS_AGAIN)]
            total, gate = clock.around(lambda: poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)))  # noqa: B023
            reread.append(total)
            reread_gate.append(gate)
        assert PollRun.objects.filter(outcome="unchanged").count() == 4
        assert not ReviewItem.objects.exists()
    report(rounds, cold=cold, parse=parse, unchanged=unchanged, get=get)
    report_gate(cold=(cold, cold_gate), reread=(reread, reread_gate))


def report(rounds: int, **samples: list[float]) -> None:
    ms = {name: statistics.median(values) for name, values in samples.items()}
    print(f"Poll of the Paris Agreement file ({len(PARIS):,} bytes): medians of {rounds} cold, {3 * rounds} unchanged")
    print(f"  cold poll (parse, reconcile 368 actions)   {ms['cold']:8.2f} ms")
    print(f"  parse_status alone (baseline)              {ms['parse']:8.2f} ms  ratio {ms['cold'] / ms['parse']:.2f}x")
    print(f"  unchanged poll (hash, one PollRun row)     {ms['unchanged']:8.2f} ms")
    print(f"  bare requests.get of the file (baseline)   {ms['get']:8.2f} ms  ratio {ms['unchanged'] / ms['get']:.2f}x")


def report_gate(**polls: tuple[list[float], list[float]]) -> None:
    print("The gate's share of a poll (median of each poll's own share):")
    labels = {"cold": "cold poll (first read, 368 actions)", "reread": "re-read of the same content (nothing new)"}
    for name, (totals, gates) in polls.items():
        share = statistics.median(gate / total for total, gate in zip(totals, gates, strict=True))
        print(
            f"  {labels[name]:<43} poll {statistics.median(totals):8.2f} ms, gate {statistics.median(gates):6.2f} ms: "
            f"{share:.1%} (target < {GATE_TARGET:.0%}: {'MISSED' if share >= GATE_TARGET else 'met'})"
        )


if __name__ == "__main__":
    main()

"""Every real treaty of the 2018 corpus, end to end: how long to track them all and show every page?

1. **Tracking and every page, cold.** The 158 readable files of tests/fixtures/untc-2018/ are
   served by a local HTTP server in another process (its work not counted) and followed with
   `manage.py track` (the command itself), into a fresh database; then every page and resource
   of every treaty is requested once, nothing cached beforehand (the pages the corpus test of
   `make test` requests: status, history, diff, badge, embed, oEmbed, CSV and JSON, calendar,
   feed, API detail and participants, two events each, every participant's page). Reported as
   wall and process CPU seconds, against BeautifulSoup's own tree build of the same files,
   measured in the same run.
2. **The biggest status page against XVIII-16's.** The uncached status page (a full render every
   time: the response cache emptied before each request) of the tracked treaty with the most
   participants, against XVIII-16's (seeded: its 72 signatories), in interleaved rounds, median.
   Target: at most 3 times XVIII-16's.

Run: `python bench/bench_corpus.py [--rounds 15] [--strict]` (`--strict` exits 1 on a miss).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="tracker.settings",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}"),
    CACHE_URL="locmemcache://",
    ALLOWED_HOSTS="testserver",
    LOG_LEVEL="error",
)

TARGET = 3.0


def serve(files: dict[str, bytes], ready) -> None:
    """The stand-in for treaties.un.org: each file at the path the tracker derives for it."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_address[1])
    server.serve_forever(poll_interval=0.05)


def clocks() -> tuple[float, float]:
    return time.monotonic(), time.process_time()


def every_page(client, treaty) -> list[str]:
    from ratification.models import Event, PollRun

    base = f"/treaties/{treaty.mtdsg}/"
    run = PollRun.objects.filter(treaty=treaty).latest()
    events = Event.objects.filter(treaty=treaty).order_by("id")
    urls = [
        base,
        base + "history/",
        f"{base}history/{run.pk}/diff/",
        base + "badge.svg",
        base + "embed/",
        f"/oembed/?url={quote('http://testserver' + base)}",
        base + "participants.csv",
        base + "participants.json",
        f"/treaties/{treaty.mtdsg}.ics",
        f"/feeds/{treaty.mtdsg}.atom",
        f"/api/v1/treaties/{treaty.mtdsg}/",
        f"/api/v1/treaties/{treaty.mtdsg}/participants/?page_size=200",
    ]
    return urls + [f"/events/{event.pk}/" for event in {events.first(), events.last()} if event]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from bs4 import BeautifulSoup
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from ratification import cache
    from ratification.models import Participant, Treaty
    from ratification.services.seed import treaty_seed
    from scrapers.mtdsg import treaty_xml_path
    from tests.support.corpus import corpus_file, readable_numbers

    numbers = readable_numbers()
    files = {"/" + treaty_xml_path(mtdsg=number): corpus_file(number).read_bytes() for number in numbers}
    context = multiprocessing.get_context("fork")
    ready = context.Queue()
    server = context.Process(target=serve, args=(files, ready), daemon=True)
    server.start()
    try:
        call_command("migrate", verbosity=0)
        settings.UNTC_BASE_URL = f"http://127.0.0.1:{ready.get(timeout=30)}"
        soup_wall, soup_cpu = clocks()
        for body in files.values():
            BeautifulSoup(body, "lxml-xml")
        soup_wall, soup_cpu = (now - then for now, then in zip(clocks(), (soup_wall, soup_cpu), strict=True))
        started = clocks()
        call_command("track", *numbers, stdout=open(os.devnull, "w"))  # noqa: SIM115
        tracked = clocks()
    finally:
        server.terminate()

    client = Client()
    requests = 0
    for treaty in Treaty.objects.order_by("mtdsg"):
        for url in every_page(client, treaty):
            requests += 1
            assert client.get(url, REMOTE_ADDR=f"10.0.{requests // 250}.{requests % 250 + 1}").status_code == 200, url
    for code in Participant.objects.values_list("code", flat=True):
        requests += 1
        assert client.get(f"/participants/{code}/").status_code == 200, code
    shown = clocks()

    track_wall, track_cpu = (a - b for a, b in zip(tracked, started, strict=True))
    pages_wall, pages_cpu = (a - b for a, b in zip(shown, tracked, strict=True))
    print(f"Tracking the {len(numbers)} readable files of the 2018 corpus and showing every page once, cold:")
    lines = (
        ("BeautifulSoup tree build of every file (baseline)", soup_wall, soup_cpu),
        ("manage.py track, every file", track_wall, track_cpu),
        (f"every page and resource once ({requests} requests)", pages_wall, pages_cpu),
    )
    for label, wall, spent in lines:
        ratio = f"  ratio {spent / soup_cpu:5.2f}x the tree build" if spent is not soup_cpu else ""
        print(f"  {label:<52} {wall:6.1f} s wall {spent:6.1f} s CPU{ratio}")

    treaty_seed()
    biggest = Treaty.objects.annotate(n=Count("actions__participant", distinct=True)).order_by("-n", "mtdsg")[0]
    pages = {"XVIII-16": "/treaties/XVIII-16/", biggest.mtdsg: f"/treaties/{biggest.mtdsg}/"}
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, url in pages.items():
            cache.recent.clear()  # uncached: the data version and the page are read and built again
            caches["default"].clear()
            before = time.perf_counter()
            assert client.get(url).status_code == 200
            times[name].append(time.perf_counter() - before)
    xviii, most = (statistics.median(times[name]) * 1000 for name in pages)
    ratio = most / xviii
    participants = biggest.n
    print(f"Uncached status page, median of {args.rounds} interleaved rounds:")
    print(f"  {'XVIII-16 (72 participants, baseline)':<52} {xviii:7.1f} ms")
    label = f"{biggest.mtdsg} ({participants} participants, the most)"
    print(f"  {label:<52} {most:7.1f} ms  ratio {ratio:.2f}x (target at most {TARGET:g}x)")
    if args.strict and ratio > TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

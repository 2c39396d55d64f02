"""How fast is the status page, next to a static file of the same size served by the same server?

Starts gunicorn (the project's gunicorn.conf.py: gthread workers) on loopback with production
settings (ENVIRONMENT=production, DEBUG off, whitenoise serving collected static files), on a
fresh database seeded with XVIII-16's 72 signatories and 30 counted instruments, then measures
in the same run, with the same load generator and the same connections, asking for gzip as
browsers do:

- a static file with exactly the bytes of `/` (and its gzip copy beside it, which whitenoise
  serves as it serves every collected file): the floor of this server for a response of that size;
- `/` with a warm cache (the data version, read at most once a second per process, and the
  stored response with its compressed copy: no session, no view; ratification/cache.py);
- `/` uncached (a dummy cache backend: nothing is stored, so every request is built, except
  that requests arriving while the same answer is being built in their process take that
  build's answer: "Misses at once" in ratification/cache.py, what happens when a change empties
  the cache just as readers arrive);
- `/?n=<counter>` uncached, each request a URL of its own: nothing is shared, every request
  renders and compresses the whole page (what one rendering costs under load; no target).

Targets: warm `/` at least 0.8 times the static file's requests per second; uncached p99 under
300 ms at 16 connections.

Steadiness: the three targets take turns, round after round, so load from elsewhere on the
machine falls on all of them alike; warm / static is computed within each round (the two
measured seconds apart) and the median of the rounds is the figure, printed with its spread.
wrk runs as one thread pinned to the last CPU (taskset), and the server of the static file and
the warm page on the others, so neither wanders onto the other's cores mid-round (unpinned, the
rounds' ratios split between about 0.4 and 1.2 on two cores, by where the scheduler put the
server's two workers); the uncached server may use every CPU, as a server would. `--no-pin`
lets them all float. The load average is printed before and
after: figures from a busy machine say little (README, "Caching", has the measured ones).

The load generator is wrk (Debian package `wrk`) when present, else a Python client with
keep-alive connections in threads (slower, so its absolute figures are lower; ratios hold).

Run: `python bench/bench_status_page.py [--seconds 10] [--rounds 5] [--connections 16] [--no-pin] [--strict]`.
Environment: BENCH_DATABASE_URL (default: SQLite in a temporary folder), BENCH_CACHE_URL
(default: files in the temporary folder, as `make run`; e.g. redis://127.0.0.1:6379/3).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, wrk  # noqa: E402

TARGET = 0.8
P99_TARGET_MS = 300
STATIC_COPY = "bench/status-page-copy.html"
# Production redirects plain HTTP to HTTPS; behind its proxy every request carries this header.
# Browsers ask for compressed answers.
# The proxy's header production trusts (else it redirects to https); bench_badge sends it too.
PROXY_HEADER = ("X-Forwarded-Proto", "https")
HEADERS = dict([PROXY_HEADER, ("Accept-Encoding", "gzip")])
SEED = """
import datetime
from django.utils import timezone
from ratification.models import Action, ActionKind, PollRun, Treaty
from ratification.services.seed import treaty_seed
from ratification.services.writes import last_change_mark
treaty_seed()
treaty = Treaty.objects.get(mtdsg="XVIII-16")
signatures = Action.objects.filter(treaty=treaty, kind=ActionKind.SIGNATURE, participant__is_reio=False)
for index, signature in enumerate(list(signatures.order_by("participant__name"))[:30]):
    Action.objects.get_or_create(treaty=treaty, participant=signature.participant, kind=ActionKind.RATIFICATION,
                                 defaults={"date": datetime.date(2026, 1, 5) + datetime.timedelta(days=7 * index)})
now = timezone.now()
PollRun.objects.create(treaty=treaty, started_at=now, finished_at=now, outcome="unchanged")
last_change_mark(treaty=treaty)
"""


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


# A URL of its own for each request (`?n=1`, `?n=2`, ...): the page ignores the parameter, the
# cache key does not.
DISTINCT_URLS = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?n=" .. counter)
end
"""


def wrk_load(
    url: str, seconds: int, connections: int, cpu: int | None = None, distinct: bool = False
) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms, and errors, from wrk; `distinct`: each request's own URL."""
    if not distinct:
        load = wrk(url, seconds=seconds, connections=connections, headers=HEADERS, cpu=cpu)
        return load.rps, load.p99, load.errors
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(DISTINCT_URLS)
        script.flush()
        load = wrk(url, seconds=seconds, connections=connections, headers=HEADERS, cpu=cpu, script=Path(script.name))
    return load.rps, load.p99, load.errors


def python_load(
    url: str, seconds: int, connections: int, cpu: int | None = None, distinct: bool = False
) -> tuple[float, float, int]:
    """A keep-alive client per thread; bounded by `seconds`; `distinct`: each request's own URL."""
    host, port, path = re.match(r"http://([^:/]+):(\d+)(.*)", url).groups()
    latencies: list[float] = []
    errors = [0]
    stop_at = time.monotonic() + seconds
    numbers = itertools.count(1)

    def worker() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.monotonic() < stop_at:
            started = time.monotonic()
            connection.request("GET", f"{path}?n={next(numbers)}" if distinct else path, headers=HEADERS)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            latencies.append(time.monotonic() - started)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return len(latencies) / seconds, latencies[int(len(latencies) * 0.99)] * 1000, errors[0]


def _median(samples: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    rates = sorted(samples)
    rate, p99, _ = rates[len(rates) // 2]
    return rate, p99, sum(errors for _, _, errors in samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-pin", action="store_true", help="let wrk run on any CPU")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    options = parser.parse_args()
    load = wrk_load if shutil.which("wrk") else python_load
    cpus = os.cpu_count() or 1
    cpu = cpus - 1 if load is wrk_load and cpus > 1 and shutil.which("taskset") and not options.no_pin else None
    folder = Path(tempfile.mkdtemp(prefix="bench-status-page-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "ENVIRONMENT": "production",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://tracker.example.org",  # production wants https (alerts.W001)
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", f"filecache://{folder / 'cache'}"),
        "LOG_LEVEL": "warning",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    static_copy = ROOT / "staticfiles" / STATIC_COPY
    try:
        run(["manage.py", "migrate", "--no-input"], env)
        run(["manage.py", "shell", "-c", SEED], env)
        run(["manage.py", "collectstatic", "--no-input"], env)
        first = Gunicorn(env, folder / "gunicorn.log", headers={"X-Forwarded-Proto": "https"})
        page = first.get("/")
        first.stop()
        # whitenoise indexes the static files when it starts: write the copy and its gzip copy
        # (as collectstatic makes for every file in production), then start again.
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        static_copy.write_bytes(page)
        packed = gzip.compress(page, compresslevel=6, mtime=0)
        static_copy.with_name(static_copy.name + ".gz").write_bytes(packed)
        print(
            f"load generator: {load.__name__}{f' pinned to CPU {cpu} (taskset)' if cpu is not None else ''}, "
            f"{options.connections} connections, {options.rounds} interleaved rounds of {options.seconds} s "
            "per target (median shown)"
        )
        print(
            f"page size: {len(page)} bytes, {len(packed)} compressed; cache: {env['CACHE_URL'].split(':')[0]}; "
            f"database: {env['DATABASE_URL'].split(':')[0]}; load average: {os.getloadavg()[0]:.2f}"
        )
        server_cpus = f"0-{cpu - 1}" if cpu else None
        server = Gunicorn(env, folder / "gunicorn.log", headers=HEADERS, cpus=server_cpus)
        uncached = Gunicorn({**env, "CACHE_URL": "dummycache://"}, folder / "gunicorn.log", headers=HEADERS)
        # name: (URL, each request a URL of its own)
        targets = {
            "static file, same size": (server.url(f"/static/{STATIC_COPY}"), False),
            "/ warm cache": (server.url("/"), False),
            "/ uncached": (uncached.url("/"), False),
            "/?n=... uncached, unshared": (uncached.url("/"), True),
        }
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in targets}
        try:
            server.get("/")  # warm the cache
            # Interleaved rounds, medians: other work on the machine hits every target alike.
            for _ in range(options.rounds):
                for name, (url, distinct) in targets.items():
                    runs[name].append(load(url, options.seconds, options.connections, cpu, distinct))
        finally:
            server.stop()
            uncached.stop()
    finally:
        static_copy.unlink(missing_ok=True)
        static_copy.with_name(static_copy.name + ".gz").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    results = {name: _median(samples) for name, samples in runs.items()}
    floor = results["static file, same size"][0]
    print(f"{'':26} {'req/s':>9} {'p99 ms':>8} {'errors':>7} {'x static':>9}")
    for name, (rate, p99, errors) in results.items():
        print(f"{name:26} {rate:9.1f} {p99:8.1f} {errors:7d} {rate / floor:9.2f}")
    # Warm against static round by round: the two were measured seconds apart.
    ratios = sorted(
        warm[0] / static[0] for warm, static in zip(runs["/ warm cache"], runs["static file, same size"], strict=True)
    )
    ratio = ratios[len(ratios) // 2]
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(
        f"warm / static = {ratio:.2f} ({verdict} the target of {TARGET}); rounds from {ratios[0]:.2f} to "
        f"{ratios[-1]:.2f}"
    )
    p99 = results["/ uncached"][1]
    verdict = "meets" if p99 < P99_TARGET_MS else "MISSES"
    print(f"uncached p99 = {p99:.0f} ms at {options.connections} connections ({verdict} the target of {P99_TARGET_MS})")
    print(f"uncached and unshared (every request rendered) p99 = {results['/?n=... uncached, unshared'][1]:.0f} ms")
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    missed = ratio < TARGET or p99 >= P99_TARGET_MS
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is the live badge, next to a static file of the same size served by the same server?

The badge is loaded by every visitor of every page that shows it, so it must cost about what a
static file costs. The harness is bench/bench_status_page.py's (the same seeded database,
production settings, gunicorn, wrk or the Python client, interleaved rounds, medians); in the
same run it measures:

- a static file with exactly the bytes of the badge, served by whitenoise in the same server;
- `/treaties/XVIII-16/badge.svg` with a warm cache (ratification/cache.py: the stored response,
  answered before sessions, CSRF and the view run);
- the badge uncached (a dummy cache backend: every request reads the treaty and draws the SVG);
- the embed card, warm, for the record.

Target: warm badge at least 0.8 times the static file's requests per second.

Run: `python bench/bench_badge.py [--seconds 5] [--rounds 3] [--connections 16] [--strict]`.
Environment: BENCH_DATABASE_URL, BENCH_CACHE_URL, as bench_status_page.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_status_page import PROXY_HEADER, SEED, _median, python_load, run, wrk_load  # noqa: E402
from bench.support import Gunicorn  # noqa: E402

TARGET = 0.8
BADGE = "/treaties/XVIII-16/badge.svg"
EMBED = "/treaties/XVIII-16/embed/"
STATIC_COPY = "bench/badge-copy.svg"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--strict", action="store_true", help="exit 1 if warm badge / static is below the target")
    options = parser.parse_args()
    load = wrk_load if shutil.which("wrk") else python_load
    folder = Path(tempfile.mkdtemp(prefix="bench-badge-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "ENVIRONMENT": "production",
        "SECRET_KEY": "bench-only-" + "x" * 50,  # pragma: allowlist secret
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://tracker.example.org",  # production wants https (alerts.W001)
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", f"filecache://{folder / 'cache'}"),
        "LOG_LEVEL": "warning",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    static_copy = ROOT / "staticfiles" / STATIC_COPY
    headers = dict([PROXY_HEADER])
    try:
        run(["manage.py", "migrate", "--no-input"], env)
        run(["manage.py", "shell", "-c", SEED], env)
        run(["manage.py", "collectstatic", "--no-input"], env)
        first = Gunicorn(env, folder / "gunicorn.log", probe=BADGE, headers=headers)
        badge = first.get(BADGE)
        first.stop()
        # whitenoise indexes the static files when it starts: write the copy, then start again.
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        static_copy.write_bytes(badge)
        print(
            f"load generator: {load.__name__}, {options.connections} connections, "
            f"{options.rounds} interleaved rounds of {options.seconds} s per target (median shown)"
        )
        print(
            f"badge size: {len(badge)} bytes; cache: {env['CACHE_URL'].split(':')[0]}; database: "
            f"{env['DATABASE_URL'].split(':')[0]}"
        )
        server = Gunicorn(env, folder / "gunicorn.log", probe=BADGE, headers=headers)
        uncached_env = {**env, "CACHE_URL": "dummycache://"}
        uncached = Gunicorn(uncached_env, folder / "gunicorn.log", probe=BADGE, headers=headers)
        targets = {
            "static file, same size": server.url(f"/static/{STATIC_COPY}"),
            "badge warm cache": server.url(BADGE),
            "badge uncached": uncached.url(BADGE),
            "embed warm cache": server.url(EMBED),
        }
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in targets}
        try:
            server.get(BADGE)  # warm the cache
            server.get(EMBED)
            # Interleaved rounds, medians: other work on the machine hits every target alike.
            for _ in range(options.rounds):
                for name, url in targets.items():
                    runs[name].append(load(url, options.seconds, options.connections))
        finally:
            server.stop()
            uncached.stop()
    finally:
        static_copy.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    results = {name: _median(samples) for name, samples in runs.items()}
    floor = results["static file, same size"][0]
    print(f"{'':26} {'req/s':>9} {'p99 ms':>8} {'errors':>7} {'x static':>9}")
    for name, (rate, p99, errors) in results.items():
        print(f"{name:26} {rate:9.1f} {p99:8.1f} {errors:7d} {rate / floor:9.2f}")
    ratio = results["badge warm cache"][0] / floor
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"warm badge / static = {ratio:.2f} ({verdict} the target of {TARGET})")
    return 1 if options.strict and ratio < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())

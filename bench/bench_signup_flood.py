"""A sign-up flood from one client: does it send mail, and do other readers notice it?

Serves the tracker with gunicorn on loopback (as `make run` would, behind one trusted proxy:
NUM_PROXIES=1, each client named by X-Forwarded-For), with a real Celery worker sending the
sign-up e-mails to an aiosmtpd server, and for `--seconds` (default 60):

- one client POSTs /subscribe/ at `--rate` per minute (default 1,000), each time with a new
  address (so only the per-client limit can stop it);
- `--readers` other clients (default 4) read `/` and a static file of the site in turns, and
  sign up once each.

Prints the flood's answers and how many e-mails it caused (target: at most 5, the per-client
limit), the readers' p50/p99 for `/` next to the same server's static file in the same run
(target p99 < 200 ms), and whether every reader's own sign-up e-mail arrived.

Run: `python bench/bench_signup_flood.py [--seconds 60] [--rate 1000] [--readers 4]`.
Environment: BENCH_CACHE_URL (default: files in a temporary folder; the limits' counters live
in this cache, exact with redis://...).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.support import Gunicorn  # noqa: E402
from tests.support.smtp import SmtpSink  # noqa: E402

FLOOD_CLIENT = "203.0.113.66"


def environment(folder: Path, smtp_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "CACHE_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", f"filecache://{folder / 'cache'}"),
        CELERY_BROKER_URL=f"filesystem://{folder / 'broker'}",
        CELERY_RESULT_BACKEND=f"file://{folder / 'results'}",
        EMAIL_URL=smtp_url,
        NUM_PROXIES="1",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="warning",
    )
    return env


def signup(session: requests.Session, url: str, email: str, client: str) -> tuple[int, float]:
    """One sign-up as a browser does it: the form (for its CSRF token), then the POST."""
    headers = {"X-Forwarded-For": client}
    form = session.get(url, headers=headers, timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    started = time.perf_counter()
    answer = session.post(
        url,
        data={"csrfmiddlewaretoken": token, "email": email, "treaty": "XVIII-16", "scope": "instruments"},
        headers={**headers, "Referer": url},
        timeout=10,
    )
    return answer.status_code, (time.perf_counter() - started) * 1000


def flood(server: Gunicorn, seconds: int, per_minute: int, answers: Counter, bodies: set) -> None:
    session = requests.Session()
    interval, deadline, sent = 60 / per_minute, time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, _ = signup(session, server.url("/subscribe/"), f"flood{sent}@example.org", FLOOD_CLIENT)
        answers[status] += 1
        sent += 1
        time.sleep(max(interval - (time.monotonic() - started), 0))


def reader(server: Gunicorn, number: int, seconds: int, timings: dict[str, list[float]]) -> None:
    session, client = requests.Session(), f"198.51.100.{number + 1}"
    status, took = signup(session, server.url("/subscribe/"), f"reader{number}@example.org", client)
    timings["sign-up"].append(took if status == 200 else float("inf"))
    if status != 200:
        print(f"reader {number}: sign-up answered {status}", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, path in (("/", "/"), ("static file", "/static/css/site.css")):
            started = time.perf_counter()
            answer = session.get(server.url(path), headers={"X-Forwarded-For": client}, timeout=10)
            timings[name].append((time.perf_counter() - started) * 1000 if answer.ok else float("inf"))
        time.sleep(0.05)


def p(values: list[float], quantile: int) -> float:
    return statistics.quantiles(values, n=100)[quantile - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rate", type=int, default=1000, help="flood sign-ups per minute")
    parser.add_argument("--readers", type=int, default=4)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-signup-flood-"))
    sink = SmtpSink().start()
    env = environment(folder, sink.url)
    worker = None
    try:
        for command in (["migrate", "--no-input", "-v0"], ["seed"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--loglevel=warning", "--concurrency=1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        with Gunicorn(env, folder / "gunicorn.log") as server:
            answers: Counter = Counter()
            timings: dict[str, list[float]] = {"/": [], "static file": [], "sign-up": []}
            threads = [threading.Thread(target=flood, args=(server, options.seconds, options.rate, answers, set()))]
            threads += [
                threading.Thread(target=reader, args=(server, number, options.seconds, timings))
                for number in range(options.readers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            deadline = time.monotonic() + 60
            while (
                time.monotonic() < deadline
                and len({r for m in sink.received for r in m.recipients if r.startswith("reader")}) < options.readers
            ):
                time.sleep(0.5)
            time.sleep(5)  # let any flood e-mail still queued arrive too
    finally:
        if worker is not None:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=30)
        sink.stop()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    recipients = Counter(r for message in sink.received for r in message.recipients)
    flood_mails = sum(count for address, count in recipients.items() if address.startswith("flood"))
    readers_served = sum(1 for address in recipients if address.startswith("reader"))
    page, static = timings["/"], timings["static file"]
    print(
        f"flood: {sum(answers.values())} sign-ups from one client in {options.seconds} s "
        f"({options.rate}/min), answers {dict(answers)}"
    )
    print(f"  e-mails caused by the flood: {flood_mails} (target <= 5)")
    print(f"readers ({options.readers}, during the flood): {len(page)} page reads")
    print(f"  /           p50 {p(page, 50):6.1f} ms  p99 {p(page, 99):6.1f} ms  errors {page.count(float('inf'))}")
    print(f"  static file p50 {p(static, 50):6.1f} ms  p99 {p(static, 99):6.1f} ms  (same server, same run)")
    print(
        f"  ratio of p99s / to static: {p(page, 99) / p(static, 99):.2f}; target p99 < 200 ms: "
        f"{'met' if p(page, 99) < 200 else 'MISSED'}"
    )
    print(
        f"  sign-up POST (one each) max {max(timings['sign-up']):.1f} ms; their e-mails arrived: "
        f"{readers_served} of {options.readers}"
    )
    return 0 if flood_mails <= 5 and readers_served == options.readers else 1


if __name__ == "__main__":
    sys.exit(main())

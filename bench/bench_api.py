"""How fast is the public API under gunicorn, next to its own floor, and does its throttle hold under load?

Builds a database in a temporary directory (SQLite; or the scratch PostgreSQL database named by
BENCH_DATABASE_URL, emptied first, and the cache named by BENCH_CACHE_URL): XVIII-16 with its
72 signatories and 39 instruments, plus 24 more treaties of 150 participants each (about 7,300
actions and 3,600 events). Serves it with gunicorn as `make run` would (2 workers x 4 threads,
access log off) and loads it with wrk:

1. throughput: each list endpoint at 50 rows a page, anonymous, beside the API root `/api/v1/`
   (the same middleware, DRF and throttle, and no query: the floor any endpoint stands on)
   measured in the same run, in interleaved rounds: requests/s, p50 and p99, and the ratio to
   that floor; and a conditional GET answered 304. Twice: as served (responses stored under the data's version,
   what repeated reads get) and with API_STORE_RESPONSES=false (every response built: what
   the first reader after a change, or a crawl of many distinct pages, gets);
2. throttle: API_ANON_RATE=120/min and 64 connections hammering for 10 s: how many 200,
   429 and 5xx answers (target: no 5xx, and no more than the rate let through plus a few
   from races between the two workers).

Targets (docs/reliability.md): a list of 50 at >= 150 req/s with p99 < 200 ms.

Run: `python bench/bench_api.py [--duration 4] [--rounds 3] [--connections 16] [--strict]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support import Gunicorn, wrk  # noqa: E402

PYTHON = sys.executable
ENDPOINTS = {
    "/api/v1/ (baseline)": "/api/v1/",
    "treaties (25, all)": "/api/v1/treaties/",
    "treaty detail": "/api/v1/treaties/XVIII-16/",
    "participants x50": "/api/v1/treaties/XVIII-16/participants/?page_size=50",
    "actions x50": "/api/v1/actions/?page_size=50",
    "actions x50, filtered": "/api/v1/actions/?page_size=50&kind=ratification&date_after=2026-01-01",
    "events x50": "/api/v1/events/?page_size=50",
}
TARGET_RPS, TARGET_P99_MS = 150, 200
STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do io.write(string.format("status %d %d\\n", status, count)) end
  end
end
"""


def build_world() -> None:
    """Fill the database named by DATABASE_URL (run in a child process with Django set up)."""
    import datetime
    import random

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from ratification.models import Action, ActionKind, Event, EventKind, Participant, Treaty
    from ratification.services.participants import known_participants
    from ratification.services.seed import treaty_seed

    treaty_seed()
    random.seed(7)
    known = {entry.code: entry for entry in known_participants().values()}
    stored = {participant.code for participant in Participant.objects.all()}
    Participant.objects.bulk_create(
        Participant(code=code, name=entry.name, is_reio=entry.is_reio)
        for code, entry in known.items()
        if code not in stored
    )
    participants = list(Participant.objects.order_by("code"))
    cybercrime = Treaty.objects.get(mtdsg="XVIII-16")
    signatories = list(Participant.objects.filter(actions__treaty=cybercrime).order_by("code"))
    actions = [
        Action(treaty=cybercrime, participant=p, kind=ActionKind.RATIFICATION, date=datetime.date(2026, 3, 1 + i % 28))
        for i, p in enumerate(signatories[:39])
    ]
    for number in range(1, 25):
        treaty = Treaty.objects.create(mtdsg=f"XXVI-{number}", chapter="XXVI", title=f"Treaty {number}", xml_path="x")
        for participant in random.sample(participants, 150):
            signed = datetime.date(2020, 1, 1) + datetime.timedelta(days=random.randrange(1500))
            actions.append(Action(treaty=treaty, participant=participant, kind=ActionKind.SIGNATURE, date=signed))
            bound = signed + datetime.timedelta(days=random.randrange(30, 900))
            actions.append(Action(treaty=treaty, participant=participant, kind=ActionKind.RATIFICATION, date=bound))
    created = Action.objects.bulk_create(actions, batch_size=500)
    Event.objects.bulk_create(
        (
            Event(
                treaty=action.treaty,
                kind=EventKind.NEW_ACTION,
                participant=action.participant,
                action=action,
                occurred_on=action.date,
                data={"action_kind": action.kind, "date": action.date.isoformat()},
            )
            for action in created
            if action.kind == ActionKind.RATIFICATION
        ),
        batch_size=500,
    )
    print(f"built {Treaty.objects.count()} treaties, {Action.objects.count()} actions, {Event.objects.count()} events")


def clear_cache() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from django.core.cache import cache

    cache.clear()


def bench_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "CACHE_", "API_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
        # A cache all gunicorn workers share, as in production (Redis there): the throttle and the
        # stored responses live in it.
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", f"filecache://{tmp / 'cache'}"),
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="error",  # not one line per 429
        **extra,
    )
    return env


def throughput(env: dict[str, str], tmp: Path, args: argparse.Namespace) -> bool:
    """Print each endpoint's figures under one gunicorn; True if a list of 50 missed its target.

    The endpoints are loaded in interleaved rounds and each one's median round is shown, so
    other work on the machine weighs on every endpoint and on the floor alike."""
    missed = False
    print(f"{'endpoint':<24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x floor':>10}")
    with Gunicorn(env, tmp / "gunicorn.log", probe="/api/v1/") as server:
        loads = {label: (path, {}) for label, path in ENDPOINTS.items()}
        for path, _ in loads.values():
            wrk(server.url(path), seconds=2, connections=4)  # warm up
        etag = urllib.request.urlopen(server.url(ENDPOINTS["actions x50"])).headers["ETag"]
        loads["actions x50, 304"] = (ENDPOINTS["actions x50"], {"If-None-Match": etag})
        rounds: dict[str, list] = {label: [] for label in loads}
        for _ in range(args.rounds):
            for label, (path, headers) in loads.items():
                load = wrk(server.url(path), seconds=args.duration, connections=args.connections, headers=headers)
                rounds[label].append(load)
        baseline = None
        for label, results in rounds.items():
            result = sorted(results, key=lambda load: load.rps)[len(results) // 2]
            errors = sum(load.errors for load in results)
            baseline = baseline or result.rps
            if "x50" in label and "304" not in label:
                missed |= result.rps < TARGET_RPS or result.p99 > TARGET_P99_MS
            print(
                f"{label:<24} {result.rps:>8.0f} {result.p50:>8.1f} {result.p99:>8.1f} "
                f"{result.rps / baseline:>10.2f}" + (f"  ({errors} errors!)" if errors else "")
            )
    return missed


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--duration", type=int, default=4, help="seconds per endpoint and round")
    options.add_argument("--rounds", type=int, default=3, help="interleaved rounds (the median is shown)")
    options.add_argument("--connections", type=int, default=16)
    options.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    options.add_argument("--build-world", action="store_true", help=argparse.SUPPRESS)
    options.add_argument("--clear-cache", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.build_world:
        build_world()
        return 0
    if args.clear_cache:
        clear_cache()
        return 0

    missed = False
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        env = bench_env(tmp, API_ANON_RATE="100000000/min")
        subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        # BENCH_DATABASE_URL names a scratch database: it is emptied first.
        subprocess.run([PYTHON, "manage.py", "flush", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PYTHON, __file__, "--build-world"], cwd=ROOT, env=env, check=True)
        print(
            f"wrk: 2 threads, {args.connections} connections, {args.rounds} interleaved rounds of {args.duration} s "
            "per endpoint (median shown); gunicorn 2 x 4 threads"
        )
        for store in ("true", "false"):
            served = {**env, "API_STORE_RESPONSES": store}
            mode = "stored responses" if store == "true" else "every response built"
            print(f"\n{mode} (API_STORE_RESPONSES={store})")
            missed |= throughput(served, tmp, args) and store == "true"

        script = tmp / "statuses.lua"
        script.write_text(STATUS_SCRIPT)
        # Emptied: the throughput run above spent this address's budget many times over.
        subprocess.run([PYTHON, __file__, "--clear-cache"], cwd=ROOT, env=env, check=True)
        throttled = {**env, "API_ANON_RATE": "120/min"}
        with Gunicorn(throttled, tmp / "gunicorn.log", probe="/api/v1/") as server:
            result = wrk(server.url(ENDPOINTS["actions x50"]), seconds=10, connections=64, script=script)
        statuses = result.statuses
        server_errors = sum(count for status, count in statuses.items() if status >= 500)
        missed |= server_errors > 0
        print(
            f"throttle at 120/min, 64 connections for 10 s: {sum(statuses.values())} requests, "
            f"{statuses.get(200, 0)} answered 200, {statuses.get(429, 0)} answered 429, {server_errors} 5xx"
        )
    print(
        f"target lists of 50 >= {TARGET_RPS} req/s, p99 < {TARGET_P99_MS} ms (as served), no 5xx: "
        + ("MISSED" if missed else "met")
    )
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

"""One event to 1,000 webhook endpoints on a local receiver: our outbox vs a bare `requests` loop.

    python bench/bench_webhooks.py            # 1,000 endpoints (make bench)
    python bench/bench_webhooks.py --quick    # 200, for a smoke run

In separate processes, so each one's peak memory is its own:
1. setup: a fresh SQLite database, N webhook endpoints of XVIII-16 (each its own path and secret
   on the receiver), one recorded ratification: one Alert and N pending Delivery rows, exactly
   as the outbox owes them once a change is recorded (`events_claim`);
2. worker: runs the chunk task (`alerts.tasks.deliveries_send`) on every chunk, as one worker
   process would: claim, build and sign each message, post it, mark the row sent; prints
   messages/s and its peak RSS (target: under 300 MB);
3. baseline: the very requests the receiver got in step 2 (URL, headers, body), posted again by
   a bare `requests.Session` loop (no database, no signing): the transport's ceiling.
Target: the worker at least 0.5 times the baseline's messages per second.
The receiver (tests/support/webhook_receiver.py, threaded http.server with keep-alive) runs in
its own process, checks every signature and keeps what it received.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.5
RSS_LIMIT_MB = 300


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --- the receiver process ----------------------------------------------------------------


def run_receiver(secrets_path: Path) -> None:
    """On stdin: "secrets" loads path->secret, "count", "dump <path>", "reset"; answers one line."""
    from tests.support.webhook_receiver import WebhookReceiver

    receiver = WebhookReceiver().start()
    print(receiver.url(""), flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "secrets":
            receiver.secrets.update(json.loads(secrets_path.read_text()))
            print("ok", flush=True)
        elif command == "count":
            valid = sum(1 for item in receiver.received if item.valid)
            print(json.dumps({"received": len(receiver.received), "valid": valid}), flush=True)
        elif command == "dump":
            rows = [(receiver.url(item.path), item.headers, item.body) for item in receiver.received]
            Path(argument).write_bytes(pickle.dumps(rows))
            print("dumped", flush=True)
        elif command == "reset":
            receiver.received.clear()
            print("reset", flush=True)
    receiver.stop()


class Receiver:
    def __init__(self, secrets_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "receiver", str(secrets_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.base_url = self.process.stdout.readline().strip()

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# --- Django children ---------------------------------------------------------------------


def django_env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "memory://",
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "SITE_URL": "https://tracker.example.org",
        "LOG_LEVEL": "warning",
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",
    }


def run_setup(count: int, base_url: str, secrets_path: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from alerts.models import Delivery, Scope, WebhookEndpoint
    from alerts.services.fanout import events_claim
    from ratification.models import Action, Event, Participant, Treaty
    from ratification.services.seed import treaty_seed

    call_command("migrate", verbosity=0)
    treaty_seed()
    treaty = Treaty.objects.get(mtdsg="XVIII-16")
    endpoints = WebhookEndpoint.objects.bulk_create(
        (WebhookEndpoint(treaty=treaty, url=f"{base_url}/hook/{n}", scope=Scope.INSTRUMENTS) for n in range(count)),
        batch_size=500,
    )
    secrets_path.write_text(json.dumps({f"/hook/{n}": e.secret for n, e in enumerate(endpoints)}))
    ghana = Participant.objects.get(code="GHA")
    with transaction.atomic():
        action = Action.objects.create(treaty=treaty, participant=ghana, kind="ratification", date="2026-02-10")
        event = Event.objects.create(
            treaty=treaty,
            kind="new_action",
            participant=ghana,
            action=action,
            occurred_on="2026-02-10",
            data={"action_kind": "ratification", "date": "2026-02-10", "counted": 12, "threshold": 40},
        )
        events_claim(event_ids=[event.pk])
    print(json.dumps({"deliveries": Delivery.objects.count()}))


def run_worker() -> None:
    import django

    django.setup()
    from django.conf import settings

    from alerts import tasks
    from alerts.models import Delivery, DeliveryStatus
    from alerts.services.fanout import batched

    # A later round sends the same alert again: every row back to pending (not timed).
    Delivery.objects.update(status=DeliveryStatus.PENDING, claim="", claimed_at=None, sent_at=None)
    rss_ready = peak_rss_mb()
    ids = list(Delivery.objects.filter(status=DeliveryStatus.PENDING).order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    for chunk in batched(ids, settings.ALERTS_CHUNK_SIZE):
        tasks.deliveries_send.apply(args=(chunk,)).get()  # the task, in this process, as a worker runs it
    elapsed = time.perf_counter() - started
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    print(
        json.dumps(
            {
                "sent": sent,
                "seconds": elapsed,
                "rate": sent / elapsed,
                "rss_ready_mb": rss_ready,
                "rss_peak_mb": peak_rss_mb(),
            }
        )
    )


def run_baseline(dump: Path) -> None:
    import requests

    posts = pickle.loads(dump.read_bytes())
    session = requests.Session()
    session.trust_env = False
    started = time.perf_counter()
    ok = 0
    for url, headers, body in posts:
        forwarded = {name: value for name, value in headers.items() if name.startswith("webhook-")}
        forwarded["Content-Type"] = "application/json"
        response = session.post(url, data=body, headers=forwarded, timeout=(5, 10), allow_redirects=False)
        ok += 200 <= response.status_code < 300
    elapsed = time.perf_counter() - started
    print(json.dumps({"sent": ok, "seconds": elapsed, "rate": ok / elapsed, "rss_peak_mb": peak_rss_mb()}))


def child(args: list[str], env: dict[str, str]) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(f"{args[0]} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(quick: bool) -> int:
    count = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        secrets_path, dump = folder / "secrets.json", folder / "received.pickle"
        receiver = Receiver(secrets_path)
        try:
            env = django_env(folder / "bench.sqlite3")
            setup = child(["setup", str(count), receiver.base_url, str(secrets_path)], env)
            receiver.ask("secrets")
            worker = child(["worker"], env)
            received = json.loads(receiver.ask("count"))
            receiver.ask(f"dump {dump}")
            receiver.ask("reset")
            baseline = child(["baseline", str(dump)], env)
        finally:
            receiver.close()
    ratio = worker["rate"] / baseline["rate"]
    print(f"endpoints: {count} (deliveries owed: {setup['deliveries']})")
    print(f"receiver: {received['received']} posts, {received['valid']} with a valid signature")
    print(
        f"outbox worker: {worker['sent']} sent in {worker['seconds']:.2f}s = {worker['rate']:.0f} msg/s; "
        f"RSS {worker['rss_ready_mb']:.0f} MB ready, {worker['rss_peak_mb']:.0f} MB peak"
    )
    print(f"bare requests loop: {baseline['sent']} in {baseline['seconds']:.2f}s = {baseline['rate']:.0f} msg/s")
    print(f"ratio: {ratio:.2f}x (target >= {TARGET_RATIO}x); worker peak RSS target < {RSS_LIMIT_MB} MB")
    good = (
        ratio >= TARGET_RATIO
        and worker["rss_peak_mb"] < RSS_LIMIT_MB
        and worker["sent"] == count
        and received["valid"] == count
    )
    print("OK" if good else "BELOW TARGET")
    return 0 if good else 1


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "receiver":
        run_receiver(Path(sys.argv[2]))
    elif command == "setup":
        run_setup(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
    elif command == "worker":
        run_worker()
    elif command == "baseline":
        run_baseline(Path(sys.argv[2]))
    else:
        sys.exit(main(quick="--quick" in sys.argv))

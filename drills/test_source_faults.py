"""The source misbehaving, polled by a real worker; and two beat schedulers at once.

Targets (docs/reliability.md): 0 subscriber e-mails, 0 rows written or deleted, exactly one staff
alert per incident (and one recovery notice), Retry-After honoured; at most one PollRun per
schedule slot with two schedulers.
"""

from __future__ import annotations

import time
from collections import Counter
from http.server import BaseHTTPRequestHandler

import pytest
from django.db.models import Count
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from drills.support import beat, figures, worker
from drills.world import baseline, serve, unfinished
from ratification.models import Action, Event, PollOutcome, PollRun
from ratification.tasks import poll_treaty_task
from tests.support.http_server import Handler, ok, status, streamed
from tests.support.services import wait_for
from tests.support.untc_files import MAINTENANCE_PAGE, hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db(transaction=True)
GOOD = hanoi_file(hanoi_rows())
STAFF = "ops@example.org"


def slow(seconds: float, body: bytes) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        ok(body)(request)

    return handle


def hang(untc) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        untc.release.wait(120)

    return handle


def trickle() -> Handler:
    def drip():
        for byte in GOOD[:200]:
            yield bytes([byte])
            time.sleep(1)

    return streamed(drip)


def layout_changed() -> bytes:
    """A file whose consent column UNTC relabelled with words that say nothing the parser can read
    ("Consent to be bound" would be a real legend, read by its meaning: docs/untc-format.md §3.2)."""
    return GOOD.replace(b"Acceptance(A), Ratification, Approval(AA), Accession(a)", b"Status of implementation")


def stamped(untc, log: list[float], handler: Handler) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        log.append(time.monotonic())
        handler(request)

    return handle


class SourceFaultDrill:
    def test_a_misbehaving_source_changes_nothing_and_alerts_staff_once(
        self, treaty, redis_server, smtp, untc, child, tmp_path
    ):
        baseline(treaty, untc, 200)
        rows_before = (Action.objects.count(), Event.objects.count())
        faults = {
            "60 s latency (scaled: longer than the fetch timeout)": slow(5, GOOD),
            "a hang": hang(untc),
            "the body cut at 50%": ok(GOOD[: len(GOOD) // 2]),
            "a trickle of 1 byte/s": trickle(),
            "500": status(500),
            "an empty 200": ok(b""),
            "garbage bytes": ok(bytes(range(256)) * 40),
            "a layout-changed file": ok(layout_changed()),
            "the maintenance page": ok(MAINTENANCE_PAGE),
        }
        outcomes = {}
        with worker(broker_url=redis_server.url, log_path=tmp_path / "worker.log", **child):
            for name, handler in faults.items():
                serve(untc, handler)
                outcomes[name] = self.poll(treaty)
            arrivals: list[float] = []
            serve(untc, stamped(untc, arrivals, status(429, Retry_After="2")), stamped(untc, arrivals, ok(GOOD)))
            outcomes["429 with Retry-After: 2, then the file"] = self.poll(treaty)
            # Staff e-mails go through the outbox: the worker sends them.
            wait_for(lambda: unfinished() == 0, timeout=120, interval=0.5, message="the staff e-mails to go out")
        waited = arrivals[1] - arrivals[0]
        staff = [m for m in smtp.messages if STAFF in m["To"]]
        subscribers = [m for m in smtp.messages if STAFF not in m["To"]]
        rows_after = (Action.objects.count(), Event.objects.count())
        for name, outcome in outcomes.items():
            figures("source-fault", fault=name.replace(" ", "_"), outcome=outcome)
        figures(
            "source-faults",
            faults=len(faults),
            subscriber_emails=len(subscribers),
            staff_alerts=len(staff),
            rows_changed=rows_after != rows_before,
            retry_after_waited=f"{waited:.1f}s",
        )
        assert all(outcome.startswith("failed") for name, outcome in outcomes.items() if "429" not in name)
        assert outcomes["429 with Retry-After: 2, then the file"] == PollOutcome.UNCHANGED
        assert subscribers == [] and rows_after == rows_before
        assert [m["Subject"].split(" is ")[-1].split(" works ")[-1] for m in staff] == ["failing", "again"]
        assert waited >= 2

    @staticmethod
    def poll(treaty) -> str:
        count = PollRun.objects.count()
        poll_treaty_task.delay(treaty.pk)
        wait_for(
            lambda: PollRun.objects.filter(finished_at__isnull=False).count() > count,
            timeout=60,
            message="the worker to finish the poll",
        )
        return PollRun.objects.latest("started_at").outcome


class TwoSchedulersDrill:
    """Two beat processes for a simulated day (24 slots, each 2 s long): one poll per slot."""

    def test_two_beats_poll_each_slot_once(self, treaty, redis_server, smtp, untc, child, tmp_path):
        slots, seconds = 24, 2
        baseline(treaty, untc, 0)
        every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.filter(name=f"Poll UNTC: {treaty.mtdsg}").update(interval=every, enabled=True)
        PollRun.objects.all().delete()
        with (
            worker(broker_url=redis_server.url, log_path=tmp_path / "worker.log", **child),
            beat(broker_url=redis_server.url, log_path=tmp_path / "beat1.log", **child),
            beat(broker_url=redis_server.url, log_path=tmp_path / "beat2.log", **child),
        ):
            time.sleep(slots * seconds)
        per_slot = Counter(
            dict(
                PollRun.objects.exclude(slot=None).values_list("slot").annotate(n=Count("id")).values_list("slot", "n")
            )
        )
        fired = sum(
            (tmp_path / name).read_text().count("Sending due task Poll UNTC") for name in ("beat1.log", "beat2.log")
        )
        figures(
            "two-schedulers",
            slots=slots,
            schedules_fired=fired,
            slots_polled=len(per_slot),
            most_runs_in_a_slot=max(per_slot.values(), default=0),
            unchanged_runs=PollRun.objects.filter(outcome=PollOutcome.UNCHANGED).count(),
        )
        assert fired > len(per_slot), "both schedulers must have fired"
        assert max(per_slot.values()) == 1
        assert len(per_slot) >= slots - 4

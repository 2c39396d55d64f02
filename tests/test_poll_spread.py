"""500 treaties are polled across the interval, each at its own offset, not all at once; and each
poll after the first asks with the validators of the last read (a conditional GET)."""

from __future__ import annotations

import collections
import datetime
import itertools
from pathlib import Path

import pytest
from django_celery_beat.models import PeriodicTask

from ratification.models import PollOutcome, Treaty
from ratification.schedule import (
    POLL_TASK,
    PhasedEntry,
    PhasedScheduler,
    phase_start,
    poll_offset_seconds,
    treaty_schedule_ensure,
)
from ratification.services.polling import poll_treaty
from scrapers.untc import ParseError, parse_status
from tests.support.http_server import conditional

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "fixtures" / "untc-2018"
SIX_HOURS = 6 * 3600
START = datetime.datetime(2026, 11, 30, 12, 0, 7, tzinfo=datetime.UTC)


def follow(count: int) -> list[Treaty]:
    """`count` treaties followed in one go, each with its poll schedule (as `track` or the admin leave them)."""
    treaties = Treaty.objects.bulk_create(
        Treaty(mtdsg=f"XXVI-{n}", chapter="XXVI", title=f"Treaty {n}", xml_path=f"{n}.xml") for n in range(1, count + 1)
    )
    for treaty in treaties:
        treaty_schedule_ensure(treaty=treaty)
    return treaties


def entries() -> list[PhasedEntry]:
    return [PhasedEntry(task) for task in PeriodicTask.objects.filter(task=POLL_TASK).select_related("interval")]


def next_due(entry: PhasedEntry, now: datetime.datetime) -> datetime.datetime:
    return entry.last_run_at + entry.schedule.run_every


class PollSpreadTests:
    def test_beat_runs_the_phased_scheduler(self, settings):
        assert settings.CELERY_BEAT_SCHEDULER == "ratification.schedule:PhasedScheduler"
        assert PhasedScheduler.Entry is PhasedEntry

    def test_500_treaties_followed_at_once_are_polled_once_then_spread_across_the_interval(self, time_machine):
        time_machine.move_to(START, tick=False)
        follow(500)
        first = entries()
        # Their first poll is due at once: no page says "not checked yet" for hours.
        assert all(entry.is_due().is_due for entry in first)
        # Beat fires all 500 within its tick; each then waits for its own offset.
        fired = [next(entry) for entry in first]
        due = sorted(next_due(entry, START) for entry in fired)
        assert due[0] > START and due[-1] <= START + datetime.timedelta(seconds=SIX_HOURS)
        per_half_hour = collections.Counter(int((when - START).total_seconds() // 1800) for when in due)
        assert sorted(per_half_hour) == list(range(12))  # every half hour of the six has polls
        assert max(per_half_hour.values()) <= 500 / 12 * 1.1  # about 42 each, never a burst
        gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(due)]
        assert max(gaps) < 3 * SIX_HOURS / 500  # at most about two minutes without a poll

    def test_each_treaty_keeps_its_offset_whatever_beats_delay(self, time_machine):
        [treaty] = follow(1)
        [entry] = entries()
        offset = poll_offset_seconds(task_id=treaty.poll_task_id, interval_seconds=SIX_HOURS)
        fired_at = START
        for late in (0, 4, 57, 3, 900):  # beat's tick, a busy beat, a beat restarted after 15 minutes
            time_machine.move_to(fired_at + datetime.timedelta(seconds=late), tick=False)
            entry = next(entry)
            due = next_due(entry, fired_at)
            # Microseconds round the time: just under a whole interval is on the phase too.
            remainder = (due.timestamp() - offset) % SIX_HOURS
            assert min(remainder, SIX_HOURS - remainder) == pytest.approx(0, abs=1e-3)
            fired_at = due
        assert entry.model.last_run_at == entry.last_run_at  # what beat saves to the row

    def test_the_slot_is_the_start_of_the_treatys_phase(self):
        slot = phase_start(now=START, interval_seconds=SIX_HOURS, offset_seconds=600)
        assert slot == datetime.datetime(2026, 11, 30, 6, 10, tzinfo=datetime.UTC)
        assert phase_start(now=slot, interval_seconds=SIX_HOURS, offset_seconds=600) == slot

    def test_offsets_differ_between_neighbouring_rows(self):
        offsets = [poll_offset_seconds(task_id=pk, interval_seconds=SIX_HOURS) for pk in range(1, 4)]
        assert len({round(offset) for offset in offsets}) == 3
        assert all(0 <= offset < SIX_HOURS for offset in offsets)


def corpus_treaties(count: int) -> list[tuple[Treaty, bytes]]:
    """The first `count` real status files of January 2018 that parse, each as its tracked treaty."""
    chosen = []
    for path in sorted(CORPUS.glob("*.xml")):
        content = path.read_bytes()
        try:
            mtdsg = parse_status(content).header.mtdsg
        except ParseError:
            continue
        treaty = Treaty.objects.create(
            mtdsg=mtdsg, chapter=mtdsg.split("-")[0], title=mtdsg, xml_path=f"corpus/{path.name}"
        )
        chosen.append((treaty, content))
        if len(chosen) == count:
            return chosen
    raise AssertionError("the corpus has too few readable files")


class ConditionalGetTests:
    def test_every_treaty_asks_with_its_own_validators_and_an_unchanged_file_costs_a_304(self, untc):
        treaties = corpus_treaties(3)
        for treaty, content in treaties:
            etag = f'"{treaty.mtdsg}-v1"'
            untc.routes[f"/{treaty.xml_path}"] = [conditional(content, etag, "Mon, 29 Jan 2018 08:00:00 GMT")]
        first = [poll_treaty(treaty=treaty).run.outcome for treaty, _ in treaties]
        assert PollOutcome.NOT_MODIFIED not in first and PollOutcome.FAILED not in first
        second = [poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk)).run.outcome for treaty, _ in treaties]
        assert second == [PollOutcome.NOT_MODIFIED] * 3
        asked = [headers.get("If-None-Match") for _, headers in untc.requests[3:]]
        assert asked == [f'"{treaty.mtdsg}-v1"' for treaty, _ in treaties]

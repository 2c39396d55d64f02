"""Reads for the public record of changes: a treaty's history, one event, an archived source file.

Each in a constant number of queries whatever the number of events (tests/views/test_history.py
counts them at 10 and at 1,000 events).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language

from ratification.collation import sorted_names
from ratification.models import SUCCESSFUL_OUTCOMES, Event, Participant, PollRun, SourceSnapshot, Treaty
from ratification.page_selectors import TREATY_TEXTS
from scrapers.status_diff import StatusDiff, status_as_published, status_diff
from scrapers.untc import ParseError, parse_status

HISTORY_PAGE_SIZE = 50


def _with_provenance(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with what a line of the history shows, in the same query: the participant, the
    action, and the poll and archived file it came from (without the file's bytes)."""
    return events.select_related(
        "participant", "action", "statement", "treaty", "poll_run", "poll_run__snapshot"
    ).defer("poll_run__snapshot__compressed", "poll_run__summary", *(f"treaty__{name}" for name in TREATY_TEXTS))


@dataclass(frozen=True)
class HistoryFilter:
    """Which events the history shows: a participant's code and an event kind, each optional."""

    participant: str = ""
    kind: str = ""

    def apply(self, events: QuerySet[Event]) -> QuerySet[Event]:
        if self.participant:
            events = events.filter(participant__code=self.participant)
        if self.kind:
            events = events.filter(kind=self.kind)
        return events


def history_page(*, treaty: Treaty, only: HistoryFilter, number: int | str) -> Page:
    """One page of every change recorded for `treaty`, newest first: two queries."""
    events = _with_provenance(only.apply(Event.objects.filter(treaty=treaty))).order_by("-created_at", "-id")
    return Paginator(events, HISTORY_PAGE_SIZE).get_page(number)


def history_participants(*, treaty: Treaty) -> list[Participant]:
    """The participants the history of `treaty` mentions, for its filter: one query."""
    participants = Participant.objects.filter(events__treaty=treaty).distinct()
    return sorted_names(participants, language=get_language(), key=lambda participant: participant.name)


def event_by_id(*, event_id: int) -> Event:
    event = _with_provenance(Event.objects.filter(pk=event_id)).first()
    if event is None:
        raise Http404(f"No event has the number {event_id}.")
    return event


def action_events(*, event: Event) -> list[Event]:
    """The other events about the same action (its deposit, corrections, withdrawal) or the same
    statement (made, changed, withdrawn), oldest first."""
    if event.action_id is not None:
        same = Event.objects.filter(action_id=event.action_id)
    elif event.statement_id is not None:
        same = Event.objects.filter(statement_id=event.statement_id)
    else:
        return []
    return list(_with_provenance(same).order_by("created_at", "id"))


def snapshot_by_sha(*, sha256: str) -> SourceSnapshot:
    snapshot = SourceSnapshot.objects.filter(sha256=sha256.lower()).first()
    if snapshot is None:
        raise Http404(f"No archived source file has the SHA-256 {sha256}.")
    return snapshot


def snapshot_was_read(*, snapshot: SourceSnapshot) -> bool:
    """Whether a poll read this file as the treaty's status file (one query): a file every poll
    refused (a maintenance page, garbage) may hold anything."""
    return PollRun.objects.filter(snapshot=snapshot, outcome__in=SUCCESSFUL_OUTCOMES).exists()


def snapshot_bytes(snapshot: SourceSnapshot) -> bytes:
    """The exact bytes received from the source."""
    return gzip.decompress(bytes(snapshot.compressed))


@dataclass(frozen=True)
class SourceRecord:
    """An archived file with the reads that received it and the events it produced."""

    snapshot: SourceSnapshot
    runs: list[PollRun]
    events: list[Event]


def source_record(*, sha256: str) -> SourceRecord:
    """What the source page shows: three queries."""
    snapshot = SourceSnapshot.objects.defer("compressed").filter(sha256=sha256.lower()).first()
    if snapshot is None:
        raise Http404(f"No archived source file has the SHA-256 {sha256}.")
    runs = list(
        PollRun.objects.filter(snapshot=snapshot).select_related("treaty").defer("summary").order_by("started_at")
    )
    events = list(
        _with_provenance(Event.objects.filter(poll_run__snapshot=snapshot)).order_by("poll_run__started_at", "id")
    )
    return SourceRecord(snapshot=snapshot, runs=runs, events=events)


@dataclass(frozen=True)
class PollDiff:
    """A poll's file against the file read before it, participant by participant."""

    run: PollRun
    previous: PollRun | None
    diff: StatusDiff | None
    error: str = ""
    #: Whether rows held for review were left out of either file.
    held_left_out: bool = False


def _public_view(run: PollRun) -> dict:
    return (run.summary or {}).get("public_view") or {}


def _parsed(run: PollRun):
    """The run's file as the public saw it: what the poll held for review is left out."""
    return status_as_published(parse_status(gzip.decompress(bytes(run.snapshot.compressed))), _public_view(run))


def poll_diff(*, treaty: Treaty, run_id: int) -> PollDiff:
    """Compare the file of poll run `run_id` with the previous distinct file of the same treaty."""
    run = PollRun.objects.filter(treaty=treaty, pk=run_id, snapshot__isnull=False).select_related("snapshot").first()
    if run is None:
        raise Http404(f"Poll run {run_id} of {treaty.mtdsg} kept no file.")
    # The file read before it and applied: a refused file (a maintenance page) is no "before".
    previous = (
        PollRun.objects.filter(
            treaty=treaty, snapshot__isnull=False, started_at__lt=run.started_at, outcome__in=SUCCESSFUL_OUTCOMES
        )
        .exclude(snapshot=run.snapshot_id)
        .select_related("snapshot")
        .order_by("-started_at", "-id")
        .first()
    )
    try:
        after = _parsed(run)
        before = _parsed(previous) if previous else None
    except ParseError as error:
        return PollDiff(run=run, previous=previous, diff=None, error=str(error))
    held = bool(_public_view(run) or (previous and _public_view(previous)))
    return PollDiff(run=run, previous=previous, diff=status_diff(before, after), held_left_out=held)

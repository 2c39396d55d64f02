"""The API's reads: each list in a constant number of queries, whatever the page size."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Max, OuterRef, QuerySet, Subquery

from ratification import page_selectors, selectors, stage_selectors
from ratification.models import SUCCESSFUL_OUTCOMES, Action, Event, PollRun, Treaty
from ratification.selectors import ParticipantRow, TreatySummary


def _last_run_finished(**filters) -> Subquery:
    runs = PollRun.objects.filter(treaty=OuterRef("pk"), **filters).order_by().values("treaty")
    return Subquery(runs.annotate(at=Max("finished_at")).values("at"))


def treaty_list() -> QuerySet[Treaty]:
    """Treaties with when they were last read: one query."""
    return Treaty.objects.annotate(
        # As selectors.treaty_freshness reads them, for every treaty in the same query.
        last_checked_at=_last_run_finished(),
        last_success_at=_last_run_finished(outcome__in=SUCCESSFUL_OUTCOMES),
    ).order_by("mtdsg")


def treaty_statuses(*, treaties: Collection[Treaty]) -> dict[int, TreatySummary]:
    """Each treaty's summary, as the list of treaties page reads them (cached per treaty)."""
    return page_selectors.treaty_summaries(treaties=treaties)


def action_list() -> QuerySet[Action]:
    """Actions oldest change first, (updated_at, id) being the incremental-sync key."""
    return Action.objects.select_related("treaty", "participant").order_by("updated_at", "id")


def event_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Event]:
    """Events in the order they were recorded; staff also see the unannounced ones (corrections, renames)."""
    events = Event.objects.select_related("treaty", "participant", "action").order_by("created_at", "id")
    return events if user.is_staff else events.filter(public=True)


def poll_run_list() -> QuerySet[PollRun]:
    return PollRun.objects.select_related("treaty").order_by("-started_at", "-id")


def participant_rows(
    *, treaty: Treaty, statuses: Collection[str] = (), kinds: Collection[str] = (), codes: Collection[str] = ()
) -> list[ParticipantRow]:
    """A treaty's participants table with their reported national steps (two queries), keeping
    the rows that match every given filter."""
    _, rows = selectors.treaty_overview(treaty=treaty)
    pipelines = stage_selectors.treaty_pipelines(stages=stage_selectors.treaty_stages(treaty=treaty), rows=rows)
    rows = stage_selectors.rows_with_stages(rows, pipelines)
    return [
        row
        for row in rows
        if (not statuses or row.status in statuses)
        and (not kinds or any(action.kind in kinds for action in row.actions))
        and (not codes or row.code in codes)
    ]

"""The API's reads: each list in a constant number of queries, whatever the page size."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from ratification import selectors
from ratification.models import Action, Event, PollOutcome, PollRun, Treaty
from ratification.selectors import ParticipantRow
from ratification.services.polling import SUCCESSFUL_OUTCOMES

# Runs that read the source, successfully or not (a skipped or running one has not).
CHECKED_OUTCOMES = (*SUCCESSFUL_OUTCOMES, PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION)


def _last_run_finished(outcomes: Collection[str]) -> Subquery:
    runs = PollRun.objects.filter(treaty=OuterRef("pk"), outcome__in=outcomes).order_by("-started_at")
    return Subquery(runs.values("finished_at")[:1])


def treaty_list() -> QuerySet[Treaty]:
    """Treaties with when they were last read, and every action with its participant: two queries
    for any number of treaties, enough for `selectors.treaty_summary(treaty=t, actions=t.actions.all())`."""
    actions = Action.objects.select_related("participant")
    return (
        Treaty.objects.annotate(
            last_checked_at=_last_run_finished(CHECKED_OUTCOMES),
            last_success_at=_last_run_finished(SUCCESSFUL_OUTCOMES),
        )
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("mtdsg")
    )


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
    """A treaty's participants table (one query), keeping the rows that match every given filter."""
    _, rows = selectors.treaty_overview(treaty=treaty)
    return [
        row
        for row in rows
        if (not statuses or row.status in statuses)
        and (not kinds or any(action.kind in kinds for action in row.actions))
        and (not codes or row.code in codes)
    ]

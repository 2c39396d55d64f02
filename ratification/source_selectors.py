"""What is known of the source for a treaty: when it was last checked and read, and what it holds
back for staff. Read by the pages, the API and the commands (through `ratification.selectors`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ratification.models import SUCCESSFUL_OUTCOMES, PollOutcome, PollRun, Treaty


def held_for_review_count(*, treaty: Treaty) -> int:
    """Rows of the source held back for staff and not settled yet (one query). They are never
    Action rows until staff accept them, so nothing else here needs to leave them out."""
    from ratification.models import ReviewItem, ReviewKind

    return ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.HELD, resolved_at__isnull=True).count()


@dataclass(frozen=True)
class Freshness:
    """How current the stored data is: when the source was last checked and read.

    `last_failure` is the latest failed attempt while the source is failing (None otherwise):
    a failed attempt is not a check of the data, so pages show it apart, with its reason.
    """

    last_checked_at: datetime.datetime | None
    last_success_at: datetime.datetime | None
    consecutive_failures: int
    last_failure: PollRun | None = None

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


def treaty_freshness(*, treaty: Treaty) -> Freshness:
    """Last poll times come from PollRun (an unchanged poll writes nothing else): one query,
    and one more for the failed attempt's reason while the source is failing."""
    from django.db.models import Max, Q

    times = PollRun.objects.filter(treaty=treaty).aggregate(
        last_checked_at=Max("finished_at"),
        last_success_at=Max("finished_at", filter=Q(outcome__in=SUCCESSFUL_OUTCOMES)),
    )
    last_failure = None
    if treaty.consecutive_failures:
        last_failure = (
            PollRun.objects.filter(treaty=treaty, outcome__in=[PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION])
            .only("finished_at", "outcome", "http_status", "error")
            .order_by("-finished_at")
            .first()
        )
    return Freshness(consecutive_failures=treaty.consecutive_failures, last_failure=last_failure, **times)

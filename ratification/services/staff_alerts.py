"""What staff must be told about the source: failing, silent or readable again.

Each writes its record (a review item, or its resolution) and raises a staff alert in the
caller's transaction (`staff_alert_raised`, ratification/signals.py): the outbox owes the e-mail
with the record, and sends, retries and picks it up like any message (alerts/services/staff.py).
The record never sends anything itself. The callers claim the incident first
(`Treaty.failure_alerted_at`), in the same transaction, so there is one alert per incident.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ratification.models import PollRun, ReviewItem, ReviewKind, ReviewResolution, Treaty
from ratification.signals import staff_alert_raised


def _raise(template: str, context: dict) -> None:
    staff_alert_raised.send(sender=Treaty, template=template, context=context)


@transaction.atomic
def source_failing(*, treaty: Treaty, run: PollRun) -> None:
    """Reading the source has failed POLL_FAILURE_ALERT_AFTER times in a row: one alert per incident."""
    ReviewItem.objects.create(
        treaty=treaty,
        kind=ReviewKind.POLL_FAILING,
        poll_run=run,
        description=f"Reading the UNTC file of {treaty.mtdsg} failed {treaty.consecutive_failures} times in a row: "
        f"{run.get_outcome_display()}: {run.error}",
        data={"outcome": run.outcome, "error": run.error},
    )
    _raise("source_failing", {"treaty": treaty, "run": run, "failures": treaty.consecutive_failures})


@transaction.atomic
def source_silent(*, treaty: Treaty, since) -> None:
    """No poll has succeeded for three intervals (the dead-man's switch)."""
    ReviewItem.objects.create(
        treaty=treaty,
        kind=ReviewKind.POLL_FAILING,
        description=f"No poll of {treaty.mtdsg} has succeeded since {since:%Y-%m-%d %H:%M} UTC "
        f"(more than three polling intervals). Check the worker, beat and the treaty's schedule.",
        data={"reason": "silence", "since": since.isoformat()},
    )
    _raise("source_silent", {"treaty": treaty, "since": since})


@transaction.atomic
def source_recovered(*, treaty: Treaty) -> None:
    """The first good read after an alerted incident."""
    ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.POLL_FAILING, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=ReviewResolution.ACKNOWLEDGED, note="The source could be read again."
    )
    _raise("source_recovered", {"treaty": treaty})

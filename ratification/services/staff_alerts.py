"""Operational e-mails to staff (STAFF_ALERT_EMAILS): never to subscribers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from ratification.models import PollRun, ReviewItem, ReviewKind, ReviewResolution, Treaty

logger = logging.getLogger(__name__)


def _send(template: str, context: dict) -> int:
    recipients = settings.STAFF_ALERT_EMAILS
    if not recipients:
        logger.warning("staff alert %s not e-mailed: STAFF_ALERT_EMAILS is empty", template)
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/staff/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/staff/{template}_body.txt", context)
    try:
        return send_mail(subject, body, None, recipients)
    except Exception:
        # The alert is also a review item in the admin; a broken mail server must not
        # turn a failed poll into a crashed one.
        logger.exception("staff alert %s could not be sent", template)
        return 0


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
    _send("source_failing", {"treaty": treaty, "run": run, "failures": treaty.consecutive_failures})


def source_silent(*, treaty: Treaty, since) -> None:
    """No poll has succeeded for three intervals (the dead-man's switch)."""
    ReviewItem.objects.create(
        treaty=treaty,
        kind=ReviewKind.POLL_FAILING,
        description=f"No poll of {treaty.mtdsg} has succeeded since {since:%Y-%m-%d %H:%M} UTC "
        f"(more than three polling intervals). Check the worker, beat and the treaty's schedule.",
        data={"reason": "silence", "since": since.isoformat()},
    )
    _send("source_silent", {"treaty": treaty, "since": since})


def source_recovered(*, treaty: Treaty) -> None:
    """The first good read after an alerted incident."""
    ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.POLL_FAILING, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=ReviewResolution.ACKNOWLEDGED, note="The source could be read again."
    )
    _send("source_recovered", {"treaty": treaty})

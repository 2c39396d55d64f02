"""Operational e-mails to staff (STAFF_ALERT_EMAILS), never to subscribers: the source failing,
silent or recovered (here), and alert deliveries failing for good (alerts/services/delivery.py).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import timezone

from ratification.models import PollRun, ReviewItem, ReviewKind, ReviewResolution, Treaty
from tracker.site import site_host

logger = logging.getLogger(__name__)


def staff_mail_send(template: str, context: dict) -> bool:
    """E-mail staff `templates/emails/staff/<template>_subject.txt` and `_body.txt` (plain text).

    The one way both apps write to staff. False only when the mail server could not take it
    (the caller may try again at its next occasion); True when it was sent, or when no staff
    address is configured (logged). Never raises: a broken mail server must not turn a failed
    poll or a failed delivery into a crashed task.
    """
    recipients = settings.STAFF_ALERT_EMAILS
    if not recipients:
        logger.warning("staff alert %s not e-mailed: STAFF_ALERT_EMAILS is empty", template)
        return True
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"emails/staff/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/staff/{template}_body.txt", context)
    message = EmailMessage(subject, body, to=recipients, headers={"Message-ID": make_msgid(domain=site_host())})
    try:
        message.send()
    except Exception:
        logger.exception("staff alert %s could not be sent", template)
        return False
    return True


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
    staff_mail_send("source_failing", {"treaty": treaty, "run": run, "failures": treaty.consecutive_failures})


def source_silent(*, treaty: Treaty, since) -> None:
    """No poll has succeeded for three intervals (the dead-man's switch)."""
    ReviewItem.objects.create(
        treaty=treaty,
        kind=ReviewKind.POLL_FAILING,
        description=f"No poll of {treaty.mtdsg} has succeeded since {since:%Y-%m-%d %H:%M} UTC "
        f"(more than three polling intervals). Check the worker, beat and the treaty's schedule.",
        data={"reason": "silence", "since": since.isoformat()},
    )
    staff_mail_send("source_silent", {"treaty": treaty, "since": since})


def source_recovered(*, treaty: Treaty) -> None:
    """The first good read after an alerted incident."""
    ReviewItem.objects.filter(treaty=treaty, kind=ReviewKind.POLL_FAILING, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=ReviewResolution.ACKNOWLEDGED, note="The source could be read again."
    )
    staff_mail_send("source_recovered", {"treaty": treaty})

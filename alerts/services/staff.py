"""E-mails to staff (STAFF_ALERT_EMAILS), never to subscribers, owed through the outbox.

What they are about is decided elsewhere: the record raises a staff alert (a source failing,
silent or readable again: ratification/services/staff_alerts.py, through the
`staff_alert_raised` signal), and the outbox itself raises its own (alert deliveries failing for
good, alerts/services/delivery.py; a channel switched off, channel_health.py). Each becomes one
`staff` delivery, rendered now and owed in the caller's transaction, then sent, retried and
picked up like every other delivery (alerts/services/delivery.py): a mail server or broker that
is down when a poll fails loses nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string

from alerts.models import Channel, Delivery
from alerts.services.fanout import deliveries_offer
from tracker.site import site_host

logger = logging.getLogger(__name__)


def staff_message_owe(*, template: str, context: dict) -> Delivery | None:
    """Owe staff `templates/emails/staff/<template>_subject.txt` and `_body.txt` (plain text),
    rendered with `context` now. None when no staff address is configured (logged)."""
    recipients = list(settings.STAFF_ALERT_EMAILS)
    if not recipients:
        logger.warning("staff alert %s not e-mailed: STAFF_ALERT_EMAILS is empty", template)
        return None
    context = {**context, "site_url": settings.SITE_URL}
    payload = {
        "template": template,
        "subject": " ".join(render_to_string(f"emails/staff/{template}_subject.txt", context).split()),
        "body": render_to_string(f"emails/staff/{template}_body.txt", context),
        "to": recipients,
        "message_id": make_msgid(domain=site_host()),
    }
    delivery = Delivery.objects.create(channel=Channel.STAFF, payload=payload)
    deliveries_offer([delivery.pk])
    return delivery


def staff_alert_receive(*, template: str, context: dict, **signal: object) -> None:
    """What the record's `staff_alert_raised` signal owes: one e-mail to staff."""
    staff_message_owe(template=template, context=context)


def staff_message(delivery: Delivery) -> EmailMessage:
    """The e-mail a `staff` delivery owes, as it was rendered when it was owed."""
    payload = delivery.payload
    return EmailMessage(
        payload["subject"], payload["body"], to=payload["to"], headers={"Message-ID": payload["message_id"]}
    )

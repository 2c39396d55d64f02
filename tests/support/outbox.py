"""The outbox's work after a commit, for tests that run inside one transaction (where on-commit
hooks never run): what the fast path and the sweeper do, done here at once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def outbox_send() -> str:
    """Take the events no claim took, send every delivery due now (`send_alerts`); its counts."""
    out = StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def outbox_take() -> int:
    """Take the events no claim took and owe their alerts, sending nothing."""
    from django.utils import timezone

    from alerts.services.sweep import events_claim_left

    return events_claim_left(recorded_before=timezone.now())

"""`python manage.py send_alerts`: deliver what is due now (every channel), in this process, and print the counts.

It picks up work as the sweeper does (alerts/services/sweep.py: events no claim took, rows a
stopped worker left), only without waiting, and runs the chunk task's own function
(`deliveries_send`) on every delivery due now, so it sends exactly as a worker would: the same
claim (a worker sending the same rows at the same moment claims none of them), the same retries,
published for the workers as usual.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.services.delivery import SendReport, deliveries_send
from alerts.services.fanout import batched
from alerts.services.sweep import deliveries_due, events_claim_left


class Command(BaseCommand):
    help = "Send every alert delivery (e-mail, webhook, chat) due now, without a worker, and print the counts."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        events_claim_left(recorded_before=now)
        reclaimed, due = deliveries_due(now=now, overdue_after=timedelta(0), limit=None, unqueued_alerts=True)
        report = SendReport()
        for chunk in batched(reclaimed + due, settings.ALERTS_CHUNK_SIZE):
            report += deliveries_send(delivery_ids=chunk)
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed}, deferred {report.deferred}, skipped {report.skipped}"
        )

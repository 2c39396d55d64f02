"""`python manage.py send_alerts`: deliver what is due now, in this process, and print the counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from alerts.services.sweep import deliveries_send_due


class Command(BaseCommand):
    help = "Send every alert e-mail that is due now, synchronously (no worker needed), and print the counts."

    def handle(self, *args, **options) -> None:
        report = deliveries_send_due()
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed}, deferred {report.deferred}, skipped {report.skipped}"
        )

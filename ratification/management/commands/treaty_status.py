"""`python manage.py treaty_status XVIII-16 [--json]`: where a treaty stands against its rule."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ratification import selectors
from ratification.views.as_of import AsOfError, as_of_parse


class Command(BaseCommand):
    help = "Print a treaty's counts and dates: signatories, parties, counted instruments, entry into force."

    def add_arguments(self, parser) -> None:
        parser.add_argument("mtdsg", help="MTDSG number of a tracked treaty, e.g. XVIII-16")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON (dates ISO 8601, null when unknown)"
        )
        parser.add_argument(
            "--as-of",
            dest="as_of",
            metavar="YYYY-MM-DD",
            help="the status as it stood at the end of that day, by the recorded dates of signature and deposit",
        )

    def handle(self, *args, mtdsg: str, as_json: bool, as_of: str | None = None, **options) -> None:
        treaty = selectors.treaty_by_number(mtdsg=mtdsg)
        if treaty is None:
            raise CommandError(f"{mtdsg} is not tracked")
        try:
            day = as_of_parse(as_of, today=timezone.localdate())
        except AsOfError as error:
            raise CommandError(str(error)) from error
        status = selectors.treaty_summary(treaty=treaty, as_of=day).as_json()
        if day is not None:
            status["as_of"] = day.isoformat()
        # Rows of the source kept from publication until staff decide (not in any count above).
        status["held_for_review"] = selectors.held_for_review_count(treaty=treaty)
        if as_json:
            self.stdout.write(json.dumps(status))
            return
        self.stdout.write(f"{treaty.mtdsg} {treaty.display_title}")
        for key, value in status.items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {value if value is not None else '-'}")

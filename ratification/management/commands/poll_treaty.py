"""`python manage.py poll_treaty XVIII-16 [--file PATH]`: poll now, synchronously, and say what changed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ratification import selectors
from ratification.models import PollOutcome, Treaty
from ratification.services.polling import poll_treaty, treaty_source_url


class Command(BaseCommand):
    help = "Read a treaty's UNTC status file now (from UNTC_BASE_URL, or --file) and print what changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("mtdsg", help="MTDSG number of a tracked treaty, e.g. XVIII-16")
        parser.add_argument("--file", type=Path, help="read this saved status file instead of fetching")

    def handle(self, *args, mtdsg: str, file: Path | None, **options) -> None:
        treaty = selectors.treaty_by_number(mtdsg=mtdsg)
        if treaty is None:
            raise CommandError(
                f"{mtdsg} is not tracked; tracked: {', '.join(Treaty.objects.values_list('mtdsg', flat=True))}"
            )
        content = None
        if file is not None:
            try:
                content = file.read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {file}: {error.strerror}") from None
        source = str(file) if file else treaty_source_url(treaty)
        self.stdout.write(f"Polling {treaty.mtdsg} from {source}")
        report = poll_treaty(treaty=treaty, content=content)
        run = report.run
        if run.outcome == PollOutcome.SKIPPED:
            raise CommandError("another poll of this treaty is running; try again in a minute")
        if run.outcome in (PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION):
            raise CommandError(f"refused ({run.get_outcome_display()}): {run.error}. Nothing was changed.")
        self._print(report)

    def _print(self, report) -> None:
        run, result = report.run, report.reconcile
        self.stdout.write(f"Outcome: {run.get_outcome_display()}")
        if result is None:
            self.stdout.write("The file is the same as last time: nothing to record.")
            return
        for action in result.created:
            self.stdout.write(f"  new: {action.participant.name}, {action.get_kind_display()}, {action.date:%Y-%m-%d}")
        for action in result.corrected:
            self.stdout.write(
                f"  corrected: {action.participant.name}, {action.get_kind_display()}, now {action.date:%Y-%m-%d}"
            )
        for old, new in result.renamed:
            self.stdout.write(f"  renamed: {old} -> {new}")
        for event in result.events:
            announced = "announced" if event.public else "not announced"
            self.stdout.write(f"  event: {event.get_kind_display()} ({announced}) {event.occurred_on:%Y-%m-%d}")
        for item in result.review_items:
            self.stdout.write(f"  for review: {item.description}")
        if result.confirmed:
            self.stdout.write(f"  {result.confirmed} seeded rows confirmed by the source")
        if not result.changed:
            self.stdout.write("No new actions, corrections or events.")

"""`python manage.py poll_treaty XVIII-16 [--file PATH]`: poll now, synchronously, and say what changed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ratification import selectors
from ratification.models import EventKind, PollOutcome, Treaty
from ratification.services.polling import poll_treaty, treaty_source_url
from ratification.wording.events import event_title

# Events the lines above already say (each new action, correction and rename): not repeated.
LISTED_ABOVE = (EventKind.NEW_ACTION, EventKind.CORRECTION, EventKind.RENAME)


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
        first_read = not treaty.source_hash
        report = poll_treaty(treaty=treaty, content=content)
        run = report.run
        if run.outcome == PollOutcome.SKIPPED:
            raise CommandError("another poll of this treaty is running; try again in a minute")
        if run.outcome in (PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION):
            raise CommandError(f"refused ({run.get_outcome_display()}): {run.error}. Nothing was changed.")
        self._print(report, first_read=first_read, every_row=options["verbosity"] >= 2)

    def _print(self, report, *, first_read: bool, every_row: bool) -> None:
        run, result = report.run, report.reconcile
        self.stdout.write(f"Outcome: {run.get_outcome_display()}")
        if result is None:
            self.stdout.write("The file is the same as last time: nothing to record.")
            return
        announced = {event.action_id: event.public for event in result.events if event.kind == EventKind.NEW_ACTION}
        if first_read and result.created:
            # The whole record of an old treaty (hundreds of rows) is no news: one line says it.
            participants = len({action.participant_id for action in result.created})
            self.stdout.write(
                f"First reading of {run.treaty.mtdsg}, its baseline: {len(result.created)} actions of "
                f"{participants} participants"
                + (f" and {result.statements} statements" if result.statements else "")
                + " recorded, none announced."
                + ("" if every_row else " (--verbosity 2 lists them.)")
            )
        if every_row or not first_read:
            for action in result.created:
                said = "announced" if announced.get(action.pk) else "not announced"
                self.stdout.write(
                    f"  new: {action.participant.name}, {action.get_kind_display()}, {action.date:%Y-%m-%d} ({said})"
                )
        for action in result.corrected:
            self.stdout.write(
                f"  corrected: {action.participant.name}, {action.get_kind_display()}, now {action.date:%Y-%m-%d}"
            )
        for old, new in result.renamed:
            self.stdout.write(f"  renamed: {old} -> {new}")
        for event in result.events:
            if event.kind in LISTED_ABOVE or (first_read and not every_row and not event.public):
                continue  # a baseline's events (its statements too) are said by the line above
            said = "announced" if event.public else "not announced"
            self.stdout.write(f"  event: {event_title(event)} ({said}), {event.occurred_on:%Y-%m-%d}")
        for item in result.review_items:
            self.stdout.write(f"  for review: {item.description}")
        if result.confirmed:
            self.stdout.write(f"  {result.confirmed} seeded rows confirmed by the source")
        if not result.changed:
            self.stdout.write("No new actions, corrections or events.")

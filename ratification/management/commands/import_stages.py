"""`python manage.py import_stages FILE.csv --treaty XVIII-16`: record national steps from a CSV file.

All or nothing (ratification/services/stage_import.py): a file with any bad row is refused
whole, each bad row listed by line number, and nothing is written. `--export` writes the
treaty's steps in the same format instead.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ratification import selectors
from ratification.services import stage_import


class Command(BaseCommand):
    help = "Import national steps (participant,date,stage,source_url,note) for a treaty; a bad row refuses the file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the CSV file (UTF-8), or - for standard input/output")
        parser.add_argument("--treaty", required=True, help="MTDSG number of a tracked treaty, e.g. XVIII-16")
        parser.add_argument(
            "--reason", default="imported with manage.py import_stages", help="kept in each step's history"
        )
        parser.add_argument(
            "--announce", action="store_true", help="alert the subscribers who chose to hear about reported steps"
        )
        parser.add_argument("--export", action="store_true", help="write the treaty's steps to FILE instead")

    def handle(self, *args, file: str, treaty: str, reason: str, announce: bool, export: bool, **options) -> None:
        found = selectors.treaty_by_number(mtdsg=treaty)
        if found is None:
            raise CommandError(f"{treaty} is not tracked")
        if export:
            text = stage_import.stages_csv(treaty=found)
            if file == "-":
                self.stdout.write(text, ending="")
            else:
                Path(file).write_text(text, encoding="utf-8", newline="")
            return
        try:
            # Not read whole when it is too big to be a file of steps.
            too_big = "" if file == "-" else stage_import.size_refusal(Path(file).stat().st_size)
            if too_big:
                raise CommandError(f"{file} refused: {too_big}; nothing was imported.")
            data = self.stdin_bytes() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            result = stage_import.stages_import(treaty=found, data=data, user=None, reason=reason, announce=announce)
        except stage_import.StageFileRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{file} refused: {len(refused.errors)} bad row(s); nothing was imported.") from None
        self.stdout.write(
            f"{found.mtdsg}: {len(result.created)} step(s) recorded, {result.unchanged} already recorded."
        )

    def stdin_bytes(self) -> bytes:
        import sys

        # One byte past the limit is enough for the service to refuse the file, saying so.
        return sys.stdin.buffer.read(stage_import.MAX_FILE_BYTES + 1)

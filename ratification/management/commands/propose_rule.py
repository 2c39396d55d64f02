"""`python manage.py propose_rule FILE [--json]`: the rule a status file's own words propose.

Reads nothing but the file and writes nothing: the clause UNTC quotes, the rule read from it (or
"no rule proposed" and why), that rule applied to the file's own instruments, and the date UNTC
declares for a treaty in force (ratification/proposals.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ratification.proposals import proposal_from_file
from scrapers.model import ParseError


class Command(BaseCommand):
    help = "Propose an entry-into-force rule from a status file's quoted clause, checked against its declared date."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a UNTC status file (.xml)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON (dates ISO 8601 or null)")

    def handle(self, *args, file: str, as_json: bool, **options) -> None:
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            proposal = proposal_from_file(data)
        except ParseError as error:
            raise CommandError(f"{file} is not a readable UNTC status file: {error}") from None
        answer = proposal.as_json()
        if as_json:
            self.stdout.write(json.dumps(answer))
            return
        self.stdout.write(f"{proposal.mtdsg}: {proposal.reason}")
        for key in ("rule", "computed_entry_into_force", "declared_entry_into_force"):
            value = answer[key]
            self.stdout.write(f"  {key.replace('_', ' ')}: {json.dumps(value) if value is not None else '-'}")

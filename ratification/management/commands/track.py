"""`python manage.py track MTDSG [MTDSG ...]`: follow treaties by number, each with its rule.

For each number: follow it as the admin's Add does (`treaty_create`: the status file's path,
the poll schedule), read its status file once, propose the rule from the clause it quotes
(ratification/proposals.py), and poll that same file as the baseline (recorded, not
announced). The proposed rule is applied at once only when it gives the date UNTC declares for
a treaty in force; for a treaty not yet in force it waits in the admin for staff. A treaty in
force whose clause no rule expresses gets the declared date as its date set by hand.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ratification.models import PollOutcome, Treaty
from ratification.proposals import proposal_from_file
from ratification.services.polling import poll_treaty, status_file_fetch
from ratification.services.rule_proposals import (
    declared_date_apply,
    rule_proposal_confirm,
    rule_proposal_store,
)
from ratification.services.treaties import treaty_create
from scrapers.fetch import FetchError
from scrapers.model import ParseError
from scrapers.untc import parse_header


class Command(BaseCommand):
    help = "Follow treaties by MTDSG number: add each, read its file as a baseline, apply its rule when checked."

    def add_arguments(self, parser) -> None:
        parser.add_argument("mtdsg", nargs="+", help="MTDSG numbers, e.g. XXVII-14 XVIII-12-a")

    def handle(self, *args, mtdsg: list[str], **options) -> None:
        failed = [number for number in mtdsg if not self._track(number)]
        if failed:
            raise CommandError(f"{len(failed)} of {len(mtdsg)} not fully tracked: {', '.join(failed)}")

    def _track(self, number: str) -> bool:
        try:
            treaty = treaty_create(mtdsg=number, user=None, reason="followed with manage.py track")
        except ValidationError as error:
            self.stderr.write(f"{number}: not followed: {' '.join(error.messages)}")
            return False
        self.stdout.write(f"{treaty.mtdsg}: followed ({treaty.xml_path})")
        try:
            fetched = status_file_fetch(treaty=treaty)
        except FetchError as error:
            self.stderr.write(f"{treaty.mtdsg}: the first read failed ({error}); it will be polled on schedule")
            return False
        content = fetched.content or b""
        try:
            proposal = proposal_from_file(content)
        except ParseError:
            proposal = None  # the poll below refuses the file and records why
        else:
            self._apply(treaty, proposal, content)
        report = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=content)
        run = report.run
        if run.outcome in (PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION, PollOutcome.SKIPPED):
            self.stderr.write(f"{treaty.mtdsg}: baseline refused ({run.get_outcome_display()}): {run.error}")
            return False
        created = len(report.reconcile.created) if report.reconcile else 0
        self.stdout.write(f"{treaty.mtdsg}: baseline read, {created} actions recorded (not announced)")
        return True

    def _apply(self, treaty: Treaty, proposal, content: bytes) -> None:
        eif_text = parse_header(content).eif_text
        treaty = rule_proposal_store(treaty=treaty, proposal=proposal, eif_text=eif_text)
        article = proposal.article or "the quoted clause"
        if proposal.agrees:
            declared = proposal.declared_on.isoformat()
            rule_proposal_confirm(treaty=treaty, user=None, reason=f"track: gives {declared}, the date UNTC declares")
            self.stdout.write(
                f"{treaty.mtdsg}: rule proposed from {article} gives {declared}, the date UNTC declares: applied"
            )
        elif proposal.rule is not None:
            self.stdout.write(f"{treaty.mtdsg}: rule proposed from {article}; not in force, it waits for staff")
        elif proposal.in_force and proposal.declared_on is not None:
            declared = proposal.declared_on.isoformat()
            declared_date_apply(
                treaty=treaty, user=None, declared_on=proposal.declared_on,
                reason=f"track: in force since {declared} as UNTC declares; no rule read from its clause",
            )  # fmt: skip
            self.stdout.write(
                f"{treaty.mtdsg}: {proposal.reason}; in force since {declared} as UNTC declares: date set"
            )
        else:
            self.stdout.write(f"{treaty.mtdsg}: {proposal.reason}; the rule waits for staff")

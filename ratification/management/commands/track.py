"""`python manage.py track MTDSG [MTDSG ...]`: follow treaties by number, each with what is known of its rule.

For each number: follow it as the admin's Add does (`treaty_create`: the status file's path,
the poll schedule), read its status file once, propose the rule from the clause it quotes
(ratification/proposals.py), and poll that same file as the baseline (recorded, not
announced). The proposed rule becomes the treaty's *known* rule only when it gives the date
UNTC declares for a treaty in force; for a treaty not yet in force it is shown as read from its
article, not confirmed, until staff confirm it in the admin. A treaty in force shows the date
UNTC declares, whatever its rule (docs/rules.md, "Known rules").

It can be run again: a treaty whose first read failed (the source was down, the file refused)
is read again, and one already read is left as it is; each line says which.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ratification import selectors
from ratification.models import SUCCESSFUL_OUTCOMES, PollOutcome, RuleBasis, Treaty
from ratification.proposals import RuleProposal, proposal_for
from ratification.services.polling import poll_treaty, status_file_fetch
from ratification.services.rule_proposals import rule_proposal_confirm, rule_proposal_store
from ratification.services.treaties import treaty_create
from scrapers.fetch import FetchError
from scrapers.model import ParseError
from scrapers.untc import TreatyHeader, TreatyStatus, parse_header, parse_status


class Command(BaseCommand):
    help = "Follow treaties by MTDSG number: add each, read its file as a baseline, apply its rule when checked."

    def add_arguments(self, parser) -> None:
        parser.add_argument("mtdsg", nargs="+", help="MTDSG numbers, e.g. XXVII-14 XVIII-12-a III-2-12b")

    def handle(self, *args, mtdsg: list[str], **options) -> None:
        failed = [number for number in mtdsg if not self._track(number)]
        if failed:
            raise CommandError(f"{len(failed)} of {len(mtdsg)} not fully tracked: {', '.join(failed)}")

    def _track(self, number: str) -> bool:
        treaty = selectors.treaty_by_number(mtdsg=number)
        if treaty is None:
            try:
                treaty = treaty_create(mtdsg=number, user=None, reason="followed with manage.py track")
            except ValidationError as error:
                self.stderr.write(f"{number}: not followed: {' '.join(error.messages)}")
                return False
            self.stdout.write(f"{treaty.mtdsg}: followed ({treaty.xml_path})")
        elif treaty.poll_runs.filter(outcome__in=SUCCESSFUL_OUTCOMES).exists():
            self.stdout.write(
                f"{treaty.mtdsg}: already followed and read; nothing done (`manage.py poll_treaty {treaty.mtdsg}` "
                "reads it again now)"
            )
            return True
        else:
            self.stdout.write(f"{treaty.mtdsg}: already followed, never read successfully: reading it again")
        return self._read(treaty)

    def _read(self, treaty: Treaty) -> bool:
        try:
            fetched = status_file_fetch(treaty=treaty)
        except FetchError as error:
            self.stderr.write(
                f"{treaty.mtdsg}: the first read failed ({error}); it will be polled on schedule, or run track again"
            )
            return False
        content = fetched.content or b""
        status, header = _read_file(content)
        proposal = proposal_for(header, status) if header else None
        eif_text = header.eif_text if header else ""
        if proposal is not None and proposal.agrees and not treaty.rule_basis:
            # Applied before the baseline, so its events carry the counts; the baseline's own
            # reconcile checks the rule against UNTC's date on the instruments it records.
            treaty = rule_proposal_store(treaty=treaty, proposal=proposal, eif_text=eif_text)
            reason = f"track: gives {proposal.declared_on.isoformat()}, the date UNTC declares"
            treaty = rule_proposal_confirm(
                treaty=treaty, user=None, reason=reason, basis=RuleBasis.DECLARED_DATE, check=False
            )
        elif proposal is not None:
            treaty = rule_proposal_store(treaty=treaty, proposal=proposal, eif_text=eif_text)
        report = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk), content=content, parsed=status)
        run = report.run
        if run.outcome in (PollOutcome.FAILED, PollOutcome.FAILED_VALIDATION, PollOutcome.SKIPPED):
            self.stderr.write(
                f"{treaty.mtdsg}: baseline refused ({run.get_outcome_display()}): {run.error}; run track again once "
                "the file is fixed"
            )
            return False
        created = len(report.reconcile.created) if report.reconcile else 0
        self.stdout.write(f"{treaty.mtdsg}: baseline read, {created} actions recorded (not announced)")
        if proposal is not None:
            self.stdout.write(f"{treaty.mtdsg}: {self._rule_line(Treaty.objects.get(pk=treaty.pk), proposal)}")
        return True

    def _rule_line(self, treaty: Treaty, proposal: RuleProposal) -> str:
        article = proposal.article or "the quoted clause"
        declared = treaty.declared_entry_into_force
        if treaty.rule_basis == RuleBasis.DECLARED_DATE and proposal.agrees:
            return f"rule read from {article} gives {proposal.declared_on.isoformat()}, the date UNTC declares: known"
        if treaty.rule_basis:
            return "its rule was already known: kept"
        if proposal.rule is not None:
            return (
                f"rule read from {article}; not in force, so no date checks it: shown as read, not confirmed, "
                "until staff confirm it"
            )
        if declared is not None:
            return f"{proposal.reason}; UNTC declares it in force since {declared.isoformat()}: that date is shown"
        if treaty.declared_provisional_entry_into_force is not None:
            provisional = treaty.declared_provisional_entry_into_force.isoformat()
            return f"{proposal.reason}; UNTC declares it provisionally in force since {provisional}: that date is shown"
        return f"{proposal.reason}; the rule waits for staff"


def _read_file(content: bytes) -> tuple[TreatyStatus | None, TreatyHeader | None]:
    """The file parsed once, for both the rule's proposal and the baseline poll: its status (None
    when the parser refuses it: the poll then records why) and its header (None when not even
    the header can be read)."""
    try:
        status = parse_status(content)
    except ParseError:
        try:
            return None, parse_header(content)
        except ParseError:
            return None, None
    return status, status.header

"""The rule proposed from a status file's own words, checked against the date UNTC declares.

Pure (no database): a parsed file in, a `RuleProposal` out. `scrapers.eif_clause` reads the
quoted clause; here the proposed rule is applied to the file's own instruments with
`ratification.rules`, and a proposal whose date contradicts the entry-into-force date UNTC
states for a treaty in force is dropped, with the reason: it is never kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ratification import rules
from ratification.registry import known_name
from scrapers.eif_clause import ClauseReading, ProposedRule, read_clause
from scrapers.model import CONSENT_KINDS, ParseError, TreatyHeader, TreatyStatus, iso
from scrapers.untc import parse_header, parse_status


@dataclass(frozen=True)
class RuleProposal:
    """A proposed rule (or None) with why, the date it gives, and the date UNTC declares."""

    mtdsg: str
    rule: ProposedRule | None
    reason: str
    article: str
    in_force: bool
    computed_on: datetime.date | None
    declared_on: datetime.date | None

    @property
    def agrees(self) -> bool:
        """Proposed, and its date is the one UNTC declares (a treaty in force)."""
        return self.rule is not None and self.declared_on is not None and self.computed_on == self.declared_on

    def as_json(self) -> dict:
        """The `propose_rule --json` shape."""
        return {
            "mtdsg": self.mtdsg,
            "rule": {**self.rule.as_json(), "article": self.article} if self.rule else None,
            "reason": self.reason,
            "computed_entry_into_force": iso(self.computed_on),
            "declared_entry_into_force": iso(self.declared_on),
        }


def rule_from_proposal(proposed: ProposedRule) -> rules.Rule:
    """The `rules.Rule` a proposal stands for; a later party's delay the clause does not give
    is taken to be the general one (it does not change the general date)."""
    later_days = proposed.later_party_delay_days
    later_months = proposed.later_party_delay_months
    if later_days is None or later_months is None:
        later_days, later_months = proposed.delay_days, proposed.delay_months
    return rules.Rule(
        kind=rules.RuleKind(proposed.kind),
        threshold=proposed.threshold,
        delay_days=proposed.delay_days,
        delay_months=proposed.delay_months,
        reio_counts=proposed.reio_counts,
        later_party_delay_days=later_days,
        later_party_delay_months=later_months,
    )


def file_instruments(status: TreatyStatus) -> list[rules.Instrument]:
    """Each row's consent to be bound, as the rule sees it (the European Union marked as a REIO).

    A bracketed (withdrawn) instrument is left out, as the tracker counts: a party that
    denounced the treaty after it entered into force then counts for nothing, and the check
    against the declared date says so if that moves the date.
    """
    instruments = []
    for participant in status.participants:
        consents = sorted((a for a in participant.actions if a.kind in CONSENT_KINDS), key=lambda a: a.date)
        if not consents:
            continue
        known = known_name(participant.name)
        instruments.append(
            rules.Instrument(
                participant=known.code if known else participant.name,
                date=consents[0].date,
                is_reio=bool(known and known.is_reio),
                withdrawn=consents[0].withdrawn,
            )
        )
    return instruments


def proposal_for(header: TreatyHeader, status: TreatyStatus | None) -> RuleProposal:
    """Read the header's clause, apply it to the file's instruments, check the declared date."""
    reading: ClauseReading = read_clause(header.eif_label, header.eif_text)
    proposed, reason, computed = reading.rule, reading.reason, None
    if proposed is not None and status is not None:
        computed = rules.entry_into_force(rule_from_proposal(proposed), file_instruments(status)).entry_into_force_on
    if proposed is not None and reading.in_force:
        article = reading.article or "the quoted clause"
        if status is None:
            proposed, reason = None, f"no rule proposed: the file has no participants table to check {article} against"
        elif reading.declared_on is None:
            proposed, reason = None, "no rule proposed: UNTC gives no single entry-into-force date to check it against"
        elif computed != reading.declared_on:
            reason = (
                f"no rule proposed: {article} read as {_describe(proposed)} gives "
                f"{iso(computed) or 'no date'} on this file's instruments, but UNTC declares "
                f"{reading.declared_on.isoformat()}{_hint(proposed, status, reading.declared_on)}"
            )
            proposed = None
    if proposed is None and not reason.startswith("no rule proposed"):
        reason = f"no rule proposed: {reason}"
    return RuleProposal(
        mtdsg=header.mtdsg,
        rule=proposed,
        reason=reason,
        article=reading.article,
        in_force=reading.in_force,
        computed_on=computed if proposed is not None else None,
        declared_on=reading.declared_on,
    )


def _hint(proposed: ProposedRule, status: TreatyStatus, declared: datetime.date) -> str:
    # The REIO sentence is often in a paragraph UNTC does not quote: say so when it explains
    # the difference, so staff know where to look (the proposal is still dropped).
    flipped = rules.Rule(**{**rule_from_proposal(proposed).__dict__, "reio_counts": not proposed.reio_counts})
    if rules.entry_into_force(flipped, file_instruments(status)).entry_into_force_on != declared:
        return ""
    if proposed.reio_counts:
        return (
            "; with a regional economic integration organization's instrument not counted it would agree "
            "(a paragraph UNTC does not quote may say so)"
        )
    return "; with a regional economic integration organization's instrument counted it would agree"


def _describe(proposed: ProposedRule) -> str:
    delay = f"{proposed.delay_days} days" if proposed.delay_days else f"{proposed.delay_months} months"
    if proposed.kind == rules.RuleKind.MONTH_FOLLOWING:
        delay = f"the 1st of the month after {proposed.delay_months} months"
    counted = "" if proposed.reio_counts else ", a REIO not counted"
    return f"instrument {proposed.threshold} + {delay}{counted}"


def proposal_from_file(data: bytes) -> RuleProposal:
    """The proposal for one status file's bytes; a file with no participants table is read for
    its header only. Raises ParseError when even the header cannot be read."""
    try:
        status = parse_status(data)
    except ParseError:
        return proposal_for(parse_header(data), None)
    return proposal_for(status.header, status)

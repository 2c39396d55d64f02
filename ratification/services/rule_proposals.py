"""The rule proposed from a treaty's own words: kept on the treaty, confirmed by staff.

A poll that reads a new entry-into-force text stores what `ratification.proposals` makes of it
(`rule_proposal_refresh`); staff see it in the admin as "proposed from article 65(1)" and apply
it with a reason (`rule_proposal_confirm`), which changes the rule through the same path as an
edit: the history records who and why, and the data version is bumped in the transaction.
`track` confirms it on its own only when the rule gives the date UNTC declares. Either way the rule
is then *known* (`Treaty.rule_basis`): until then the pages state no rule at all.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification.models import RuleBasis, Treaty
from ratification.proposals import RuleProposal, proposal_for
from ratification.services.rule_checks import eif_disagreement_check
from ratification.services.writes import lock_treaty, reason_required
from scrapers.model import TreatyStatus, iso

# django-simple-history keeps a change reason in 100 characters (a varchar on PostgreSQL).
HISTORY_REASON_LENGTH = 100


def history_reason(text: str) -> str:
    """A change reason that fits the history's column, cut with an ellipsis if it must be."""
    return text if len(text) <= HISTORY_REASON_LENGTH else text[: HISTORY_REASON_LENGTH - 1] + "\u2026"


# What a proposal sets: the rule dict's key, and the treaty's field.
PROPOSED_FIELDS = {
    "kind": "eif_rule_kind",
    "threshold": "eif_threshold",
    "delay_days": "eif_delay_days",
    "delay_months": "eif_delay_months",
    "reio_counts": "reio_counts",
    "later_party_delay_days": "later_party_delay_days",
    "later_party_delay_months": "later_party_delay_months",
}


def proposal_data(proposal: RuleProposal, *, eif_text: str) -> dict:
    """What is stored on `Treaty.rule_proposal` (JSON)."""
    return {
        "rule": proposal.rule.as_json() if proposal.rule else None,
        "reason": proposal.reason,
        "article": proposal.article,
        "computed": iso(proposal.computed_on),
        "declared": iso(proposal.declared_on),
        "agrees": proposal.agrees,
        "eif_text": eif_text,
    }


def proposed_changes(treaty: Treaty) -> dict[str, object]:
    """The fields the stored proposal would change, with their new values ({} if none)."""
    rule = (treaty.rule_proposal or {}).get("rule")
    if not rule:
        return {}
    changes = {}
    for key, field in PROPOSED_FIELDS.items():
        # A later party's delay the quoted clause does not give (None) keeps the treaty's own.
        if rule.get(key) is not None and getattr(treaty, field) != rule[key]:
            changes[field] = rule[key]
    return changes


def rule_proposal_refresh(*, treaty: Treaty, status: TreatyStatus) -> bool:
    """Read the proposal from the file the poll just read, if its entry-into-force text is new
    to the stored proposal. Sets the field (the caller saves); True if it changed. No query."""
    text = status.header.eif_text
    stored = treaty.rule_proposal or {}
    if stored and stored.get("eif_text") == text:
        return False
    treaty.rule_proposal = proposal_data(proposal_for(status.header, status), eif_text=text)
    return True


@transaction.atomic
def rule_proposal_confirm(
    *, treaty: Treaty, user, reason: str, basis: str = RuleBasis.CONFIRMED, check: bool = True
) -> Treaty:
    """Apply the stored proposal to the treaty's rule, with staff's reason; the rule is then known
    (`basis`: confirmed by staff, or, from `track`, giving the date UNTC declares) and the proposal
    settled (cleared, its text kept so the next poll does not propose it again). With `check`,
    the rule is checked against UNTC's date on the recorded instruments (`track` applies it before
    the baseline records any: the baseline's reconcile checks it)."""
    reason = reason_required(reason)
    treaty = lock_treaty(treaty)
    proposal = treaty.rule_proposal or {}
    if not proposal.get("rule"):
        raise ValidationError(_("There is no proposed rule to confirm."))
    for field, value in proposed_changes(treaty).items():
        setattr(treaty, field, value)
    article = proposal.get("article") or _("the quoted clause")
    treaty.rule_basis = basis
    treaty.rule_proposal = {"eif_text": proposal.get("eif_text", ""), "confirmed": article}
    treaty.last_change_at = timezone.now()
    treaty._history_user = user
    treaty._change_reason = history_reason(
        _("%(reason)s (rule proposed from %(article)s confirmed)") % {"reason": reason, "article": article}
    )
    treaty.save()
    if check:
        eif_disagreement_check(treaty=treaty)
    return treaty


@transaction.atomic
def rule_proposal_store(*, treaty: Treaty, proposal: RuleProposal, eif_text: str) -> Treaty:
    """Keep a proposal read outside a poll (the `track` command reads the file first)."""
    treaty = lock_treaty(treaty)
    treaty.rule_proposal = proposal_data(proposal, eif_text=eif_text)
    treaty.save(update_fields=["rule_proposal", "updated_at"])
    return treaty

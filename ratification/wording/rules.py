"""The entry-into-force rule in plain words, for the treaty page: a known rule, the rule read
from the treaty's clause that staff have not confirmed, and what is said when none is known.

Nothing here states a rule the tracker does not know (docs/rules.md, "Known rules"): a treaty
whose rule is not known gets UNTC's own words and a plain sentence saying so, and a rule read
from its clause is said as read, from its article, not confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratification.models import RuleBasis, RuleKind, Treaty


@dataclass(frozen=True)
class RuleFacts:
    """A rule as the sentences need it: a treaty's known rule, or one proposed from its clause."""

    kind: str
    threshold: int
    delay_days: int
    delay_months: int
    reio_counts: bool
    later_party_delay_days: int | None
    later_party_delay_months: int
    group_name: str = ""
    group_threshold: int = 0
    weight_name: str = ""
    weight_percent: float = 0.0
    weights_source: str = ""

    @classmethod
    def of_treaty(cls, treaty: Treaty) -> RuleFacts:
        return cls(
            kind=treaty.eif_rule_kind or RuleKind.COUNT,
            threshold=treaty.eif_threshold or 0,
            delay_days=treaty.eif_delay_days or 0,
            delay_months=treaty.eif_delay_months,
            reio_counts=bool(treaty.reio_counts),
            later_party_delay_days=treaty.later_party_delay_days,
            later_party_delay_months=treaty.later_party_delay_months,
            group_name=treaty.eif_group_name,
            group_threshold=treaty.eif_group_threshold,
            weight_name=treaty.eif_weight_name,
            weight_percent=float(treaty.eif_weight_percent or 0),
            weights_source=treaty.eif_weights_source,
        )

    @classmethod
    def of_proposal(cls, rule: dict) -> RuleFacts:
        """From `Treaty.rule_proposal["rule"]` (scrapers/eif_clause.py `ProposedRule.as_json`)."""
        return cls(
            kind=rule.get("kind") or RuleKind.COUNT,
            threshold=int(rule.get("threshold") or 0),
            delay_days=int(rule.get("delay_days") or 0),
            delay_months=int(rule.get("delay_months") or 0),
            reio_counts=bool(rule.get("reio_counts")),
            later_party_delay_days=rule.get("later_party_delay_days"),
            later_party_delay_months=int(rule.get("later_party_delay_months") or 0),
        )


def _delay_words(days: int, months: int) -> str:
    """'90 days', '6 months', '1 month and 15 days'."""
    day_words = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    month_words = ngettext("%(months)s month", "%(months)s months", months) % {"months": months}
    if months and days:
        return _("%(months)s and %(days)s") % {"months": month_words, "days": day_words}
    return month_words if months else day_words


def _percent(value) -> str:
    """55 as '55', 19.135 as '19.14' (or '19,14'): a share as a reader writes it."""
    number = float(value or 0)
    return formats.number_format(int(number) if number.is_integer() else round(number, 2))


def _general_sentence(rule: RuleFacts) -> str:
    kind = rule.kind
    facts = {
        "threshold": rule.threshold,
        "delay": _delay_words(rule.delay_days, rule.delay_months),
        "months": rule.delay_months,
    }
    if kind == RuleKind.MONTH_FOLLOWING:
        return (
            ngettext(
                "It enters into force on the first day of the month following the expiry of %(months)s month "
                "after the deposit of the instrument that brings the count of ratifications, acceptances, "
                "approvals and accessions to %(threshold)s.",
                "It enters into force on the first day of the month following the expiry of %(months)s months "
                "after the deposit of the instrument that brings the count of ratifications, acceptances, "
                "approvals and accessions to %(threshold)s.",
                rule.delay_months,
            )
            % facts
        )
    if kind == RuleKind.GROUP:
        return _(
            "It enters into force %(delay)s after the deposit of the instrument that brings the count of "
            "ratifications, acceptances, approvals and accessions to %(threshold)s, provided at least "
            "%(group_threshold)s of them come from %(group)s."
        ) % {**facts, "group_threshold": rule.group_threshold, "group": rule.group_name or _("the group")}
    if kind == RuleKind.WEIGHT:
        return _(
            "It enters into force %(delay)s after the date on which at least %(threshold)s parties, together "
            "holding at least %(percent)s%% of %(weight)s, have deposited their instruments."
        ) % {
            **facts,
            "percent": _percent(rule.weight_percent),
            "weight": rule.weight_name or _("the weight"),
        }
    if rule.delay_months:
        return (
            _(
                "It enters into force %(delay)s after the deposit of the instrument that brings the count of "
                "ratifications, acceptances, approvals and accessions to %(threshold)s."
            )
            % facts
        )
    return ngettext(
        "It enters into force %(days)s day after the deposit of the instrument that brings the count "
        "of ratifications, acceptances, approvals and accessions to %(threshold)s.",
        "It enters into force %(days)s days after the deposit of the instrument that brings the count "
        "of ratifications, acceptances, approvals and accessions to %(threshold)s.",
        rule.delay_days,
    ) % {"days": rule.delay_days, "threshold": rule.threshold}


def _later_party_sentence(rule: RuleFacts) -> str:
    if rule.kind == RuleKind.MONTH_FOLLOWING:
        return _(
            "For a State that deposits later, it enters into force on the first day of the month following the "
            "expiry of %(delay)s after that deposit, or on the general date if that is later."
        ) % {"delay": _delay_words(rule.later_party_delay_days, rule.later_party_delay_months)}
    if rule.later_party_delay_months:
        return _(
            "For a State that deposits later, it enters into force %(delay)s after that deposit, "
            "or on the general date if that is later."
        ) % {"delay": _delay_words(rule.later_party_delay_days, rule.later_party_delay_months)}
    return ngettext(
        "For a State that deposits later, it enters into force %(days)s day after that deposit, "
        "or on the general date if that is later.",
        "For a State that deposits later, it enters into force %(days)s days after that deposit, "
        "or on the general date if that is later.",
        rule.later_party_delay_days,
    ) % {"days": rule.later_party_delay_days}


def stated_rule(rule: RuleFacts) -> list[str]:
    """A rule as a reader would say it, for every kind of rule."""
    if rule.kind == RuleKind.PER_PARTY:
        return [
            _(
                "It has no general entry-into-force date: it enters into force for each party %(delay)s after "
                "that party deposits its own instrument."
            )
            % {"delay": _delay_words(rule.later_party_delay_days or 0, rule.later_party_delay_months)}
        ]
    sentences = [_general_sentence(rule)]
    if not rule.reio_counts:
        sentences.append(
            _(
                "An instrument deposited by a regional economic integration organization, such as the "
                "European Union, does not count toward the %(threshold)s."
            )
            % {"threshold": rule.threshold}
        )
    if rule.later_party_delay_days is not None:
        sentences.append(_later_party_sentence(rule))
    if rule.kind == RuleKind.WEIGHT and rule.weights_source:
        sentences.append(_("The shares are those of %(source)s.") % {"source": rule.weights_source})
    return sentences


def rule_sentences(treaty: Treaty) -> list[str]:
    """What the treaty page says of the rule: the known rule and why it is known; else that it is
    not known, and the rule read from the clause, said as read and not confirmed."""
    if treaty.rule_basis:
        basis = (
            _("Read from the clause the UN Treaty Collection quotes, and checked: it gives the date the UN declares.")
            if treaty.rule_basis == RuleBasis.DECLARED_DATE
            else _("Confirmed by the tracker's staff from the treaty's final clauses.")
        )
        return [*stated_rule(RuleFacts.of_treaty(treaty)), basis]
    sentences = [
        _(
            "The tracker has not confirmed this treaty's entry-into-force rule, so it counts nothing toward a "
            "threshold: the figures and dates here are those of the UN Treaty Collection."
        )
    ]
    proposal = treaty.rule_proposal or {}
    if proposal.get("rule"):
        article = proposal.get("article") or _("the quoted clause")
        sentences.append(_("Read from %(article)s, not yet confirmed:") % {"article": article})
        sentences += stated_rule(RuleFacts.of_proposal(proposal["rule"]))
    return sentences


def rule_progress(treaty: Treaty, summary) -> list[str]:
    """Where the second condition of a known group or weight rule stands (nothing for other kinds)."""
    if not summary.rule_known or summary.entry_into_force_on:
        return []
    rule = RuleFacts.of_treaty(treaty)
    if rule.kind == RuleKind.GROUP:
        return [
            _("So far %(counted)s of the %(needed)s needed from %(group)s.")
            % {
                "counted": summary.group_counted,
                "needed": rule.group_threshold,
                "group": rule.group_name or _("the group"),
            }
        ]
    if rule.kind == RuleKind.WEIGHT:
        return [
            _("So far the parties hold %(held)s%% of %(weight)s, of the %(percent)s%% needed.")
            % {
                "held": _percent(summary.weight_held),
                "weight": rule.weight_name or _("the weight"),
                "percent": _percent(rule.weight_percent),
            }
        ]
    return []

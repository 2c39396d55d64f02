"""A treaty's entry-into-force rule as the read side sees it: whether it is known, the `Rule` the pure
functions take, and the date that stands whatever a rule computes (docs/rules.md, "Known rules").

No query but `action_facts`: everything here reads one treaty's fields and, where given, actions
already read (whole rows, or `ActionFacts`: an action as a summary and the rule see it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from ratification import rules
from ratification.models import INSTRUMENT_KINDS, Action, Treaty

PARTY_VALUES = frozenset(str(kind) for kind in INSTRUMENT_KINDS)


class DateSource:
    """Where the entry-into-force date a page shows comes from."""

    UNTC = "untc"  # the date the UN Treaty Collection declares: always the one shown
    STAFF = "staff"  # a date staff set by hand, for a treaty UNTC does not declare in force
    RULE = "rule"  # computed from the treaty's known rule


def rule_known(*, treaty: Treaty) -> bool:
    """Whether the treaty's rule may be stated: staff confirmed it, or the rule read from its
    clause gives the date UNTC declares (docs/rules.md, "Known rules")."""
    return bool(treaty.rule_basis)


def treaty_rule(*, treaty: Treaty, override: datetime.date | None = None) -> rules.Rule | None:
    """The treaty's known rule as the pure functions take it, or None when it is not known: the
    one place a `Rule` is built from a `Treaty`, so the pages, the estimate, the events and the
    API all apply the same rule. `override` is the general date that stands (UNTC's, or staff's)."""
    if not rule_known(treaty=treaty):
        return None
    return rules.Rule(
        kind=rules.RuleKind(treaty.eif_rule_kind or rules.RuleKind.COUNT),
        threshold=treaty.eif_threshold or 0,
        delay_days=treaty.eif_delay_days or 0,
        delay_months=treaty.eif_delay_months,
        reio_counts=bool(treaty.reio_counts),
        later_party_delay_days=treaty.later_party_delay_days,
        later_party_delay_months=treaty.later_party_delay_months,
        override=override,
        group=frozenset(treaty.eif_group_codes or ()),
        group_threshold=treaty.eif_group_threshold,
        weights={code: float(share) for code, share in (treaty.eif_weights or {}).items()},
        weight_percent=float(treaty.eif_weight_percent or 0),
    )


def standing_date(*, treaty: Treaty) -> tuple[datetime.date | None, str]:
    """The entry-into-force date that stands whatever a rule computes, and where it comes from:
    the one UNTC declares, else one staff set by hand."""
    if treaty.declared_entry_into_force:
        return treaty.declared_entry_into_force, DateSource.UNTC
    if treaty.eif_date_override:
        return treaty.eif_date_override, DateSource.STAFF
    return None, ""


def rule_counts_alone(*, treaty: Treaty) -> bool:
    """Whether reaching the count is all the known rule asks (what the estimate of the pace projects)."""
    return (
        rule_known(treaty=treaty)
        and standing_date(treaty=treaty)[0] is None
        and treaty.eif_rule_kind in (rules.RuleKind.COUNT, rules.RuleKind.MONTH_FOLLOWING)
    )


def as_instrument(action: Action) -> rules.Instrument:
    return rules.Instrument(
        participant=action.participant.code,
        date=action.date,
        is_reio=action.participant.is_reio,
        withdrawn=action.withdrawn,
    )


def rule_entry_into_force(*, treaty: Treaty, actions: Iterable[Action]) -> datetime.date | None:
    """The general date the known rule itself computes, whatever UNTC or staff say (None when it
    is not known or computes none): what the check against UNTC's date compares."""
    rule = treaty_rule(treaty=treaty)
    if rule is None:
        return None
    instruments = [as_instrument(action) for action in actions if action.kind in INSTRUMENT_KINDS]
    return rules.entry_into_force(rule, instruments).entry_into_force_on


def party_kinds(*, treaty: Treaty) -> frozenset[str]:
    """The kinds that make a participant one of UNTC's Parties: a consent to be bound, or what
    the treaty's table records instead (an annex of III-2: its "Application")."""
    return frozenset(treaty.party_kinds) if treaty.party_kinds else PARTY_VALUES


@dataclass(frozen=True, slots=True)
class _Who:
    code: str
    is_reio: bool


@dataclass(slots=True)
class ActionFacts:
    """What a summary reads of an action (its rule sees the same), without building the model:
    a badge, an API answer or the list of treaties summarises every action of a treaty, and
    whole rows made that several times slower for a treaty of 200 participants."""

    pk: int
    treaty_id: int
    participant_id: int
    participant: _Who
    kind: str
    date: datetime.date
    withdrawn: bool


def action_facts(actions: QuerySet[Action]) -> list[ActionFacts]:
    """These actions as `ActionFacts`, in their order: one query."""
    rows = actions.values_list(
        "pk", "treaty_id", "participant_id", "participant__code", "participant__is_reio", "kind", "date", "withdrawn"
    )
    return [
        ActionFacts(pk, treaty_id, participant_id, _Who(code, is_reio), kind, date, withdrawn)
        for pk, treaty_id, participant_id, code, is_reio, kind, date, withdrawn in rows
    ]

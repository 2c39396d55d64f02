"""Entry-into-force rules: a treaty's clause as data, and pure functions over instruments.

No database, no clock. Article 65 of the UN Convention against Cybercrime (XVIII-16) is the
model: the Convention enters into force on the 90th day after the deposit of the 40th
instrument of ratification, acceptance, approval or accession, and an instrument of a
regional economic integration organization (the European Union) is not counted (65(1)); for a
State depositing later, on the 30th day after its deposit or on the general date, whichever
is later (65(2)).

Other clauses are other kinds of rule (`RuleKind`), each a few more fields of the same `Rule`:
the first day of the month following the expiry of M months after the N-th instrument (Hague
conventions); N instruments including K from a named group (the CTBT's Annex 2 States); N
parties together holding at least P% of a weight staff upload (the Paris Agreement: 55 Parties
and 55% of global emissions, article 21(1)); or no general date at all, each party bound D days
or M months after its own instrument (amendments). A date staff set by hand (`override`)
replaces the computed date whatever the kind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class RuleKind(StrEnum):
    """What brings a treaty into force (the values are stored on `Treaty.eif_rule_kind`)."""

    COUNT = "count"  # the N-th instrument, then D days (and/or M months)
    MONTH_FOLLOWING = "month_following"  # 1st day of the month after M months from the N-th
    GROUP = "group"  # N instruments, K of them from a named group of participants
    WEIGHT = "weight"  # N parties together holding at least P% of a weight
    PER_PARTY = "per_party"  # no general date: each party D days / M months after its own


@dataclass(frozen=True)
class Rule:
    """How many instruments bring a treaty into force, and when."""

    threshold: int
    delay_days: int
    reio_counts: bool
    # None when the clause does not say when a later party is bound: later parties then get no date.
    later_party_delay_days: int | None
    # Staff set a date by hand when no kind below expresses the clause: it replaces the
    # computed date.
    override: datetime.date | None = None
    kind: RuleKind = RuleKind.COUNT
    delay_months: int = 0
    later_party_delay_months: int = 0
    # GROUP: the participants' codes and how many of the N must be theirs.
    group: frozenset[str] = frozenset()
    group_threshold: int = 0
    # WEIGHT: each participant's share (in percent) and the share the parties must reach.
    weights: Mapping[str, float] = field(default_factory=dict)
    weight_percent: float = 0.0


@dataclass(frozen=True)
class Instrument:
    """A consent-to-be-bound instrument as the rule sees it."""

    participant: str
    date: datetime.date
    is_reio: bool = False
    withdrawn: bool = False


@dataclass(frozen=True)
class EntryIntoForce:
    """Where a treaty stands against its rule."""

    threshold: int
    counted: int
    threshold_reached_on: datetime.date | None
    threshold_instrument: Instrument | None
    entry_into_force_on: datetime.date | None
    party_dates: dict[str, datetime.date] = field(default_factory=dict)
    # GROUP and WEIGHT: how far the counted instruments are toward the second condition.
    group_counted: int = 0
    weight_held: float = 0.0

    @property
    def needed(self) -> int:
        return max(self.threshold - self.counted, 0)

    @property
    def reached(self) -> bool:
        return self.threshold_reached_on is not None


def counts_toward_threshold(instrument: Instrument, rule: Rule) -> bool:
    """Whether this instrument is one of the N the rule asks for."""
    if instrument.withdrawn:
        return False
    return rule.reio_counts or not instrument.is_reio


def _in_deposit_order(instruments: Iterable[Instrument]) -> list[Instrument]:
    # Same-day deposits are ordered by code only to be deterministic: the 40th instrument's
    # date, which is all the rule uses, is the same whichever of them is "the" 40th.
    return sorted(instruments, key=lambda instrument: (instrument.date, instrument.participant))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months later; the month's last day when it is shorter (31 Jan + 1: 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def first_of_next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def date_after(deposit: datetime.date, *, days: int, months: int, month_following: bool) -> datetime.date:
    """The deposit plus a delay: D days, M months, or the first day of the month following the
    expiry of M months ("expiry of three months after 15 January" is 15 April, so 1 May)."""
    day = add_months(deposit, months) + datetime.timedelta(days=days)
    return first_of_next_month(day) if month_following else day


def party_entry_into_force(
    instrument: Instrument, rule: Rule, general_date: datetime.date | None, threshold_date: datetime.date | None
) -> datetime.date | None:
    """The date the treaty enters into force for the participant that deposited `instrument`."""
    if instrument.withdrawn:
        return None
    own_date = None
    if rule.later_party_delay_days is not None:
        own_date = date_after(
            instrument.date,
            days=rule.later_party_delay_days,
            months=rule.later_party_delay_months,
            month_following=rule.kind == RuleKind.MONTH_FOLLOWING,
        )
    if rule.kind == RuleKind.PER_PARTY and rule.override is None:
        return own_date
    if general_date is None or threshold_date is None:
        return None
    if instrument.date <= threshold_date:
        return general_date
    return max(own_date, general_date) if own_date else None


def _threshold_instrument(rule: Rule, counted: list[Instrument]) -> tuple[Instrument | None, int, float]:
    """The instrument that meets every condition of the rule, with the group count and weight held
    at that point (or over all instruments, when none meets them yet)."""
    if rule.kind == RuleKind.PER_PARTY:
        return None, 0, 0.0
    in_group = held = 0.0
    for position, instrument in enumerate(counted, start=1):
        in_group += instrument.participant in rule.group
        held += float(rule.weights.get(instrument.participant, 0))
        enough = bool(rule.threshold) and position >= rule.threshold
        if rule.kind == RuleKind.GROUP:
            enough = enough and in_group >= rule.group_threshold
        elif rule.kind == RuleKind.WEIGHT:
            # Shares are published to two decimals: compare after rounding away float dust.
            enough = enough and round(held, 6) >= rule.weight_percent
        if enough:
            return instrument, int(in_group), held
    return None, int(in_group), held


def entry_into_force(rule: Rule, instruments: Iterable[Instrument]) -> EntryIntoForce:
    """Count the instruments, find the one that meets the rule, and date everything."""
    ordered = _in_deposit_order(instruments)
    counted = [instrument for instrument in ordered if counts_toward_threshold(instrument, rule)]
    threshold_instrument, group_counted, weight_held = _threshold_instrument(rule, counted)
    threshold_date = threshold_instrument.date if threshold_instrument else None
    general_date = rule.override
    if general_date is None and threshold_date is not None:
        general_date = date_after(
            threshold_date,
            days=rule.delay_days,
            months=rule.delay_months,
            month_following=rule.kind == RuleKind.MONTH_FOLLOWING,
        )
    if rule.override is not None and threshold_date is None:
        threshold_date = rule.override
    party_dates = {}
    for instrument in ordered:
        own_date = party_entry_into_force(instrument, rule, general_date, threshold_date)
        if own_date is not None:
            party_dates[instrument.participant] = own_date
    return EntryIntoForce(
        threshold=rule.threshold,
        counted=len(counted),
        threshold_reached_on=threshold_instrument.date if threshold_instrument else None,
        threshold_instrument=threshold_instrument,
        entry_into_force_on=general_date,
        party_dates=party_dates,
        group_counted=group_counted,
        weight_held=weight_held,
    )

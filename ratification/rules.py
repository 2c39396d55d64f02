"""Entry-into-force rules: a treaty's clause as data, and pure functions over instruments.

No database, no clock. Article 65 of the UN Convention against Cybercrime (XVIII-16) is the
model: the Convention enters into force on the 90th day after the deposit of the 40th
instrument of ratification, acceptance, approval or accession, and an instrument of a
regional economic integration organization (the European Union) is not counted (65(1)); for a
State depositing later, on the 30th day after its deposit or on the general date, whichever
is later (65(2)).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """How many instruments bring a treaty into force, and when."""

    threshold: int
    delay_days: int
    reio_counts: bool
    later_party_delay_days: int
    # Staff set a date by hand when the clause is more than "Nth instrument + D days"
    # (the Paris Agreement also needs 55% of emissions): it replaces the computed date.
    override: datetime.date | None = None


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


def party_entry_into_force(
    instrument: Instrument, rule: Rule, general_date: datetime.date | None, threshold_date: datetime.date | None
) -> datetime.date | None:
    """The date the treaty enters into force for the participant that deposited `instrument`."""
    if general_date is None or threshold_date is None or instrument.withdrawn:
        return None
    if instrument.date <= threshold_date:
        return general_date
    own_date = instrument.date + datetime.timedelta(days=rule.later_party_delay_days)
    return max(own_date, general_date)


def entry_into_force(rule: Rule, instruments: Iterable[Instrument]) -> EntryIntoForce:
    """Count the instruments, find the one that reaches the threshold, and date everything."""
    ordered = _in_deposit_order(instruments)
    counted = [instrument for instrument in ordered if counts_toward_threshold(instrument, rule)]
    threshold_instrument = counted[rule.threshold - 1] if rule.threshold and len(counted) >= rule.threshold else None
    threshold_date = threshold_instrument.date if threshold_instrument else None
    general_date = rule.override
    if general_date is None and threshold_date is not None:
        general_date = threshold_date + datetime.timedelta(days=rule.delay_days)
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
    )

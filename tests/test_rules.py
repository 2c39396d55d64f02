"""The entry-into-force rule, with dates computed by hand (article 65 of XVIII-16)."""

from __future__ import annotations

import datetime

from ratification.rules import Instrument, Rule, entry_into_force

HANOI = Rule(threshold=40, delay_days=90, reio_counts=False, later_party_delay_days=30)
D = datetime.date


def states(count: int, on: datetime.date, prefix: str = "S") -> list[Instrument]:
    return [Instrument(participant=f"{prefix}{n:02d}", date=on) for n in range(count)]


class EntryIntoForceTests:
    def test_it_counts_nothing_and_needs_forty_at_the_start(self):
        status = entry_into_force(HANOI, [])
        assert (status.counted, status.needed, status.threshold_reached_on, status.entry_into_force_on) == (
            0,
            40,
            None,
            None,
        )

    def test_it_dates_entry_into_force_ninety_days_after_the_fortieth(self):
        # 22 Oct 2026 + 90 days: 9 days to 31 Oct, 30 in Nov, 31 in Dec, 20 in Jan.
        status = entry_into_force(HANOI, [*states(39, D(2026, 3, 1)), Instrument("GHA", D(2026, 10, 22))])
        assert status.counted == 40
        assert status.needed == 0
        assert status.threshold_reached_on == D(2026, 10, 22)
        assert status.threshold_instrument.participant == "GHA"
        assert status.entry_into_force_on == D(2027, 1, 20)

    def test_it_does_not_count_the_european_union_even_when_it_deposits_fortieth(self):
        instruments = [
            *states(39, D(2026, 6, 1)),
            Instrument("EUU", D(2026, 6, 10), is_reio=True),
            Instrument("NGA", D(2026, 6, 15)),
        ]
        status = entry_into_force(HANOI, instruments)
        assert status.counted == 40
        assert status.threshold_instrument.participant == "NGA"
        assert status.threshold_reached_on == D(2026, 6, 15)
        # 15 Jun + 90: 15 days to 30 Jun, 31 in Jul, 31 in Aug, 13 in Sep.
        assert status.entry_into_force_on == D(2026, 9, 13)
        # The EU deposited before the threshold: the general date applies to it too.
        assert status.party_dates["EUU"] == D(2026, 9, 13)

    def test_it_counts_the_european_union_where_the_rule_says_so(self):
        rule = Rule(threshold=40, delay_days=90, reio_counts=True, later_party_delay_days=30)
        instruments = [*states(39, D(2026, 6, 1)), Instrument("EUU", D(2026, 6, 10), is_reio=True)]
        assert entry_into_force(rule, instruments).threshold_reached_on == D(2026, 6, 10)

    def test_it_leaves_out_withdrawn_instruments(self):
        instruments = [*states(39, D(2026, 6, 1)), Instrument("XXX", D(2026, 6, 2), withdrawn=True)]
        status = entry_into_force(HANOI, instruments)
        assert (status.counted, status.needed, status.entry_into_force_on) == (39, 1, None)

    def test_it_gives_a_later_party_thirty_days_or_the_general_date_if_later(self):
        instruments = [
            *states(40, D(2026, 6, 15)),  # general date 13 Sep 2026
            Instrument("EARLY", D(2026, 7, 1)),  # 31 Jul is before 13 Sep: the general date
            Instrument("MID", D(2026, 8, 30)),  # 29 Sep
            Instrument("LATE", D(2026, 10, 1)),  # 31 Oct
        ]
        dates = entry_into_force(HANOI, instruments).party_dates
        assert dates["S00"] == D(2026, 9, 13)
        assert dates["EARLY"] == D(2026, 9, 13)
        assert dates["MID"] == D(2026, 9, 29)
        assert dates["LATE"] == D(2026, 10, 31)

    def test_it_orders_by_deposit_date_not_by_input_order(self):
        instruments = [Instrument("LAST", D(2027, 2, 1)), *states(40, D(2026, 6, 15))]
        status = entry_into_force(HANOI, instruments)
        assert status.threshold_reached_on == D(2026, 6, 15)
        assert status.counted == 41

    def test_it_takes_a_staff_date_for_rules_it_cannot_express(self):
        rule = Rule(threshold=55, delay_days=30, reio_counts=True, later_party_delay_days=30, override=D(2016, 11, 4))
        status = entry_into_force(rule, states(10, D(2016, 10, 5)))
        assert status.entry_into_force_on == D(2016, 11, 4)
        assert status.party_dates["S00"] == D(2016, 11, 4)

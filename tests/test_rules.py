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


class RuleKindTests:
    """Each kind on a real clause: the clause's words, the file's instruments, the known date."""

    def test_months_and_the_first_day_of_the_month_following(self):
        from ratification.rules import RuleKind, date_after

        # X-13, article 22(1): "the first day of the month following the expiration of one year
        # from the date of deposit of the fifth instrument".
        rule = Rule(
            kind=RuleKind.MONTH_FOLLOWING,
            threshold=5,
            delay_days=0,
            delay_months=12,
            reio_counts=True,
            later_party_delay_days=0,
            later_party_delay_months=12,
        )
        status = entry_into_force(rule, [*states(4, D(2019, 1, 10)), Instrument("FRA", D(2019, 1, 15))])
        assert status.entry_into_force_on == D(2020, 2, 1)  # 15 Jan 2020 expires: 1 February
        later = entry_into_force(rule, [*states(5, D(2019, 1, 15)), Instrument("DEU", D(2019, 3, 31))])
        assert later.party_dates["DEU"] == D(2020, 4, 1)
        # 31 January plus one month is the last day of February; the month following is March.
        assert date_after(D(2021, 1, 31), days=0, months=1, month_following=True) == D(2021, 3, 1)
        assert date_after(D(2021, 1, 31), days=0, months=1, month_following=False) == D(2021, 2, 28)

    def test_a_named_group_the_ctbt_and_its_annex_2(self):
        import re

        from ratification.proposals import file_instruments
        from ratification.registry import known_name
        from ratification.rules import RuleKind
        from scrapers.untc import parse_status
        from tests.support.untc_files import FIXTURES

        # XXVI-4, article XIV(1): 180 days after the deposit by all 44 States listed in Annex 2.
        status_file = parse_status((FIXTURES.parent / "untc-2018" / "XXVI-4.en.xml").read_bytes())
        clause = " ".join(status_file.header.eif_text.split())
        names = re.search(r"that is to say: (.*?)\), but", clause)[1].split(", ")
        names += names.pop().split(" and ")
        annex_2 = frozenset(known_name(name).code for name in names)
        assert len(annex_2) == 44
        rule = Rule(
            kind=RuleKind.GROUP,
            threshold=44,
            delay_days=180,
            reio_counts=True,
            later_party_delay_days=30,
            group=annex_2,
            group_threshold=44,
        )
        instruments = file_instruments(status_file)
        status = entry_into_force(rule, instruments)
        # January 2018: 166 ratifications, 36 of the 44 Annex 2 States: not in force.
        assert (status.counted, status.group_counted, status.entry_into_force_on) == (166, 36, None)
        missing = sorted(annex_2 - {i.participant for i in instruments})
        assert missing == ["CHN", "EGY", "IND", "IRN", "ISR", "PAK", "PRK", "USA"]
        # The day the last eight deposit, the clock starts: 180 days.
        completed = [*instruments, *(Instrument(code, D(2030, 6, 1)) for code in missing)]
        assert entry_into_force(rule, completed).entry_into_force_on == D(2030, 11, 28)

    def test_a_weight_the_paris_agreement(self):
        from ratification.proposals import file_instruments
        from ratification.rules import RuleKind
        from scrapers.untc import parse_status
        from tests.support.untc_files import PARIS

        # XXVII-7-d, article 21(1): the thirtieth day after at least 55 Parties accounting for at
        # least 55% of global emissions have deposited. Illustrative shares (what is tested is
        # the rule, not a table): no count of 55 alone reaches it, the European Union's does.
        shares = {"CHN": 20.09, "USA": 17.89, "IND": 4.10, "CAN": 1.95, "EUU": 12.10}
        rule = Rule(
            kind=RuleKind.WEIGHT,
            threshold=55,
            delay_days=30,
            reio_counts=True,
            later_party_delay_days=30,
            weights=shares,
            weight_percent=55,
        )
        status = entry_into_force(rule, file_instruments(parse_status(PARIS.read_bytes())))
        assert status.threshold_instrument.participant == "EUU"
        assert status.threshold_reached_on == D(2016, 10, 5)
        assert status.entry_into_force_on == D(2016, 11, 4)  # the date UNTC declares

    def test_a_weight_not_yet_held(self):
        from ratification.rules import RuleKind

        rule = Rule(
            kind=RuleKind.WEIGHT, threshold=2, delay_days=30, reio_counts=True, later_party_delay_days=30,
            weights={"AAA": 30.0, "BBB": 20.0}, weight_percent=55,
        )  # fmt: skip
        status = entry_into_force(rule, [Instrument("AAA", D(2020, 1, 1)), Instrument("BBB", D(2020, 2, 1))])
        assert (status.reached, round(status.weight_held, 2)) == (False, 50.0)

    def test_per_party_only_an_amendment(self):
        from ratification.rules import RuleKind

        # XXVII-13-b, article 14(4): "they shall enter into force for any other Party on the
        # ninetieth day after that Party deposits its instrument".
        rule = Rule(kind=RuleKind.PER_PARTY, threshold=0, delay_days=0, reio_counts=True, later_party_delay_days=90)
        status = entry_into_force(rule, [Instrument("NOR", D(2020, 1, 10)), Instrument("FIN", D(2020, 3, 1))])
        assert status.entry_into_force_on is None
        assert status.party_dates == {"NOR": D(2020, 4, 9), "FIN": D(2020, 5, 30)}

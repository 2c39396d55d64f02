"""Reading the entry-into-force clause UNTC quotes: numbers in words, delays, the REIO sentence.

The clauses are real: copied from the status files under tests/fixtures/ (file named per test).
"""

from __future__ import annotations

import datetime

import pytest

from scrapers.eif_clause import article_reference, declared_date, number_value, read_clause

HANOI = (
    'in accordance with article 65(1) which reads as follows: "This Convention shall enter into force on the '
    "ninetieth day after the date of deposit of the fortieth instrument of ratification, acceptance, approval or "
    "accession. For the purpose of this paragraph, any instrument deposited by a regional economic integration "
    'organization shall not be counted as additional to those deposited by member States of that organization".'
)


class NumberTests:
    @pytest.mark.parametrize(
        ("words", "value"),
        [
            ("fortieth", 40),
            ("twenty-second", 22),
            ("twenty-two", 22),
            ("fifty-fifth", 55),
            ("thirty-fifth", 35),
            ("ninetieth", 90),
            ("one hundred and fortieth", 140),
            ("ninety (90)", 90),
            ("180", 180),
            ("sixteenth", 16),
            ("thirthieth", 30),  # UNTC's own misspelling (XVIII-13)
        ],
    )
    def test_it_reads_numbers_in_words(self, words, value):
        assert number_value(words) == value

    def test_a_word_that_is_not_a_number_is_none(self):
        assert number_value("several") is None


class ClauseTests:
    def test_article_65_of_the_hanoi_convention(self):
        reading = read_clause("Not yet in force", HANOI)
        assert reading.rule.as_json() == {
            "kind": "count",
            "threshold": 40,
            "delay_days": 90,
            "delay_months": 0,
            "reio_counts": False,
            "later_party_delay_days": None,
            "later_party_delay_months": None,
        }
        assert (reading.in_force, reading.declared_on, reading.article) == (False, None, "article 65(1)")
        assert reading.reason.startswith("proposed from article 65(1)")

    def test_cardinal_instruments_and_a_later_party_paragraph(self):
        # XVIII-8, article 27
        text = (
            '15 January 1999, in accordance with article 27 which reads as follows: "1. This Convention shall '
            "enter into force thirty days after twenty-two instruments of ratification, acceptance, approval or "
            "accession have been deposited with the Secretary-General of the United Nations. 2. For each State "
            "ratifying, accepting, approving or acceding to the Convention after the deposit of the twenty-second "
            "instrument of ratification, acceptance, approval or accession, the Convention shall enter into force "
            "on the thirtieth day after the deposit by such State of its instrument of ratification, acceptance, "
            'approval or accession.".'
        )
        reading = read_clause("Entry into force", text)
        rule = reading.rule
        assert (rule.threshold, rule.delay_days, rule.reio_counts, rule.later_party_delay_days) == (22, 30, True, 30)
        assert reading.declared_on == datetime.date(1999, 1, 15)

    def test_following_the_date_on_which(self):
        # XXVII-1-g, article 18(1)
        text = (
            '23 October 2003, in accordance with article 18(1)which reads as follows: "1. The present Protocol '
            "shall enter into force on the ninetieth day following the date on which the sixteenth instrument of "
            'ratification, acceptance, approval or accession has been deposited with the Depositary.".'
        )
        rule = read_clause("Entry into force", text).rule
        assert (rule.kind, rule.threshold, rule.delay_days) == ("count", 16, 90)

    def test_months_after(self):
        # XXII-3, article 9(1)
        text = (
            "18 October 2017, in accordance with article 9(1) which reads as follows: \u201cThis Convention shall "
            "enter into force six months after the date of deposit of the third instrument of ratification, "
            "acceptance, approval or accession\u201d."
        )
        rule = read_clause("Entry into force", text).rule
        assert (rule.kind, rule.threshold, rule.delay_days, rule.delay_months) == ("count", 3, 0, 6)

    def test_the_first_day_of_the_month_following_the_expiration_of_one_year(self):
        # X-13, article 22
        text = (
            'see article 22 which reads as follows: "1. This Convention enters into force on the first day of the '
            "month following the expiration of one year from the date of deposit of the fifth instrument of "
            "ratification, acceptance, approval or accession. 2. For each State which becomes a Contracting State "
            "to this Convention after the date of the deposit of the fifth instrument of ratification, acceptance, "
            "approval or accession, this Convention enters into force on the first day of the month following the "
            "expiration of one year after the date of the deposit of the appropriate instrument on behalf of that "
            'State."'
        )
        rule = read_clause("Not yet in force", text).rule
        assert (rule.kind, rule.threshold, rule.delay_months, rule.later_party_delay_months) == (
            "month_following",
            5,
            12,
            12,
        )

    def test_the_reio_sentence_with_states_members(self):
        # XXVII-16, article 29(3)
        text = (
            'see article 29 which reads as follows: "1. The Protocol shall enter into force on the ninetieth day '
            "after the date of deposit of the sixteenth instrument of ratification, acceptance, approval or "
            "accession. 3. For the purposes of paragraph 1, any instrument deposited by an organization referred to "
            "in article 27 shall not be counted as additional to those deposited by States members of such an "
            'organization."'
        )
        assert read_clause("Not yet in force", text).rule.reio_counts is False

    @pytest.mark.parametrize(
        ("text", "why"),
        [
            (
                # XXVII-7-d, the Paris Agreement
                "4 November 2016, in accordance with article 21(1). The Agreement enters into force on the "
                "thirtieth day after the date on which at least 55 Parties to the Convention accounting in total "
                "for at least an estimated 55 per cent of the total global greenhouse gas emissions have deposited "
                "their instruments of ratification, acceptance, approval or accession.",
                "share of a weight",
            ),
            (
                #
                "in accordance with article 19, the Agreement shall enter into force ninety (90) days after the "
                "date on which the Governments of at least five (5) ESCAP member States have deposited their "
                "instruments of ratification, acceptance, approval or accession to the present Agreement.",
                "group of participants",
            ),
            (
                # XXVII-1-j
                'in accordance with article 14(3) which reads as follows: "Amendments to the present Protocol '
                "shall enter into force for the Parties which have accepted them on the ninetieth day after the "
                'date on which two thirds of the Parties have deposited with the Depositary their instruments."',
                "fraction of the parties",
            ),
            ("23 December 2010, in accordance with article 39(1).", "quotes no entry-into-force clause"),
        ],
    )
    def test_other_conditions_are_not_guessed_at(self, text, why):
        reading = read_clause("Entry into force", text)
        assert reading.rule is None
        assert why in reading.reason

    def test_an_empty_header_says_so(self):
        assert read_clause("", "").reason == "the file states nothing about entry into force"


class DeclaredDateTests:
    @pytest.mark.parametrize(
        ("label", "text", "date"),
        [
            ("Entry into force", "23 December 2010, in accordance with article 39(1).", datetime.date(2010, 12, 23)),
            ("Entry into force", "24 February 2004 in accordance with article 26", datetime.date(2004, 2, 24)),
            (
                "Entry into force",
                "provisionally on 16 November 1994, in accordance with article 7(1) and definitively on "
                "28 July 1996, in accordance with article 6(1).",
                datetime.date(1996, 7, 28),
            ),
            ("Entry into force", "provisionally on 1 January 2017, in accordance with article 31(2).", None),
            ("Not yet in force", HANOI, None),
        ],
    )
    def test_it_reads_the_date_untc_declares(self, label, text, date):
        assert declared_date(label, text) == date

    @pytest.mark.parametrize(
        ("text", "article"),
        [
            ("23 December 2010, in accordance with article 39(1).", "article 39(1)"),
            ("25 December 2003, in accordance with article 17which reads", "article 17"),
            ("1 August 1988, in accordance with article IXwhich reads", "article IX"),
            ("2 December 1983 in accordance with article 5 (1) and (3).", "article 5(1)"),
            ("23 May 1990, in accordance with paragraph 19 (b).", "paragraph 19(b)"),
            ("28 June 1919.", ""),
        ],
    )
    def test_it_reads_the_article_cited(self, text, article):
        assert article_reference(text) == article

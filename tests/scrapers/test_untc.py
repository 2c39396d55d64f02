"""parse_status on the real UNTC files and on small synthetic layouts.

Expected JSON under tests/scrapers/expected/ was produced by parse_status, then compared with
an independent reading of the same bytes (plain lxml + strptime, hard-coded 3-column meaning:
identical for every row of all four files) and spot-checked by eye against the XML; the
targeted tests below repeat the spot checks as assertions.
"""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest

from scrapers.untc import (
    CONSENT_KINDS,
    ActionKind,
    ActionRecord,
    ParseError,
    TreatyStatus,
    is_consent_to_be_bound,
    parse_status,
)
from tests.scrapers.helpers import EXPECTED, PARSEABLE, real, refusal, synthetic


def participant(status: TreatyStatus, name: str):
    return next(p for p in status.participants if p.name == name)


def actions(status: TreatyStatus, name: str) -> list[tuple[str, str, str]]:
    return [(a.kind.value, a.date.isoformat(), a.marker) for a in participant(status, name).actions]


class RealFileTests:
    @pytest.mark.parametrize("name", sorted(PARSEABLE))
    def test_it_matches_the_hand_checked_json(self, name: str) -> None:
        expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
        assert parse_status(real(name)).as_json() == expected

    @pytest.mark.parametrize("name", sorted(PARSEABLE))
    def test_it_counts_exactly_what_the_file_declares(self, name: str) -> None:
        status = parse_status(real(name))
        signatories, parties = PARSEABLE[name]
        assert (status.header.declared_signatories, status.header.declared_parties) == (
            signatories,
            parties,
        )
        assert status.counted_signatories == signatories
        assert status.counted_parties == (parties or 0)

    def test_it_reads_the_xviii_16_header(self) -> None:
        header = parse_status(real("XVIII-16")).header
        assert header.mtdsg == "XVIII-16"
        assert header.chapter == "XVIII"
        assert header.chapter_name == "PENAL MATTERS"
        assert header.title.startswith("United Nations Convention against Cybercrime;")
        assert (header.conclusion_place, header.conclusion_date) == (
            "New York",
            datetime.date(2024, 12, 24),
        )
        assert header.eif_label == "Not yet in force"
        assert header.eif_text.startswith("in accordance with article 65(1)")
        assert header.registration == ""
        assert (header.declared_signatories, header.declared_parties) == (72, None)

    def test_it_reads_all_72_xviii_16_signatures_of_25_and_26_october_2025(self) -> None:
        status = parse_status(real("XVIII-16"))
        assert len(status.participants) == 72
        dates = {a.date for p in status.participants for a in p.actions}
        assert dates == {datetime.date(2025, 10, 25), datetime.date(2025, 10, 26)}
        assert actions(status, "Mali") == [("signature", "2025-10-26", "")]
        assert actions(status, "European Union") == [("signature", "2025-10-25", "")]

    def test_it_decodes_names_as_the_file_declares_latin_1(self) -> None:
        names = {p.name for p in parse_status(real("XVIII-16")).participants}
        assert {"Côte d'Ivoire", "Türkiye", "Venezuela (Bolivarian Republic of)"} <= names

    def test_it_builds_the_mtdsg_number_from_chapter_number_and_sub_number(self) -> None:
        status = parse_status(real("XXVII-7-d"))
        assert status.header.mtdsg == "XXVII-7-d"
        assert status.header.title == "Paris Agreement"
        assert status.header.registration == "4 November 2016, No. 54113"

    def test_it_tells_acceptance_approval_and_accession_apart_by_case(self) -> None:
        paris = parse_status(real("XXVII-7-d"))
        assert actions(paris, "Denmark") == [
            ("signature", "2016-04-22", ""),
            ("approval", "2016-11-01", "AA"),
        ]
        assert actions(paris, "United States of America") == [
            ("signature", "2016-04-22", ""),
            ("acceptance", "2016-09-03", "A"),
        ]
        assert actions(paris, "Nicaragua") == [("accession", "2017-10-23", "a")]

    def test_it_reads_an_unmarked_consent_date_as_ratification(self) -> None:
        # The 2018 Paris copy prints the EU's instrument without the AA marker.
        paris = parse_status(real("XXVII-7-d"))
        assert actions(paris, "European Union") == [
            ("signature", "2016-04-22", ""),
            ("ratification", "2016-10-05", ""),
        ]

    def test_it_reads_the_european_union_approval_in_xviii_12_a(self) -> None:
        status = parse_status(real("XVIII-12-a"))
        assert actions(status, "European Union") == [
            ("signature", "2000-12-12", ""),
            ("approval", "2006-09-06", "AA"),
        ]

    def test_it_reads_a_succession_with_no_signature(self) -> None:
        montenegro = participant(parse_status(real("XVIII-12-a")), "Montenegro")
        assert montenegro.footnotes == (3,)
        assert montenegro.actions == (
            ActionRecord(ActionKind.SUCCESSION, datetime.date(2006, 10, 23), "d", label="Succession"),
        )

    def test_it_reads_accessions_with_no_signature(self) -> None:
        status = parse_status(real("XVIII-12-a"))
        assert actions(status, "China") == [("accession", "2010-02-08", "a")]
        assert actions(status, "Zimbabwe") == [("accession", "2013-12-13", "a")]

    def test_it_takes_footnotes_out_of_names(self) -> None:
        status = parse_status(real("XVIII-12-a"))
        marked = {p.name: p.footnotes for p in status.participants if p.footnotes}
        assert marked == {
            "China": (1,),
            "Denmark": (2,),
            "Montenegro": (3,),
            "Netherlands": (4,),
            "New Zealand": (5,),
            "Ukraine": (6,),
        }
        assert all("<" not in p.name for p in status.participants)

    def test_it_reads_end_notes_with_several_paragraphs(self) -> None:
        notes = parse_status(real("XXVII-7-d")).end_notes
        assert [note.index for note in notes] == [1, 2, 3]
        assert notes[1].text == "For the European Part of the Netherlands."
        assert notes[2].text.count("\n") == 1
        assert notes[2].text.startswith("On 13 November 2017, New Zealand notified")

    def test_it_reads_declarations_and_objections(self) -> None:
        statements = parse_status(real("XVIII-12-a")).declarations
        assert sum(d.section == "declarations" for d in statements) == 38
        (objection,) = [d for d in statements if d.section == "objections"]
        assert objection.kinds == ("objection",)
        assert objection.answers == (("Algeria", "declaration"),)
        assert objection.participant == "Israel"
        assert objection.text.startswith("With regard to the declaration made by Algeria")

    def test_it_unescapes_and_strips_inline_html_in_declarations(self) -> None:
        statements = parse_status(real("XVIII-12-a")).declarations
        belgium = next(d for d in statements if d.participant == "Belgium")
        assert belgium.text == (
            "Upon signature:\nDeclaration:\nThe French, Flemish and German-speaking Communities "
            "and the Regions of Wallonia, Flanders and Brussels-Capital are also bound by this "
            "signature."
        )

    def test_it_repairs_control_bytes_and_bare_ampersands(self) -> None:
        statements = parse_status(real("XXVII-7-d")).declarations
        belgium = next(d for d in statements if d.participant == "Belgium")
        assert "\u201cThis signature engages also the Walloon Region" in belgium.text
        marshall = next(d for d in statements if d.participant.startswith("Marshall"))
        assert "&the Government of the Republic of the Marshall Islands" in marshall.text
        assert not any(ord(ch) < 32 and ch != "\n" for d in statements for ch in d.text)

    def test_it_holds_plain_strings_not_tree_nodes(self) -> None:
        # A BeautifulSoup string keeps its whole tree alive; records must not hold one.
        status = parse_status(real("XVIII-12-a"))
        texts = [status.header.title, status.header.eif_text, *status.columns]
        texts += [p.name for p in status.participants] + [a.marker for p in status.participants for a in p.actions]
        texts += [n.text for n in status.end_notes] + [d.text for d in status.declarations]
        texts += [d.participant for d in status.declarations]
        assert {type(text) for text in texts} == {str}

    def test_it_returns_frozen_records(self) -> None:
        status = parse_status(real("XVIII-16"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            status.participants[0].name = "Elsewhere"  # type: ignore[misc]


class SyntheticLayoutTests:
    def test_it_marks_bracketed_dates_withdrawn(self) -> None:
        status = parse_status(synthetic("withdrawn.xml"))
        alpha = participant(status, "Alpha")
        assert alpha.withdrawn and alpha.footnotes == (1,)
        assert [(a.date.isoformat(), a.withdrawn) for a in alpha.actions] == [
            ("1975-10-03", True),
            ("1979-11-24", True),
        ]
        beta = participant(status, "Beta")
        assert beta.withdrawn
        assert [(a.kind.value, a.marker, a.withdrawn) for a in beta.actions] == [
            ("signature", "", False),
            ("acceptance", "A", True),
        ]
        assert actions(status, "Gamma") == [("accession", "1992-01-01", "a")]
        assert not participant(status, "Delta").withdrawn

    def test_it_counts_exactly_as_untc_leaving_every_bracketed_date_out(self) -> None:
        status = parse_status(synthetic("withdrawn.xml"))
        # Beta's signature stands although its acceptance is bracketed; Alpha and Gamma count
        # for nothing.
        assert (status.counted_signatories, status.counted_parties) == (2, 1)
        assert status.discrepancies == ()

    def test_it_refuses_figures_that_count_the_bracketed_rows_too_far_off(self) -> None:
        data = synthetic("withdrawn.xml").replace(b"<Signatories>2<", b"<Signatories>3<")
        data = data.replace(b"<Parties>1<", b"<Parties>4<")
        assert "declares Parties: 4, but 1 rows are counted" in refusal(data)

    def test_it_reads_a_two_column_table_with_no_signature_column(self) -> None:
        status = parse_status(synthetic("two-columns.xml"))
        assert status.header.mtdsg == "XCIX-10-a"
        assert status.columns[0] == "Participant"  # the header's own footnote is dropped
        assert (status.header.declared_signatories, status.counted_signatories) == (None, 0)
        assert status.counted_parties == 3  # France's bracketed acceptance is left out
        assert participant(status, "France").withdrawn
        assert participant(status, "Germany").footnotes == (2, 3)
        assert actions(status, "Germany") == [("ratification", "2010-02-01", "")]
        assert actions(status, "European Union") == [("approval", "2011-03-02", "AA")]

    def test_it_keeps_provisional_application_out_of_the_parties(self) -> None:
        status = parse_status(synthetic("four-columns.xml"))
        assert len(status.columns) == 4
        assert actions(status, "Canada") == [("provisional_application", "2020-04-04", "n")]
        assert (status.counted_signatories, status.counted_parties) == (3, 2)

    def test_it_reads_every_kind_of_a_five_column_table(self) -> None:
        status = parse_status(synthetic("five-columns.xml"))
        kinds = {a.kind for p in status.participants for a in p.actions}
        assert kinds == {
            ActionKind.SIGNATURE,
            ActionKind.SUCCESSION_TO_SIGNATURE,
            ActionKind.RATIFICATION,
            ActionKind.SUCCESSION,
            ActionKind.DEFINITIVE_SIGNATURE,
            ActionKind.FORMAL_CONFIRMATION,
            ActionKind.PARTICIPATION,
            ActionKind.PROVISIONAL_APPLICATION,
        }
        assert actions(status, "Bosnia and Herzegovina") == [("succession_to_signature", "1994-01-12", "d")]
        assert actions(status, "Czechia") == [("succession", "1993-04-04", "d")]
        assert actions(status, "Cyprus") == [("definitive_signature", "2020-03-03", "s")]
        assert actions(status, "Fiji") == [("participation", "2021-06-06", "p")]
        assert (status.counted_signatories, status.counted_parties) == (3, 5)

    def test_it_reads_dates_with_tabs_no_break_spaces_and_carriage_returns(self) -> None:
        status = parse_status(synthetic("whitespace.xml"))
        assert actions(status, "Algeria") == [("signature", "2025-10-25", "")]
        assert actions(status, "Cook Islands") == [
            ("signature", "2016-11-09", ""),
            ("accession", "2017-04-22", "a"),
        ]
        assert actions(status, "Egypt") == [
            ("signature", "2020-01-01", ""),
            ("approval", "2021-02-02", "AA"),
        ]


class ConsentKindTests:
    def test_it_counts_the_four_instruments_succession_and_definitive_signature(self) -> None:
        assert {
            ActionKind.RATIFICATION,
            ActionKind.ACCEPTANCE,
            ActionKind.APPROVAL,
            ActionKind.ACCESSION,
            ActionKind.SUCCESSION,
            ActionKind.DEFINITIVE_SIGNATURE,
            ActionKind.FORMAL_CONFIRMATION,
        } <= CONSENT_KINDS

    def test_it_does_not_count_signatures_or_provisional_application(self) -> None:
        for kind in (
            ActionKind.SIGNATURE,
            ActionKind.SUCCESSION_TO_SIGNATURE,
            ActionKind.PROVISIONAL_APPLICATION,
        ):
            assert not is_consent_to_be_bound(kind)


class AsJsonTests:
    def test_it_has_the_command_line_shape(self) -> None:
        data = parse_status(real("XXVI-9")).as_json()
        assert data["mtdsg"] == "XXVI-9"
        assert data["declared"] == {"signatories": 56, "parties": 3}
        algeria = data["participants"][0]
        assert algeria["name"] == "Algeria"
        assert algeria["footnotes"] == []
        assert algeria["withdrawn"] is False
        assert algeria["actions"] == [
            {"kind": "signature", "label": "Signature", "date": "2017-09-20", "marker": "", "withdrawn": False}
        ]
        json.dumps(data)  # plain types only


class ParseErrorTests:
    def test_it_is_a_value_error(self) -> None:
        assert issubclass(ParseError, ValueError)

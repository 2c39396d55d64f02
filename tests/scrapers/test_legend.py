"""Column legends are read by what their words mean, including wordings no real file has used yet."""

from __future__ import annotations

import pytest

from scrapers.legend import LegendEntry, classify, legend_items, read_legend
from scrapers.model import ActionKind, ParseError, family_of

K = ActionKind


class ClassifyTests:
    @pytest.mark.parametrize(
        ("label", "kind"),
        [
            ("Signature", K.SIGNATURE),
            ("Signature of the Protocol", K.SIGNATURE),
            ("Signature ad referendum", K.SIGNATURE_AD_REFERENDUM),
            ("Confirmation of signature ad referendum", K.CONFIRMATION_OF_SIGNATURE),
            ("Succession to signature", K.SUCCESSION_TO_SIGNATURE),
            ("Ratification", K.RATIFICATION),
            ("Ratification of the Convention as amended", K.RATIFICATION),
            ("Ratification ad referendum", K.RATIFICATION),
            ("Acceptance", K.ACCEPTANCE),
            ("Definitive acceptance", K.ACCEPTANCE),
            ("Acceptance of the Protocol", K.ACCEPTANCE),
            (
                "Acceptance ipso facto by virtue of article 10 (1) of the Convention of 12 September 1923, as amended",
                K.ACCEPTANCE,
            ),
            ("Approval of the amendment", K.APPROVAL),
            ("Accession", K.ACCESSION),
            ("Accession to the Convention as amended by the Protocol", K.ACCESSION),
            ("Succession", K.SUCCESSION),
            ("Succession to the Agreement as amended by the Protocol", K.SUCCESSION),
            ("Notification of succession", K.SUCCESSION),
            ("Definitive signature", K.DEFINITIVE_SIGNATURE),
            ("Definitive signature of the Protocol", K.DEFINITIVE_SIGNATURE),
            ("Formal confirmation", K.FORMAL_CONFIRMATION),
            ("Participation", K.PARTICIPATION),
            ("Participation under articles 3 (2) and (3)", K.PARTICIPATION),
            (
                "Participation in the Convention by virtue of ratification, accession or succession to the Protocol",
                K.PARTICIPATION,
            ),
            ("Consent to be bound", K.CONSENT_TO_BE_BOUND),
            ("Simplified procedure", K.CONSENT_TO_BE_BOUND),
            ("Provisional application", K.PROVISIONAL_APPLICATION),
            ("Provisional application by virtue of a notification", K.PROVISIONAL_APPLICATION),
            ("Provisional acceptance", K.PROVISIONAL_ACCEPTANCE),
            ("Provisional acceptance/accession", K.PROVISIONAL_ACCEPTANCE),
            ("Application", K.APPLICATION),
            ("Territorial application", K.APPLICATION),
            ("Extension", K.EXTENSION),
            ("Notification under article 12", K.NOTIFICATION),
            ("Notification of non-provisional application under article 7 (1) (b)", K.NOTIFICATION),
            ("Declaration under article 14", K.NOTIFICATION),
            ("RATIFICATION*", K.RATIFICATION),
            ("Signatures", K.SIGNATURE),
        ],
    )
    def test_it_reads_the_action_a_label_begins_with(self, label: str, kind: ActionKind) -> None:
        assert classify(label) is kind

    @pytest.mark.parametrize(
        ("label", "kind"),
        [
            ("Undertaking of acceptance", K.ACCEPTANCE),
            ("Undertaking of the obligations by accession", K.ACCESSION),
            ("Notification of acceptance", K.ACCEPTANCE),
            ("Notification of the approval", K.APPROVAL),
            ("Notification of provisional application", K.PROVISIONAL_APPLICATION),
            ("Notification of territorial application", K.APPLICATION),
            ("Communication of ratification", K.RATIFICATION),
            ("Date of deposit of the instrument of ratification", K.RATIFICATION),
            ("Instrument of accession deposited", K.ACCESSION),
        ],
    )
    def test_it_reads_the_action_wherever_its_words_stand(self, label: str, kind: ActionKind) -> None:
        assert classify(label) is kind

    @pytest.mark.parametrize(
        "label",
        [
            "Withdrawal of ratification",
            "Denunciation of the accession",
            "Objection to the succession",
            "Withdrawal of the notification under article 12",
            "Undertaking",
            "Date of receipt",
        ],
    )
    def test_words_that_undo_an_action_or_name_none_record_nothing(self, label: str) -> None:
        assert classify(label) is None

    def test_a_notification_marked_d_is_a_notification_of_succession(self) -> None:
        assert classify("Notification in respect of the Agreement as amended", "d") is K.SUCCESSION
        assert classify("Notification in respect of the Agreement as amended") is K.NOTIFICATION

    @pytest.mark.parametrize("label", ["Denunciation", "Reservation", "Objection", "Signatory", "Date", ""])
    def test_it_does_not_guess_at_words_that_record_nothing_it_knows(self, label: str) -> None:
        assert classify(label) is None


class LegendItemTests:
    def test_it_splits_entries_and_their_markers(self) -> None:
        assert legend_items("Ratification, Acceptance(A), Approval(AA), Accession(a)") == [
            ("Ratification", ""),
            ("Acceptance", "A"),
            ("Approval", "AA"),
            ("Accession", "a"),
        ]

    def test_it_keeps_commas_inside_an_entry(self) -> None:
        header = (
            "Participation in the Convention by virtue of ratification, accession or succession to the Protocol of "
            "25 March 1972, Accession(a)"
        )
        assert [label for label, _marker in legend_items(header)] == [
            "Participation in the Convention by virtue of ratification, accession or succession to the Protocol of "
            "25 March 1972",
            "Accession",
        ]

    def test_a_marker_may_follow_a_space_but_an_article_reference_is_not_a_marker(self) -> None:
        assert legend_items("Signature, Signature ad referendum (s)")[1] == ("Signature ad referendum", "s")
        assert legend_items("Notification under article 7 (1) (b)") == [("Notification under article 7 (1) (b)", "")]
        assert legend_items("Participation under articles 3 (2) and (3)(P)") == [
            ("Participation under articles 3 (2) and (3)", "P")
        ]


class ReadLegendTests:
    def test_it_keeps_the_words_as_each_markers_label(self) -> None:
        legend = read_legend("Accession to the Convention as amended by the Protocol(a), Ratification")
        assert legend["a"] == LegendEntry(K.ACCESSION, "Accession to the Convention as amended by the Protocol")
        assert legend[""] == LegendEntry(K.RATIFICATION, "Ratification")

    def test_unmarked_alternatives_of_one_family_are_a_consent_to_be_bound(self) -> None:
        legend = read_legend("Definitive signature of the Protocol, Acceptance of the Protocol")
        assert legend[""] == LegendEntry(
            K.CONSENT_TO_BE_BOUND, "Definitive signature of the Protocol / Acceptance of the Protocol"
        )

    def test_one_marker_given_twice_for_the_same_kind_is_that_kind(self) -> None:
        legend = read_legend("Acceptance(A), Acceptance ipso facto by virtue of article 10 (1), as amended(A)")
        assert legend["A"].kind is K.ACCEPTANCE

    def test_it_refuses_a_marker_that_could_be_a_signature_or_a_consent(self) -> None:
        with pytest.raises(ParseError, match="cannot tell which"):
            read_legend("Signature, Ratification")

    def test_it_refuses_a_legend_entry_it_cannot_classify_naming_it(self) -> None:
        with pytest.raises(ParseError, match="cannot tell what 'Withdrawal of reservation' records"):
            read_legend("Ratification, Withdrawal of reservation(w)")

    def test_it_refuses_an_absurdly_long_entry(self) -> None:
        with pytest.raises(ParseError, match="over the 300-character limit"):
            read_legend("Ratification of " + "the protocol " * 40)

    @pytest.mark.parametrize(
        ("header", "kind"),
        [
            ("Provisional application(n)", K.PROVISIONAL_APPLICATION),
            ("Accession(a)", K.ACCESSION),
            ("Definitive signature(s)", K.DEFINITIVE_SIGNATURE),
            ("Undertaking of acceptance(A)", K.ACCEPTANCE),
            ("Notification under article 21 (1)(x)", K.NOTIFICATION),
        ],
    )
    def test_a_column_of_a_single_kind_reads_an_unmarked_date_as_that_kind(self, header: str, kind: ActionKind) -> None:
        assert read_legend(header)[""].kind is kind

    def test_a_column_of_several_consents_reads_an_unmarked_date_as_a_ratification(self) -> None:
        assert read_legend("Acceptance(A), Accession(a)")[""] == LegendEntry(K.RATIFICATION, "")

    def test_a_column_of_several_kinds_of_other_families_has_no_unmarked_reading(self) -> None:
        assert "" not in read_legend("Provisional application(n), Notification under article 7(x)")

    def test_it_refuses_a_legend_whose_words_undo_an_action(self) -> None:
        with pytest.raises(ParseError, match="cannot tell what 'Withdrawal of ratification' records"):
            read_legend("Ratification, Withdrawal of ratification(w)")

    def test_it_reads_a_signature_column_as_signature_or_succession_to_signature(self) -> None:
        legend = read_legend("Signature")
        assert legend["d"].kind is K.SUCCESSION_TO_SIGNATURE

    def test_every_kind_has_a_family(self) -> None:
        assert {family_of(kind) for kind in ActionKind} == {"signature", "consent", "provisional", "notification"}

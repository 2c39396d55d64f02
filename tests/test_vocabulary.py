"""One vocabulary: the kinds of action are the scraper's, named in every language here."""

from __future__ import annotations

import pytest
from django.utils import translation

from ratification.models import ACTION_KIND_LABELS, INSTRUMENT_KINDS, SIGNATURE_KINDS, ActionKind, action_family
from scrapers import model as untc_model
from scrapers.mtdsg import roman_to_int, status_page_url


class ActionKindTests:
    def test_it_offers_exactly_the_scrapers_kinds_as_choices(self):
        assert ActionKind.values == [kind.value for kind in untc_model.ActionKind]

    @pytest.mark.parametrize("kind", list(untc_model.ActionKind))
    def test_every_kind_has_a_label_translated_into_french_and_czech(self, kind):
        assert kind in ACTION_KIND_LABELS, f"give {kind!r} a label in ratification.models.ACTION_KIND_LABELS"
        english = str(ACTION_KIND_LABELS[kind])
        catalogues = {language: translation.trans_real.translation(language) for language in ("fr", "cs")}
        for language, catalogue in catalogues.items():
            assert english in catalogue._catalog, f"{english!r} has no {language} translation"

    def test_a_kind_belongs_to_the_family_it_is_corrected_within(self):
        assert all(kind in action_family(kind) for kind in ActionKind.values)
        assert action_family(ActionKind.APPROVAL) == INSTRUMENT_KINDS
        assert action_family(ActionKind.SUCCESSION_TO_SIGNATURE) == SIGNATURE_KINDS


class AddressTests:
    @pytest.mark.parametrize(("numeral", "number"), [("I", 1), ("IV", 4), ("XI", 11), ("XVIII", 18), ("XXIX", 29)])
    def test_it_reads_a_chapter_numeral(self, numeral, number):
        assert roman_to_int(numeral) == number

    def test_it_links_to_the_treatys_human_page(self):
        url = status_page_url("https://treaties.un.org", mtdsg="XXVII-7-d", chapter="XXVII")
        assert url == (
            "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVII-7-d&chapter=27&clang=_en"
        )

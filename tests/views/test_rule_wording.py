"""Each kind of rule said in plain words on the treaty page, in English, French and Czech."""

from __future__ import annotations

import datetime

import pytest

from ratification.models import Treaty
from tests.views.conftest import deposit, touch

D = datetime.date

KINDS = {
    "month_following": (
        {"eif_rule_kind": "month_following", "eif_threshold": 5, "eif_delay_days": 0, "eif_delay_months": 12},
        "It enters into force on the first day of the month following the expiry of 12 months after the deposit",
        "le premier jour du mois suivant l'expiration de 12 mois",
        "prvním dnem měsíce následujícího po uplynutí 12 měsíců",
    ),
    "months": (
        {"eif_threshold": 3, "eif_delay_days": 0, "eif_delay_months": 6},
        "It enters into force 6 months after the deposit of the instrument that brings the count",
        "Il entre en vigueur 6 mois après le dépôt",
        "Vstupuje v platnost 6 měsíců po uložení",
    ),
    "group": (
        {
            "eif_rule_kind": "group",
            "eif_threshold": 44,
            "eif_delay_days": 180,
            "eif_group_name": "the States of Annex 2",
            "eif_group_codes": ["FRA", "USA"],
            "eif_group_threshold": 44,
        },
        "provided at least 44 of them come from the States of Annex 2.",
        "pourvu qu'au moins 44 d'entre eux viennent de the States of Annex 2",
        "pokud alespoň 44 z nich pochází od skupiny the States of Annex 2",
    ),
    "weight": (
        {
            "eif_rule_kind": "weight",
            "eif_threshold": 55,
            "eif_delay_days": 30,
            "eif_weight_name": "global greenhouse gas emissions",
            "eif_weight_percent": 55,
            "eif_weights": {"FRA": 1.25, "USA": 17.89},
            "eif_weights_source": "the UNFCCC's table of 2015",
        },
        "together holding at least 55% of global greenhouse gas emissions, have deposited their instruments.",
        "détenant ensemble au moins 55 % de global greenhouse gas emissions",
        "které společně drží alespoň 55 % z: global greenhouse gas emissions",
    ),
    "per_party": (
        {"eif_rule_kind": "per_party", "later_party_delay_days": 90},
        "It has no general entry-into-force date: it enters into force for each party 90 days after",
        "il entre en vigueur pour chaque partie 90 jours après",
        "pro každou stranu vstupuje v platnost 90 dní poté",
    ),
}


@pytest.mark.django_db
class RuleWordingTests:
    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_each_kind_in_three_languages(self, client, treaty, kind):
        fields, english, french, czech = KINDS[kind]
        Treaty.objects.filter(pk=treaty.pk).update(**fields)
        touch(treaty)
        pages = {
            language: client.get("/", headers={"accept-language": language}).content.decode()
            for language in ("en", "fr", "cs")
        }
        assert english in pages["en"].replace("&#x27;", "'")
        assert french in pages["fr"].replace("&#x27;", "'")
        assert czech in pages["cs"]

    def test_a_weight_rule_says_how_much_is_held_and_makes_no_estimate_of_the_pace(self, client, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(**KINDS["weight"][0])
        deposit(treaty, "France", D(2026, 2, 1))
        deposit(treaty, "United States of America", D(2026, 3, 1))
        touch(treaty)
        page = client.get("/").content.decode().replace("&#x27;", "'")
        assert "So far the parties hold 19.14% of global greenhouse gas emissions, of the 55% needed." in page
        assert "The shares are those of the UNFCCC's table of 2015." in page
        assert "At the pace so far" not in page

    def test_a_group_rule_says_how_many_came_from_the_group(self, client, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(**KINDS["group"][0])
        deposit(treaty, "France", D(2026, 2, 1))
        touch(treaty)
        assert "So far 1 of the 44 needed from the States of Annex 2." in client.get("/").content.decode()

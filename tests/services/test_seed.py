from __future__ import annotations

import csv
import datetime

import pytest

from ratification.models import Action, ActionKind, Origin, Participant, Treaty
from ratification.services.seed import SIGNATORIES_FILE, treaty_seed

pytestmark = pytest.mark.django_db


class SeedTests:
    def test_it_stores_the_convention_with_its_rule(self):
        treaty_seed()
        treaty = Treaty.objects.get(mtdsg="XVIII-16")
        assert treaty.chapter == "XVIII"
        assert (treaty.eif_threshold, treaty.eif_delay_days, treaty.later_party_delay_days) == (40, 90, 30)
        assert treaty.reio_counts is False
        assert treaty.signature_deadline == datetime.date(2026, 12, 31)
        assert treaty.xml_path == "doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"

    def test_it_stores_exactly_the_72_signatories_with_their_dates(self):
        treaty_seed()
        with SIGNATORIES_FILE.open(encoding="utf-8") as rows:
            expected = {row["participant"]: row["signature"] for row in csv.DictReader(rows, delimiter="\t")}
        stored = {
            action.participant.name: action.date.isoformat()
            for action in Action.objects.select_related("participant").filter(kind=ActionKind.SIGNATURE)
        }
        assert len(stored) == 72
        assert stored == expected
        assert stored["Mali"] == "2025-10-26"

    def test_it_gives_each_signatory_its_code(self):
        treaty_seed()
        codes = dict(Participant.objects.values_list("name", "code"))
        assert codes["Türkiye"] == "TUR"
        assert codes["Côte d'Ivoire"] == "CIV"
        assert codes["Czech Republic"] == "CZE"
        assert codes["Iran (Islamic Republic of)"] == "IRN"
        assert codes["United Kingdom of Great Britain and Northern Ireland"] == "GBR"
        assert codes["State of Palestine"] == "PSE"
        assert codes["European Union"] == "EUU"
        assert len(set(codes.values())) == 72

    def test_it_flags_the_european_union_as_a_regional_organisation(self):
        treaty_seed()
        assert list(Participant.objects.filter(is_reio=True).values_list("code", flat=True)) == ["EUU"]

    def test_it_keeps_provenance_and_seed_origin(self):
        treaty_seed()
        algeria = Action.objects.get(participant__code="DZA")
        assert (algeria.origin, algeria.provenance) == (Origin.SEED, "untc")
        assert Action.objects.get(participant__code="ZAF").provenance == "news"

    def test_it_records_older_names_as_aliases(self):
        treaty_seed()
        assert Participant.objects.get(code="TUR").aliases.filter(name="Turkey").exists()

    def test_it_is_idempotent(self):
        first = treaty_seed()
        second = treaty_seed()
        assert (first.treaty_created, first.actions_created) == (True, 72)
        assert (second.treaty_created, second.actions_created, second.actions_kept) == (False, 0, 72)
        assert Action.objects.count() == 72
        assert Participant.objects.count() == 72

    def test_it_never_puts_back_a_date_the_source_corrected(self):
        treaty_seed()
        Action.objects.filter(participant__code="MLI").update(date=datetime.date(2025, 10, 25), origin=Origin.SOURCE)
        treaty_seed()
        mali = Action.objects.get(participant__code="MLI")
        assert (mali.date, mali.origin) == (datetime.date(2025, 10, 25), Origin.SOURCE)

    def test_it_costs_a_bounded_number_of_queries(self, django_assert_max_num_queries):
        # Every test that starts from the seeded treaty pays this (the `treaty` fixture): it was
        # about 400 queries, one get_or_create per signature.
        with django_assert_max_num_queries(60):
            treaty_seed()
        assert Action.objects.count() == 72

    def test_it_keeps_the_signatures_another_seed_stored_meanwhile(self):
        # Two seeds at once (two `make run` on one database): the second one's batch meets the
        # first one's rows and takes each row as it is now instead.
        from ratification.services.seed import _signatures_create

        treaty_seed()
        treaty = Treaty.objects.get(mtdsg="XVIII-16")
        stored = list(Action.objects.filter(treaty=treaty).order_by("pk"))
        Action.objects.filter(pk__in=[action.pk for action in stored[:2]]).delete()
        again = [
            Action(treaty=treaty, participant=action.participant, kind=action.kind, date=action.date)
            for action in stored[:3]
        ]
        assert _signatures_create(treaty=treaty, actions=again) == 2
        assert Action.objects.filter(treaty=treaty).count() == 72

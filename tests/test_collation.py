"""Participant names in the order a reader expects (ratification/collation.py)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest

from ratification.collation import name_key, sorted_names
from tests.views.conftest import deposit, participant, sign

KNOWN_NAMES = Path(__file__).resolve().parent.parent / "ratification" / "data" / "registry-names.tsv"


def known_names() -> list[str]:
    """Every name the registry knows a participant by (ratification/registry.py)."""
    with KNOWN_NAMES.open(encoding="utf-8") as file:
        return sorted({row["name"] for row in csv.DictReader(file, delimiter="\t")})


class NameOrderTests:
    @pytest.mark.parametrize("language", ["", "en", "fr", "cs"])
    def test_accented_letters_sort_with_their_letter_not_after_z(self, language):
        names = ["Czech Republic", "Côte d'Ivoire", "Curaçao", "Cuba", "Zambia", "Türkiye", "Tunisia"]
        assert sorted_names(names, language=language) == [
            "Côte d'Ivoire",
            "Cuba",
            "Curaçao",
            "Czech Republic",
            "Tunisia",
            "Türkiye",
            "Zambia",
        ]

    def test_in_czech_ch_comes_after_h_and_hacek_letters_after_their_letter(self):
        names = ["India", "Chile", "Honduras", "Cuba", "Čad", "Dánsko", "Šlovensko", "Sýrie", "Tonga"]
        assert sorted_names(names, language="cs") == [
            "Cuba",
            "Čad",
            "Dánsko",
            "Honduras",
            "Chile",
            "India",
            "Sýrie",
            "Šlovensko",
            "Tonga",
        ]
        assert sorted_names(["India", "Chile", "Honduras"], language="fr") == ["Chile", "Honduras", "India"]

    def test_case_and_accents_only_break_ties(self):
        assert sorted_names(["cote", "Côte", "Cote", "côte"]) == ["cote", "Cote", "côte", "Côte"]
        assert name_key("Côte") != name_key("Cote")

    def test_punctuation_and_digits_come_before_letters(self):
        assert sorted_names(["Korea, Republic of", "Korea (North)", "Korea", "Korea 2"]) == [
            "Korea",
            "Korea (North)",
            "Korea 2",
            "Korea, Republic of",
        ]

    def test_every_known_name_has_a_key(self):
        names = known_names()
        assert len(sorted_names(names, language="cs")) == len(names) > 400


@pytest.mark.django_db
class WhereNamesAreListedTests:
    @pytest.fixture
    def czech_and_ivorian(self, treaty):
        sign(treaty, "Czech Republic", datetime.date(2025, 10, 25))
        deposit(treaty, "Côte d'Ivoire", datetime.date(2026, 2, 1))
        deposit(treaty, "Czech Republic", datetime.date(2026, 2, 3))
        return treaty

    @staticmethod
    def before(text: str, first: str, then: str) -> bool:
        return text.index(first) < text.index(then)

    def test_the_table_and_the_map_as_text(self, client, czech_and_ivorian):
        page = client.get("/").content.decode()
        table = page.split('<table id="participants-table"', 1)[1]
        assert self.before(table, "Côte d&#x27;Ivoire", "Czech Republic")
        map_text = page.split('class="map-text"', 1)[1].split("</details>", 1)[0]
        assert self.before(map_text, "Côte d&#x27;Ivoire", "Czech Republic")

    def test_the_table_in_czech_puts_chile_after_honduras_and_the_other_languages_do_not(self, client, treaty):
        for name in ("Chile", "Honduras", "India"):
            sign(treaty, name, datetime.date(2025, 10, 25))
        czech = client.get("/?lang=cs").content.decode().split('<table id="participants-table"', 1)[1]
        assert self.before(czech, ">Honduras<", ">Chile<") and self.before(czech, ">Chile<", ">India<")
        french = client.get("/?lang=fr").content.decode().split('<table id="participants-table"', 1)[1]
        assert self.before(french, ">Chile<", ">Honduras<")

    def test_the_csv_and_json_exports(self, client, czech_and_ivorian):
        text = client.get("/treaties/XVIII-16/participants.csv").content.decode()
        names = [row["name"] for row in csv.DictReader(io.StringIO(text))]
        assert names.index("Côte d'Ivoire") < names.index("Czech Republic")
        assert names == sorted_names(names)
        rows = client.get("/treaties/XVIII-16/participants.json").json()["participants"]
        assert [row["name"] for row in rows] == names

    def test_the_history_filter(self, client, czech_and_ivorian):
        page = client.get("/treaties/XVIII-16/history/").content.decode()
        options = re.findall(r'<option value="[A-Z]{3}"[^>]*>([^<]+)</option>', page)
        assert options.index("Côte d&#x27;Ivoire") < options.index("Czech Republic")

    def test_the_admin_list_of_participants_and_its_sortable_column(self, admin_client, db):
        for name in ("Czech Republic", "Côte d'Ivoire", "Cuba", "Zambia"):
            participant(name)
        for url in ("/admin/ratification/participant/", "/admin/ratification/participant/?o=1"):
            page = admin_client.get(url).content.decode()
            shown = re.findall(r'<th class="field-participant_name"><a href="[^"]+">([^<]+)</a>', page)
            assert shown == ["Côte d&#x27;Ivoire", "Cuba", "Czech Republic", "Zambia"], url
        descending = admin_client.get("/admin/ratification/participant/?o=-1").content.decode()
        shown = re.findall(r'<th class="field-participant_name"><a href="[^"]+">([^<]+)</a>', descending)
        assert shown == ["Zambia", "Czech Republic", "Cuba", "Côte d&#x27;Ivoire"]

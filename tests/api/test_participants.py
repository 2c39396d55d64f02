from __future__ import annotations

import pytest

from ratification.models import ActionKind
from tests.api.world import deposit, small_treaty

pytestmark = pytest.mark.django_db
URL = "/api/v1/treaties/XVIII-16/participants/"


def rows(client, query: str = "", url: str = URL) -> list[dict]:
    response = client.get(f"{url}?page_size=200&{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


class ParticipantListTests:
    def test_it_lists_every_participant_by_code_with_where_it_stands(self, client, world):
        listed = rows(client)
        assert len(listed) == 72
        assert [row["code"] for row in listed] == sorted(row["code"] for row in listed)
        by_code = {row["code"]: row for row in listed}
        assert by_code["FRA"]["status"] == "counted"
        assert by_code["EUU"]["status"] == "party"  # article 65(1): the EU's instrument is not counted
        assert by_code["MLI"]["status"] == "withdrawn"
        assert by_code["DZA"]["status"] == "signatory"

    def test_a_participant_with_only_a_notification_is_neither_signatory_nor_party(self, client, world):
        # A territorial application or a provisional application binds no one to the treaty
        # and is no signature: the table must not call the participant a signatory.
        deposit(world, "ISL", ActionKind.APPLICATION, "2026-03-01", label="Application to Svalbard")
        deposit(world, "MEX", ActionKind.PROVISIONAL_APPLICATION, "2026-03-02")
        by_code = {row["code"]: row for row in rows(client, "code=ISL&code=MEX")}
        assert by_code["ISL"]["status"] == by_code["MEX"]["status"] == "other"
        assert by_code["ISL"]["entry_into_force"] is None
        assert {row["code"] for row in rows(client, "status=other")} == {"ISL", "MEX"}
        page = client.get("/treaties/XVIII-16/?status=other").content.decode()
        assert "Other action only" in page
        assert 'Application (<span lang="en">Application to Svalbard</span>)' in page

    def test_it_gives_each_participant_its_actions_and_instrument(self, client, world):
        austria = rows(client, "code=AUT")[0]
        assert austria["name"] == "Austria"
        assert austria["signature"]["kind"] == "signature"
        assert austria["instrument"] == austria["actions"][1]
        assert austria["instrument"]["kind"] == "acceptance"
        assert austria["instrument"]["marker"] == "A"
        assert austria["footnotes"] == [3]

    def test_it_dates_entry_into_force_for_each_party(self, client, db):
        treaty = small_treaty("XXVI-9", threshold=2)
        deposit(treaty, "NOR", ActionKind.RATIFICATION, "2026-01-10")
        deposit(treaty, "JPN", ActionKind.ACCESSION, "2026-02-01")
        deposit(treaty, "BRA", ActionKind.RATIFICATION, "2026-06-01")
        deposit(treaty, "DEU", ActionKind.SIGNATURE, "2025-12-01")
        dates = {
            row["code"]: row["entry_into_force"] for row in rows(client, url="/api/v1/treaties/XXVI-9/participants/")
        }
        assert dates == {
            "NOR": "2026-05-02",  # the general date: 90 days after the 2nd instrument
            "JPN": "2026-05-02",
            "BRA": "2026-07-01",  # a later party: 30 days after its own deposit
            "DEU": None,  # a signatory is not bound
        }

    def test_it_filters_by_status_kind_and_code(self, client, world):
        assert {row["code"] for row in rows(client, "status=counted")} == {"FRA", "AUT"}
        assert {row["code"] for row in rows(client, "status=counted&status=party")} == {"FRA", "AUT", "EUU"}
        assert {row["code"] for row in rows(client, "kind=approval&kind=acceptance")} == {"AUT", "EUU"}
        assert {row["code"] for row in rows(client, "code=fra&code=MLI")} == {"FRA", "MLI"}
        assert rows(client, "status=counted&code=MLI") == []
        assert rows(client, "code=ZZZ") == []  # as on /actions/ and /events/: a code of no one matches nothing

    def test_it_pages_through_participants_by_code(self, client, world):
        seen, url = [], f"{URL}?page_size=30"
        while url:
            page = client.get(url).json()
            seen += [row["code"] for row in page["results"]]
            url = page["next"]
        assert len(seen) == 72 and seen == sorted(set(seen))

    @pytest.mark.parametrize(
        ("query", "parameter", "message"),
        [
            ("status=ratified", "status", "ratified is not one of: counted, party, signatory, other, withdrawn, none."),
            ("kind=treaty", "kind", "treaty is not one of: signature,"),
            ("code=Côte d'Ivoire", "code", "CÔTE D'IVOIRE is not a participant code"),
            ("code=%00", "code", "is not a participant code"),
            ("code=", "code", "This parameter is empty"),
            ("code=FRA&code=", "code", "This parameter is empty"),
            ("status=", "status", "This parameter is empty"),
        ],
    )
    def test_it_refuses_a_bad_filter_with_a_400_that_names_it(self, client, db, query, parameter, message):
        small_treaty("XXVI-9")
        response = client.get(f"/api/v1/treaties/XXVI-9/participants/?{query}")
        assert response.status_code == 400
        assert message in response.json()[parameter][0]

    def test_it_answers_404_for_a_treaty_not_followed(self, client, db):
        response = client.get("/api/v1/treaties/XXVI-9/participants/")
        assert response.status_code == 404
        assert "/api/v1/treaties/" in response.json()["detail"]

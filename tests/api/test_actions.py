from __future__ import annotations

import pytest
from django.utils import timezone

from ratification.models import Action, ActionKind
from tests.api.world import deposit, small_treaty

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions/"


def listed(client, query: str = "") -> list[dict]:
    response = client.get(f"{URL}?page_size=200&{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys(results: list[dict]) -> set[tuple[str, str]]:
    return {(row["participant"], row["kind"]) for row in results}


class ActionListTests:
    def test_it_lists_every_action_named_by_treaty_participant_and_kind(self, client, world):
        results = listed(client)
        assert len(results) == 72 + 3
        france = next(row for row in results if row["participant"] == "FRA" and row["kind"] == "ratification")
        assert france["treaty"] == "XVIII-16"
        assert france["participant_name"] == "France"
        assert france["date"] == "2026-02-10"
        assert france["is_instrument"] is True
        assert france["counts_toward_threshold"] is True

    def test_it_says_the_eu_instrument_does_not_count(self, client, world):
        [approval] = listed(client, "participant=EUU&kind=approval")
        assert approval["is_instrument"] is True
        assert approval["counts_toward_threshold"] is False

    def test_it_filters_by_kind_participant_and_treaty(self, client, world):
        other = small_treaty("XXVI-9")
        deposit(other, "FRA", ActionKind.ACCESSION, "2026-04-01")
        assert keys(listed(client, "kind=ratification&kind=acceptance")) == {
            ("FRA", "ratification"),
            ("AUT", "acceptance"),
        }
        assert keys(listed(client, "participant=FRA")) == {
            ("FRA", "signature"),
            ("FRA", "ratification"),
            ("FRA", "accession"),
        }
        assert keys(listed(client, "participant=fra&treaty=XXVI-9")) == {("FRA", "accession")}
        assert len(listed(client, "treaty=XVIII-16&treaty=XXVI-9")) == 76

    def test_a_well_formed_code_or_treaty_that_names_nothing_matches_nothing(self, client, world):
        # As on /participants/: the schema gives a pattern, not the list of codes, so any
        # code of that shape is a valid question whose answer is "none".
        assert listed(client, "participant=ZZZ") == []
        assert listed(client, "treaty=XXVI-9") == []
        assert keys(listed(client, "participant=ZZZ&participant=EUU")) == {("EUU", "signature"), ("EUU", "approval")}

    def test_it_filters_by_an_inclusive_date_range(self, client, world):
        results = listed(client, "date_after=2026-01-15&date_before=2026-03-02")
        assert keys(results) == {("EUU", "approval"), ("FRA", "ratification"), ("AUT", "acceptance")}
        assert listed(client, "date_after=2026-03-03") == []

    def test_it_lists_actions_changed_since_a_time_inclusively(self, client, world):
        cutoff = timezone.now()
        deposit(world, "NOR", ActionKind.RATIFICATION, "2026-04-01")
        corrected = Action.objects.get(participant__code="AUT", kind="acceptance")
        corrected.date = corrected.date.replace(day=3)
        corrected.save()
        assert keys(listed(client, f"since={cutoff.isoformat()}")) == {("NOR", "ratification"), ("AUT", "acceptance")}
        assert keys(listed(client, f"since={corrected.updated_at.isoformat()}")) == {("AUT", "acceptance")}

    def test_it_sorts_oldest_change_first_unless_asked_otherwise(self, client, world):
        stamps = [row["updated_at"] for row in listed(client)]
        assert stamps == sorted(stamps)
        dates = [row["date"] for row in listed(client, "ordering=-date")]
        assert dates[0] == "2026-03-02" and dates == sorted(dates, reverse=True)

    @pytest.mark.parametrize(
        ("query", "parameter", "message"),
        [
            ("kind=treaty", "kind", "treaty is not one of: signature,"),
            ("participant=France!", "participant", "FRANCE! is not a participant code"),
            ("participant=FRA,MLI", "participant", "FRA,MLI is not a participant code"),  # repeat it instead
            ("treaty=cybercrime", "treaty", "cybercrime is not an MTDSG number"),
            ("treaty=xviii-16", "treaty", "xviii-16 is not an MTDSG number"),
            # Empty values are refused like any malformed one, whatever the parameter.
            ("participant=", "participant", "This parameter is empty"),
            ("treaty=XVIII-16&treaty=", "treaty", "This parameter is empty"),
            ("kind=", "kind", "This parameter is empty"),
            ("date_after=", "date_after", "This parameter is empty"),
            ("since=", "since", "This parameter is empty"),
            ("ordering=", "ordering", "This parameter is empty"),
            ("page_size=", "page_size", "This parameter is empty"),
            ("cursor=", "cursor", "This parameter is empty"),
            ("date_after=10/02/2026", "date_after", "Use an ISO 8601 date such as 2026-02-10."),
            ("date_before=2026-02-30", "date_before", "Use an ISO 8601 date"),
            ("since=yesterday", "since", "Use an ISO 8601 date and time such as 2026-02-10T09:55:00Z."),
            ("since=9999-12-31T23:59:59-14:00", "since", "Use an ISO 8601 date and time"),
            ("ordering=participant", "ordering", "participant is not one of: updated_at, -updated_at, date, -date."),
            ("page_size=0", "page_size", "Ask for between 1 and 200 results per page."),
            ("page_size=201", "page_size", "Ask for between 1 and 200 results per page."),
            ("page_size=ten", "page_size", "Ask for between 1 and 200 results per page."),
            ("cursor=bm90IGEgY3Vyc29y", "cursor", "This cursor is not one this API gave out"),
        ],
    )
    def test_it_refuses_a_bad_parameter_with_a_400_that_names_it(self, client, db, query, parameter, message):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400
        assert message in response.json()[parameter][0]

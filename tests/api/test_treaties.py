from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ratification import selectors
from ratification.models import Action, ActionKind, Participant, PollOutcome, PollRun
from ratification.services.participant_edits import participant_save
from ratification.services.staff import action_correct
from ratification.services.treaties import treaty_update
from tests.api.world import deposit, small_treaty

pytestmark = pytest.mark.django_db


class TreatyListTests:
    def test_it_lists_each_treaty_with_its_rule_and_computed_status(self, client, world):
        response = client.get("/api/v1/treaties/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        [treaty] = response.json()["results"]
        assert treaty["mtdsg"] == "XVIII-16"
        text = treaty["rule"].pop("text")
        assert treaty["rule"] == {
            "known": True,
            "basis": "confirmed",
            "kind": "count",
            "threshold": 40,
            "delay_days": 90,
            "delay_months": 0,
            "reio_counts": False,
            "later_party_delay_days": 30,
            "later_party_delay_months": 0,
            "group": None,
            "weight": None,
            "date_override": None,
        }
        assert text.startswith("It enters into force 90 days after the deposit of the instrument that brings")
        assert treaty["status"]["counted"] == 2  # France and Austria; the EU's approval does not count
        assert treaty["status"]["parties"] == 3
        assert treaty["status"]["needed"] == 38
        assert treaty["status"]["reio_parties_not_counted"] == 1

    def test_a_group_rule_is_exposed_with_its_group(self, client, treaty):
        treaty.eif_rule_kind = "group"
        treaty.eif_group_name = "the States of Annex 2"
        treaty.eif_group_codes = ["FRA", "GHA"]
        treaty.eif_group_threshold = 2
        treaty.save()
        rule = client.get("/api/v1/treaties/XVIII-16/").json()["rule"]
        assert rule["kind"] == "group"
        assert rule["group"] == {"name": "the States of Annex 2", "threshold": 2, "participants": ["FRA", "GHA"]}
        assert rule["weight"] is None
        assert "provided at least 2 of them come from the States of Annex 2" in rule["text"]

    def test_a_weight_rule_is_exposed_with_its_shares_and_their_source(self, client, treaty):
        treaty.eif_rule_kind = "weight"
        treaty.eif_threshold = 55
        treaty.eif_weight_name = "global greenhouse gas emissions"
        treaty.eif_weight_percent = "55.00"
        treaty.eif_weights = {"USA": 17.89, "CHN": 20.09}
        treaty.eif_weights_source = "UNFCCC, 2015"
        treaty.save()
        rule = client.get("/api/v1/treaties/XVIII-16/").json()["rule"]
        assert rule["weight"] == {
            "name": "global greenhouse gas emissions",
            "percent": 55.0,
            "shares": {"USA": 17.89, "CHN": 20.09},
            "source": "UNFCCC, 2015",
        }
        assert rule["group"] is None

    def test_a_rule_nobody_confirmed_gives_no_value_and_says_so_in_words(self, client, treaty):
        """Issue 21's knowledge beside issue 26's fields: a group rule read but not known states nothing."""
        treaty.rule_basis = ""
        treaty.eif_rule_kind = "group"
        treaty.eif_group_name = "the States of Annex 2"
        treaty.eif_group_codes = ["FRA", "GHA"]
        treaty.eif_group_threshold = 2
        treaty.save()
        rule = client.get("/api/v1/treaties/XVIII-16/").json()["rule"]
        text = rule.pop("text")
        assert rule == {
            "known": False,
            "basis": None,
            "kind": None,
            "threshold": None,
            "delay_days": None,
            "delay_months": None,
            "reio_counts": None,
            "later_party_delay_days": None,
            "later_party_delay_months": None,
            "group": None,
            "weight": None,
            "date_override": None,
        }
        assert text.startswith("The tracker has not confirmed this treaty's entry-into-force rule")
        assert "Annex 2" not in text and "40" not in text

    def test_the_rule_in_words_speaks_the_readers_language(self, client, treaty):
        french = client.get("/api/v1/treaties/XVIII-16/", headers={"accept-language": "fr"}).json()["rule"]["text"]
        assert french.startswith("Il entre en vigueur")
        english = client.get("/api/v1/treaties/XVIII-16/").json()["rule"]["text"]
        assert english.startswith("It enters into force")

    def test_it_orders_treaties_by_mtdsg_number(self, client, treaty):
        small_treaty("XXVI-9")
        small_treaty("IV-11")
        response = client.get("/api/v1/treaties/")
        assert [t["mtdsg"] for t in response.json()["results"]] == ["IV-11", "XVIII-16", "XXVI-9"]


class TreatyStatusCacheTests:
    """Statuses are served from the response cache, and recomputed as soon as a service records
    anything they depend on."""

    def status(self, client) -> dict:
        return client.get("/api/v1/treaties/XVIII-16/").json()["status"]

    def test_it_serves_a_repeated_list_from_the_cache_in_one_query(self, client, world, django_assert_num_queries):
        client.get("/api/v1/treaties/")
        with django_assert_num_queries(1):
            client.get("/api/v1/treaties/")

    def test_it_counts_a_new_instrument_at_once(self, client, world):
        assert self.status(client)["counted"] == 2
        deposit(world, "NOR", ActionKind.RATIFICATION, "2026-03-09")
        assert self.status(client)["counted"] == 3

    def test_it_sees_an_instrument_withdrawn(self, client, world):
        self.status(client)
        acceptance = Action.objects.get(participant__code="AUT", kind=ActionKind.ACCEPTANCE)
        action_correct(action=acceptance, user=None, reason="C.N. of the withdrawal", withdrawn=True)
        assert self.status(client)["counted"] == 1

    def test_it_sees_a_participant_become_a_regional_organisation(self, client, world):
        self.status(client)
        austria = Participant.objects.get(code="AUT")
        austria.is_reio = True
        participant_save(participant=austria, user=None, reason="a test of the rule", changed=["is_reio"])
        assert self.status(client)["reio_parties_not_counted"] == 2

    def test_it_applies_a_changed_rule(self, client, world):
        self.status(client)
        world.refresh_from_db()
        world.eif_threshold, world.reio_counts = 2, True
        treaty_update(
            treaty=world, user=None, reason="amended", changed=["eif_threshold", "reio_counts"], every_hours=None
        )
        status = self.status(client)
        assert status["counted"] == 3 and status["needed"] == 0
        assert status["entry_into_force"] is not None


class TreatyDetailTests:
    def test_it_shows_the_same_numbers_as_the_status_page(self, client, world):
        status = client.get("/api/v1/treaties/XVIII-16/").json()["status"]
        expected = selectors.treaty_summary(treaty=world).as_json()
        assert {key: status[key] for key in expected} == expected

    def test_it_dates_entry_into_force_once_the_threshold_is_reached(self, client, db):
        treaty = small_treaty("XXVI-9", threshold=2)
        deposit(treaty, "NOR", ActionKind.RATIFICATION, "2026-01-10")
        deposit(treaty, "JPN", ActionKind.ACCESSION, "2026-02-01")
        status = client.get("/api/v1/treaties/XXVI-9/").json()["status"]
        assert status["counted"] == 2
        assert status["needed"] == 0
        assert status["threshold_reached_on"] == "2026-02-01"
        assert status["entry_into_force"] == "2026-05-02"  # 90 days later

    def test_it_links_the_participants_the_status_page_and_the_source(self, client, treaty):
        body = client.get("/api/v1/treaties/XVIII-16/").json()
        assert body["participants_url"] == "http://testserver/api/v1/treaties/XVIII-16/participants/"
        assert body["page_url"] == "http://testserver/treaties/XVIII-16/"
        assert body["source_url"] == (
            "https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"
        )

    def test_it_tells_when_the_source_was_last_checked_and_last_read_well(self, client, treaty):
        def run(minutes_ago: int, outcome: str) -> datetime.datetime:
            finished = timezone.now() - datetime.timedelta(minutes=minutes_ago)
            PollRun.objects.create(treaty=treaty, started_at=finished, finished_at=finished, outcome=outcome)
            return finished

        succeeded = run(60, PollOutcome.UNCHANGED)
        failed = run(30, PollOutcome.FAILED)
        body = client.get("/api/v1/treaties/XVIII-16/").json()
        assert body["last_success_at"] == succeeded.isoformat().replace("+00:00", "Z")
        assert body["last_checked_at"] == failed.isoformat().replace("+00:00", "Z")
        freshness = selectors.treaty_freshness(treaty=treaty)  # what the status page shows
        assert (freshness.last_checked_at, freshness.last_success_at) == (failed, succeeded)

    def test_it_says_null_for_a_treaty_never_read(self, client, treaty):
        body = client.get("/api/v1/treaties/XVIII-16/").json()
        assert body["last_checked_at"] is None and body["last_success_at"] is None

    @pytest.mark.parametrize("mtdsg", ["XXVI-9", "not-a-treaty", "XVIII-16%00", "x" * 500])
    def test_it_answers_404_in_json_for_an_unknown_or_malformed_number(self, client, db, mtdsg):
        small_treaty("IV-11")
        response = client.get(f"/api/v1/treaties/{mtdsg}/")
        assert response.status_code == 404
        assert "detail" in response.json()


class UnknownPathTests:
    def test_it_answers_json_for_a_path_the_api_does_not_have(self, client, db):
        response = client.get("/api/v1/ratifications/")
        assert response.status_code == 404
        assert "/api/docs/" in response.json()["detail"]

    def test_it_still_adds_the_missing_slash(self, client, db):
        assert client.get("/api/v1/treaties")["Location"] == "/api/v1/treaties/"

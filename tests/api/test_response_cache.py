"""Anonymous reads answered from a stored response: fast, never stale, never past the throttle."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ratification import cache
from ratification.cache import data_version
from ratification.models import Action, ActionKind, Participant, PollOutcome, PollRun
from ratification.services.participant_edits import participant_save
from ratification.services.treaties import treaty_create
from tests.api.world import deposit

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/treaties/",
    "/api/v1/treaties/XVIII-16/",
    "/api/v1/treaties/XVIII-16/participants/?page_size=50",
    "/api/v1/actions/?page_size=50",
    "/api/v1/events/?page_size=50",
]


def codes(response) -> set[str]:
    return {row["participant"] for row in response.json()["results"]}


class StoredResponseTests:
    @pytest.mark.parametrize("url", URLS)
    def test_a_repeated_read_costs_one_query_and_gives_the_same_bytes(
        self, client, world, url, django_assert_num_queries
    ):
        first = client.get(url)
        with django_assert_num_queries(1):  # the version of the data
            again = client.get(url)
        assert again.status_code == 200
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Cache-Control"] == first["Cache-Control"]

    def test_it_answers_304_from_the_stored_response(self, client, world, django_assert_num_queries):
        etag = client.get("/api/v1/actions/")["ETag"]
        with django_assert_num_queries(1):
            response = client.get("/api/v1/actions/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""

    def test_it_shows_a_new_instrument_at_once(self, client, world):
        url = "/api/v1/actions/?kind=ratification"
        assert "NOR" not in codes(client.get(url))
        deposit(world, "NOR", ActionKind.RATIFICATION, "2026-03-09")
        assert "NOR" in codes(client.get(url))

    def test_it_shows_a_removed_row_at_once(self, client, world):
        url = "/api/v1/actions/?kind=acceptance"
        assert "AUT" in codes(client.get(url))
        acceptance = Action.objects.get(participant__code="AUT", kind=ActionKind.ACCEPTANCE)
        acceptance.events.all().delete()
        acceptance.delete()
        assert "AUT" not in codes(client.get(url))

    def test_it_shows_a_participant_edit_at_once(self, client, world):
        client.get("/api/v1/treaties/XVIII-16/participants/?code=FRA")
        france = Participant.objects.get(code="FRA")
        france.name = "République française"
        participant_save(participant=france, user=None, reason="its own name", changed=["name"])
        rows = client.get("/api/v1/treaties/XVIII-16/participants/?code=FRA").json()["results"]
        assert rows[0]["name"] == "République française"

    def test_it_shows_a_new_poll_at_once(self, client, world):
        before = client.get("/api/v1/treaties/XVIII-16/").json()["last_checked_at"]
        PollRun.objects.create(
            treaty=world, started_at=timezone.now(), finished_at=timezone.now(), outcome=PollOutcome.UNCHANGED
        )
        assert client.get("/api/v1/treaties/XVIII-16/").json()["last_checked_at"] != before

    def test_it_keeps_each_host_its_own_links(self, client, world):
        client.get("/api/v1/actions/?page_size=1", HTTP_HOST="localhost")
        other = client.get("/api/v1/actions/?page_size=1", HTTP_HOST="testserver").json()
        assert other["next"].startswith("http://testserver/")

    def test_it_never_stores_what_staff_see(self, staff_client, world):
        anonymous = Client()
        public_view = anonymous.get("/api/v1/events/?page_size=50").json()["results"]
        staff_view = staff_client.get("/api/v1/events/?page_size=50").json()["results"]
        assert len(staff_view) > len(public_view)
        assert anonymous.get("/api/v1/events/?page_size=50").json()["results"] == public_view

    def test_it_never_stores_the_browsable_page(self, client, world):
        client.get("/api/v1/actions/", HTTP_ACCEPT="text/html")
        assert len(cache.recent.entries) == 0
        client.get("/api/v1/actions/")
        assert len(cache.recent.entries) == 1

    def test_it_still_throttles_what_it_answers_from_storage(self, client, world, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}
        statuses = [client.get("/api/v1/actions/").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]


class DataVersionTests:
    def test_it_reuses_the_version_for_the_configured_seconds(self, world, settings, django_assert_num_queries):
        settings.DATA_VERSION_MAX_AGE = 60
        first = data_version()
        with django_assert_num_queries(0):
            assert data_version() == first

    def test_it_changes_with_a_write_and_with_the_treaties_followed(self, world):
        seen = [data_version().digest]
        type(world).objects.filter(pk=world.pk).update(short_title="UNCAC")
        seen.append(data_version().digest)
        other = treaty_create(mtdsg="XXVI-9", user=None)
        seen.append(data_version().digest)
        assert len(set(seen)) == 3
        other.delete()  # back to the same data, so back to the same version
        assert data_version().digest == seen[1]

    def test_a_save_of_a_stale_copy_never_moves_it_back(self, world):
        stale = type(world).objects.get(pk=world.pk)
        type(world).objects.filter(pk=world.pk).update(short_title="UNCAC")
        stale.short_title = "UNCAC"
        stale.save()
        # The other write's increment stands, and the save is one more.
        assert type(world).objects.get(pk=world.pk).data_version == stale.data_version + 2

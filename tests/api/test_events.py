from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/events/"


def kinds(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.content
    return [(event["kind"], event["participant"]) for event in response.json()["results"]]


class EventListTests:
    def test_it_lists_announced_events_in_the_order_they_were_recorded(self, client, world):
        assert kinds(client.get(URL)) == [
            ("new_action", "FRA"),
            ("new_action", "AUT"),
            ("new_action", "EUU"),
            ("withdrawal", "MLI"),
        ]

    def test_it_shows_corrections_and_renames_to_staff_only(self, client, staff_client, world, outsider):
        assert ("correction", "FRA") in kinds(staff_client.get(URL))
        client.force_login(outsider)
        assert ("correction", "FRA") not in kinds(client.get(URL))

    def test_it_describes_each_event(self, client, world):
        first = client.get(URL).json()["results"][0]
        assert first["treaty"] == "XVIII-16"
        assert first["occurred_on"] == "2026-02-10"
        assert first["action"] == {"kind": "ratification", "date": "2026-02-10"}
        assert first["data"]["action_kind"] == "ratification"
        assert first["public"] is True
        assert isinstance(first["id"], int)

    def test_it_filters_by_kind_participant_and_treaty(self, client, world):
        assert kinds(client.get(f"{URL}?kind=withdrawal")) == [("withdrawal", "MLI")]
        assert kinds(client.get(f"{URL}?participant=EUU")) == [("new_action", "EUU")]
        assert len(kinds(client.get(f"{URL}?treaty=XVIII-16"))) == 4

    def test_it_sorts_by_date_of_the_action_when_asked(self, client, world):
        newest_first = client.get(f"{URL}?ordering=-occurred_on").json()["results"]
        assert [event["occurred_on"] for event in newest_first] == [
            "2026-03-05",
            "2026-03-02",
            "2026-02-10",
            "2026-01-15",
        ]

    @pytest.mark.parametrize(
        ("query", "parameter"),
        [
            ("kind=rumour", "kind"),
            ("since=last week", "since"),
            ("treaty=I", "treaty"),
            ("ordering=id", "ordering"),
            ("participant=", "participant"),
            ("kind=", "kind"),
        ],
    )
    def test_it_refuses_a_bad_filter_with_a_400_that_names_it(self, client, db, query, parameter):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400
        assert list(response.json()) == [parameter]


class PollRunListTests:
    def test_it_shows_staff_every_read_of_the_source(self, staff_client, world):
        response = staff_client.get("/api/v1/poll-runs/")
        assert response.status_code == 200
        [run] = response.json()["results"]
        assert run["treaty"] == "XVIII-16"
        assert run["outcome"] == "changed"
        assert run["new_actions"] == 3

    def test_it_filters_runs_by_outcome(self, staff_client, world):
        assert staff_client.get("/api/v1/poll-runs/?outcome=failed").json()["results"] == []
        assert staff_client.get("/api/v1/poll-runs/?outcome=mystery").status_code == 400

    def test_it_refuses_anonymous_users(self, client, world):
        response = client.get("/api/v1/poll-runs/")
        assert response.status_code == 403
        assert "credentials" in response.json()["detail"]

    def test_it_refuses_users_who_are_not_staff(self, client, world, outsider):
        client.force_login(outsider)
        assert client.get("/api/v1/poll-runs/").status_code == 403

"""/api/v1/treaties/<mtdsg>/declarations/: a treaty's statements, filtered by participant (code),
kind and article, cursor-paginated like every list of the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ratification.models import Statement
from tests.api.world import participant

pytestmark = pytest.mark.django_db
URL = "/api/v1/treaties/XVIII-16/declarations/"


def made(treaty, code: str, kinds: list[str], articles: list[str], **fields) -> Statement:
    return Statement.objects.create(
        treaty=treaty, participant=participant(code), section=fields.pop("section", "declarations"), kinds=kinds,
        articles=articles, text=fields.pop("text", f"{code} says."), since=timezone.localdate(), **fields,
    )  # fmt: skip


@pytest.fixture
def statements(treaty):
    return [
        made(treaty, "FRA", ["reservation", "declaration"], ["22(4)", "40"]),
        made(
            treaty,
            "DEU",
            ["objection"],
            ["22"],
            section="objections",
            answers=[{"name": "France", "kind": "reservation", "code": "FRA"}],
        ),
        made(treaty, "CHL", ["declaration"], []),
        made(treaty, "MEX", ["reservation"], ["35(3)"], withdrawn_on=timezone.localdate()),
    ]


def listed(client, query: str = "") -> list[dict]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


class DeclarationListTests:
    def test_it_lists_the_standing_statements_by_id(self, client, statements):
        rows = listed(client)
        assert [row["participant"] for row in rows] == ["FRA", "DEU", "CHL"]
        france = rows[0]
        assert {key: france[key] for key in ("section", "kinds", "articles", "withdrawn_on")} == {
            "section": "declarations",
            "kinds": ["reservation", "declaration"],
            "articles": ["22(4)", "40"],
            "withdrawn_on": None,
        }
        assert france["page_url"].endswith(f"/participants/FRA/#statement-{statements[0].pk}")
        assert rows[1]["answers"] == [{"name": "France", "kind": "reservation", "participant": "FRA"}]

    @pytest.mark.parametrize(
        ("query", "codes"),
        [
            ("participant=fra", ["FRA"]),
            ("participant=FRA&participant=CHL", ["FRA", "CHL"]),
            ("kind=reservation", ["FRA"]),
            ("kind=objection&kind=declaration", ["FRA", "DEU", "CHL"]),
            ("article=22", ["FRA", "DEU"]),
            ("article=22(4)", ["FRA"]),
            ("article=35(3)&state=withdrawn", ["MEX"]),
            ("state=all&kind=reservation", ["FRA", "MEX"]),
            ("participant=ZZZ", []),
        ],
    )
    def test_it_filters_by_participant_kind_article_and_state(self, client, statements, query, codes):
        assert [row["participant"] for row in listed(client, query)] == codes

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("kind=banana", "kind"),
            ("article=x;y", "article"),
            ("participant=F", "participant"),
            ("article=", "article"),
        ],
    )
    def test_a_malformed_filter_is_a_400_naming_it(self, client, statements, query, field):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400
        assert field in response.json()

    def test_it_pages_with_cursors(self, client, statements):
        first = client.get(f"{URL}?page_size=2").json()
        assert [row["participant"] for row in first["results"]] == ["FRA", "DEU"]
        second = client.get(first["next"]).json()
        assert [row["participant"] for row in second["results"]] == ["CHL"]
        assert second["next"] is None and second["previous"]

    def test_a_treaty_not_followed_is_a_404(self, client, statements):
        assert client.get("/api/v1/treaties/XXVI-9/declarations/").status_code == 404

    def test_writes_are_refused(self, client, statements):
        assert client.post(URL, {}).status_code == 405

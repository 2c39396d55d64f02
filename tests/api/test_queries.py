"""A page costs the same, small number of SQL queries whatever its size: never one query per row."""

from __future__ import annotations

import datetime

import pytest

from ratification.models import ActionKind, Event, EventKind, PollOutcome, PollRun
from tests.api.world import deposit, small_treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(world):
    """60 more treaties, each with instruments, an event and a poll run: more than a page of everything."""
    for number in range(1, 61):
        treaty = small_treaty(f"XXVI-{number}", threshold=1)
        deposit(treaty, "NOR", ActionKind.RATIFICATION, "2026-01-10")
        deposit(treaty, "JPN", ActionKind.SIGNATURE, "2026-01-11")
        Event.objects.create(treaty=treaty, kind=EventKind.THRESHOLD_REACHED, occurred_on=datetime.date(2026, 1, 10))
        PollRun.objects.create(treaty=treaty, started_at=world.created_at, outcome=PollOutcome.UNCHANGED)
    return world


SINCE = "since=2025-01-01T00:00:00Z"
# (url, filters that leave more than 50 rows, queries), each beginning with the version of the
# data an anonymous response is stored under (ratification/cache.py). The treaty list: the treaties,
# then all their actions. Participants: the treaty, its actions, the page. Actions and events:
# the latest change (for sync_since), the page. Participants also read the national steps (one
# query). Treaties or participants named in a filter are
# joined in those queries (a key that names nothing simply matches nothing): no query of their own.
PUBLIC = [
    ("/api/v1/treaties/", "", 1 + 2),
    ("/api/v1/treaties/XVIII-16/participants/", "status=counted&status=signatory&kind=signature", 1 + 4),
    ("/api/v1/actions/", f"kind=signature&kind=ratification&date_after=2025-01-01&ordering=-date&{SINCE}", 1 + 2),
    ("/api/v1/actions/", "treaty=XVIII-16&treaty=XXVI-1", 1 + 2),
    ("/api/v1/actions/", "participant=JPN&participant=NOR&participant=FRA", 1 + 2),
    ("/api/v1/events/", f"kind=threshold_reached&kind=new_action&ordering=occurred_on&{SINCE}", 1 + 2),
    ("/api/v1/events/", "participant=NOR&participant=JPN", 1 + 2),
]


class QueryCountTests:
    @pytest.mark.parametrize(("url", "filters", "expected"), PUBLIC)
    def test_it_spends_as_few_queries_on_a_page_of_50_as_on_a_page_of_1_or_on_the_next(
        self, client, crowded, django_assert_num_queries, django_assert_max_num_queries, url, filters, expected
    ):
        for page_size in (1, 50):
            with django_assert_num_queries(expected):
                response = client.get(f"{url}?page_size={page_size}&{filters}")
            assert len(response.json()["results"]) == page_size
        with django_assert_max_num_queries(expected):
            assert client.get(response.json()["next"]).json()["results"]

    def test_it_spends_as_few_on_50_poll_runs_as_on_1(self, staff_client, crowded, django_assert_num_queries):
        for page_size in (1, 50):
            # The session, the staff user, the data version (the Last-Modified every answer carries), the page.
            with django_assert_num_queries(4):
                response = staff_client.get(f"/api/v1/poll-runs/?page_size={page_size}")
            assert len(response.json()["results"]) == page_size

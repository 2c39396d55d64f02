"""Keyset pages: every row once per crawl, whatever is written between two pages."""

from __future__ import annotations

import datetime
import json
from base64 import urlsafe_b64encode
from unittest.mock import ANY
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from ratification.models import Action, ActionKind, Event
from tests.api.world import deposit

pytestmark = pytest.mark.django_db


def crawl(client, url: str, between_pages=lambda page_number: None) -> list[dict]:
    results, page_number = [], 0
    while url:
        page = client.get(url).json()
        results += page["results"]
        url = page["next"]
        page_number += 1
        between_pages(page_number)
    return results


def key(row: dict) -> tuple[str, str, str]:
    return (row["treaty"], row["participant"], row["kind"])


def cursor(data: dict) -> str:
    return urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class KeysetPaginationTests:
    def test_it_pages_through_every_row_once(self, client, world):
        rows = crawl(client, "/api/v1/actions/?page_size=7")
        assert len(rows) == Action.objects.count() == 75
        assert len({key(row) for row in rows}) == 75

    def test_it_misses_no_row_when_rows_sharing_a_timestamp_change_mid_crawl(self, client, world):
        # One reconcile stamps many rows with the same time. DRF's CursorPagination steps over
        # such ties with an offset, and skips an unseen row once a seen one moves away.
        Action.objects.update(updated_at=timezone.now())
        before = {(a.treaty.mtdsg, a.participant.code, a.kind) for a in Action.objects.select_related()}

        def touch_a_seen_row(page_number: int) -> None:
            seen = Action.objects.order_by("id")[page_number * 3]
            seen.save()  # moves to the end of the updated_at order

        rows = crawl(client, "/api/v1/actions/?page_size=10", touch_a_seen_row)
        assert before <= {key(row) for row in rows}

    def test_it_pages_backwards_through_the_same_rows(self, client, world):
        forward = [client.get("/api/v1/actions/?page_size=20").json()]
        while forward[-1]["next"]:
            forward.append(client.get(forward[-1]["next"]).json())
        backward = [forward[-1]]
        while backward[-1]["previous"]:
            backward.append(client.get(backward[-1]["previous"]).json())
        assert [page["results"] for page in reversed(backward)] == [page["results"] for page in forward]
        assert backward[-1]["previous"] is None

    def test_it_keeps_the_filters_in_its_links(self, client, world):
        page = client.get("/api/v1/actions/?page_size=1&kind=ratification&kind=acceptance").json()
        assert "kind=ratification" in page["next"] and "kind=acceptance" in page["next"]
        assert len(crawl(client, page["next"])) == 1

    def test_it_refuses_a_cursor_of_another_ordering(self, client, world):
        next_url = client.get("/api/v1/actions/?page_size=5").json()["next"]
        response = client.get(next_url + "&ordering=date")
        assert response.status_code == 400
        assert "start again without a cursor" in response.json()["cursor"][0]

    @pytest.mark.parametrize(
        "forged",
        [
            {"o": ["updated_at", "id"], "k": ["not a time", 3]},
            {"o": ["updated_at", "id"], "k": ["2026-02-10T00:00:00+00:00", "three"]},
            {"o": ["updated_at", "id"], "k": ["2026-02-10T00:00:00+00:00"]},
            {"o": ["updated_at", "id"], "k": ["2026-02-10T00:00:00\x00", 3]},
            {"o": ["updated_at", "id"], "k": ["2026-02-10T00:00:00+00:00", 3], "x": {"s": "noon"}},
            {"k": []},
            ["not", "an", "object"],
        ],
    )
    def test_it_answers_400_to_a_forged_cursor(self, client, world, forged):
        response = client.get(f"/api/v1/actions/?cursor={cursor(forged)}")
        assert response.status_code == 400
        assert "cursor" in response.json()

    def test_it_answers_400_to_a_forged_participant_cursor(self, client, world):
        forged = cursor({"o": ["code"], "k": ["FRA\x00"]})
        response = client.get(f"/api/v1/treaties/XVIII-16/participants/?cursor={forged}")
        assert response.status_code == 400


def later(**delta) -> datetime.datetime:
    """A time after the world was built (the sync tests move the clock forward from there)."""
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=1, **delta)


def z(moment: datetime.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def settled_world(world):
    """The world as it stood a day ago: rows written an hour apart, the last one a day ago."""
    day_ago = timezone.now() - datetime.timedelta(days=1)
    for model, field in ((Action, "updated_at"), (Event, "created_at")):
        for hours, pk in enumerate(model.objects.order_by("-id").values_list("pk", flat=True)):
            model.objects.filter(pk=pk).update(**{field: day_ago - datetime.timedelta(hours=hours)})
    return world


class IncrementalSyncTests:
    def test_it_hands_out_the_latest_change_less_five_minutes_as_sync_since(self, client, world, time_machine):
        latest = Action.objects.latest("updated_at").updated_at
        first = client.get("/api/v1/actions/?page_size=30").json()
        assert first["sync_since"] == z(latest - datetime.timedelta(minutes=5))
        time_machine.move_to(later(minutes=30), tick=False)
        deposit(world, "NOR", ActionKind.RATIFICATION, "2026-02-09")  # during the crawl
        second = client.get(first["next"]).json()
        assert second["sync_since"] == first["sync_since"]  # every page of one crawl says the same

    def test_it_hands_over_a_row_committed_late_to_the_next_sync(self, client, world):
        # A reconcile transaction stamps its row (say one minute before the latest committed
        # one) but commits only after the client's crawl read past that position: the next
        # sync must still see it.
        crawled = crawl(client, "/api/v1/actions/?page_size=50")
        sync_since = client.get("/api/v1/actions/?page_size=1").json()["sync_since"]
        latest = Action.objects.latest("updated_at").updated_at
        late = deposit(world, "NOR", ActionKind.RATIFICATION, "2026-02-09")
        Action.objects.filter(pk=late.pk).update(updated_at=latest - datetime.timedelta(minutes=1))
        assert ("XVIII-16", "NOR", "ratification") not in {key(row) for row in crawled}

        resynced = crawl(client, f"/api/v1/actions/?{urlencode({'since': sync_since})}")
        assert ("XVIII-16", "NOR", "ratification") in {key(row) for row in resynced}

    def test_it_sends_what_changed_and_only_the_last_five_minutes_again(self, client, settled_world):
        sync_since = client.get("/api/v1/actions/").json()["sync_since"]
        last_seen = Action.objects.latest("updated_at")
        corrected = Action.objects.get(participant__code="FRA", kind="ratification")
        corrected.footnotes = [4]
        corrected.save()
        resynced = crawl(client, f"/api/v1/actions/?{urlencode({'since': sync_since})}")
        assert [(key(row), row["footnotes"]) for row in resynced] == [
            (("XVIII-16", last_seen.participant.code, last_seen.kind), last_seen.footnotes),  # within the overlap
            (("XVIII-16", "FRA", "ratification"), [4]),
        ]

    def test_it_keeps_the_clients_since_while_nothing_changes(self, client, settled_world):
        since = z(timezone.now() - datetime.timedelta(hours=1))
        page = client.get(f"/api/v1/actions/?{urlencode({'since': since})}").json()
        assert page["results"] == []
        assert page["sync_since"] == since

    def test_it_says_null_while_nothing_at_all_matches(self, client, settled_world):
        page = client.get("/api/v1/actions/?kind=succession").json()
        assert page["results"] == [] and page["sync_since"] is None

    def test_it_keeps_the_same_etag_while_nothing_changes(self, client, world, time_machine):
        tomorrow = later().replace(hour=1, minute=0, second=0)
        time_machine.move_to(tomorrow, tick=False)
        etag = client.get("/api/v1/actions/").get("ETag")
        time_machine.move_to(tomorrow.replace(hour=23), tick=False)  # the same day: statuses move with the date
        assert client.get("/api/v1/actions/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    def test_it_syncs_events_by_the_time_they_were_recorded(self, client, settled_world):
        events = client.get("/api/v1/events/").json()
        assert len(events["results"]) == 4  # the correction is for staff only
        deposit(settled_world, "NOR", ActionKind.RATIFICATION, "2026-02-11")
        newer = client.get(f"/api/v1/events/?{urlencode({'since': events['sync_since']})}").json()["results"]
        last_seen = events["results"][-1]
        assert [(event["id"], event["participant"]) for event in newer] == [(last_seen["id"], "MLI"), (ANY, "NOR")]

    def test_it_reads_an_unencoded_plus_in_since_as_the_offset_it_was(self, client, settled_world):
        cutoff = timezone.now()
        deposit(settled_world, "NOR", ActionKind.RATIFICATION, "2026-02-11")
        # A client that forgets to encode "+00:00" sends a space: still the same instant.
        results = client.get(f"/api/v1/actions/?since={cutoff.isoformat()}").json()["results"]
        assert [(row["participant"], row["kind"]) for row in results] == [("NOR", "ratification")]

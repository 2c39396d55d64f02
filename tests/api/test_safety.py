"""Safe by default: read-only, rate-limited per real client, cacheable, open to other sites for reading only."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ratification.api.throttles import AnonThrottle
from ratification.models import ActionKind, Participant
from tests.api.world import deposit

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/api/v1/treaties/",
    "/api/v1/treaties/XVIII-16/",
    "/api/v1/treaties/XVIII-16/participants/",
    "/api/v1/actions/",
    "/api/v1/events/",
]


@pytest.fixture
def rate(settings, time_machine):
    """A low anonymous rate, so the limit is quick to reach; the clock stands still mid-window."""
    time_machine.move_to("2026-02-10T10:00:30Z", tick=False)

    def set_rate(value: str, proxies: int = 0) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": value},
            "NUM_PROXIES": proxies,
        }

    return set_rate


class ReadOnlyTests:
    @pytest.mark.parametrize("url", PUBLIC_URLS)
    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_it_answers_405_to_any_write(self, client, db, url, method):
        response = getattr(client, method)(url, data={"mtdsg": "X-1"}, content_type="application/json")
        assert response.status_code == 405
        assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'

    def test_it_answers_405_to_staff_writes_too(self, staff_client):
        assert staff_client.post("/api/v1/poll-runs/", {}).status_code == 405
        assert staff_client.delete("/api/v1/treaties/XVIII-16/").status_code == 405


class ThrottleTests:
    def test_it_answers_429_with_retry_after_past_the_anonymous_rate(self, client, treaty, rate):
        rate("3/min")
        statuses = [client.get("/api/v1/treaties/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/treaties/")
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert "throttled" in refused.json()["detail"]

    def test_it_does_not_reset_the_limit_for_a_forged_x_forwarded_for(self, client, treaty, rate):
        rate("3/min", proxies=0)
        statuses = [
            client.get("/api/v1/treaties/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]

    def test_it_trusts_only_what_the_proxies_appended_behind_one_proxy(self, client, treaty, rate):
        rate("3/min", proxies=1)
        # The proxy appends the address it saw; whatever the client wrote before it is ignored.
        forged = [f"198.51.100.{n}, 203.0.113.7" for n in range(5)]
        statuses = [client.get("/api/v1/treaties/", HTTP_X_FORWARDED_FOR=header).status_code for header in forged]
        assert statuses == [200, 200, 200, 429, 429]
        assert client.get("/api/v1/treaties/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200

    def test_it_counts_an_ipv6_64_as_one_client(self, client, treaty, rate):
        rate("2/min")
        same_network = ["2001:db8:0:1::1", "2001:db8:0:1::abcd", "2001:db8:0:1:ffff::9"]
        statuses = [client.get("/api/v1/treaties/", REMOTE_ADDR=address).status_code for address in same_network]
        assert statuses == [200, 200, 429]
        assert client.get("/api/v1/treaties/", REMOTE_ADDR="2001:db8:0:2::1").status_code == 200

    def test_it_gives_each_address_its_own_budget(self, client, treaty, rate):
        rate("1/min")
        assert client.get("/api/v1/treaties/", REMOTE_ADDR="192.0.2.1").status_code == 200
        assert client.get("/api/v1/treaties/", REMOTE_ADDR="192.0.2.1").status_code == 429
        assert client.get("/api/v1/treaties/", REMOTE_ADDR="192.0.2.2").status_code == 200

    def test_it_lets_a_client_back_in_as_its_last_minute_slides_away(self, client, treaty, rate, time_machine):
        rate("4/min")
        assert [client.get("/api/v1/treaties/").status_code for _ in range(4)] == [200, 200, 200, 200]
        assert client.get("/api/v1/treaties/")["Retry-After"] == "30"  # at 10:00:30, wait for 10:01
        # Half a minute into the next window, half of the last one's 4 still counts: 2 more fit.
        time_machine.move_to("2026-02-10T10:01:30Z", tick=False)
        assert [client.get("/api/v1/treaties/").status_code for _ in range(3)] == [200, 200, 429]
        time_machine.move_to("2026-02-10T10:01:45Z", tick=False)
        assert [client.get("/api/v1/treaties/").status_code for _ in range(2)] == [200, 429]

    def test_it_admits_exactly_the_rate_to_concurrent_requests(self, rate):
        # Count first, then check, with an atomic increment (locmem here, Redis in production):
        # eight threads racing for the last places cannot all take them.
        rate("50/min")
        request = RequestFactory().get("/api/v1/treaties/", REMOTE_ADDR="192.0.2.9")
        request.user = AnonymousUser()
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: AnonThrottle().allow_request(request, None), range(200)))
        assert answers.count(True) == 50

    def test_it_does_not_throttle_staff(self, staff_client, treaty, rate):
        rate("1/min")
        assert {staff_client.get("/api/v1/treaties/").status_code for _ in range(3)} == {200}


class ConditionalGetTests:
    @pytest.mark.parametrize("url", PUBLIC_URLS)
    def test_it_answers_304_when_the_client_has_the_current_version(self, client, world, url):
        first = client.get(url)
        assert first.status_code == 200
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]

    def test_it_answers_200_with_a_new_etag_once_something_changed(self, client, world):
        first = client.get("/api/v1/treaties/XVIII-16/")
        deposit(world, "NOR", ActionKind.RATIFICATION, "2026-03-09")
        changed = client.get("/api/v1/treaties/XVIII-16/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200
        assert changed["ETag"] != first["ETag"]
        assert changed.json()["status"]["counted"] == 3

    def test_it_answers_head_requests_with_the_same_etag(self, client, world):
        etag = client.get("/api/v1/actions/").get("ETag")
        assert client.head("/api/v1/actions/")["ETag"] == etag
        assert client.head("/api/v1/actions/", HTTP_IF_NONE_MATCH=etag).status_code == 304

    def test_it_asks_caches_to_revalidate_and_keeps_staff_answers_private(self, client, world, staff):
        response = client.get("/api/v1/events/")
        assert "no-cache" in response["Cache-Control"] and "public" in response["Cache-Control"]
        client.force_login(staff)
        assert "private" in client.get("/api/v1/events/")["Cache-Control"]


class CorsTests:
    def test_it_lets_any_site_read_without_credentials(self, client, treaty):
        response = client.get("/api/v1/treaties/", HTTP_ORIGIN="https://newsroom.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert {"etag", "retry-after"} <= {
            h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")
        }

    def test_it_allows_reading_methods_only_in_a_preflight(self, client, treaty):
        response = client.options(
            "/api/v1/actions/",
            HTTP_ORIGIN="https://newsroom.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        )
        assert response.status_code == 200
        assert {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")} == {"GET", "HEAD", "OPTIONS"}
        assert "if-none-match" in response["Access-Control-Allow-Headers"]

    def test_it_keeps_the_rest_of_the_site_to_itself(self, client, treaty):
        response = client.get("/", HTTP_ORIGIN="https://newsroom.example")
        assert "Access-Control-Allow-Origin" not in response


class OutputSafetyTests:
    def test_it_returns_scraped_text_as_json_data_never_as_markup(self, client, treaty):
        Participant.objects.filter(code="FRA").update(name="<script>alert(1)</script>")
        response = client.get("/api/v1/actions/?participant=FRA")
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.json()["results"][0]["participant_name"] == "<script>alert(1)</script>"

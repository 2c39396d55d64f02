from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratification import cache, selectors
from ratification.models import PollOutcome, PollRun
from ratification.services.treaties import treaty_create
from tests.views.conftest import deposit, first_instruments, poll

PAGES = ("/", "/treaties/", "/treaties/XVIII-16/", "/participants/FRA/")
EXPORTS = (
    "/feeds/XVIII-16.atom",
    "/treaties/XVIII-16.ics",
    "/treaties/XVIII-16/participants.csv",
    "/treaties/XVIII-16/participants.json",
)


@pytest.mark.django_db
class ValidatorTests:
    @pytest.mark.parametrize("url", PAGES + EXPORTS)
    def test_every_page_feed_and_export_has_an_etag_and_last_modified(self, client, treaty, url):
        poll(treaty, timezone.now())
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"]
        assert response["Last-Modified"]
        assert "no-cache" in response["Cache-Control"]

    @pytest.mark.parametrize("url", PAGES + EXPORTS)
    def test_a_reader_with_the_current_etag_gets_304(self, client, treaty, url):
        etag = client.get(url)["ETag"]
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""

    def test_a_wildcard_or_a_date_never_turns_an_error_into_a_304(self, client, treaty):
        page = client.get("/treaties/XXVI-99/", headers={"if-none-match": "*"})
        dated = client.get("/treaties/XXVI-99/", headers={"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"})
        assert (page.status_code, dated.status_code) == (404, 404)

    def test_a_wildcard_matches_a_page_that_exists(self, client, treaty):
        client.get("/")
        assert client.get("/", headers={"if-none-match": "*"}).status_code == 304

    def test_the_etag_changes_when_a_poll_records_a_change(self, client, treaty):
        etag = client.get("/")["ETag"]
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        response = client.get("/", headers={"if-none-match": etag})
        assert response.status_code == 200
        assert response["ETag"] != etag

    def test_the_etag_depends_on_the_language(self, client, treaty):
        english = client.get("/", headers={"accept-language": "en"})["ETag"]
        french = client.get("/", headers={"accept-language": "fr"})["ETag"]
        assert english != french

    def test_responses_are_marked_as_depending_on_the_language_cookie(self, client, treaty):
        assert "Cookie" in client.get("/")["Vary"]
        assert "Accept-Language" in client.get("/")["Vary"]

    def test_a_revalidation_is_answered_without_building_or_reading_the_page(self, client, treaty):
        etag = client.get("/treaties/XVIII-16/")["ETag"]
        cache.recent.clear()
        with mock.patch.object(selectors, "treaty_overview", wraps=selectors.treaty_overview) as overview:
            again = client.get("/treaties/XVIII-16/", headers={"if-none-match": etag})
        assert (again.status_code, again["ETag"], overview.call_count) == (304, etag, 0)
        assert "Cookie" in again["Vary"]

    def test_a_new_release_gets_new_etags(self, client, treaty, monkeypatch):
        etag = client.get("/")["ETag"]
        monkeypatch.setattr(cache, "code_version", lambda: "the next release")
        response = client.get("/", headers={"if-none-match": etag})
        assert response.status_code == 200
        assert response["ETag"] != etag


@pytest.mark.django_db
class PageCacheTests:
    def test_a_warm_page_costs_one_query_and_no_computation(self, client, treaty, django_assert_num_queries):
        client.get("/")
        with (
            mock.patch.object(selectors, "treaty_overview", wraps=selectors.treaty_overview) as overview,
            django_assert_num_queries(1),
        ):
            assert client.get("/").status_code == 200
        assert overview.call_count == 0

    def test_a_head_request_is_served_from_the_cache_too(self, client, treaty, django_assert_num_queries):
        client.get("/")
        with django_assert_num_queries(1):
            response = client.head("/")
        assert response.status_code == 200
        assert response["ETag"] == client.get("/")["ETag"]

    def test_under_load_a_process_reuses_a_version_for_at_most_a_second(self, client, treaty, settings, time_machine):
        settings.DATA_VERSION_MAX_AGE = 1
        time_machine.move_to(datetime.datetime(2026, 5, 2, 8, 0, tzinfo=datetime.UTC), tick=False)
        client.get("/")
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "<strong>0</strong> of 40" in client.get("/").content.decode()
        time_machine.shift(0.9)
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        assert len(queries) == 0
        time_machine.shift(0.1)
        assert "<strong>1</strong> of 40" in client.get("/").content.decode()

    def test_a_recorded_change_shows_at_once_without_purging_anything(self, client, treaty):
        assert "<strong>0</strong> of 40" in client.get("/").content.decode()
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "<strong>1</strong> of 40" in client.get("/").content.decode()

    def test_a_poll_that_found_nothing_still_refreshes_last_checked(self, client, treaty):
        poll(treaty, datetime.datetime(2026, 5, 2, 8, 0, tzinfo=datetime.UTC))
        assert "Last checked May 2, 2026, 8 a.m. UTC" in client.get("/").content.decode()
        poll(treaty, datetime.datetime(2026, 5, 2, 8, 15, tzinfo=datetime.UTC))
        assert "Last checked May 2, 2026, 8:15 a.m. UTC" in client.get("/").content.decode()

    def test_a_poll_that_is_still_running_changes_the_page_once_it_finishes(self, client, treaty):
        run = PollRun.objects.create(treaty=treaty, started_at=timezone.now(), outcome=PollOutcome.RUNNING)
        assert "Not checked against the source yet" in client.get("/").content.decode()
        run.outcome, run.finished_at = PollOutcome.UNCHANGED, timezone.now()
        run.save()
        assert "Not checked against the source yet" not in client.get("/").content.decode()

    def test_another_treaty_followed_shows_in_every_pages_list_of_treaties(self, client, treaty):
        assert "XXVI-9" not in client.get("/").content.decode()
        treaty_create(mtdsg="XXVI-9", user=None, short_title="Nuclear weapons ban")
        assert "/treaties/XXVI-9/" in client.get("/").content.decode()

    @pytest.mark.parametrize("url", PAGES + EXPORTS)
    def test_an_unknown_host_is_refused_even_when_the_page_is_stored(self, client, treaty, url):
        assert client.get(url).status_code == 200
        assert client.get(url, HTTP_HOST="evil.example").status_code == 400

    def test_a_page_is_stored_per_host(self, client, treaty, settings):
        settings.ALLOWED_HOSTS = ["testserver", "other.example"]
        client.get("/feeds/XVIII-16.atom")
        other = client.get("/feeds/XVIII-16.atom", HTTP_HOST="other.example").content.decode()
        assert "http://other.example/treaties/XVIII-16/" in other

    def test_pages_carry_nothing_personal_so_everyone_can_share_the_cached_copy(self, client, treaty):
        response = client.get("/")
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies
        assert type(client)().get("/").content == response.content

    def test_the_language_switch_needs_no_form_token(self, treaty):
        strict = Client(enforce_csrf_checks=True)
        response = strict.post("/i18n/setlang/", {"language": "fr", "next": "/"})
        assert response.status_code == 302
        assert '<html lang="fr">' in strict.get("/").content.decode()

    def test_a_cached_page_keeps_the_switchers_return_address_normalised(self, client, treaty):
        page = client.get("/?sort=instrument&utm_source=x").content.decode()
        assert '<input type="hidden" name="next" value="/?sort=instrument">' in page


@pytest.mark.django_db
class QueryCountTests:
    """A constant number of queries whatever the number of participants (72, then all 197 States)."""

    # The page, participant page and exports read the national steps: one query each; the page
    # and the participant page read the statements too (one query each). The participant page
    # reads the other instruments of the treaties whose rule is known (one query), for the date
    # each brings its instrument into force.
    LIMITS = {
        "page": 8, "participant": 7, "feed": 3, "calendar": 3, "csv": 4, "json": 5,
        "declarations_csv": 3, "declarations_json": 3,
    }  # fmt: skip

    def urls(self, mtdsg: str) -> dict[str, str]:
        return {
            "page": f"/treaties/{mtdsg}/",
            "participant": "/participants/FRA/",
            "feed": f"/feeds/{mtdsg}.atom",
            "calendar": f"/treaties/{mtdsg}.ics",
            "csv": f"/treaties/{mtdsg}/participants.csv",
            "json": f"/treaties/{mtdsg}/participants.json",
            "declarations_csv": f"/treaties/{mtdsg}/declarations.csv",
            "declarations_json": f"/treaties/{mtdsg}/declarations.json",
        }

    def assert_constant(self, client, mtdsg, django_assert_max_num_queries) -> str:
        for name, url in self.urls(mtdsg).items():
            with django_assert_max_num_queries(self.LIMITS[name]):
                response = client.get(url)
            assert response.status_code == 200, url
        return client.get(f"/treaties/{mtdsg}/").content.decode()

    def test_with_the_72_signatories(self, client, treaty, django_assert_max_num_queries):
        first_instruments(treaty, 10)
        page = self.assert_constant(client, "XVIII-16", django_assert_max_num_queries)
        assert page.count('<th scope="row">') == 72

    def test_with_all_197_states(self, client, every_state_treaty, django_assert_max_num_queries):
        first_instruments(every_state_treaty, 60)
        page = self.assert_constant(client, "XXVI-9", django_assert_max_num_queries)
        assert page.count('<th scope="row">') == 197

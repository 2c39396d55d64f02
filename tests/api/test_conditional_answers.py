"""Every API answer, stored or built for staff, carries an ETag and a Last-Modified and answers a
reader that holds it with a bare 304."""

from __future__ import annotations

import pytest
from django.utils.http import http_date, parse_http_date

from tests.support.http_checks import bare_304

pytestmark = pytest.mark.django_db

API = ("/api/v1/treaties/", "/api/v1/treaties/XVIII-16/", "/api/v1/actions/")


class ApiTests:
    @pytest.mark.parametrize("url", API)
    def test_anonymous_reads_carry_last_modified_and_answer_a_bare_304(self, client, world, url):
        answer = client.get(url)
        assert answer["ETag"] and answer["Last-Modified"]
        assert bare_304(client.get(url, headers={"if-none-match": answer["ETag"]}))
        assert bare_304(client.get(url, headers={"if-modified-since": answer["Last-Modified"]}))

    def test_what_staff_see_does_too(self, staff_client, world):
        answer = staff_client.get("/api/v1/poll-runs/")
        assert answer["ETag"] and answer["Last-Modified"]
        assert bare_304(staff_client.get("/api/v1/poll-runs/", headers={"if-none-match": answer["ETag"]}))

    def test_without_stored_responses_it_still_answers_conditionally(self, client, world, settings):
        settings.API_STORE_RESPONSES = False
        answer = client.get("/api/v1/actions/")
        assert answer["ETag"] and answer["Last-Modified"]
        assert bare_304(client.get("/api/v1/actions/", headers={"if-none-match": f'"x", W/{answer["ETag"]}'}))

    def test_an_older_date_gets_the_answer(self, client, world):
        modified = parse_http_date(client.get("/api/v1/actions/")["Last-Modified"])
        again = client.get("/api/v1/actions/", headers={"if-modified-since": http_date(modified - 1)})
        assert again.status_code == 200

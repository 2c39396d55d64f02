"""The archived source files and the pages carry their validators and answer a reader that holds
them with a bare 304 (the API: tests/api/test_conditional_answers.py)."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.utils.http import parse_http_date

from ratification.models import SourceSnapshot
from tests.support.http_checks import bare_304

pytestmark = pytest.mark.django_db

CONTENT = b"<?xml version='1.0'?><treaty/>"
SHA = hashlib.sha256(CONTENT).hexdigest()
FILE = f"/sources/{SHA}.xml"
UNKNOWN = f"/sources/{'0' * 64}.xml"


@pytest.fixture
def archived(db) -> SourceSnapshot:
    return SourceSnapshot.objects.create(sha256=SHA, size=len(CONTENT), compressed=gzip.compress(CONTENT))


class SourceFileTests:
    def test_it_carries_when_it_was_received(self, client, archived):
        response = client.get(FILE)
        assert response.status_code == 200
        assert parse_http_date(response["Last-Modified"]) == int(archived.created_at.timestamp())

    def test_its_tag_gets_a_bare_304(self, client, archived):
        assert bare_304(client.get(FILE, headers={"if-none-match": f'W/"{SHA}"'}))

    def test_a_wildcard_gets_304_for_an_archived_file_and_404_for_another(self, client, archived):
        assert bare_304(client.get(FILE, headers={"if-none-match": "*"}))
        assert client.get(UNKNOWN, headers={"if-none-match": "*"}).status_code == 404

    def test_a_date_is_honoured_as_the_pages_honour_it(self, client, archived):
        received = client.get(FILE)["Last-Modified"]
        assert bare_304(client.get(FILE, headers={"if-modified-since": received}))
        assert client.get(UNKNOWN, headers={"if-modified-since": received}).status_code == 404


class PageTests:
    def test_a_page_answers_a_bare_304(self, client, treaty):
        etag = client.get("/")["ETag"]
        assert bare_304(client.get("/", headers={"if-none-match": etag}))

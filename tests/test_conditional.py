"""The one reading of a reader's validators (tracker/conditional.py), RFC 9110 13."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils.http import http_date

from tracker.conditional import if_none_match, not_modified

TAG = '"abc"'
MODIFIED = 1_780_000_000


def request(method: str = "GET", **headers: str):
    return RequestFactory().generic(method, "/", headers=headers)


class IfNoneMatchTests:
    def test_it_reads_a_list_of_tags_weak_or_strong(self):
        assert if_none_match(request(if_none_match='"a", W/"b" ,"c"')) == ['"a"', 'W/"b"', '"c"']

    def test_it_reads_the_wildcard_and_the_absence_of_the_header(self):
        assert if_none_match(request(if_none_match=" * ")) == ["*"]
        assert if_none_match(request()) is None


class NotModifiedTests:
    @pytest.mark.parametrize("sent", ['"abc"', 'W/"abc"', '"x", "abc"', '"x",W/"abc"'])
    def test_a_matching_tag_gets_304_compared_weakly_anywhere_in_a_list(self, sent):
        response = not_modified(request(if_none_match=sent), etag=TAG, last_modified=MODIFIED)
        assert response.status_code == 304
        assert response["ETag"] == TAG and response["Last-Modified"] == http_date(MODIFIED)
        assert "Content-Length" not in response

    def test_another_tag_gets_the_answer_even_with_a_matching_date(self):
        sent = request(if_none_match='"other"', if_modified_since=http_date(MODIFIED))
        assert not_modified(sent, etag=TAG, last_modified=MODIFIED) is None

    def test_the_wildcard_matches_only_a_current_answer(self):
        assert not_modified(request(if_none_match="*"), etag=TAG).status_code == 304
        assert not_modified(request(if_none_match="*"), etag=TAG, current=lambda: False) is None

    def test_an_exact_tag_asks_nothing_more(self):
        def lookup() -> bool:
            raise AssertionError("looked up")

        assert not_modified(request(if_none_match=TAG), etag=TAG, current=lookup).status_code == 304

    def test_a_date_is_read_only_without_if_none_match(self):
        assert not_modified(request(if_modified_since=http_date(MODIFIED)), etag=TAG, last_modified=MODIFIED)
        earlier = request(if_modified_since=http_date(MODIFIED - 1))
        assert not_modified(earlier, etag=TAG, last_modified=MODIFIED) is None
        assert not_modified(request(if_modified_since="yesterday"), etag=TAG, last_modified=MODIFIED) is None

    def test_only_reads_are_answered_304(self):
        assert not_modified(request("POST", if_none_match=TAG), etag=TAG) is None

"""Misses at once (ratification/cache.py): requests for the same answer that arrive while it is
being built wait for that build instead of building it again, with or without a store."""

from __future__ import annotations

import gzip
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse

from ratification import cache
from ratification.views import pages
from tracker.conditional import Validators

VALIDATORS = Validators('"key"', 0, "no-cache")
FOLLOWERS = 5


class Builds:
    """A build that stays in flight until `release` is set, counting how often it ran."""

    def __init__(self, response: HttpResponse | Exception) -> None:
        self.response = response
        self.release = threading.Event()
        self.started = threading.Event()
        self.count = 0

    def __call__(self) -> HttpResponse:
        self.count += 1
        self.started.set()
        self.release.wait(5)
        if isinstance(self.response, Exception):
            raise self.response
        return self.response


def at_once(builds: Builds, key: str = "key") -> list[HttpResponse | Exception]:
    """One leader and FOLLOWERS requests that come while its build is in flight."""

    def ask() -> HttpResponse | Exception:
        try:
            return cache.built_once(key, VALIDATORS, builds)
        except Exception as error:  # what the caller of this request would see
            return error

    with ThreadPoolExecutor(FOLLOWERS + 1) as pool:
        leader = pool.submit(ask)
        assert builds.started.wait(5)
        followers = [pool.submit(ask) for _ in range(FOLLOWERS)]
        time.sleep(0.3)  # the followers have joined the flight and wait
        builds.release.set()
        return [leader.result(), *(follower.result() for follower in followers)]


class BuiltOnceTests:
    def test_requests_that_come_during_a_build_take_its_answer(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        builds = Builds(HttpResponse(b"<p>the page</p>" * 40, content_type="text/html"))
        answers = at_once(builds)
        assert builds.count == 1
        assert {answer.status_code for answer in answers} == {200}
        assert {answer.content for answer in answers} == {b"<p>the page</p>" * 40}
        assert {answer["ETag"] for answer in answers} == {'"key"'}
        assert cache.in_flight.flights == {}

    def test_a_follower_that_accepts_gzip_gets_the_compressed_copy(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        builds = Builds(HttpResponse(b"<p>the page</p>" * 40, content_type="text/html"))
        with ThreadPoolExecutor(2) as pool:
            leader = pool.submit(cache.built_once, "key", VALIDATORS, builds)
            assert builds.started.wait(5)
            follower = pool.submit(cache.built_once, "key", VALIDATORS, builds, gzip=True)
            time.sleep(0.3)
            builds.release.set()
            answer = follower.result()
        assert leader.result().content == b"<p>the page</p>" * 40
        assert answer["Content-Encoding"] == "gzip"
        assert gzip.decompress(answer.content) == b"<p>the page</p>" * 40

    def test_a_failed_build_fails_its_own_request_and_each_follower_builds_its_own(self):
        builds = Builds(RuntimeError("the database went away"))
        answers = at_once(builds)
        assert builds.count == 1 + FOLLOWERS
        assert all(isinstance(answer, RuntimeError) for answer in answers)
        assert cache.in_flight.flights == {}

    @pytest.mark.parametrize("status", [404, 500])
    def test_an_error_is_not_shared(self, status):
        builds = Builds(HttpResponse(b"no", status=status))
        answers = at_once(builds)
        assert builds.count == 1 + FOLLOWERS
        assert {answer.status_code for answer in answers} == {status}

    def test_an_answer_with_a_cookie_is_not_shared(self):
        response = HttpResponse(b"yours")
        response.set_cookie("sessionid", "abc")
        builds = Builds(response)
        at_once(builds)
        assert builds.count == 1 + FOLLOWERS

    def test_different_answers_are_built_apart(self):
        first, second = Builds(HttpResponse(b"one")), Builds(HttpResponse(b"two"))
        first.release.set()
        second.release.set()
        assert cache.built_once("one", VALIDATORS, first).content == b"one"
        assert cache.built_once("two", VALIDATORS, second).content == b"two"
        assert (first.count, second.count) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_readers_arriving_together_on_an_uncached_page_share_one_rendering(live_server, treaty, settings, monkeypatch):
    """The real server and the real status page, with no store (as `bench/bench_status_page.py`'s
    "uncached" figures): eight readers at once, each given the whole page."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    renders = []
    status_context = pages.status_context

    def slow_status_context(**kwargs):
        renders.append(threading.get_ident())
        time.sleep(0.5)  # a slow rendering, so the readers surely overlap
        return status_context(**kwargs)

    monkeypatch.setattr(pages, "status_context", slow_status_context)

    def read() -> tuple[int, bytes]:
        with urllib.request.urlopen(live_server.url + "/treaties/XVIII-16/", timeout=20) as response:
            return response.status, response.read()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: read(), range(8)))
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1
    assert b"UN Convention against Cybercrime" in answers[0][1]
    # The live server answers from threads of one process: the readers that came while the
    # first rendering ran took its page.
    assert len(renders) < len(answers)

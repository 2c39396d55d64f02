"""scrapers.fetch against a real HTTP server on 127.0.0.1; every wait is bounded by tiny limits."""

from __future__ import annotations

import email.utils
import gzip
import inspect
import socket
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from scrapers.fetch import (
    DEFAULT_USER_AGENT,
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchProtocolError,
    FetchRefused,
    FetchResult,
    FetchTimeout,
    FetchTooLarge,
    fetch,
    xml_url,
)
from tests.scrapers.helpers import LocalServer, conditional, local_server, ok, real, status, streamed

XML_PATH = "/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"
BODY = real("XVIII-16")
MB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


def get(server: LocalServer, sleeps: list[float], path: str = XML_PATH, **options: object) -> FetchResult:
    options.setdefault("total_timeout", 5)
    options.setdefault("connect_timeout", 2)
    return fetch(server.url(path), base_url=server.base_url, sleep=sleeps.append, **options)  # type: ignore[arg-type]


def gzip_bomb(decoded_megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    return b"".join(packer.compress(block) for _ in range(decoded_megabytes)) + packer.flush()


class SuccessTests:
    def test_it_returns_the_body_and_its_validators(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [ok(BODY, ETag='"v1"', Last_Modified="Sun, 26 Oct 2025 10:00:00 GMT")]
        result = get(server, sleeps)
        assert result == FetchResult(
            url=server.url(XML_PATH),
            status=200,
            content=BODY,
            etag='"v1"',
            last_modified="Sun, 26 Oct 2025 10:00:00 GMT",
        )
        assert not result.not_modified

    def test_it_says_who_it_is_and_accepts_only_encodings_it_can_cap(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [ok(BODY)]
        get(server, sleeps)
        headers = server.requests[0][1]
        assert headers["User-Agent"] == DEFAULT_USER_AGENT
        assert headers["Accept-Encoding"] == "gzip, deflate"
        assert "If-None-Match" not in headers

    def test_it_decodes_a_gzip_body(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [ok(gzip.compress(BODY), Content_Encoding="gzip")]
        assert get(server, sleeps).content == BODY

    def test_it_has_the_documented_defaults(self) -> None:
        defaults = {name: p.default for name, p in inspect.signature(fetch).parameters.items()}
        assert defaults["connect_timeout"] == 10
        assert defaults["total_timeout"] == 30
        assert defaults["max_bytes"] == 5 * MB
        assert defaults["max_attempts"] == 3


class ConditionalGetTests:
    def test_it_reports_not_modified_as_a_result(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [conditional(BODY, '"v1"', "Sun, 26 Oct 2025 10:00:00 GMT")]
        first = get(server, sleeps)
        second = get(server, sleeps, etag=first.etag, last_modified=first.last_modified)
        assert second.not_modified
        assert (second.status, second.content) == (304, None)
        assert (second.etag, second.last_modified) == ('"v1"', "Sun, 26 Oct 2025 10:00:00 GMT")
        sent = server.requests[1][1]
        assert sent["If-None-Match"] == '"v1"'
        assert sent["If-Modified-Since"] == "Sun, 26 Oct 2025 10:00:00 GMT"


class RetryTests:
    def test_it_retries_a_500_then_returns_the_200(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [status(500), ok(BODY)]
        assert get(server, sleeps).content == BODY
        assert sleeps == [2.0]

    def test_it_gives_up_after_three_5xx_with_growing_backoff(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [status(503)]
        with pytest.raises(FetchHTTPError) as caught:
            get(server, sleeps)
        assert caught.value.status == 503
        assert "after 3 attempt(s)" in str(caught.value)
        assert server.hits(XML_PATH) == 3
        assert sleeps == [2.0, 4.0]

    def test_it_honours_retry_after_seconds_on_429(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [status(429, Retry_After="7"), ok(BODY)]
        assert get(server, sleeps).content == BODY
        assert sleeps == [7.0]

    def test_it_honours_retry_after_as_an_http_date(self, server: LocalServer, sleeps: list[float]) -> None:
        when = email.utils.formatdate(time.time() + 30, usegmt=True)
        server.routes[XML_PATH] = [status(503, Retry_After=when), ok(BODY)]
        get(server, sleeps)
        assert 25 <= sleeps[0] <= 31

    def test_it_falls_back_to_backoff_on_a_retry_after_it_cannot_read(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [status(429, Retry_After="soon"), ok(BODY)]
        get(server, sleeps)
        assert sleeps == [2.0]

    def test_it_hands_a_long_retry_after_back_instead_of_sleeping(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [status(429, Retry_After="3600")]
        with pytest.raises(FetchHTTPError) as caught:
            get(server, sleeps)
        assert (caught.value.status, caught.value.retry_after) == (429, 3600.0)
        assert "longer than the 120 s we wait" in str(caught.value)
        assert (server.hits(XML_PATH), sleeps) == (1, [])

    @pytest.mark.parametrize("code", [400, 403, 404, 410])
    def test_it_does_not_retry_other_4xx(self, server: LocalServer, sleeps: list[float], code: int) -> None:
        server.routes[XML_PATH] = [status(code)]
        with pytest.raises(FetchHTTPError) as caught:
            get(server, sleeps)
        assert caught.value.status == code
        assert (server.hits(XML_PATH), sleeps) == (1, [])

    def test_it_retries_a_refused_connection_then_names_it(self, sleeps: list[float]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(FetchConnectionError):
            fetch(base + XML_PATH, base_url=base, sleep=sleeps.append, connect_timeout=1, total_timeout=2)
        assert sleeps == [2.0, 4.0]


class TimeLimitTests:
    def test_it_stops_waiting_for_a_server_that_hangs(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [lambda request: server.release.wait(10)]
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            get(server, sleeps, total_timeout=0.5, max_attempts=1)
        assert time.monotonic() - started < 1.5

    def test_it_stops_a_body_trickling_one_byte_at_a_time(self, server: LocalServer, sleeps: list[float]) -> None:
        def trickle() -> Iterator[bytes]:
            for _ in range(200):
                if server.release.wait(0.1):
                    return
                yield b"x"

        server.routes[XML_PATH] = [streamed(trickle)]
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            get(server, sleeps, total_timeout=1, max_attempts=1)
        assert time.monotonic() - started < 2

    def test_it_stops_headers_trickling_one_byte_at_a_time(self, server: LocalServer, sleeps: list[float]) -> None:
        def handle(request: BaseHTTPRequestHandler) -> None:
            request.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"a" * 200:
                if server.release.wait(0.1):
                    return
                request.wfile.write(bytes([byte]))
                request.wfile.flush()

        server.routes[XML_PATH] = [handle]
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            get(server, sleeps, total_timeout=1, max_attempts=1)
        assert time.monotonic() - started < 2


class SizeLimitTests:
    def test_it_refuses_a_20_mb_body_announced_by_content_length(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [ok(bytes(20 * MB))]
        with pytest.raises(FetchTooLarge, match="Content-Length"):
            get(server, sleeps)

    def test_it_stops_reading_a_20_mb_body_of_unknown_length_at_5_mb(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [streamed(lambda: (bytes(MB) for _ in range(20)))]
        with pytest.raises(FetchTooLarge, match="5242880 decoded bytes"):
            get(server, sleeps)

    def test_it_stops_a_gzip_bomb_early_on_decoded_bytes(self, server: LocalServer, sleeps: list[float]) -> None:
        bomb = gzip_bomb(100)
        assert len(bomb) < MB
        server.routes[XML_PATH] = [ok(bomb, Content_Encoding="gzip")]
        tracemalloc.start()
        try:
            with pytest.raises(FetchTooLarge):
                get(server, sleeps)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 20 * MB

    def test_it_refuses_an_encoding_it_cannot_cap(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [ok(b"\x1b\x00", Content_Encoding="br")]
        with pytest.raises(FetchProtocolError, match="br"):
            get(server, sleeps)

    def test_it_refuses_a_corrupt_gzip_body(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [ok(b"\x1f\x8b\x08\x00garbage-garbage", Content_Encoding="gzip")]
        with pytest.raises(FetchProtocolError, match="corrupt"):
            get(server, sleeps)

    def test_it_names_a_body_cut_short(self, server: LocalServer, sleeps: list[float]) -> None:
        def handle(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Length", "1000")
            request.end_headers()
            request.wfile.write(b"<?xml")
            request.close_connection = True

        server.routes[XML_PATH] = [handle]
        with pytest.raises(FetchConnectionError, match="cut short"):
            get(server, sleeps, max_attempts=1)


class RedirectTests:
    def test_it_follows_a_redirect_within_the_base(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes["/old.xml"] = [status(301, Location=XML_PATH)]
        server.routes[XML_PATH] = [ok(BODY)]
        result = get(server, sleeps, path="/old.xml")
        assert (result.url, result.content) == (server.url(XML_PATH), BODY)

    def test_it_refuses_a_redirect_to_another_host(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [status(302, Location=f"http://localhost:{server.port}/elsewhere")]
        with pytest.raises(FetchRefused, match="redirects to"):
            get(server, sleeps)
        assert server.hits("/elsewhere") == 0

    def test_it_refuses_a_redirect_to_the_cloud_metadata_address(
        self, server: LocalServer, sleeps: list[float]
    ) -> None:
        server.routes[XML_PATH] = [status(307, Location="http://169.254.169.254/latest/meta-data/")]
        with pytest.raises(FetchRefused):
            get(server, sleeps)

    def test_it_stops_a_redirect_loop(self, server: LocalServer, sleeps: list[float]) -> None:
        server.routes[XML_PATH] = [status(302, Location=XML_PATH)]
        with pytest.raises(FetchProtocolError, match="redirects"):
            get(server, sleeps)


class UrlPolicyTests:
    @pytest.mark.parametrize(
        "url",
        [
            "http://localhost:{port}/doc/x.xml",
            "http://127.0.0.2:{port}/doc/x.xml",
            "http://127.0.0.1:1/doc/x.xml",
            "https://127.0.0.1:{port}/doc/x.xml",
            "http://127.0.0.1:{port}/admin/",
            "http://user@127.0.0.1:{port}/doc/x.xml",
            "http://127.0.0.1:{port}/doc/../admin/",
            "http://127.0.0.1:{port}/doc/%2e%2e/admin/",
            "http://127.0.0.1:{port}/doc/a b.xml",
            "file:///etc/passwd",
            "gopher://127.0.0.1:{port}/doc/",
            "http://169.254.169.254/latest/meta-data/",
        ],
    )
    def test_it_refuses_a_url_outside_the_base_without_a_request(self, server: LocalServer, url: str) -> None:
        with pytest.raises(FetchRefused):
            fetch(url.format(port=server.port), base_url=server.base_url + "/doc/", total_timeout=1)
        assert server.requests == []

    def test_it_refuses_a_base_host_name_that_resolves_to_loopback(self, server: LocalServer) -> None:
        base = f"http://localhost:{server.port}"
        with pytest.raises(FetchRefused, match="non-public address"):
            fetch(base + XML_PATH, base_url=base, total_timeout=2, max_attempts=1)
        assert server.requests == []

    def test_every_refusal_is_a_fetch_error(self) -> None:
        for error in (FetchRefused, FetchTimeout, FetchTooLarge, FetchConnectionError, FetchProtocolError):
            assert issubclass(error, FetchError)
        assert issubclass(FetchHTTPError, FetchError)


class XmlUrlTests:
    def test_it_joins_the_base_and_the_treaty_path(self) -> None:
        path = "doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"
        expected = "https://treaties.un.org/" + path
        assert xml_url("https://treaties.un.org", path) == expected
        assert xml_url("https://treaties.un.org/", "/" + path) == expected

    @pytest.mark.parametrize("path", ["https://evil.example/x.xml", "//evil.example/x.xml", "../x.xml", "a b.xml"])
    def test_it_refuses_a_path_that_leaves_the_base(self, path: str) -> None:
        with pytest.raises(FetchRefused):
            xml_url("https://treaties.un.org/doc/", path)

"""The only network code of the project: one careful HTTP GET of a UNTC status file.

What it promises (reliability.md items 15 and 16):

- **Bounded time.** A connect timeout, and a *total* deadline per attempt that also covers a
  server trickling one byte a second: the request runs in a worker thread and the caller
  stops waiting at the deadline, whatever the socket is doing.
- **Bounded size.** At most `max_bytes` of *decoded* body: gzip/deflate are decoded here,
  chunk by chunk with zlib's `max_length`, so a gzip bomb stops at the cap, not after it.
- **Honest and polite.** A User-Agent that says who we are; conditional GET (a 304 "not
  modified" is a result, not an error); retries with exponential backoff on 5xx and 429,
  honouring Retry-After up to `max_retry_after` seconds (a longer wait is returned to the
  caller as `FetchHTTPError.retry_after` instead of blocking a worker); no retry on other 4xx.
- **No server-side request forgery.** Staff choose treaties, not URLs (changedetection.io's
  SSRF report, issue #3789, came from fetching admin-entered URLs). The base URL comes from
  operator configuration (`UNTC_BASE_URL`) and is trusted as written; every URL fetched, and
  every redirect target, must have the base's scheme, host and port and sit under its path,
  with no user-info and no `..` segments. Redirects are followed by hand, only within those
  bounds. When the base names a host (not an IP literal), every address the name resolves
  to must be public: a DNS entry pointing at 127.0.0.1, 10.x or 169.254.169.254 is refused.
  A loopback *literal* base (tests, a local mirror) is the operator's explicit choice and is
  allowed. The residual risk is DNS rebinding between our check and the connection; the
  fixed host and the short window make it small.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

import requests
import urllib3.exceptions
from urllib3.exceptions import ReadTimeoutError

DEFAULT_USER_AGENT = (
    "untc-ratification-tracker/0.1 (open-source UN treaty ratification tracker; "
    "reads one MTDSG status file a few times a day)"
)
#: Longest Retry-After we sleep through inside one fetch; longer waits go back to the caller.
MAX_RETRY_AFTER = 120.0
#: First backoff in seconds after a 5xx/429 without Retry-After, doubled at each attempt.
BACKOFF_SECONDS = 2.0
MAX_REDIRECTS = 5
_CHUNK = 16 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass(frozen=True)
class FetchResult:
    """What the server answered: 200 with the body, or 304 (not modified) without one."""

    url: str
    status: int
    content: bytes | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.content is None


class FetchError(Exception):
    """The status file could not be fetched; the subclass and message name the cause."""


class FetchRefused(FetchError):
    """The URL (or a redirect) leaves the configured base URL, or its host is not public."""


class FetchTimeout(FetchError):
    """No complete answer within the connect timeout or the total deadline."""


class FetchTooLarge(FetchError):
    """The decoded body would exceed the size cap."""


class FetchConnectionError(FetchError):
    """The connection failed or broke (refused, reset, DNS failure, body cut short)."""


class FetchProtocolError(FetchError):
    """The server answered in a way we do not accept (unknown or broken Content-Encoding)."""


class FetchHTTPError(FetchError):
    """The server answered with an error status (after retries, for 5xx and 429)."""

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _Retryable(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after


# ---- URLs ---------------------------------------------------------------------------------


def xml_url(base_url: str, xml_path: str) -> str:
    """Join UNTC_BASE_URL and a treaty's XML path ("doc/Publication/MTDSG/.../XVIII-16.en.xml")."""
    if "://" in xml_path or xml_path.startswith("//") or _UNSAFE_URL.search(xml_path):
        raise FetchRefused(f"{xml_path!r} is not a path under the UNTC base URL")
    url = base_url.rstrip("/") + "/" + xml_path.lstrip("/")
    check_url(url, base_url)
    return url


def check_url(url: str, base_url: str) -> None:
    """Raise FetchRefused unless `url` lies under `base_url` (same scheme, host, port, path)."""
    base = _split_base(base_url)
    try:
        target = urlsplit(url)
        target_port = _port(target)
    except ValueError:
        raise FetchRefused(f"malformed URL {url!r}") from None
    prefix = base.path.rstrip("/") + "/"
    if (
        _UNSAFE_URL.search(url)
        or target.scheme.lower() != base.scheme.lower()
        or target.username is not None
        or target.password is not None
        or (target.hostname or "").lower() != (base.hostname or "").lower()
        or target_port != _port(base)
        or not (target.path + "/").startswith(prefix)
        or ".." in unquote(target.path).split("/")
    ):
        raise FetchRefused(f"refusing {url!r}: only URLs under {base_url!r} are fetched")


def _split_base(base_url: str) -> SplitResult:
    try:
        base = urlsplit(base_url)
        _port(base)
    except ValueError:
        raise FetchRefused(f"malformed base URL {base_url!r}") from None
    if base.scheme not in ("http", "https") or not base.hostname or base.username is not None:
        raise FetchRefused(f"the base URL {base_url!r} must be http(s)://host[:port][/path]")
    return base


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def _check_resolution(base_url: str) -> None:
    base = _split_base(base_url)
    host = base.hostname or ""
    try:
        ipaddress.ip_address(host)
        return  # an IP literal in the operator's configuration is trusted as written
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, _port(base), type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchConnectionError(f"cannot resolve {host!r}: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchRefused(f"{host!r} resolves to non-public address {address}")


# ---- fetch --------------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    base_url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    connect_timeout: float = 10,
    total_timeout: float = 30,
    max_bytes: int = 5 * 1024 * 1024,
    max_attempts: int = 3,
    sleep: Callable[[float], None] = time.sleep,
    user_agent: str = DEFAULT_USER_AGENT,
    max_retry_after: float = MAX_RETRY_AFTER,
    backoff: float = BACKOFF_SECONDS,
) -> FetchResult:
    """GET `url` (which must lie under `base_url`); return the body and its validators.

    `total_timeout` bounds each attempt; with retries the worst case is `max_attempts` times
    that plus the waits. Raises a FetchError subclass naming the cause.
    """
    check_url(url, base_url)
    headers = {"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limits = _Limits(connect_timeout, total_timeout, max_bytes)
    for attempt in range(1, max_attempts + 1):
        pause = backoff * 2 ** (attempt - 1)
        try:
            result = _attempt(url, base_url, headers, limits)
        except FetchConnectionError:
            if attempt == max_attempts:
                raise
        except _Retryable as problem:
            asked = problem.retry_after
            if attempt == max_attempts or (asked is not None and asked > max_retry_after):
                raise _http_error(url, problem, attempt, max_retry_after) from None
            pause = asked if asked is not None else pause
        else:
            # A 304 may omit the validators; the ones we sent are still the current ones.
            return FetchResult(
                result.url,
                result.status,
                result.content,
                result.etag or (etag if result.not_modified else None),
                result.last_modified or (last_modified if result.not_modified else None),
            )
        sleep(pause)
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _http_error(url: str, problem: _Retryable, attempts: int, cap: float) -> FetchHTTPError:
    status, retry_after = problem.status, problem.retry_after
    if retry_after is not None and retry_after > cap:
        why = f"asks us to retry after {retry_after:.0f} s, longer than the {cap:.0f} s we wait"
    else:
        why = f"after {attempts} attempt(s)"
    return FetchHTTPError(f"{url} answered HTTP {status} {why}", status=status, retry_after=retry_after)


@dataclass(frozen=True)
class _Limits:
    connect_timeout: float
    total_timeout: float
    max_bytes: int


def _attempt(url: str, base_url: str, headers: dict[str, str], limits: _Limits) -> FetchResult:
    """One attempt (redirects included) under one total deadline, enforced from outside."""
    cancelled = threading.Event()
    outcome: dict[str, Any] = {}
    deadline = time.monotonic() + limits.total_timeout

    def work() -> None:
        try:
            outcome["result"] = _follow(url, base_url, headers, limits, deadline, cancelled)
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error

    worker = threading.Thread(target=work, name="untc-fetch", daemon=True)
    worker.start()
    worker.join(limits.total_timeout)
    if worker.is_alive():
        # The worker notices at its next read and its socket times out by the deadline at
        # most one read timeout later; the caller does not wait for it.
        cancelled.set()
        raise FetchTimeout(f"{url}: no complete answer within {limits.total_timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    result: FetchResult = outcome["result"]
    return result


def _follow(
    url: str,
    base_url: str,
    headers: dict[str, str],
    limits: _Limits,
    deadline: float,
    cancelled: threading.Event,
) -> FetchResult:
    _check_resolution(base_url)
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment: fixed host only
        for _ in range(MAX_REDIRECTS + 1):
            response = _get(session, url, headers, limits, deadline)
            with response:
                if response.status_code in _REDIRECTS:
                    url = _redirect_target(url, base_url, response)
                    continue
                return _result(url, response, limits, deadline, cancelled)
    raise FetchProtocolError(f"more than {MAX_REDIRECTS} redirects, last to {url}")


def _get(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    limits: _Limits,
    deadline: float,
) -> requests.Response:
    remaining = max(deadline - time.monotonic(), 0.001)
    try:
        return session.get(
            url,
            headers=headers,
            timeout=(min(limits.connect_timeout, remaining), remaining),
            allow_redirects=False,
            stream=True,
        )
    except requests.Timeout as error:
        raise FetchTimeout(f"{url}: timed out ({error.__class__.__name__})") from None
    except requests.RequestException as error:
        raise FetchConnectionError(f"{url}: {error.__class__.__name__}: {error}") from None


def _redirect_target(url: str, base_url: str, response: requests.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        raise FetchHTTPError(
            f"{url} answered {response.status_code} without a Location",
            status=response.status_code,
        )
    target = urljoin(url, location)
    try:
        check_url(target, base_url)
    except FetchRefused:
        raise FetchRefused(f"{url} redirects to {target!r}, outside {base_url!r}") from None
    return target


def _result(
    url: str,
    response: requests.Response,
    limits: _Limits,
    deadline: float,
    cancelled: threading.Event,
) -> FetchResult:
    status = response.status_code
    etag = response.headers.get("ETag")
    modified = response.headers.get("Last-Modified")
    if status == 304:
        return FetchResult(url, 304, None, etag, modified)
    if status == 429 or 500 <= status <= 599:
        raise _Retryable(status, _retry_after(response.headers.get("Retry-After")))
    if status != 200:
        raise FetchHTTPError(f"{url} answered HTTP {status}", status=status)
    body = _read_body(url, response, limits, deadline, cancelled)
    return FetchResult(url, 200, body, etag, modified)


def _read_body(
    url: str,
    response: requests.Response,
    limits: _Limits,
    deadline: float,
    cancelled: threading.Event,
) -> bytes:
    decoder = _Decoder(response.headers.get("Content-Encoding", ""))
    declared = response.headers.get("Content-Length", "")
    if decoder.identity and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchTooLarge(f"{url}: Content-Length {declared} is over {limits.max_bytes} bytes")
    parts: list[bytes] = []
    size = 0
    try:
        while chunk := response.raw.read(_CHUNK, decode_content=False):
            if cancelled.is_set() or time.monotonic() > deadline:
                raise FetchTimeout(f"{url}: body not complete within {limits.total_timeout} s")
            data = decoder.decode(chunk, limits.max_bytes - size)
            size += len(data)
            if size > limits.max_bytes:
                raise FetchTooLarge(f"{url}: body is over {limits.max_bytes} decoded bytes")
            parts.append(data)
    except (ReadTimeoutError, TimeoutError) as error:
        raise FetchTimeout(f"{url}: read timed out ({error.__class__.__name__})") from None
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as error:
        # urllib3 reports a body shorter than Content-Length, or a reset, as these.
        raise FetchConnectionError(f"{url}: body cut short ({error.__class__.__name__})") from None
    decoder.finish(url)
    return b"".join(parts)


class _Decoder:
    """Content-Encoding decoding that never produces more than the caller has room for."""

    def __init__(self, encoding: str) -> None:
        name = encoding.strip().lower()
        self.identity = name in ("", "identity")
        if self.identity:
            self._inflater = None
        elif name in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            self._inflater = zlib.decompressobj()
        else:
            raise FetchProtocolError(f"unsupported Content-Encoding {encoding!r}")

    def decode(self, chunk: bytes, room: int) -> bytes:
        if self._inflater is None:
            return chunk
        try:
            # At most room+1 bytes come out: one byte past the cap is proof enough.
            return self._inflater.decompress(chunk, max(room, 0) + 1)
        except zlib.error as error:
            raise FetchProtocolError(f"corrupt compressed body: {error}") from None

    def finish(self, url: str) -> None:
        if self._inflater is not None and not self._inflater.eof:
            raise FetchConnectionError(f"{url}: compressed body ends early")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), if valid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - time.time(), 0.0)

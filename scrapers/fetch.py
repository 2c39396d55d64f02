"""The tracker's one way to read from the network: one careful HTTP GET of a UNTC status file.

It is not the only code that talks to the network: the alerts send (e-mail over SMTP, webhooks
with `requests` in alerts/services/webhooks.py, chat messages with Apprise in
alerts/services/chat.py), and those posts check their hosts with this module's
`public_addresses_check`.

What it promises (docs/reliability.md items 15 and 16):

- **Bounded time.** A connect timeout, and a *total* deadline per attempt that also covers a
  server trickling one byte a second: the request runs in a worker thread and the caller
  stops waiting at the deadline, whatever the socket is doing. The abandoned worker stops at
  its next body chunk or read timeout; a server trickling *headers* forever keeps that one
  daemon thread alive until it stops (urllib3 gives no hook to cut a socket mid-header).
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

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3.exceptions
from urllib3.exceptions import ReadTimeoutError

from scrapers.fetch_policy import (
    ContentDecoder,
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchProtocolError,
    FetchRefused,
    FetchTimeout,
    FetchTooLarge,
    check_url,
    parse_retry_after,
    port_of,
    split_base,
    xml_url,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "FetchConnectionError",
    "FetchError",
    "FetchHTTPError",
    "FetchProtocolError",
    "FetchRefused",
    "FetchResult",
    "FetchTimeout",
    "FetchTooLarge",
    "check_url",
    "fetch",
    "public_addresses_check",
    "xml_url",
]

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


class _Retryable(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after


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


# ---- one attempt ---------------------------------------------------------------------


def _check_resolution(base_url: str) -> None:
    """Refuse a base host *name* that resolves to a loopback, private or link-local address."""
    base = split_base(base_url)
    host = base.hostname or ""
    try:
        ipaddress.ip_address(host)
        return  # an IP literal in the operator's configuration is trusted as written
    except ValueError:
        pass
    public_addresses_check(host, port_of(base))


def public_addresses_check(host: str, port: int) -> None:
    """Refuse a host (a name or an IP literal) unless every address it resolves to is public.

    The one address guard of the project: the fetcher's base host and every webhook endpoint
    (alerts/services/webhooks.py) pass through it. Raises FetchRefused for a loopback, private,
    link-local or otherwise non-global address, FetchConnectionError when the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchConnectionError(f"cannot resolve {host!r}: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise FetchRefused(f"{host!r} resolves to non-public address {address}")


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
        raise _Retryable(status, parse_retry_after(response.headers.get("Retry-After")))
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
    decoder = ContentDecoder(response.headers.get("Content-Encoding", ""))
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

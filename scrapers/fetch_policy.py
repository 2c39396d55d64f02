"""The rules of scrapers.fetch, kept free of I/O so they can be read and tested alone.

Errors naming each cause, the URL policy against server-side request forgery (reasoning in
the `scrapers.fetch` docstring), size-capped Content-Encoding decoding, and Retry-After.
"""

from __future__ import annotations

import email.utils
import re
import time
import zlib
from urllib.parse import SplitResult, unquote, urlsplit

_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f\\]")


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


# ---- URL policy -----------------------------------------------------------------------


def xml_url(base_url: str, xml_path: str) -> str:
    """Join UNTC_BASE_URL and a treaty's XML path ("doc/Publication/MTDSG/.../XVIII-16.en.xml")."""
    if "://" in xml_path or xml_path.startswith("//") or _UNSAFE_URL.search(xml_path):
        raise FetchRefused(f"{xml_path!r} is not a path under the UNTC base URL")
    url = base_url.rstrip("/") + "/" + xml_path.lstrip("/")
    check_url(url, base_url)
    return url


def check_url(url: str, base_url: str) -> None:
    """Raise FetchRefused unless `url` lies under `base_url` (same scheme, host, port, path)."""
    base = split_base(base_url)
    try:
        target = urlsplit(url)
        target_port = port_of(target)
    except ValueError:
        raise FetchRefused(f"malformed URL {url!r}") from None
    prefix = base.path.rstrip("/") + "/"
    if (
        _UNSAFE_URL.search(url)
        or target.scheme.lower() != base.scheme.lower()
        or target.username is not None
        or target.password is not None
        or (target.hostname or "").lower() != (base.hostname or "").lower()
        or target_port != port_of(base)
        or not (target.path + "/").startswith(prefix)
        or ".." in unquote(target.path).split("/")
    ):
        raise FetchRefused(f"refusing {url!r}: only URLs under {base_url!r} are fetched")


def split_base(base_url: str) -> SplitResult:
    try:
        base = urlsplit(base_url)
        port_of(base)
    except ValueError:
        raise FetchRefused(f"malformed base URL {base_url!r}") from None
    if base.scheme not in ("http", "https") or not base.hostname or base.username is not None:
        raise FetchRefused(f"the base URL {base_url!r} must be http(s)://host[:port][/path]")
    return base


def port_of(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


# ---- bodies and waits ------------------------------------------------------------------


class ContentDecoder:
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


def parse_retry_after(value: str | None) -> float | None:
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

"""Conditional requests (RFC 9110 13): the validators every cacheable answer carries, and the one
reading of If-None-Match and If-Modified-Since that decides a 304.

Used by the response cache (ratification/cache.py: pages, feeds, exports, anonymous API reads),
by the API's answers built for each reader, and by the archived source files, whose ETag is
their own digest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import parse_etags
from django.utils.http import http_date, parse_http_date_safe


@dataclass(frozen=True)
class Validators:
    """What an answer carries, 200 or 304 (RFC 9110 15.4.5: a 304 repeats them)."""

    etag: str
    last_modified: int  # seconds since the epoch
    cache_control: str

    def apply(self, response: HttpResponse) -> HttpResponse:
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.last_modified)
        response.headers["Cache-Control"] = self.cache_control
        return response


def if_none_match(request: HttpRequest) -> list[str] | None:
    """The entity tags of the request's If-None-Match as sent (weak ones with their `W/`), `["*"]`
    for the wildcard, None without the header: the one reader of that header."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    return None if header is None else parse_etags(header)


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: int | None = None, current: Callable[[], bool] = lambda: True
) -> HttpResponse | None:
    """A 304 for a reader that already holds the answer of these validators; else None.

    RFC 9110 13.2.2: If-None-Match decides when it is sent (a list of tags, compared weakly, or
    `*`), else If-Modified-Since against `last_modified`, for GET and HEAD. `*` and a date match
    only a current answer (13.1.2): `current` says whether there is one, and is asked only then,
    so an exact tag costs no lookup. (A wildcard for a URL whose answer is an error, a malformed
    filter or an unknown treaty, must get that error, not a 304.)
    """
    if request.method not in ("GET", "HEAD"):
        return None
    tags = if_none_match(request)
    if tags == ["*"]:
        matched = current()
    elif tags is not None:
        matched = _weak(etag) in {_weak(tag) for tag in tags}
    else:
        header = request.META.get("HTTP_IF_MODIFIED_SINCE")
        since = parse_http_date_safe(header) if header else None
        matched = since is not None and last_modified is not None and last_modified <= since and current()
    if not matched:
        return None
    response = HttpResponseNotModified()
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    return response


def _weak(tag: str) -> str:
    # Weak comparison (RFC 9110 8.8.3.2): W/"x" and "x" match.
    return tag.removeprefix("W/")

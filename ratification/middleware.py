"""Serve a cached public page before most of the middleware stack runs.

A status page is the same bytes for every reader of one language (it carries no CSRF token, no
session, nothing personal), so a cache hit needs only the page's version: one narrow query on
the treaty row and its latest poll (see `page_versions.treaty_stamp`). This middleware sits right after WhiteNoise
in settings.MIDDLEWARE: on a hit it answers from the stored response (body and the headers the
inner middleware set the first time: Content-Language, Vary, X-Frame-Options, ...) without
sessions, CSRF, authentication, messages or URL resolving, which is what lets `/` be served
nearly as fast as a static file of its size (`make bench`). On a miss the request goes down the
stack as usual and the response is stored on its way back up.

Keys are versions (the treaty's change and poll stamps, the language, the day, the table
options), so the worker's poll makes new keys and nobody ever deletes one; an entry can be
unused, never stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

from ratification.response_cache import store, stored
from ratification.urls import MtdsgConverter
from ratification.views.caching import Version
from ratification.views.pages import participant_version, status_version

MTDSG = MtdsgConverter.regex
ROUTES: list[tuple[re.Pattern[str], Callable[..., Version]]] = [
    (re.compile(r"^/$"), status_version),
    (re.compile(rf"^/treaties/(?P<mtdsg>{MTDSG})/$"), status_version),
    (re.compile(r"^/participants/(?P<code>[A-Za-z0-9]{3,8})/$"), participant_version),
]


def _route(path: str) -> tuple[Callable[..., Version], dict[str, str]] | None:
    for pattern, version_of in ROUTES:
        match = pattern.match(path)
        if match:
            return version_of, match.groupdict()
    return None


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = _route(request.path_info) if request.method in ("GET", "HEAD") else None
        if route is None or isinstance(caches["default"], DummyCache):
            return self.get_response(request)
        version_of, kwargs = route
        with translation.override(translation.get_language_from_request(request)):
            try:
                page = version_of(request, **kwargs)
            except Http404:
                return self.get_response(request)
        # The view's validators reuse it: a miss costs no second version query.
        request._page_version = page
        key = f"response:{page.digest}"
        entry = stored(key)
        if entry is None:
            response = self.get_response(request)
            store(key, response)
            return response
        status, headers, body = entry
        last_modified = int(page.last_modified.timestamp()) if page.last_modified else None
        response = get_conditional_response(request, etag=page.etag, last_modified=last_modified)
        if response is None:
            response = HttpResponse(body, status=status)
        for name, value in headers:
            if response.status_code == 200 or name.lower() not in ("content-length", "content-type"):
                response.headers[name] = value
        return response

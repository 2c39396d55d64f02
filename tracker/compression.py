"""Compressed answers: gzip for HTML, JSON, feeds, exports, whatever a client accepts it for.

`CompressionMiddleware`, first in settings.MIDDLEWARE (it must see the final body), compresses each
answer built for the request, as Django's GZipMiddleware does. The response cache
(ratification/cache.py) keeps the compressed copy of each stored answer beside the plain one
(`gzipped`), so a page served from the cache is never compressed again; the middleware leaves an
answer that already has a Content-Encoding alone.

**BREACH.** Compressing a page that holds a secret next to text an attacker can make the page
repeat lets the attacker read the secret from the compressed sizes. The public pages, feeds,
exports and API answers hold no secret (nothing personal, no form token: the language switcher
takes none), so they are compressed. A page that carries a CSRF token (the sign-up and
subscription pages, the admin) is not: Django already masks the token afresh in each response and
Django's gzip pads with random bytes, which defeats the attack, but those pages are small and
gain little, so none of it is left to chance. A session cookie is never in a body.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Not worth a gzip header and a round of CPU below this (Django's own threshold).
SMALLEST = 200


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def carries_csrf_token(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer holds a CSRF token: a view that put one in a page (get_token) has
    CsrfViewMiddleware set or renew the token's cookie on the answer."""
    return settings.CSRF_COOKIE_NAME in response.cookies or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, except for answers that carry a CSRF token (BREACH, above)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if carries_csrf_token(request, response):
            return response
        return super().process_response(request, response)


def gzipped(response: HttpResponse) -> HttpResponse | None:
    """A compressed copy of a complete answer, with the headers GZipMiddleware would give it,
    or None when compressing does not pay (a short or already encoded body)."""
    if response.streaming or len(response.content) < SMALLEST or response.has_header("Content-Encoding"):
        return None
    body = compress_string(response.content, max_random_bytes=GZipMiddleware.max_random_bytes)
    if len(body) >= len(response.content):
        return None
    copy = HttpResponse(body, status=response.status_code)
    for name, value in response.headers.items():
        copy.headers[name] = value
    copy.headers["Content-Length"] = str(len(body))
    copy.headers["Content-Encoding"] = "gzip"
    # Another representation of the same answer: a weak validator (RFC 9110 8.8.1), as Django's.
    etag = copy.get("ETag")
    if etag and etag.startswith('"'):
        copy.headers["ETag"] = "W/" + etag
    patch_vary_headers(copy, ("Accept-Encoding",))
    return copy

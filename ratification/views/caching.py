"""HTTP validators and the page cache, both keyed on the data's version: never stale, never purged.

A view decorated with `versioned(...)` computes one cheap `Version` per request (a query on the
treaty row): it gives the ETag and Last-Modified (so a revalidating reader gets a 304 without
the page being built), and the key under which the expensive part of the page is cached. The
key contains everything the output depends on (the treaty's poll and change stamps, the
language, today's date for the estimate, the table's options), so a poll recorded by the
worker makes new keys and the old entries simply expire: no process ever deletes a key.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import condition

from ratification import page_selectors, page_versions

# Bump when a template or the shape of cached HTML changes, so a deploy never serves old markup
# from a cache (Redis, files) that outlives the processes.
CACHE_VERSION = "status-page-1"
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Version:
    """What a response depends on: the object it shows, a digest of its state, when it changed."""

    subject: Any
    digest: str
    last_modified: datetime.datetime | None

    @property
    def etag(self) -> str:
        # Strong: a page is the same bytes for everyone who gets this version.
        return f'"{self.digest}"'


def version(subject: Any, *parts: object, last_modified: datetime.datetime | None, daily: bool = False) -> Version:
    """A `Version` of `subject` in the current language; `daily` for output that uses today's date."""
    today = timezone.localdate()
    inputs = [CACHE_VERSION, translation.get_language() or "", *map(str, parts)]
    if daily:
        inputs.append(today.isoformat())
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        last_modified = max(last_modified, midnight) if last_modified else midnight
    digest = hashlib.blake2b("\x1f".join(inputs).encode(), digest_size=16).hexdigest()
    return Version(subject=subject, digest=digest, last_modified=last_modified)


def treaty_version(kind: str, mtdsg: str | None, *parts: object, daily: bool = False) -> Version:
    """The `Version` of something built from one treaty's data; its subject is the `TreatyStamp`."""
    stamp = page_versions.treaty_stamp(mtdsg=mtdsg)
    if stamp is None:
        page_selectors.page_treaty(mtdsg=mtdsg)  # raises the 404 with the right hint
    return version(stamp, kind, stamp.version, *parts, last_modified=stamp.last_modified, daily=daily)


def versioned(version_of: Callable[..., Version]) -> Callable:
    """Decorate a view `(request, version, **kwargs)` with validators computed once per request."""

    def current(request: HttpRequest, *args: Any, **kwargs: Any) -> Version:
        if not hasattr(request, "_page_version"):
            request._page_version = version_of(request, *args, **kwargs)
        return request._page_version

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @condition(
            etag_func=lambda request, *a, **k: current(request, *a, **k).etag,
            last_modified_func=lambda request, *a, **k: current(request, *a, **k).last_modified,
        )
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, current(request, *args, **kwargs), *args, **kwargs)
            # Always revalidate: the ETag makes that a cheap 304, and a poll shows at once. The
            # language comes from the cookie as well as from Accept-Language (LocaleMiddleware adds it).
            response.headers["Cache-Control"] = "no-cache"
            response.headers["Vary"] = "Cookie"
            return response

        return wrapped

    return decorator

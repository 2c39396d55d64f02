"""Anonymous API reads answered from a stored response while the data has not changed.

A response of /api/v1/ depends on the request (path, query, host, format, language), on the
date (participants' statuses move with it) and on the data. The data's version is one query of
scalar subqueries over the tables the API shows: counts catch rows removed, the newest
timestamps and ids catch rows added or changed (every write path stamps `updated_at`, or
bumps the treaty's `last_change_at` when it moves rows in bulk). Each process reuses that
version for `settings.PAGE_VERSION_MAX_AGE` seconds (default 1), as the public pages do, so a
change shows within a second and a hit under load usually costs no query at all.

Only anonymous JSON is stored: staff see more (corrections, poll runs), and the browsable
HTML carries a CSRF token. Authentication, permissions and the throttle run before a stored
response is used (see ReadOnlyEndpoint), so a cached answer never escapes the rate limit.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from rest_framework.request import Request

from ratification.models import Action, Event, Participant, ParticipantAlias, PollRun, Treaty
from ratification.page_versions import DEFAULT_MAX_AGE

# Bump when a serializer's output changes shape, so a deploy never serves the old one from a
# cache (Redis, files) that outlives the processes.
API_CACHE_VERSION = "api-1"

_recent_version: list[tuple[float, str]] = []


def data_version() -> str:
    """The version of everything the API shows: one query, at most once a second per process."""
    now = time.monotonic()
    if _recent_version:
        read_at, version = _recent_version[0]
        if 0 <= now - read_at < getattr(settings, "PAGE_VERSION_MAX_AGE", DEFAULT_MAX_AGE):
            return version
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        version = "|".join(map(str, cursor.fetchone()))
    _recent_version[:] = [(now, version)]
    return version


def forget_recent_version() -> None:
    _recent_version.clear()


@cache
def _version_sql() -> str:
    quote = connection.ops.quote_name

    def scalars(model, *expressions: str) -> list[str]:
        table = quote(model._meta.db_table)
        return [f"(SELECT {expression} FROM {table})" for expression in expressions]

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def newest(model, *names: str) -> list[str]:
        return [f"MAX({column(model, name)})" for name in names]

    parts = [
        *scalars(Treaty, "COUNT(*)", *newest(Treaty, "updated_at", "last_change_at"), "SUM(consecutive_failures)"),
        *scalars(Participant, "COUNT(*)", *newest(Participant, "updated_at")),
        *scalars(ParticipantAlias, "COUNT(*)", *newest(ParticipantAlias, "id")),
        *scalars(Action, "COUNT(*)", *newest(Action, "updated_at", "id")),
        *scalars(Event, "COUNT(*)", *newest(Event, "id")),
        *scalars(PollRun, *newest(PollRun, "id", "finished_at")),
    ]
    return "SELECT " + ", ".join(parts)


def response_key(request: Request) -> str | None:
    """Where this request's response is stored, or None when it must be built for this caller."""
    if not settings.API_STORE_RESPONSES:
        return None
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return None
    if getattr(request.accepted_renderer, "format", None) != "json":
        return None
    inputs = (
        API_CACHE_VERSION,
        data_version(),
        request.method,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.accepted_media_type,
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    )
    return "api-response:" + hashlib.blake2b("\x1f".join(inputs).encode(), digest_size=16).hexdigest()

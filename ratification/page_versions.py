"""What a cached page depends on, read cheaply: the version of a treaty's or a participant's data.

The reconcile service bumps `Treaty.last_change_at` when it records anything public; every poll,
even one that finds nothing, writes a `PollRun`; a failing source bumps
`Treaty.consecutive_failures`. A key made of those is fresh in every process without the worker
ever calling the web server or deleting a cache entry.

Each process reuses a treaty's version for at most `settings.PAGE_VERSION_MAX_AGE` seconds
(default 1): under load that saves nearly every database round trip of a cached page view
(measured in bench_status_page), and a change still shows within a second.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ratification.models import Participant, PollRun, Treaty


@dataclass(frozen=True)
class TreatyStamp:
    """Just enough of a treaty to know whether a cached page of it is current."""

    pk: int
    mtdsg: str
    version: str
    last_modified: datetime.datetime | None


# mtdsg -> (time.monotonic() when read, stamp). Only treaties that exist are kept, so its size
# is bounded by the number of tracked treaties whatever URLs are requested.
_recent_stamps: dict[str, tuple[float, TreatyStamp]] = {}
DEFAULT_MAX_AGE = 1.0


def treaty_stamp(*, mtdsg: str | None) -> TreatyStamp | None:
    """The version of a treaty's data (its row and its latest poll run): one narrow query at most."""
    key = mtdsg or settings.DEFAULT_TREATY
    now = time.monotonic()
    recent = _recent_stamps.get(key)
    if recent is not None and 0 <= now - recent[0] < getattr(settings, "PAGE_VERSION_MAX_AGE", DEFAULT_MAX_AGE):
        return recent[1]
    stamp = _read_stamp(key)
    if stamp is not None:
        _recent_stamps[key] = (now, stamp)
    return stamp


def forget_recent_stamps() -> None:
    _recent_stamps.clear()


def _read_stamp(mtdsg: str) -> TreatyStamp | None:
    """Plain SQL on purpose: this is the whole cost of a cached page view, and building the same
    query through the ORM costs more than everything else a cache hit does (bench_status_page)."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(connection.vendor), [mtdsg])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, code, failures, last_change, updated, run_id, run_finished = row
    present = [stamp for stamp in (last_change, updated, run_finished) if stamp is not None]
    # The driver's own values make the version (ISO text sorts as time does); only the newest
    # is parsed, for Last-Modified.
    return TreatyStamp(
        pk=pk,
        mtdsg=code,
        version="|".join(map(str, (pk, failures, last_change, updated, run_id, run_finished))),
        last_modified=_aware(max(present)) if present else None,
    )


@cache
def _stamp_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    treaty, run = Treaty._meta, PollRun._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    treaties = quote(treaty.db_table)
    latest_run = (
        f"(SELECT {{}} FROM {quote(run.db_table)} WHERE {column(run, 'treaty')} = {treaties}.{column(treaty, 'id')} "
        f"ORDER BY {column(run, 'started_at')} DESC, {column(run, 'id')} DESC LIMIT 1)"
    )
    fields = ", ".join(column(treaty, name) for name in ("id", "mtdsg", "consecutive_failures", "last_change_at"))
    return (
        f"SELECT {fields}, {column(treaty, 'updated_at')}, {latest_run.format(column(run, 'id'))}, "
        f"{latest_run.format(column(run, 'finished_at'))} FROM {treaties} WHERE {column(treaty, 'mtdsg')} = %s"
    )


def _aware(value: datetime.datetime | str) -> datetime.datetime:
    """A timestamp as the driver returns it (SQLite: text; PostgreSQL: aware datetime), made aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def participant_stamp(*, participant: Participant) -> tuple[str, datetime.datetime | None]:
    """The version of a participant page: the participant and every treaty's change stamps, one query."""
    treaties = list(
        Treaty.objects.order_by("pk").values_list("pk", "consecutive_failures", "last_change_at", "updated_at")
    )
    stamps = [s for s in (participant.updated_at, *(t[2] for t in treaties), *(t[3] for t in treaties)) if s]
    version = "|".join([str(participant.updated_at), *(".".join(map(str, treaty)) for treaty in treaties)])
    return version, max(stamps, default=None)

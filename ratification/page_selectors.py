"""Reads for the public pages, feeds and exports, each in a constant number of queries.

`selectors.py` answers "where does a treaty stand"; this module adds what the pages show around
it: the recent public events, a participant's record across every tracked treaty, and the
cheap "version" of the data that the page cache and the HTTP validators are keyed on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ratification import selectors
from ratification.models import PUBLIC_EVENT_KINDS, Action, Event, Participant, Treaty


def page_treaty(*, mtdsg: str | None) -> Treaty:
    """The treaty a page is about (the default one for `/`), or 404 with a hint."""
    if mtdsg is None:
        treaty = selectors.default_treaty()
        if treaty is None:
            raise Http404("The default treaty is not stored yet: run `python manage.py seed`.")
        return treaty
    treaty = Treaty.objects.filter(mtdsg=mtdsg).first()
    if treaty is None:
        raise Http404(f"No tracked treaty has the MTDSG number {mtdsg}.")
    return treaty


@dataclass(frozen=True)
class TreatyStamp:
    """Just enough of a treaty row to know whether a cached page of it is current."""

    pk: int
    mtdsg: str
    version: str
    last_modified: datetime.datetime | None


STAMP_FIELDS = ("id", "mtdsg", "consecutive_failures", "last_change_at", "last_checked_at", "updated_at")


def treaty_stamp(*, mtdsg: str | None) -> TreatyStamp:
    """The version of a treaty's data in one narrow query: the whole cost of a cached page.

    Plain SQL on purpose: this runs on every page view, and building the same query through the
    ORM costs more than everything else a cache hit does (measured in bench_status_page).
    """
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(connection.vendor), [mtdsg or settings.DEFAULT_TREATY])
        row = cursor.fetchone()
    if row is None:
        page_treaty(mtdsg=mtdsg)  # raises the 404 with the right hint
    pk, code, failures, *stamps = row
    present = [stamp for stamp in stamps if stamp is not None]
    # The driver's own values are enough for the version (ISO text sorts as time does); only
    # the newest is parsed, for Last-Modified.
    return TreatyStamp(
        pk=pk,
        mtdsg=code,
        version=".".join([str(pk), str(failures), *(str(stamp) if stamp is not None else "-" for stamp in stamps)]),
        last_modified=_aware(max(present)) if present else None,
    )


@cache
def _stamp_sql(vendor: str) -> str:
    meta = Treaty._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in STAMP_FIELDS)
    mtdsg = connection.ops.quote_name(meta.get_field("mtdsg").column)
    return f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} WHERE {mtdsg} = %s"


def _aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A timestamp as the driver returns it (SQLite: text; PostgreSQL: aware datetime), made aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def treaty_version(treaty: Treaty) -> str:
    """Everything about a treaty row that can change what its pages show.

    The poll in the worker process bumps `last_checked_at` (and `last_change_at` when it
    records something), so a cache keyed on this is fresh in every process without the worker
    ever calling the web server or deleting a key.
    """
    stamps = (treaty.last_change_at, treaty.last_checked_at, treaty.updated_at)
    return _version(treaty.pk, treaty.consecutive_failures, stamps)


def _version(pk: int, failures: int, stamps: tuple[datetime.datetime | None, ...]) -> str:
    return ".".join([str(pk), str(failures), *(_stamp(s) for s in stamps)])


def _stamp(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else "-"


def treaty_last_modified(treaty: Treaty) -> datetime.datetime | None:
    stamps = [s for s in (treaty.last_change_at, treaty.last_checked_at, treaty.updated_at) if s]
    return max(stamps, default=None)


def public_events(*, treaty: Treaty, limit: int) -> list[Event]:
    """The newest announced events of a treaty, with their participant and action: one query."""
    return list(
        Event.objects.filter(treaty=treaty, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .order_by("-created_at", "-id")[:limit]
    )


def tracked_treaties() -> list[Treaty]:
    return list(Treaty.objects.order_by("mtdsg"))


@dataclass(frozen=True)
class Participation:
    """One participant's standing under one treaty."""

    treaty: Treaty
    row: selectors.ParticipantRow


def participant_by_code(*, code: str) -> Participant:
    participant = Participant.objects.filter(code=code.upper()).first()
    if participant is None:
        raise Http404(f"No participant has the code {code}.")
    return participant


def participant_record(*, participant: Participant) -> list[Participation]:
    """The participant's row in every treaty it acts in: one query whatever their number.

    A party's own entry-into-force date depends on every other instrument of the treaty, so
    all actions of those treaties are read, and each treaty is computed as its page does.
    """
    treaty_ids = Action.objects.filter(participant=participant).values("treaty_id")
    actions = list(
        Action.objects.filter(treaty_id__in=Subquery(treaty_ids))
        .select_related("participant", "treaty")
        .order_by("treaty__mtdsg", "date", "participant__name")
    )
    by_treaty: dict[int, list[Action]] = {}
    for action in actions:
        by_treaty.setdefault(action.treaty_id, []).append(action)
    record = []
    for treaty_actions in by_treaty.values():
        treaty = treaty_actions[0].treaty
        _, rows = selectors.overview_from_actions(treaty=treaty, actions=treaty_actions)
        row = next(row for row in rows if row.participant_id == participant.pk)
        record.append(Participation(treaty=treaty, row=row))
    return record


def participant_events(*, participant: Participant, limit: int) -> list[Event]:
    return list(
        Event.objects.filter(participant=participant, public=True, kind__in=PUBLIC_EVENT_KINDS)
        .select_related("participant", "action", "treaty")
        .order_by("-created_at", "-id")[:limit]
    )


def participant_version(*, participant: Participant) -> tuple[str, datetime.datetime | None]:
    """The cache/validator version of a participant page: every treaty's version, one query."""
    treaties = list(
        Treaty.objects.only("pk", "consecutive_failures", "last_change_at", "last_checked_at", "updated_at").order_by(
            "pk"
        )
    )
    versions = [treaty_version(treaty) for treaty in treaties]
    stamps = [s for s in (*(treaty_last_modified(t) for t in treaties), participant.updated_at) if s]
    return "|".join([_stamp(participant.updated_at), *versions]), max(stamps, default=None)

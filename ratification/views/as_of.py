"""The `as_of` parameter of the status page, the exports and `treaty_status --as-of`: a past day.

The status as at a date is what the recorded dates of signature and deposit give at the end of
that day (ratification.selectors.actions_as_of). A malformed date or one after today is refused
with a sentence saying what is accepted, never silently replaced by today's status.
"""

from __future__ import annotations

import datetime
import re

from django.http import HttpResponseBadRequest, QueryDict
from django.utils.translation import gettext as _

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class AsOfError(ValueError):
    """Why an `as_of` value was refused, in words for the reader."""


def as_of_parse(value: str | None, *, today: datetime.date) -> datetime.date | None:
    """The day `value` names (YYYY-MM-DD), None when absent; AsOfError when malformed or future."""
    if value is None or value == "":
        return None
    try:
        # Only YYYY-MM-DD: fromisoformat alone would also take 20260513 and 2026-W20-3.
        day = datetime.date.fromisoformat(value) if ISO_DAY.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None:
        raise AsOfError(
            _("as_of must be a date written YYYY-MM-DD, such as 2026-05-13; %(value)s is not one.")
            % {"value": repr(value[:40])}
        )
    if day > today:
        raise AsOfError(
            _(
                "as_of %(day)s is after today (%(today)s): the status at a future date is not known. "
                "Leave as_of out for the current status."
            )
            % {"day": day.isoformat(), "today": today.isoformat()}
        )
    return day


def as_of_from_query(query: QueryDict, *, today: datetime.date) -> datetime.date | None:
    return as_of_parse(query.get("as_of"), today=today)


def bad_as_of(error: AsOfError) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(error) + "\n", content_type="text/plain; charset=utf-8")

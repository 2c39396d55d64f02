"""The participants table's sorting and filtering, done on the server so it works without JavaScript.

The page's script (static/js/participants.js) does the same in the browser without a reload;
the links and the filter form it enhances are these, so both paths give the same table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ratification.selectors import ParticipantRow, ParticipantStatus

STATUS_LABELS = {
    ParticipantStatus.COUNTED: _("Party, counted"),
    ParticipantStatus.PARTY: _("Party, not counted"),
    ParticipantStatus.SIGNATORY: _("Signatory"),
    ParticipantStatus.WITHDRAWN: _("Withdrawn"),
}
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUS_LABELS)}
FAR_FUTURE = datetime.date.max


def _date_of(getter: Callable[[ParticipantRow], datetime.date | None]) -> Callable[[ParticipantRow], tuple]:
    # (True, ...) marks a row without this date: TableView.apply puts those last.
    def key(row: ParticipantRow) -> tuple:
        value = getter(row)
        return (value is None, value or FAR_FUTURE, row.name)

    return key


SORT_KEYS: dict[str, Callable[[ParticipantRow], tuple]] = {
    "name": lambda row: (False, row.name),
    "status": lambda row: (False, STATUS_ORDER.get(row.status, 99), row.name),
    "signature": _date_of(lambda row: row.signature.date if row.signature else None),
    "instrument": _date_of(lambda row: row.instrument.date if row.instrument else None),
    "entry_into_force": _date_of(lambda row: row.entry_into_force_on),
}


@dataclass(frozen=True)
class TableView:
    """Which rows are shown, in which order; read from the query string, defaults if invalid."""

    status: str = ""
    sort: str = "name"
    descending: bool = False
    as_of: str = ""  # the status as at a date (validated by the view): kept by every link

    @classmethod
    def from_query(cls, query: QueryDict) -> TableView:
        status = query.get("status", "")
        sort = query.get("sort", "name")
        return cls(
            status=status if status in STATUS_LABELS else "",
            sort=sort if sort in SORT_KEYS else "name",
            descending=query.get("order") == "desc",
            as_of=query.get("as_of", ""),
        )

    def apply(self, rows: list[ParticipantRow]) -> list[ParticipantRow]:
        shown = [row for row in rows if not self.status or row.status == self.status]
        key = SORT_KEYS[self.sort]
        # Rows without a date stay at the end, in name order, whichever way the dates run.
        dated = sorted((row for row in shown if not key(row)[0]), key=key, reverse=self.descending)
        undated = sorted((row for row in shown if key(row)[0]), key=key)
        return dated + undated

    def query(self, **changes: str) -> str:
        values = {
            "status": self.status,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "as_of": self.as_of,
        }
        values.update(changes)
        defaults = {"status": "", "sort": "name", "order": "asc", "as_of": ""}
        return urlencode({name: value for name, value in values.items() if value != defaults[name]})

    def columns(self) -> list[dict]:
        """Each sortable column's link (toggling the order on the current one) and aria-sort."""
        columns = []
        for name in SORT_KEYS:
            current = name == self.sort
            order = "asc" if not current or self.descending else "desc"
            columns.append(
                {
                    "name": name,
                    "query": self.query(sort=name, order=order),
                    "aria_sort": ("descending" if self.descending else "ascending") if current else "none",
                }
            )
        return columns

    def filters(self, rows: list[ParticipantRow]) -> list[dict]:
        counts = {status: 0 for status in STATUS_LABELS}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return [
            {"value": status, "label": label, "count": counts[status], "selected": status == self.status}
            for status, label in STATUS_LABELS.items()
        ]

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
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ratification.collation import name_key
from ratification.models import StageKind
from ratification.selectors import ParticipantRow, ParticipantStatus

STATUS_LABELS = {
    ParticipantStatus.COUNTED: _("Party, counted"),
    # Not counted toward a threshold: the European Union under XVIII-16, every party while the
    # treaty's rule is not known (nothing is counted then).
    ParticipantStatus.PARTY: _("Party"),
    ParticipantStatus.SIGNATORY: _("Signatory"),
    ParticipantStatus.OTHER: _("Other action only"),
    ParticipantStatus.WITHDRAWN: _("Withdrawn"),
    ParticipantStatus.NONE: _("No UN action, a national step reported"),
}
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUS_LABELS)}
# The national-step filter: reported steps are never a status (the UN record's), so they filter apart.
STAGE_FILTER_LABELS = {
    "pipeline": _("Any step reported, not yet deposited"),
    "approval": _("Reports parliamentary approval, not yet deposited"),
    **{kind.value: kind.label for kind in StageKind},
}


def stage_matches(row: ParticipantRow, wanted: str) -> bool:
    """Whether a row passes the national-step filter `wanted` (static/js/participants.js does the same)."""
    step = row.pipeline_step
    if not wanted:
        return True
    if wanted == "pipeline":
        return step is not None
    if wanted == "approval":
        return step is not None and row.reports_approval
    return step is not None and step.kind == wanted


FAR_FUTURE = datetime.date.max


def _date_of(getter: Callable[[ParticipantRow], datetime.date | None]) -> Callable[[ParticipantRow], tuple]:
    # (True, ...) marks a row without this date: TableView.apply puts those last.
    def key(row: ParticipantRow) -> tuple:
        value = getter(row)
        return (value is None, value or FAR_FUTURE, _name(row))

    return key


def _name(row: ParticipantRow) -> tuple:
    # In the reader's language, as static/js/participants.js sorts with Intl.Collator.
    return name_key(row.name, get_language())


SORT_KEYS: dict[str, Callable[[ParticipantRow], tuple]] = {
    "name": lambda row: (False, _name(row)),
    "status": lambda row: (False, STATUS_ORDER.get(row.status, 99), _name(row)),
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
    stage: str = ""
    as_of: str = ""  # the status as at a date (validated by the view): kept by every link

    @classmethod
    def from_query(cls, query: QueryDict) -> TableView:
        status = query.get("status", "")
        sort = query.get("sort", "name")
        stage = query.get("stage", "")
        return cls(
            status=status if status in STATUS_LABELS else "",
            stage=stage if stage in STAGE_FILTER_LABELS else "",
            sort=sort if sort in SORT_KEYS else "name",
            descending=query.get("order") == "desc",
            as_of=query.get("as_of", ""),
        )

    def apply(self, rows: list[ParticipantRow]) -> list[ParticipantRow]:
        shown = [
            row for row in rows if (not self.status or row.status == self.status) and stage_matches(row, self.stage)
        ]
        key = SORT_KEYS[self.sort]
        # Rows without a date stay at the end, in name order, whichever way the dates run.
        dated = sorted((row for row in shown if not key(row)[0]), key=key, reverse=self.descending)
        undated = sorted((row for row in shown if key(row)[0]), key=key)
        return dated + undated

    def query(self, **changes: str) -> str:
        values = {
            "status": self.status,
            "stage": self.stage,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "as_of": self.as_of,
        }
        values.update(changes)
        defaults = {"status": "", "stage": "", "sort": "name", "order": "asc", "as_of": ""}
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

    def filters(self, rows: list[ParticipantRow], *, rule_known: bool = True) -> list[dict]:
        """The status filter's options with their counts. Where the treaty's rule is not known,
        nothing is counted: no "Party, counted" is offered, unless the reader's address asks for it."""
        counts = {status: 0 for status in STATUS_LABELS}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return [
            {"value": status, "label": label, "count": counts[status], "selected": status == self.status}
            for status, label in STATUS_LABELS.items()
            if rule_known or status != ParticipantStatus.COUNTED or status == self.status
        ]

    def stage_filters(self, rows: list[ParticipantRow]) -> list[dict]:
        """The national-step filter's options with their counts; kinds nobody is at are left out."""
        options = []
        for value, label in STAGE_FILTER_LABELS.items():
            count = sum(1 for row in rows if stage_matches(row, value))
            if count or value in ("pipeline", "approval") or value == self.stage:
                options.append({"value": value, "label": label, "count": count, "selected": value == self.stage})
        return options

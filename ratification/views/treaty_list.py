"""The list of tracked treaties' sorting and filtering, done on the server: links and a GET form,
so it works without JavaScript (as the participants table does, ratification/views/table.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ratification.page_selectors import Standing, TreatyListing
from scrapers.mtdsg import mtdsg_sort_key

STANDING_LABELS = {
    Standing.IN_FORCE: _("In force"),
    Standing.DATE_SET: _("Entry into force date known"),
    Standing.NOT_YET: _("Not yet in force"),
}
STANDING_ORDER = {standing: rank for rank, standing in enumerate(STANDING_LABELS)}
# A search longer than any treaty title is no search: bounded so the query string stays small.
SEARCH_MAX_LENGTH = 100


def _title(listing: TreatyListing) -> str:
    return listing.treaty.display_title.casefold()


def _dated(getter: Callable[[TreatyListing], datetime.date | datetime.datetime | None]) -> Callable:
    # (True, ...) marks a treaty without this date: TreatyListView.apply puts those last.
    def key(listing: TreatyListing) -> tuple:
        value = getter(listing)
        if isinstance(value, datetime.datetime):
            value = value.timestamp()
        elif isinstance(value, datetime.date):
            value = value.toordinal()
        return (value is None, value or 0, _title(listing))

    return key


SORT_KEYS: dict[str, Callable[[TreatyListing], tuple]] = {
    "title": lambda listing: (False, _title(listing)),
    "number": lambda listing: (False, mtdsg_sort_key(listing.treaty.mtdsg)),
    "progress": lambda listing: (
        False,
        listing.progress,
        listing.summary.counted or 0,
        listing.summary.parties,
        _title(listing),
    ),
    "entry_into_force": _dated(lambda listing: listing.entry_into_force_on or listing.estimated_on),
    "last_change": _dated(lambda listing: listing.last_change_on),
}
DEFAULTS = {"q": "", "status": "", "sort": "number", "order": "asc", "page": "1"}
# Treaties a page shows: 500 rows on one page weighed 400 KB.
PAGE_SIZE = 50


@dataclass(frozen=True)
class TreatyListView:
    """Which treaties are shown, in which order; read from the query string, defaults if invalid."""

    search: str = ""
    status: str = ""
    sort: str = "number"
    descending: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> TreatyListView:
        status = query.get("status", "")
        sort = query.get("sort", "number")
        return cls(
            search=" ".join(query.get("q", "").split())[:SEARCH_MAX_LENGTH],
            status=status if status in STANDING_LABELS else "",
            sort=sort if sort in SORT_KEYS else "number",
            descending=query.get("order") == "desc",
        )

    def matches(self, listing: TreatyListing) -> bool:
        if self.status and listing.standing != self.status:
            return False
        if not self.search:
            return True
        treaty = listing.treaty
        needle = self.search.casefold()
        return any(needle in text.casefold() for text in (treaty.mtdsg, treaty.title, treaty.short_title))

    def apply(self, listings: list[TreatyListing]) -> list[TreatyListing]:
        shown = [listing for listing in listings if self.matches(listing)]
        key = SORT_KEYS[self.sort]
        # Treaties without a date stay at the end, in title order, whichever way the dates run.
        dated = sorted((listing for listing in shown if not key(listing)[0]), key=key, reverse=self.descending)
        undated = sorted((listing for listing in shown if key(listing)[0]), key=key)
        return dated + undated

    def page(self, listings: list[TreatyListing], number: str) -> Page:
        """The page `number` of the treaties shown (the first for a number that is none, the last
        past the end), with links to the pages around it that keep the search, filter and order."""
        page = Paginator(self.apply(listings), PAGE_SIZE).get_page(number)
        page.previous_query = self.query(page=str(page.number - 1)) if page.has_previous() else None
        page.next_query = self.query(page=str(page.number + 1)) if page.has_next() else None
        return page

    def query(self, **changes: str) -> str:
        """The query string of this view with `changes`; any change but `page` starts at page 1."""
        values = {
            "q": self.search,
            "status": self.status,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": "1",
        }
        values.update(changes)
        return urlencode({name: value for name, value in values.items() if value != DEFAULTS[name]})

    def columns(self) -> dict[str, dict]:
        """Each sortable column's link (toggling the order on the current one) and aria-sort."""
        columns = {}
        for name in SORT_KEYS:
            current = name == self.sort
            order = "asc" if not current or self.descending else "desc"
            columns[name] = {
                "query": self.query(sort=name, order=order),
                "aria_sort": ("descending" if self.descending else "ascending") if current else "none",
            }
        return columns

    def filters(self, listings: list[TreatyListing]) -> list[dict]:
        counts = dict.fromkeys(STANDING_LABELS, 0)
        for listing in listings:
            counts[listing.standing] += 1
        return [
            {"value": standing, "label": label, "count": counts[standing], "selected": standing == self.status}
            for standing, label in STANDING_LABELS.items()
        ]

"""Keyset ("cursor") pagination: one query per page, and pages that stay right under writes.

Django REST framework's CursorPagination keys pages on the first ordering field and steps
over ties with an offset; when rows share a timestamp (one reconcile stamps many rows at
once) and one of them changes mid-crawl, the offset skips an unseen row. Here a cursor holds
the full sort key of the last row sent (e.g. its `updated_at` and `id`), and the next page is
"every row strictly after that key", so nothing is skipped whatever is written meanwhile.
"""

from __future__ import annotations

import binascii
import datetime
import json
import operator
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field
from functools import reduce

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ratification.api.filters import EMPTY_VALUE, UTCDateTimeField

MAX_PAGE_SIZE = 200
BAD_CURSOR = _("This cursor is not one this API gave out for this list; start again without a cursor.")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, going back, before) the row whose sort key is `key`."""

    ordering: tuple[str, ...]
    key: tuple
    back: bool = False
    extra: dict = field(default_factory=dict)


def _refuse_empty(name: str, raw: str) -> None:
    # As every filter does (api/filters.StrictFilterSet): empty is not "absent".
    if not raw.strip():
        raise ValidationError({name: [EMPTY_VALUE]})


def _plain(value):
    # isoformat keeps microseconds; DjangoJSONEncoder would cut them to milliseconds and the
    # key would no longer match its row.
    return value.isoformat() if isinstance(value, datetime.date) else value


class KeysetPagination(BasePagination):
    """Pages of `page_size` rows in the queryset's own order, which must end on a unique field."""

    page_size = 50
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.ordering = tuple(queryset.query.order_by)
        assert self.ordering, "the view must order its queryset, ending on a unique field"
        self.cursor = self.decode_cursor(request, queryset.model)
        back = self.cursor is not None and self.cursor.back
        order = tuple(_flip(name) for name in self.ordering) if back else self.ordering
        rows = queryset.order_by(*order)
        if self.cursor is not None:
            rows = rows.filter(_strictly_after(order, self.cursor.key))
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if back:
            self.page.reverse()
        self.has_next = True if back else more
        self.has_previous = more if back else self.cursor is not None
        return self.page

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        _refuse_empty(self.page_size_query_param, raw)
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Ask for between 1 and %(maximum)d results per page.") % {"maximum": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def cursor_extra(self) -> dict:
        """What a subclass carries from page to page of one crawl, inside the cursor."""
        return {}

    def decode_cursor(self, request: Request, model: type[Model]) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        _refuse_empty(self.cursor_query_param, raw)
        try:
            data = json.loads(urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            ordering, key = tuple(data["o"]), data["k"]
            if ordering != self.ordering or not isinstance(key, list) or len(key) != len(ordering):
                raise ValueError("cursor of another list")
            if any(isinstance(value, str) and "\x00" in value for value in key):
                raise ValueError("NUL in a key: PostgreSQL refuses it in a query")
            key = tuple(_field(model, name).clean(value, None) for name, value in zip(ordering, key, strict=True))
            cursor = Cursor(ordering=ordering, key=key, back=bool(data.get("b")), extra=dict(data.get("x", {})))
        except (binascii.Error, UnicodeError, ValueError, TypeError, KeyError, AttributeError, DjangoValidationError):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None
        return cursor

    def encode_cursor(self, row: Model, *, back: bool) -> str:
        data = {"o": list(self.ordering), "k": [_plain(getattr(row, name.lstrip("-"))) for name in self.ordering]}
        if back:
            data["b"] = 1
        if extra := self.cursor_extra():
            data["x"] = extra
        token = urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        if not (self.has_next and self.page):
            return None
        return self.encode_cursor(self.page[-1], back=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(self.page[0], back=True)

    def envelope(self, data: list) -> dict:
        return {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}

    def get_paginated_response(self, data: list) -> Response:
        return Response(self.envelope(data))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    **link,
                    "description": "The next page, or null on the last page.",
                    "example": "https://tracker.example/api/v1/actions/?cursor=eyJvIjpbInVwZGF0ZWRfYXQiXX0",
                },
                "previous": {**link, "description": "The previous page, or null on the first.", "example": None},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link; omit it for the first page.",
                "schema": {"type": "string", "minLength": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size},
            },
        ]


class SyncPagination(KeysetPagination):
    """Pages of a list clients copy incrementally with `since=`, each telling them what to send next.

    `sync_since` is the latest `sync_field` value among the rows asked for, less SYNC_OVERLAP
    (or the client's own `since`, if later). A row written by a transaction that was still open
    when the crawl began is stamped at most SYNC_OVERLAP before the latest row already committed,
    so sending `since=<sync_since>` next time picks up every row this crawl could not see yet,
    and resends a few it did (clients upsert). It depends on the data only, so an unchanged list
    keeps its ETag; the first page computes it (one aggregate query) and its cursors carry it.
    """

    SYNC_OVERLAP = datetime.timedelta(minutes=5)

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        page = super().paginate_queryset(queryset, request, view)
        if self.cursor is None:
            self.sync_since = self.first_sync_since(queryset, request, view.sync_field)
        else:
            self.sync_since = _parse_time(self.cursor.extra.get("s"))
        return page

    def first_sync_since(self, queryset: QuerySet, request: Request, field: str) -> datetime.datetime | None:
        latest = queryset.aggregate(latest=Max(field))["latest"]
        since = _parse_time(request.query_params.get("since"), strict=False)
        bounds = [bound for bound in (since, latest and latest - self.SYNC_OVERLAP) if bound is not None]
        return max(bounds, default=None)

    def cursor_extra(self) -> dict:
        return {"s": self.sync_since.isoformat()} if self.sync_since else {}

    def envelope(self, data: list) -> dict:
        since = self.sync_since.isoformat().replace("+00:00", "Z") if self.sync_since else None
        return {"sync_since": since, **super().envelope(data)}

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["required"].append("sync_since")
        schema["properties"] = {
            "sync_since": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
                "description": (
                    "Send this as `since` on your next sync to get every row added or changed since "
                    "(null while nothing matches: sync from the start next time)."
                ),
                "example": "2026-02-10T09:45:01.873000Z",
            },
            **schema["properties"],
        }
        return schema


def _parse_time(value, *, strict: bool = True) -> datetime.datetime | None:
    """A time this API wrote (cursor, strict) or a `since` its filter has already checked."""
    if not value:
        return None
    try:
        return UTCDateTimeField().clean(value)
    except DjangoValidationError:
        if strict:
            raise ValidationError({"cursor": [BAD_CURSOR]}) from None
        return None


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _field(model: type[Model], name: str):
    return model._meta.get_field(name.lstrip("-"))


def _strictly_after(ordering: tuple[str, ...], key: tuple) -> Q:
    """Rows that sort after `key` in `ordering`: (a > x) or (a = x and b > y) or ..."""
    branches = []
    for index, name in enumerate(ordering):
        ties = {prior.lstrip("-"): value for prior, value in zip(ordering[:index], key[:index], strict=True)}
        comparison = "lt" if name.startswith("-") else "gt"
        branches.append(Q(**ties, **{f"{name.lstrip('-')}__{comparison}": key[index]}))
    return reduce(operator.or_, branches)

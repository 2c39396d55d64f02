"""Statements where people look: the treaty page's "Reservations and declarations" (a table by
article, filtered from the query string, so without JavaScript) and its CSV and JSON downloads.

Filters are `article` (the number: 22 takes in 22(4)), `kind` and `participant` (a code), as in
the API (/api/v1/treaties/<mtdsg>/declarations/); the participants table's own parameters ride
along in every link and in the form, so filtering one table keeps the other as it was.
"""

from __future__ import annotations

import datetime
import json
import re
from urllib.parse import parse_qsl, urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone

from ratification import page_selectors, statement_selectors
from ratification.cache import cached_response
from ratification.models import Statement, Treaty
from ratification.spreadsheet_cells import formula_guard
from ratification.statement_selectors import NO_ARTICLE, TABLE_KINDS, StatementFilter
from ratification.views.as_of import AsOfError, as_of_from_query, bad_as_of
from ratification.views.exports import csv_attachment, csv_table
from ratification.wording import statements as statement_wording
from scrapers.model import iso

_ARTICLE = re.compile(r"\d{1,4}|[IVXL]{1,8}")
_CODE = re.compile(r"[A-Z0-9]{3,8}")
CSV_COLUMNS = (
    "code", "name", "section", "kinds", "articles", "date", "text", "footnotes", "answers", "since", "withdrawn_on",
)  # fmt: skip


def statement_filter(query: QueryDict) -> StatementFilter:
    """The filter the query asks for; a value that cannot be one is ignored (all are shown)."""
    article = query.get("article", "").strip()
    kind = query.get("kind", "")
    code = query.get("participant", "").strip().upper()
    return StatementFilter(
        article=article if _ARTICLE.fullmatch(article) else "",
        kind=kind if kind in TABLE_KINDS else "",
        participant=code if _CODE.fullmatch(code) else "",
    )


def _query(base: str, only: StatementFilter, **changes: str) -> str:
    values = {"article": only.article, "kind": only.kind, "participant": only.participant, **changes}
    pairs = [(name, value) for name, value in parse_qsl(base) if name not in values]
    return urlencode(pairs + [(name, value) for name, value in values.items() if value])


def _entry(statement: Statement) -> dict:
    others = [answer.get("name", "").removeprefix("the ") for answer in statement.answers]
    return {
        "name": statement.participant.name,
        "url": reverse("participant", kwargs={"code": statement.participant.code}) + f"#statement-{statement.pk}",
        "footnotes": statement.footnotes,
        "answers": statement_wording.joined(others) if others else "",
    }


def statements_context(*, treaty: Treaty, query: QueryDict, table_query: str, as_of: datetime.date | None) -> dict:
    """What the "Reservations and declarations" section shows: two lists of one query."""
    only = statement_filter(query)
    every = statement_selectors.treaty_statements(treaty=treaty, as_of=as_of)
    shown = [statement for statement in every if only.matches(statement)]
    table = statement_selectors.article_table(shown, kind=only.kind, article=only.article)
    labels = statement_wording.PLURAL
    rows = [
        {
            "number": row.number,
            "query": _query(table_query, only, article=row.number) if row.number != NO_ARTICLE else "",
            "cells": [
                {"label": labels[kind], "entries": [_entry(statement) for statement in row.cell(kind)]}
                for kind in table.kinds
            ],
        }
        for row in table.rows
    ]
    options = statement_selectors.filter_options(every)
    return {
        "statements_total": len(every),
        "statements_shown": table.statements,
        "statements_participants": table.participants,
        "statement_filter": only,
        "statement_filtered": bool(only.article or only.kind or only.participant),
        "statement_columns": [
            {"kind": kind, "label": labels[kind], "query": _query(table_query, only, kind=kind)} for kind in table.kinds
        ],
        "statement_rows": rows,
        "statement_options": {
            "articles": options["articles"],
            "kinds": [(kind, labels[kind]) for kind in options["kinds"]],
            "participants": options["participants"],
        },
        "statement_hidden": parse_qsl(table_query),
        "statement_reset": _query(table_query, StatementFilter()),
    }


def _records(treaty: Treaty, as_of: datetime.date | None, only: StatementFilter) -> list[dict]:
    """The statements as data: stable codes, the same in every language."""
    return [
        {
            "code": statement.participant.code,
            "name": statement.participant.name,
            "section": statement.section,
            "kinds": statement.kinds,
            "articles": statement.articles,
            "date": iso(statement.date),
            "text": statement.text,
            "footnotes": statement.footnotes,
            "answers": statement.answers,
            "since": iso(statement.since),
            "withdrawn_on": iso(statement.withdrawn_on),
        }
        for statement in statement_selectors.treaty_statements(treaty=treaty, as_of=as_of, only=only)
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # answers: who each objection answers
            return " ".join(answer.get("code") or answer.get("name", "") for answer in value)
        return " ".join(map(str, value))
    return formula_guard(str(value))


@cached_response
def declarations_csv(request: HttpRequest, mtdsg: str) -> HttpResponse:
    """`/treaties/<mtdsg>/declarations.csv`: one row per statement; `?bom=1` for Excel."""
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    try:
        as_of = as_of_from_query(request.GET, today=timezone.localdate())
    except AsOfError as error:
        return bad_as_of(error)
    records = _records(treaty, as_of, statement_filter(request.GET))
    text = csv_table(CSV_COLUMNS, ([_cell(record[column]) for column in CSV_COLUMNS] for record in records))
    suffix = f"-{as_of.isoformat()}" if as_of else ""
    return csv_attachment(request, text=text, filename=f"{treaty.mtdsg}-declarations{suffix}.csv")


@cached_response
def declarations_json(request: HttpRequest, mtdsg: str) -> HttpResponse:
    """`/treaties/<mtdsg>/declarations.json`: the statements with the treaty they are under."""
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    try:
        as_of = as_of_from_query(request.GET, today=timezone.localdate())
    except AsOfError as error:
        return bad_as_of(error)
    document = {
        "treaty": {"mtdsg": treaty.mtdsg, "title": treaty.title, "source": treaty.untc_page_url},
        # The day the statements are as at (end of that day), or null for those standing now.
        "as_of": iso(as_of),
        "declarations": _records(treaty, as_of, statement_filter(request.GET)),
    }
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )

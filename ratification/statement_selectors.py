"""Reads of the statements: a treaty's, filtered and as at a date, laid out by article; a
participant's across treaties. Each in a constant number of queries.

A statement stands from its own date; one without a date, from the day its participant's
instrument (or signature) is dated when it was read with the treaty's baseline, else from the
day the tracker recorded it (`Statement.since`, set when it is recorded). It stands until the day
the tracker found it gone from the file (`withdrawn_on`), as a withdrawn action does
(selectors.actions_as_of).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ratification.models import Participant, Statement, StatementKind, Treaty

#: The kinds a table column lists, in order; a withdrawal is a state, not a column.
TABLE_KINDS = tuple(kind for kind in StatementKind if kind != StatementKind.WITHDRAWAL)
NO_ARTICLE = ""
_NUMBER = re.compile(r"\d+|[IVXL]+")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def article_number(article: str) -> str:
    """The article a reference is in: "22(4)" and "22" are in article 22, "2.1" in article 2."""
    match = _NUMBER.match(article)
    return match.group() if match else article


def article_order(number: str) -> tuple:
    """Articles in their order: 2 before 10, roman ones by value, none cited last."""
    if number == NO_ARTICLE:
        return (2, 0, "")
    if number.isdigit():
        return (0, int(number), "")
    if all(ch in _ROMAN for ch in number):
        values = [_ROMAN[ch] for ch in number]
        total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
        return (0, total, number)
    return (1, 0, number)


def articles_of(statement: Statement) -> list[str]:
    """The articles (numbers) a statement cites, each once, or [NO_ARTICLE]."""
    numbers = list(dict.fromkeys(article_number(article) for article in statement.articles))
    return numbers or [NO_ARTICLE]


def stands_on(statement: Statement, day: datetime.date) -> bool:
    since = statement.since or statement.created_at.date()
    return since <= day and (statement.withdrawn_on is None or statement.withdrawn_on > day)


@dataclass(frozen=True)
class StatementFilter:
    """Which statements are shown: an article (its number), a kind, a participant's code."""

    article: str = ""
    kind: str = ""
    participant: str = ""

    def matches(self, statement: Statement) -> bool:
        if self.article and self.article not in articles_of(statement):
            return False
        if self.kind and self.kind not in statement.kinds:
            return False
        return not self.participant or statement.participant.code == self.participant


def treaty_statements(
    *, treaty: Treaty, as_of: datetime.date | None = None, only: StatementFilter | None = None
) -> list[Statement]:
    """The treaty's statements standing now (or at the end of `as_of`), with their participant,
    in the file's order: one query."""
    rows = Statement.objects.filter(treaty=treaty).select_related("participant").order_by("position", "id")
    if as_of is None:
        rows = rows.filter(withdrawn_on__isnull=True)
    statements = [row for row in rows if as_of is None or stands_on(row, as_of)]
    return [row for row in statements if only is None or only.matches(row)]


def cites(statement: Statement, article: str) -> bool:
    """Whether the statement cites `article`: a number (22) takes in every reference to it (22,
    22(4)); a full reference (35(3)) only itself."""
    if _NUMBER.fullmatch(article):
        return article in articles_of(statement)
    return article in statement.articles


def statement_list(
    *,
    treaty: Treaty,
    state: str = "current",
    codes: Collection[str] = (),
    kinds: Collection[str] = (),
    articles: Collection[str] = (),
) -> QuerySet[Statement]:
    """The API's list: statements standing (`current`), withdrawn, or `all`, of these participants,
    kinds and articles (any of each), by id; two queries (kinds and articles are lists, matched in
    Python over the treaty's rows)."""
    rows = Statement.objects.filter(treaty=treaty).select_related("participant")
    if state == "current":
        rows = rows.filter(withdrawn_on__isnull=True)
    elif state == "withdrawn":
        rows = rows.filter(withdrawn_on__isnull=False)
    if codes:
        rows = rows.filter(participant__code__in=list(codes))
    ids = [
        row.pk
        for row in rows
        if (not kinds or any(kind in row.kinds for kind in kinds))
        and (not articles or any(cites(row, article) for article in articles))
    ]
    return Statement.objects.filter(pk__in=ids).select_related("participant", "treaty").order_by("id")


@dataclass
class ArticleRow:
    """One article of the table: who made which kind of statement citing it."""

    number: str
    cells: dict[str, list[Statement]] = field(default_factory=dict)

    def cell(self, kind: str) -> list[Statement]:
        return self.cells.get(kind, [])


@dataclass(frozen=True)
class ArticleTable:
    """The statements by article (rows) and kind (columns), and the options of its filters."""

    rows: list[ArticleRow]
    kinds: list[str]
    statements: int
    participants: int


def article_table(statements: Iterable[Statement], *, kind: str = "", article: str = "") -> ArticleTable:
    """Lay statements out by article: a statement citing three articles is in three rows (only in
    `article`'s row when the table is filtered on one)."""
    statements = list(statements)
    rows: dict[str, ArticleRow] = {}
    kinds: set[str] = set()
    for statement in statements:
        shown = [k for k in statement.kinds if k in TABLE_KINDS and (not kind or k == kind)]
        kinds.update(shown)
        for number in articles_of(statement):
            if article and number != article:
                continue
            row = rows.setdefault(number, ArticleRow(number))
            for k in shown:
                row.cells.setdefault(k, []).append(statement)
    return ArticleTable(
        rows=[rows[number] for number in sorted(rows, key=article_order)],
        kinds=[k for k in TABLE_KINDS if k in kinds],
        statements=len(statements),
        participants=len({statement.participant_id for statement in statements}),
    )


def filter_options(statements: Iterable[Statement]) -> dict[str, list]:
    """What the table's filters offer: the articles, kinds and participants of these statements."""
    statements = list(statements)
    articles = {number for statement in statements for number in articles_of(statement)} - {NO_ARTICLE}
    kinds = {kind for statement in statements for kind in statement.kinds if kind in TABLE_KINDS}
    participants = {statement.participant.code: statement.participant for statement in statements}
    return {
        "articles": sorted(articles, key=article_order),
        "kinds": [kind for kind in TABLE_KINDS if kind in kinds],
        "participants": sorted(participants.values(), key=lambda participant: participant.name),
    }


@dataclass(frozen=True)
class TreatyStatements:
    """One participant's statements under one treaty: those standing, and those withdrawn."""

    treaty: Treaty
    current: list[Statement]
    withdrawn: list[Statement]


def participant_statements(*, participant: Participant) -> list[TreatyStatements]:
    """The participant's statements under every treaty, by treaty: one query."""
    rows = Statement.objects.filter(participant=participant).select_related("treaty", "participant")
    by_treaty: dict[int, TreatyStatements] = {}
    for row in rows.order_by("treaty__mtdsg", "position", "id"):
        entry = by_treaty.setdefault(row.treaty_id, TreatyStatements(row.treaty, [], []))
        (entry.current if row.withdrawn_on is None else entry.withdrawn).append(row)
    return list(by_treaty.values())

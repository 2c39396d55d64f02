"""Template filters of the statements' pages (ratification/views/statements.py)."""

from __future__ import annotations

from django import template

from ratification.models import Statement
from ratification.statement_selectors import article_number as _article_number
from ratification.wording.statements import kinds_label

register = template.Library()


@register.filter
def statement_kinds(statement: Statement) -> str:
    """'Reservation, declaration' in the active language."""
    return kinds_label(statement.kinds)


@register.filter
def article_number(article: str) -> str:
    """The article a reference is in ("22(4)" is in 22): what the table by article filters on."""
    return _article_number(article)

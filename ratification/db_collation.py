"""Participant names in the database's order, for the admin: the order of ratification/collation.py.

PostgreSQL sorts with its ICU root collation (`und-x-icu`, the Unicode Collation Algorithm that
`collation.name_key` follows). SQLite has no such collation: `name_key` itself is registered on
each connection, under the name `participant_name`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from ratification.collation import name_key

SQLITE_COLLATION = "participant_name"
POSTGRESQL_COLLATION = "und-x-icu"


def _compare(left: str, right: str) -> int:
    a, b = name_key(left), name_key(right)
    return (a > b) - (a < b)


def register(sender, connection, **kwargs) -> None:
    """On each new SQLite connection (the `connection_created` signal): the collation by name."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def collated(field: str) -> Collate:
    """`field` (a name) ordered as a reader expects: `.order_by(collated("name"))`."""
    return Collate(F(field), POSTGRESQL_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION)

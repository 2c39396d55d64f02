"""Django's SQLite backend, as the tests use it: a flush always starts the tables' key counters
again, as tests/support/postgresql/base.py does on PostgreSQL and for the same reason (what
post_migrate writes back after a flush gets the same keys every time, so the seeded treaty is
copied, not seeded again, tests/support/seeded.py). Nothing else differs from
`django.db.backends.sqlite3`, which `tests/settings.py` swaps for this module.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        return super().sql_flush(style, tables, reset_sequences=True, allow_cascade=allow_cascade)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

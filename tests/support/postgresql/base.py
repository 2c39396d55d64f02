"""Django's PostgreSQL backend, as the tests use it: empties tables with DELETE, not TRUNCATE.

A test with `transaction=True` (every browser test, through the live server) ends with Django
emptying every table. On PostgreSQL that is one TRUNCATE of the ~40 tables: 1.3 s each time on
CI's machine, against 0.03 s for a DELETE of each, since TRUNCATE makes new files for every
table and index however few rows they hold (measured on a test database holding the seeded
treaty). Django's foreign keys on PostgreSQL are deferred to the commit, so the order of the
DELETEs does not matter; what resets sequences keeps Django's TRUNCATE ... RESTART IDENTITY.
Nothing else differs from `django.db.backends.postgresql`, which `tests/settings.py` swaps for
this module.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

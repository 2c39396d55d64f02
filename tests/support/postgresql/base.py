"""Django's PostgreSQL backend, as the tests use it: empties tables with DELETE, not TRUNCATE,
and always starts their sequences again.

A test with `transaction=True` (every browser test, through the live server) ends with Django
emptying every table. On PostgreSQL that is one TRUNCATE of the ~40 tables: 1.3 s each time on
CI's machine, against 0.03 s for a DELETE of each, since TRUNCATE makes new files for every
table and index however few rows they hold (measured on a test database holding the seeded
treaty). Django's foreign keys on PostgreSQL are deferred to the commit, so the order of the
DELETEs does not matter.

The sequences start again at 1 after every flush, asked or not (as TRUNCATE ... RESTART
IDENTITY does when Django asks): what post_migrate writes back then (content types,
permissions, the poll schedule) has the same keys after every flush, so the seeded treaty's
rows, recorded on top of it, are copied after a flush too instead of seeded again
(tests/support/seeded.py). Nothing else differs from `django.db.backends.postgresql`, which
`tests/settings.py` swaps for this module.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if allow_cascade or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]
        names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
        # The sequences these tables own: serial columns ('a') and identity columns ('i').
        restart = (
            "SELECT setval(sequence.oid::regclass, 1, false) FROM pg_class sequence "
            "JOIN pg_depend owned ON owned.objid = sequence.oid AND owned.deptype IN ('a', 'i') "
            "JOIN pg_class owner ON owner.oid = owned.refobjid "
            f"WHERE sequence.relkind = 'S' AND owner.relname IN ({names});"
        )
        return [*deletes, restart]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

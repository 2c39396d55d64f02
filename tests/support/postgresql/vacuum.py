"""The test database's dead rows, vacuumed between tests, as autovacuum would.

Every test that is rolled back leaves the rows it wrote behind as dead rows (an aborted insert
is dead at once), and every row a trigger updates leaves its old version (migrations 0016 and
0018 move the treaty's data version at every write). The PostgreSQL of CI's machine runs with autovacuum
off (README, "Tests"), so nothing removes them during the run: the tables, a few live rows each,
grew to thousands of pages, and every scan of them read them all. Over a whole run the seeded
treaty's starting-point check (tests/support/seeded.py) took 17 s of the server's time at 18 ms
a time, and the data version's read (ratification/cache.py) 10 s at 4 ms; they take 0.05 and
0.1 ms on vacuumed tables.

So the test process vacuums its own database between tests, at most once a second, and only
the tables that have gathered dead rows: a plain VACUUM (no lock that a reader or a writer
waits for) of a few tables costs a few milliseconds.
"""

from __future__ import annotations

import time

# A table is vacuumed once it holds this many dead rows (PostgreSQL's own autovacuum threshold
# is 50 plus a fifth of the table; these tables hold a few live rows each).
DEAD_ROWS = 200
EVERY = 1.0  # second, at most

_last_check = 0.0


def dead_rows_vacuum(connection) -> list[str]:
    """VACUUM the tables of `connection`'s database that hold DEAD_ROWS dead rows or more, unless
    that was checked less than EVERY seconds ago; the tables vacuumed. Outside any transaction."""
    global _last_check
    now = time.monotonic()
    if now - _last_check < EVERY or connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    _last_check = now
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables "
            "WHERE n_dead_tup >= %s",
            [DEAD_ROWS],
        )
        tables = [name for (name,) in cursor.fetchall()]
        if tables:
            cursor.execute("VACUUM " + ", ".join(tables))
    return tables

"""On PostgreSQL, a write to the rows of one treaty moves its data version once per statement,
not once per row (migration 0016 wrote the first triggers).

A row trigger ran one UPDATE of the treaty's row for every row written: the first read of a
treaty, or a flush of the tests' database, writes thousands of rows in a few INSERTs, and each
row's UPDATE made one more version of the same treaty row in the same transaction, which the next
one had to step over. Over the test suite that was 145,000 UPDATEs and 16 s of the server's time;
an INSERT of 2,000 actions took 27 ms on average where it takes a few.

Statement triggers see the rows written as transition tables (REFERENCING ... TABLE), so each
statement moves each treaty it touched once. PostgreSQL allows transition tables only on a
trigger of one event, hence three triggers per table. The counter still moves in the
transaction of the write, for every kind of writer, and not at all for a statement that wrote no
row. SQLite has no statement triggers: its row triggers stay as 0016 wrote them.
"""

from importlib import import_module

from django.db import migrations

# 0016's tables and statements (a migration's module name is no Python name to import).
_0016 = import_module("ratification.migrations.0016_data_version_by_the_database")
OF_ONE_TREATY = _0016.OF_ONE_TREATY
PG_BUMP = _0016.PG_BUMP

# The treaties a statement's rows belong to, by event: the rows it inserted, the rows it
# deleted, and both sides of the rows it updated (a row moved to another treaty moves both).
TREATIES_WRITTEN = {
    "insert": "SELECT treaty_id FROM new_rows",
    "delete": "SELECT treaty_id FROM old_rows",
    "update": "SELECT treaty_id FROM new_rows UNION SELECT treaty_id FROM old_rows",
}
REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def forwards() -> list[str]:
    statements = [
        f"""CREATE FUNCTION data_version_of_treaties_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {PG_BUMP} WHERE id IN ({treaties});
            RETURN NULL;
        END $$"""
        for event, treaties in TREATIES_WRITTEN.items()
    ]
    for table in OF_ONE_TREATY:
        statements.append(f"DROP TRIGGER data_version_{table} ON {table}")
        statements += [
            f"""CREATE TRIGGER data_version_{table}_{event} AFTER {event.upper()} ON {table}
            {REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION data_version_of_treaties_{event}()"""
            for event in TREATIES_WRITTEN
        ]
    statements.append("DROP FUNCTION data_version_of_one_treaty()")
    return statements


def backwards() -> list[str]:
    statements = [_0016.PG_ONE_TREATY_ROW_FUNCTION]
    for table in OF_ONE_TREATY:
        statements += [f"DROP TRIGGER data_version_{table}_{event} ON {table}" for event in TREATIES_WRITTEN]
        statements.append(_0016.pg_one_treaty_row_trigger(table))
    statements += [f"DROP FUNCTION data_version_of_treaties_{event}()" for event in TREATIES_WRITTEN]
    return statements


class Migration(migrations.Migration):
    dependencies = [
        ("ratification", "0017_event_processed_at"),
    ]

    # SQLite keeps 0016's row triggers: nothing to change there.
    operations = [
        migrations.RunPython(
            _0016.run({"postgresql": forwards, "sqlite": list}),
            _0016.run({"postgresql": backwards, "sqlite": list}),
        )
    ]

"""The data version moves with every write to the public data, whoever writes it.

These triggers bump `Treaty.data_version` (and `updated_at`, the Last-Modified of every cached
answer) in the transaction of the write itself, whatever wrote it: a model's save or delete, a
queryset's update, delete or bulk_create, raw SQL, the admin, a data migration. No write path
has to remember to say that it changed something, so none can leave stale pages by forgetting.
A test checks that every table holding public data has them (tests/test_data_version.py).

- A treaty's own row: every UPDATE moves the counter one up from where it stood, whatever the
  statement set it to (a copy of the row read earlier never moves it back).
- Rows of one treaty (actions, statements, stages, poll runs, events): that treaty's counter.
- Participants and their aliases (names, regional organisations) show on every treaty's
  pages: an update or delete moves every treaty's counter. Not an insert: a new participant
  shows only through its actions, whose insert moves their treaty's, and a poll that adds
  participants to its treaty must not take every other treaty's row lock (two polls adding
  participants at once would each wait for the other's treaty).
"""

from django.db import migrations

# Tables whose rows belong to one treaty (a `treaty_id` column).
OF_ONE_TREATY = [
    "ratification_action",
    "ratification_event",
    "ratification_pollrun",
    "ratification_stage",
    "ratification_statement",
]
OF_EVERY_TREATY = ["ratification_participant", "ratification_participantalias"]

SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_BUMP = f"UPDATE ratification_treaty SET data_version = data_version + 1, updated_at = {SQLITE_NOW}"


def sqlite_statements() -> list[str]:
    # SQLite's triggers are row triggers, and cannot change the row being written (no BEFORE
    # ... SET NEW.x): the treaty's own is an AFTER trigger that updates the row again, unless
    # the UPDATE moved the counter up already (as the other tables' triggers do); the WHEN also
    # keeps it from firing on its own UPDATE.
    statements = [
        f"""CREATE TRIGGER data_version_ratification_treaty AFTER UPDATE ON ratification_treaty
        WHEN NEW.data_version <= OLD.data_version
        BEGIN
            UPDATE ratification_treaty SET data_version = OLD.data_version + 1,
                updated_at = CASE WHEN NEW.updated_at = OLD.updated_at THEN {SQLITE_NOW} ELSE NEW.updated_at END
            WHERE id = NEW.id;
        END"""
    ]
    for table in OF_ONE_TREATY:
        statements += [
            f"""CREATE TRIGGER data_version_{table}_insert AFTER INSERT ON {table}
            BEGIN {SQLITE_BUMP} WHERE id = NEW.treaty_id; END""",
            f"""CREATE TRIGGER data_version_{table}_update AFTER UPDATE ON {table}
            BEGIN {SQLITE_BUMP} WHERE id IN (OLD.treaty_id, NEW.treaty_id); END""",
            f"""CREATE TRIGGER data_version_{table}_delete AFTER DELETE ON {table}
            BEGIN {SQLITE_BUMP} WHERE id = OLD.treaty_id; END""",
        ]
    for table in OF_EVERY_TREATY:
        statements += [
            f"""CREATE TRIGGER data_version_{table}_{operation.lower()} AFTER {operation} ON {table}
            BEGIN {SQLITE_BUMP}; END"""
            for operation in ("UPDATE", "DELETE")
        ]
    return statements


def sqlite_reverse() -> list[str]:
    names = ["data_version_ratification_treaty"]
    for table in OF_ONE_TREATY + OF_EVERY_TREATY:
        names += [f"data_version_{table}_{operation}" for operation in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


PG_BUMP = "UPDATE ratification_treaty SET data_version = data_version + 1, updated_at = clock_timestamp()"

# A row of one treaty's tables moves that treaty's counter (migration 0018 replaces these with
# statement triggers, and puts them back when reversed).
PG_ONE_TREATY_ROW_FUNCTION = f"""CREATE FUNCTION data_version_of_one_treaty() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {PG_BUMP} WHERE id = NEW.treaty_id;
            END IF;
            IF TG_OP = 'DELETE' THEN
                {PG_BUMP} WHERE id = OLD.treaty_id;
            ELSIF TG_OP = 'UPDATE' THEN
                IF OLD.treaty_id <> NEW.treaty_id THEN
                    {PG_BUMP} WHERE id = OLD.treaty_id;
                END IF;
            END IF;
            RETURN NULL;
        END $$"""


def pg_one_treaty_row_trigger(table: str) -> str:
    return f"""CREATE TRIGGER data_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION data_version_of_one_treaty()"""


def postgresql_statements() -> list[str]:
    statements = [
        # The treaty's own row: a BEFORE trigger sets the counter in the same UPDATE (the other
        # tables' triggers' `data_version + 1` included: one up either way).
        """CREATE FUNCTION data_version_of_treaty_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.data_version := OLD.data_version + 1;
            IF NEW.updated_at = OLD.updated_at THEN
                NEW.updated_at := clock_timestamp();
            END IF;
            RETURN NEW;
        END $$""",
        """CREATE TRIGGER data_version_ratification_treaty BEFORE UPDATE ON ratification_treaty
        FOR EACH ROW EXECUTE FUNCTION data_version_of_treaty_row()""",
        PG_ONE_TREATY_ROW_FUNCTION,
        # Once per statement, not per row: a batch of 197 participants moves every counter once.
        f"""CREATE FUNCTION data_version_of_every_treaty() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {PG_BUMP};
            RETURN NULL;
        END $$""",
    ]
    statements += [pg_one_treaty_row_trigger(table) for table in OF_ONE_TREATY]
    statements += [
        f"""CREATE TRIGGER data_version_{table} AFTER UPDATE OR DELETE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION data_version_of_every_treaty()"""
        for table in OF_EVERY_TREATY
    ]
    return statements


def postgresql_reverse() -> list[str]:
    tables = ["ratification_treaty", *OF_ONE_TREATY, *OF_EVERY_TREATY]
    return [f"DROP TRIGGER IF EXISTS data_version_{table} ON {table}" for table in tables] + [
        f"DROP FUNCTION IF EXISTS {name}()"
        for name in ("data_version_of_treaty_row", "data_version_of_one_treaty", "data_version_of_every_treaty")
    ]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"No data version triggers for the {vendor} database: write them before using it.")
        for statement in statements_by_vendor[vendor]():
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("ratification", "0015_review_kinds_eif_disagreement_and_treaty_facts"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite_statements, "postgresql": postgresql_statements}),
            run({"sqlite": sqlite_reverse, "postgresql": postgresql_reverse}),
        ),
    ]

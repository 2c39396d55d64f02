"""What a fixture writes to the database, written by its builder once per test process and
copied in by every later test (issue 23).

The `treaty` fixture (XVIII-16 and its 72 signatories, as `make run` leaves them) is asked for by
most of the suite. `treaty_seed()` costs some 40 queries and builds a few hundred model objects,
45 ms on an idle PostgreSQL and 70 ms under the suite's load: about a minute of the two workers'
time per run. A copy writes the same rows in one INSERT per table.

How: the first time, the builder runs for real, and every row it inserted or changed is read
back (every table is compared before and after, so nothing the builder writes is left out,
whatever it becomes). Later, when the tables it wrote hold what they held then (their row
counts and key sums), the rows are written again with their primary keys; otherwise the builder
runs for real again and its writes are kept for that other starting point. The INSERTs are the
ones `bulk_create` would send (Django's insert compiler, in its batches), so every value is
stored as Django stores it on either backend, and the database's triggers fire as for the real
writes (migration 0016). No model signal is sent, as none is for the seed's own bulk writes;
tests/test_suite_database.py checks that a copy leaves the database as the builder does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone

Rows = dict[object, tuple]  # a table's rows by primary key

# Rows copied within this time of the first run keep its timestamps (their INSERTs are compiled
# once): they read as a seed of a few minutes ago. Later, or at a time before it (a test that
# travelled in time), they are moved to the present, as the builder would have written them.
AS_WRITTEN_FOR = datetime.timedelta(minutes=15)


@dataclass
class Writes:
    """The rows a builder wrote, and the state of those tables it started from."""

    started_from: dict[type[models.Model], tuple[int, int]]  # each table's row count and pk sum
    inserted: dict[type[models.Model], list[tuple]] = field(default_factory=dict)
    changed: dict[type[models.Model], list[tuple]] = field(default_factory=dict)
    written_at: datetime.datetime = field(default_factory=timezone.now)
    _as_written: list[tuple[str, list]] | None = None

    def inserts(self, shift: datetime.timedelta) -> list[tuple[str, list]]:
        """The INSERTs of the rows, their timestamps moved by `shift` (compiled once for none)."""
        if shift:
            return [
                s
                for model, rows in self.inserted.items()
                for s in _inserts(model, [_moved(model, r, shift) for r in rows])
            ]
        if self._as_written is None:
            self._as_written = [s for model, rows in self.inserted.items() for s in _inserts(model, rows)]
            if hasattr(connection.ops, "compose_sql"):  # PostgreSQL: the values quoted once, not at each copy
                self._as_written = [(connection.ops.compose_sql(sql, params), None) for sql, params in self._as_written]
        return self._as_written


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _table_rows(model: type[models.Model]) -> Rows:
    names = [f.attname for f in _fields(model)]
    pk = model._meta.pk.attname
    position = names.index(pk)
    return {row[position]: row for row in model._base_manager.values_list(*names)}


def _every_table() -> dict[type[models.Model], Rows]:
    return {model: _table_rows(model) for model in apps.get_models(include_auto_created=True) if model._meta.managed}


def _numbered(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.IntegerField)


def _state(models_: list[type[models.Model]]) -> dict[type[models.Model], tuple[int, int]]:
    """Each table's row count and sum of its (integer) primary keys, in one query."""
    quote = connection.ops.quote_name
    columns = [
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)}), "
        + (
            f"(SELECT COALESCE(SUM({quote(m._meta.pk.column)}), 0) FROM {quote(m._meta.db_table)})"
            if _numbered(m)
            else "0"
        )
        for m in models_
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        values = cursor.fetchone()
    return {model: (int(values[2 * i]), int(values[2 * i + 1])) for i, model in enumerate(models_)}


class Copied:
    """A builder of database rows whose writes are copied after its first run in this process."""

    def __init__(self, build: Callable[[], object], result: Callable[[], object]) -> None:
        self.build = build
        self.result = result
        self.known: list[Writes] = []

    def write(self) -> object:
        for writes in self.known:
            if _state(list(writes.started_from)) == writes.started_from:
                self._copy(writes)
                return self.result()
        if len(self.known) < 4:  # a few starting points; any other just runs the builder
            self.known.append(self._record())
        else:
            self.build()
        return self.result()

    def _record(self) -> Writes:
        before = _every_table()
        self.build()
        after = _every_table()
        writes = Writes(started_from={})
        for model, rows in after.items():
            old = before[model]
            inserted = [row for pk, row in rows.items() if pk not in old]
            changed = [row for pk, row in rows.items() if pk in old and old[pk] != row]
            if len(old) > len(rows) or any(pk not in rows for pk in old):
                raise AssertionError(f"{model.__name__}: the builder deleted rows; it cannot be copied")
            if inserted:
                writes.inserted[model] = inserted
            if changed:
                writes.changed[model] = changed
        touched = [*writes.inserted, *(m for m in writes.changed if m not in writes.inserted)]
        writes.started_from = {
            model: (len(before[model]), sum(before[model]) if _numbered(model) else 0) for model in touched
        }
        return writes

    def _copy(self, writes: Writes) -> None:
        shift = timezone.now() - writes.written_at
        if datetime.timedelta(0) <= shift < AS_WRITTEN_FOR:
            shift = datetime.timedelta(0)
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in writes.inserts(shift):
                cursor.execute(sql, params)
            for model, rows in writes.changed.items():
                for row in rows:
                    values = dict(zip([f.attname for f in _fields(model)], _moved(model, row, shift), strict=True))
                    model._base_manager.filter(pk=values.pop(model._meta.pk.attname)).update(**values)
            _sequences_past(writes.inserted)


def _moved(model: type[models.Model], row: tuple, shift: datetime.timedelta) -> tuple:
    if not shift:
        return row
    return tuple(
        value + shift if isinstance(f, models.DateTimeField) and value is not None else value
        for f, value in zip(_fields(model), row, strict=True)
    )


def _inserts(model: type[models.Model], rows: list[tuple]) -> list[tuple[str, list]]:
    """The INSERTs `bulk_create` would send, in its batches."""
    fields = _fields(model)
    objects = [model(**dict(zip([f.attname for f in fields], row, strict=True))) for row in rows]
    batch = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    statements = []
    for start in range(0, len(objects), batch):
        query = InsertQuery(model)
        query.insert_values(fields, objects[start : start + batch])
        statements += query.get_compiler(connection=connection).as_sql()
    return statements


def _sequences_past(inserted: dict[type[models.Model], list[tuple]]) -> None:
    """Keep PostgreSQL's sequences past the primary keys written. (They are past them already,
    unless a flush reset them: a sequence's value survives a rollback. SQLite moves its own
    past any key inserted.)"""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    settings = []
    for model, rows in inserted.items():
        pk = model._meta.pk
        if not isinstance(pk, models.AutoField):
            continue
        position = _fields(model).index(pk)
        highest = max(row[position] for row in rows)
        sequence = f"pg_get_serial_sequence('{quote(model._meta.db_table)}', '{pk.column}')"
        settings.append(f"setval({sequence}, GREATEST({int(highest)}, nextval({sequence})))")
    if settings:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(settings))


def _seeded_treaty():
    from ratification.models import Treaty

    return Treaty.objects.get(mtdsg="XVIII-16")


def _treaty_seed() -> None:
    from ratification.services.seed import treaty_seed

    treaty_seed()


# XVIII-16 and its 72 signatories, as `make run` leaves them: the `treaty` fixture (tests/conftest.py).
SEEDED_TREATY = Copied(_treaty_seed, _seeded_treaty)

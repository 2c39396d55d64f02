"""The test database as the suite uses it: a transaction=True test's flush is cheap on both
backends (tests/support/postgresql/base.py), the seeded treaty is copied, not seeded again
(tests/support/seeded.py), and rolled-back rows are vacuumed between tests on PostgreSQL
(tests/support/postgresql/vacuum.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Value
from django_celery_beat.models import PeriodicTask

from ratification.models import Action, Participant, Treaty
from ratification.services.seed import treaty_seed
from tests.support.postgresql import vacuum
from tests.support.seeded import Copied


def flush_sql(**options) -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(no_style(), tables, **options)


@pytest.mark.django_db(transaction=True)
class FlushTests:
    def test_the_flush_deletes_rows_instead_of_truncating_every_table(self, treaty):
        statements = flush_sql()
        assert not any("TRUNCATE" in statement for statement in statements)
        assert sum(statement.startswith("DELETE FROM") for statement in statements) == len(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
        call_command("flush", interactive=False, verbosity=0)
        assert not (Treaty.objects.exists() or Action.objects.exists() or Participant.objects.exists())

    def test_every_flush_starts_the_keys_again_so_post_migrate_writes_the_same_rows(self, treaty):
        def after_a_flush() -> tuple[list, int]:
            call_command("flush", interactive=False, verbosity=0)  # post_migrate writes the schedule back
            schedule = list(PeriodicTask.objects.order_by("pk").values_list("pk", "name"))
            return schedule, Participant.objects.create(code="ATA", name="Antarctica").pk

        first = after_a_flush()
        assert first[0], "post_migrate writes the poll schedule back after a flush"
        assert after_a_flush() == first


def _contents() -> dict[str, list[tuple]]:
    """Every table's rows, without what differs from one run of the seed to another: keys (from
    sequences, also as history rows copy them), the links that hold them, and timestamps (the
    data version's, too)."""
    contents = {}
    for model in apps.get_models(include_auto_created=True):
        kept = [
            f.attname
            for f in model._meta.concrete_fields
            if not (f.primary_key or f.is_relation or isinstance(f, models.DateTimeField))
            and f.name not in ("id", "data_version", "args")
        ]
        rows = model._base_manager.values_list(*kept) if kept else model._base_manager.values_list(Value(1))
        contents[model._meta.db_table] = sorted(map(repr, rows))
    return contents


class SeededCopyTests:
    """The `treaty` fixture copies what `treaty_seed()` wrote the first time (tests/support/seeded.py)."""

    def test_a_copy_leaves_the_database_as_the_seed_does(self, db):
        class Undo(Exception):
            pass

        seeded = Copied(lambda: treaty_seed(), lambda: Treaty.objects.get(mtdsg="XVIII-16"))
        for _ in range(2):  # the first run records, the second copies
            try:
                with transaction.atomic():
                    copy = seeded.write()
                    copied = _contents()
                    assert copy.actions.count() == 72 and copy.poll_task.args == f"[{copy.pk}]"
                    raise Undo
            except Undo:
                pass
        with transaction.atomic():
            treaty_seed()
            assert _contents() == copied

    def test_it_copies_only_onto_what_the_seed_first_started_from(self, db):
        seeded = Copied(lambda: treaty_seed(), lambda: Treaty.objects.get(mtdsg="XVIII-16"))
        with transaction.atomic():
            Participant.objects.create(code="ATA", name="Antarctica")
            seeded.write()
            transaction.set_rollback(True)
        seeded.write()  # not the tables it first started from: the seed runs, and is recorded
        assert len(seeded.known) == 2
        assert Action.objects.count() == 72


def dead_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # this process's counts, now
        cursor.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.real_services
@pytest.mark.django_db(transaction=True)
class VacuumTests:
    def test_the_rows_a_rolled_back_test_wrote_are_vacuumed_and_a_recent_check_waits(self, monkeypatch):
        with pytest.raises(RuntimeError), transaction.atomic():
            Participant.objects.bulk_create(Participant(code=f"X{n:02d}", name=f"Nowhere {n}") for n in range(300))
            raise RuntimeError("rolled back, as every test is")
        assert dead_rows("ratification_participant") >= 300
        monkeypatch.setattr(vacuum, "_last_check", 0.0)
        assert "public.ratification_participant" in vacuum.dead_rows_vacuum(connection)
        assert dead_rows("ratification_participant") == 0
        # Checked less than a second ago: nothing is read or vacuumed.
        assert vacuum.dead_rows_vacuum(connection) == []

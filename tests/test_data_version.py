"""The data version moves with every write to the public data, whoever writes it: no write path
has to remember to say so (the database's triggers, migration 0016), so none can leave stale
pages behind."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import connection, transaction

from ratification.cache import data_version
from ratification.models import Action, Participant, ReviewItem, ReviewKind, Treaty
from tests.views.conftest import deposit

pytestmark = pytest.mark.django_db

# Rows of the record that no page, feed, export or API answer shows: a write to them need not
# move the version. Anything else that belongs to a treaty or a participant must move it.
PRIVATE = {ReviewItem: "staff's review queue, shown only in the admin"}
FRANCE = "/api/v1/treaties/XVIII-16/participants/?code=FRA"


def triggered_tables() -> set[str]:
    if connection.vendor == "sqlite":
        query = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version_%'"
    else:
        query = "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE 'data_version_%'"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {table for (table,) in cursor.fetchall()}


def public_models() -> list[type]:
    """The treaty, the participant, and every model holding rows of one (history tables aside:
    they are written with the rows they record)."""
    found = []
    for model in apps.get_app_config("ratification").get_models():
        related = {field.related_model for field in model._meta.fields if field.many_to_one}
        if model.__name__.startswith("Historical") or model in PRIVATE:
            continue
        if model in (Treaty, Participant) or related & {Treaty, Participant}:
            found.append(model)
    return found


class EveryPublicTableTests:
    def test_every_table_of_public_data_moves_the_version(self):
        missing = [model.__name__ for model in public_models() if model._meta.db_table not in triggered_tables()]
        assert missing == [], f"add data version triggers for {missing} in a migration, or list them in PRIVATE"


class AnyWriteTests:
    """Writes that call no service and nothing else: the next reader still sees them."""

    def test_a_queryset_update_shows_at_once(self, client, treaty):
        action = deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "2026-03-15" not in client.get(FRANCE).content.decode()
        Action.objects.filter(pk=action.pk).update(date=datetime.date(2026, 3, 15))
        assert "2026-03-15" in client.get(FRANCE).content.decode()

    def test_raw_sql_shows_at_once(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "<strong>1</strong> of 40" in client.get("/").content.decode()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ratification_event WHERE kind = 'new_action'")
            cursor.execute("DELETE FROM ratification_action WHERE kind = 'ratification'")
        assert "<strong>0</strong> of 40" in client.get("/").content.decode()

    def test_a_rename_shows_on_every_treaty(self, client, treaty):
        deposit(treaty, "France", datetime.date(2026, 2, 1))
        assert "République" not in client.get(FRANCE).content.decode()
        Participant.objects.filter(code="FRA").update(name="République française")
        assert "République" in client.get(FRANCE).content.decode()

    def test_a_treaty_row_moves_it_in_the_same_update(self, treaty):
        before = Treaty.objects.get(pk=treaty.pk).data_version
        Treaty.objects.filter(pk=treaty.pk).update(short_title="The Hanoi Convention")
        assert Treaty.objects.get(pk=treaty.pk).data_version == before + 1

    def test_a_stale_value_written_back_never_moves_it_back(self, treaty):
        before = Treaty.objects.get(pk=treaty.pk).data_version
        Treaty.objects.filter(pk=treaty.pk).update(data_version=0)
        assert Treaty.objects.get(pk=treaty.pk).data_version == before + 1

    def test_a_rolled_back_write_leaves_it_alone(self, treaty):
        before = data_version()
        with pytest.raises(RuntimeError), transaction.atomic():
            Action.objects.filter(treaty=treaty).update(kind="signature")
            raise RuntimeError("rolled back")
        assert data_version().digest == before.digest

    def test_a_private_row_leaves_it_alone(self, treaty):
        before = data_version()
        ReviewItem.objects.create(treaty=treaty, kind=ReviewKind.HELD, description="Have a look")
        assert data_version().digest == before.digest


def versions(*treaties: Treaty) -> list[int]:
    return [Treaty.objects.get(pk=treaty.pk).data_version for treaty in treaties]


class OneStatementTests:
    """A statement that writes many rows moves each treaty it wrote, and no other (on PostgreSQL
    once per statement, migration 0018; SQLite's triggers move it once per row)."""

    def test_one_insert_of_many_rows_moves_each_treaty_it_wrote_and_no_other(self, treaty):
        other = Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path="x")
        untouched = Treaty.objects.create(mtdsg="XVIII-7", chapter="XVIII", title="", xml_path="x")
        before = versions(treaty, other, untouched)
        two_signatories = list(Participant.objects.order_by("code")[:2])
        Action.objects.bulk_create(
            [
                Action(treaty=which, participant=who, kind="ratification", date=datetime.date(2026, 2, 1))
                for which in (treaty, other)
                for who in two_signatories
            ]
        )
        moved = [after - then for after, then in zip(versions(treaty, other, untouched), before, strict=True)]
        assert moved == ([1, 1, 0] if connection.vendor == "postgresql" else [2, 2, 0])

    def test_a_row_moved_to_another_treaty_moves_both(self, treaty):
        other = Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path="x")
        action = deposit(treaty, "France", datetime.date(2026, 2, 1))
        before = versions(treaty, other)
        Action.objects.filter(pk=action.pk).update(treaty=other)
        assert all(after > then for after, then in zip(versions(treaty, other), before, strict=True))

    def test_a_statement_that_writes_no_row_moves_nothing(self, treaty):
        before = data_version()
        Action.objects.filter(treaty=treaty, kind="no such kind").update(date=datetime.date(2026, 3, 1))
        Action.objects.filter(treaty=treaty, kind="no such kind").delete()
        assert data_version().digest == before.digest

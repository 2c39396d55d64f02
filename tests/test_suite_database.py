"""The test database as the suite uses it: a transaction=True test's flush is cheap on both
backends (tests/support/postgresql/base.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from ratification.models import Action, Participant, Treaty


def flush_sql(**options) -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(no_style(), tables, **options)


@pytest.mark.django_db(transaction=True)
class FlushTests:
    def test_the_flush_deletes_rows_instead_of_truncating_every_table(self, treaty):
        statements = flush_sql()
        assert statements and all(statement.startswith("DELETE FROM") for statement in statements)
        call_command("flush", interactive=False, verbosity=0)
        assert not (Treaty.objects.exists() or Action.objects.exists() or Participant.objects.exists())

    def test_a_flush_that_resets_sequences_resets_them(self, treaty):
        statements = " ".join(flush_sql(reset_sequences=True))
        if connection.vendor == "postgresql":
            assert "RESTART IDENTITY" in statements
        else:
            assert "sqlite_sequence" in statements

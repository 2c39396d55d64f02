"""The rows a poll changed are written field by field as they changed, with their history."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratification.models import Action, Origin
from ratification.services.reconcile import UPDATED_FIELDS
from ratification.services.writes import rows_update_with_history

pytestmark = pytest.mark.django_db


class RowsUpdateTests:
    def test_rows_that_change_alike_take_one_update_and_each_keeps_its_own_values(self, treaty):
        Action.objects.filter(treaty=treaty).update(provenance="seed list")  # one stored value to start from
        seeded = list(Action.objects.filter(treaty=treaty, origin=Origin.SEED).order_by("pk"))
        assert len(seeded) > 10
        for action in seeded:
            action.origin, action.provenance = Origin.SOURCE, "untc"
        seeded[0].date, seeded[1].footnotes = datetime.date(2025, 10, 27), [3]
        history_before = Action.history.count()

        with CaptureQueriesContext(connection) as queries:
            rows_update_with_history(seeded, UPDATED_FIELDS, change_reason="UNTC file")

        updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
        assert len(updates) == 3  # the two rows with more changes, then every other one together
        assert not any("CASE" in sql for sql in updates)
        stored = {action.pk: action for action in Action.objects.filter(pk__in=[a.pk for a in seeded])}
        assert {stored[a.pk].origin for a in seeded} == {Origin.SOURCE}
        assert stored[seeded[0].pk].date == datetime.date(2025, 10, 27)
        assert stored[seeded[1].pk].footnotes == [3] and stored[seeded[2].pk].footnotes == seeded[2].footnotes
        assert stored[seeded[2].pk].date == seeded[2].date
        assert Action.history.count() == history_before + len(seeded)
        assert set(Action.history.filter(history_change_reason="UNTC file").values_list("id", flat=True)) == {
            a.pk for a in seeded
        }

    def test_nothing_to_write_writes_nothing(self, treaty):
        with CaptureQueriesContext(connection) as queries:
            rows_update_with_history([], UPDATED_FIELDS, change_reason="UNTC file")
        assert len(queries) == 0

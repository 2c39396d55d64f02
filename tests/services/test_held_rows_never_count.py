"""A property: with 39 instruments counted, no sequence of polls whose only new rows are held
ones reaches the threshold (issue 22: one row of an organisation or a former State sent
"threshold reached" to every subscriber)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratification import selectors
from ratification.models import Event, EventKind, Treaty
from ratification.services.reconcile import status_reconcile
from scrapers.untc import parse_status
from tests.support.untc_files import Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db

RATIFIED = "10 Nov 2026"


def _future() -> str:
    day = timezone.localdate() + datetime.timedelta(days=30)
    return f"{day.day} {day:%b %Y}"


def base_rows() -> list[Row]:
    """The 72 Hanoi signatories, 39 of them (the European Union not among them) ratified."""
    states = [r.name for r in hanoi_rows() if r.name != "European Union"]
    return with_instruments(hanoi_rows(), dict.fromkeys(states[:39], RATIFIED))


def held_rows() -> list[Row]:
    """New rows each of which the gate holds: not a State, no one, a look-alike, a spelling of a
    row already in the file, a date in the future or before the treaty was adopted."""
    uncounted = [r for r in hanoi_rows() if r.name != "European Union"][39:]
    return [
        *(
            Row(name, "", "20 Nov 2026 a")
            for name in (
                "World Health Organization", "Interpol", "Union of Soviet Socialist Republics", "Yugoslavia",
                "German Democratic Republic", "Antarctica", "Hong Kong", "Testland", "Gh\u0430na",
                "Fr\u200bance",
            )
        ),
        Row(uncounted[0].name.upper(), "", "20 Nov 2026"),
        Row(next(r.name for r in uncounted if " " in r.name).replace(" ", "-"), "", "21 Nov 2026"),
        Row("Mauritius", "", f"{_future()} a"),
        Row("Mongolia", "", "3 Mar 1990 a"),
    ]  # fmt: skip


@pytest.fixture
def thirty_nine(treaty) -> Treaty:
    status_reconcile(treaty=treaty, status=parse_status(hanoi_file(base_rows())))
    Treaty.objects.filter(pk=treaty.pk).update(source_hash="baseline")
    assert selectors.treaty_summary(treaty=treaty).counted == 39
    return Treaty.objects.get(pk=treaty.pk)


class HeldRowsNeverCountTests:
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(polls=st.lists(st.sets(st.sampled_from(range(len(held_rows()))), min_size=1), min_size=1, max_size=3))
    def test_no_sequence_of_polls_of_held_rows_reaches_the_threshold(self, thirty_nine, polls):
        candidates = held_rows()
        with transaction.atomic():
            for chosen in polls:
                extra = [candidates[index] for index in sorted(chosen)]
                status = parse_status(hanoi_file([*base_rows(), *extra]))
                result = status_reconcile(treaty=Treaty.objects.get(pk=thirty_nine.pk), status=status)
                assert result.created == [], [str(a) for a in result.created]
                assert selectors.treaty_summary(treaty=thirty_nine).counted == 39
                assert not Event.objects.filter(treaty=thirty_nine, kind=EventKind.THRESHOLD_REACHED).exists()
            transaction.set_rollback(True)

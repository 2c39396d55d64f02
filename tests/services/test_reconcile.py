"""Reconcile: a parsed status against the database, one row per real change."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from ratification.models import (
    Action,
    Event,
    EventKind,
    Origin,
    Participant,
    ReviewItem,
    ReviewKind,
    Treaty,
)
from ratification.services.reconcile import status_reconcile
from ratification.services.staff import instrument_record
from scrapers.untc import parse_status
from tests.support.untc_files import PARIS, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db
D = datetime.date


def reconcile(treaty: Treaty, rows: list[Row]):
    return status_reconcile(treaty=treaty, status=parse_status(hanoi_file(rows)))


@pytest.fixture
def confirmed(treaty):
    """XVIII-16 after a first good read of the real file: seeded rows confirmed, baseline set."""
    reconcile(treaty, hanoi_rows())
    Treaty.objects.filter(pk=treaty.pk).update(source_hash="baseline")
    treaty.refresh_from_db()
    return treaty


class ConfirmingTheSeedTests:
    def test_it_confirms_seeded_rows_without_any_event(self, treaty):
        result = reconcile(treaty, hanoi_rows())
        assert result.confirmed == 72
        assert result.events == [] and result.created == []
        assert not Action.objects.filter(origin=Origin.SEED).exists()
        assert set(Action.objects.values_list("provenance", flat=True)) == {"untc"}

    def test_it_corrects_a_seeded_date_quietly(self, treaty):
        rows = [Row(r.name, "25 Oct 2025" if r.name == "Mali" else r.signature) for r in hanoi_rows()]
        result = reconcile(treaty, rows)
        assert Action.objects.get(participant__code="MLI").date == D(2025, 10, 25)
        [event] = result.events
        assert (event.kind, event.public, event.data["old"], event.data["new"]) == (
            EventKind.CORRECTION,
            False,
            "2025-10-26",
            "2025-10-25",
        )
        assert not ReviewItem.objects.exists()


class NewActionTests:
    def test_it_records_a_new_signature_as_an_announced_event(self, confirmed):
        result = reconcile(confirmed, [*hanoi_rows(), Row("Mauritius", "19 Nov 2025")])
        [action] = result.created
        assert (action.participant.code, action.kind, action.date, action.origin) == (
            "MUS",
            "signature",
            D(2025, 11, 19),
            "source",
        )
        [event] = result.events
        assert (event.kind, event.public, event.occurred_on) == (EventKind.NEW_ACTION, True, D(2025, 11, 19))
        assert event.data == {
            "action_kind": "signature",
            "date": "2025-11-19",
            "counted": 0,
            "threshold": 40,
            "counts_toward_threshold": False,
        }

    def test_it_counts_each_instrument_in_deposit_order_leaving_out_the_eu(self, confirmed):
        rows = with_instruments(
            hanoi_rows(),
            {"Ghana": "10 Feb 2026", "European Union": "6 Mar 2026 AA", "Qatar": "3 Feb 2026"},
        )
        result = reconcile(confirmed, rows)
        data = {
            e.participant.code: (e.data["action_kind"], e.data["counted"], e.data["counts_toward_threshold"])
            for e in result.events
        }
        assert data == {
            "QAT": ("ratification", 1, True),
            "GHA": ("ratification", 2, True),
            "EUU": ("approval", 2, False),
        }
        confirmed.refresh_from_db()
        assert confirmed.last_change_at is not None

    def test_it_records_the_threshold_milestone_with_the_entry_into_force_date(self, confirmed):
        instruments = {row.name: "2 Mar 2026" for row in hanoi_rows()[:39] if row.name != "European Union"}
        assert len(instruments) == 38
        instruments["Viet Nam"] = "22 Oct 2026"
        instruments["Zimbabwe"] = "1 Sep 2026"
        result = reconcile(confirmed, with_instruments(hanoi_rows(), instruments))
        [milestone] = [e for e in result.events if e.kind == EventKind.THRESHOLD_REACHED]
        assert milestone.participant.code == "VNM"
        assert milestone.occurred_on == D(2026, 10, 22)
        assert milestone.data == {
            "entry_into_force": "2027-01-20",
            "entry_into_force_source": "rule",
            "counted": 40,
            "threshold": 40,
        }
        assert milestone.public

    def test_it_records_nothing_the_second_time(self, confirmed):
        rows = with_instruments(hanoi_rows(), {"Ghana": "10 Feb 2026"})
        reconcile(confirmed, rows)
        again = reconcile(confirmed, rows)
        assert (again.created, again.events, again.corrected, again.review_items) == ([], [], [], [])
        assert Event.objects.filter(kind=EventKind.NEW_ACTION).count() == 1

    def test_it_announces_nothing_from_a_treaty_first_read(self, db):
        paris = Treaty.objects.create(mtdsg="XXVII-7-d", chapter="XXVII", title="Paris Agreement", xml_path="x")
        result = status_reconcile(treaty=paris, status=parse_status(PARIS.read_bytes()))
        assert len(result.created) == 195 + 173
        assert result.events and not any(event.public for event in result.events)
        assert all(event.data.get("baseline") for event in result.events)


class CorrectionTests:
    def test_it_records_a_changed_date_as_a_correction_for_staff(self, confirmed):
        reconcile(confirmed, with_instruments(hanoi_rows(), {"Ghana": "10 Feb 2026"}))
        result = reconcile(confirmed, with_instruments(hanoi_rows(), {"Ghana": "11 Feb 2026"}))
        assert result.created == []
        [event] = result.events
        assert (event.kind, event.public) == (EventKind.CORRECTION, False)
        assert Action.objects.get(participant__code="GHA", kind="ratification").date == D(2026, 2, 11)
        [item] = ReviewItem.objects.all()
        assert item.kind == ReviewKind.CORRECTION

    def test_it_treats_a_changed_marker_on_the_same_date_as_a_correction(self, confirmed):
        reconcile(confirmed, with_instruments(hanoi_rows(), {"France": "1 Jun 2026 A"}))
        result = reconcile(confirmed, with_instruments(hanoi_rows(), {"France": "1 Jun 2026 AA"}))
        assert result.created == []
        assert [(e.kind, e.data["old"], e.data["new"]) for e in result.events] == [
            (EventKind.CORRECTION, "acceptance", "approval")
        ]
        assert Action.objects.get(participant__code="FRA", kind="approval").date == D(2026, 6, 1)
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()

    def test_it_never_overwrites_a_staff_lock_and_raises_one_review_item(self, confirmed):
        Action.objects.filter(participant__code="GHA").update(date=D(2025, 10, 26), locked=True, origin=Origin.STAFF)
        rows = hanoi_rows()
        reconcile(confirmed, rows)
        reconcile(confirmed, rows)
        assert Action.objects.get(participant__code="GHA").date == D(2025, 10, 26)
        [item] = ReviewItem.objects.all()
        assert item.kind == ReviewKind.LOCK_CONFLICT
        assert item.data["source_date"] == "2025-10-25"


class DisappearanceAndRenameTests:
    def test_it_keeps_a_row_that_disappears_and_asks_staff_once(self, confirmed):
        rows = [r for r in hanoi_rows() if r.name != "Ghana"]
        reconcile(confirmed, rows)
        result = reconcile(confirmed, rows)
        assert Action.objects.filter(participant__code="GHA").exists()
        assert result.review_items == []
        [item] = ReviewItem.objects.all()
        assert (item.kind, item.participant.code) == (ReviewKind.DISAPPEARED, "GHA")

    def test_it_waits_for_the_file_to_catch_up_with_an_instrument_staff_entered(self, confirmed):
        # Staff record a deposit from its depositary notification before UNTC lists it: the file
        # lagging behind is not a row that disappeared, and nobody is asked about it.
        qatar = Participant.objects.get(code="QAT")
        instrument_record(
            treaty=confirmed, participant=qatar, kind="ratification", date=D(2026, 2, 10), user=None, reason="C.N.77"
        )
        result = reconcile(confirmed, hanoi_rows())
        assert result.review_items == []
        assert not ReviewItem.objects.exists()
        assert Action.objects.filter(participant=qatar, kind="ratification", origin=Origin.STAFF).exists()

    def test_it_takes_a_renamed_row_with_the_same_dates_as_an_alias(self, confirmed):
        rows = [Row("Republic of Ghana" if r.name == "Ghana" else r.name, r.signature) for r in hanoi_rows()]
        result = reconcile(confirmed, rows)
        ghana = Participant.objects.get(code="GHA")
        assert ghana.name == "Republic of Ghana"
        assert ghana.aliases.filter(name="Ghana").exists()
        assert result.renamed == [("Ghana", "Republic of Ghana")]
        assert [(e.kind, e.public) for e in result.events] == [(EventKind.RENAME, False)]
        assert not ReviewItem.objects.exists()
        assert Participant.objects.count() == 72

    def test_it_holds_an_unknown_name_for_staff_and_records_nothing_of_it(self, confirmed):
        result = reconcile(confirmed, [*hanoi_rows(), Row("Atlantis", "1 Dec 2025")])
        assert not Participant.objects.filter(name="Atlantis").exists()
        [item] = result.review_items
        assert (item.kind, item.data["name"], item.data["raw_row"]) == (
            ReviewKind.HELD,
            "Atlantis",
            "Atlantis | 1 Dec 2025 | ",
        )
        assert item.data["reasons"] == ["the name is not a participant, State or organisation the tracker knows"]
        assert result.events == [] and result.created == []

    def test_it_takes_a_state_it_never_stored_without_review(self, confirmed):
        result = reconcile(confirmed, [*hanoi_rows(), Row("Mauritius", "1 Dec 2025")])
        assert Participant.objects.get(code="MUS").name == "Mauritius"
        assert [e.kind for e in result.events] == [EventKind.NEW_ACTION]
        assert result.review_items == []

    def test_it_holds_a_territory_iso_3166_lists_and_stores_nothing_of_it(self, confirmed):
        result = reconcile(confirmed, [*hanoi_rows(), Row("Bonaire, Sint Eustatius and Saba", "1 Dec 2025")])
        [item] = result.review_items
        assert item.data["reasons"] == [
            "Bonaire, Sint Eustatius and Saba is not a State (ISO 3166 lists it as a territory)"
        ]
        assert result.events == [] and not Participant.objects.filter(code="BES").exists()


class QueryBudgetTests:
    def test_it_reconciles_72_and_197_participants_in_the_same_bounded_number_of_queries(
        self, db, django_assert_max_num_queries
    ):
        from django.test.utils import CaptureQueriesContext

        def cold_reconcile(mtdsg: str, data: bytes) -> int:
            treaty = Treaty.objects.create(mtdsg=mtdsg, chapter="XVIII", title=mtdsg, xml_path="x")
            with CaptureQueriesContext(connection) as queries:
                status_reconcile(treaty=treaty, status=parse_status(data))
            return len(queries)

        small = cold_reconcile("XVIII-16", hanoi_file(hanoi_rows()))
        large = cold_reconcile("XXVII-7-d", PARIS.read_bytes())
        # Inserts are batched: a larger file costs a few more batches, never a query per row. Paris
        # also has 18 statements (XVIII-16 none): their rows, history and events, three more batches.
        assert small <= 40
        assert large <= small + 18


@pytest.mark.django_db(transaction=True)
class ConcurrencyTests:
    def test_two_reconciles_at_once_record_each_action_once(self, treaty):
        Treaty.objects.filter(pk=treaty.pk).update(source_hash="baseline")
        status = parse_status(
            hanoi_file(with_instruments(hanoi_rows(), {"Ghana": "10 Feb 2026", "Qatar": "3 Feb 2026"}))
        )
        errors = []

        def run() -> None:
            try:
                status_reconcile(treaty=Treaty.objects.get(pk=treaty.pk), status=status)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert Action.objects.filter(kind="ratification").count() == 2
        assert Event.objects.filter(kind=EventKind.NEW_ACTION).count() == 2

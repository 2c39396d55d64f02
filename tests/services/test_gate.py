"""The gate in reconcile: what is held, what goes ahead, and what a poll that held something reports."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ratification.models import Action, PollOutcome, ReviewItem, ReviewKind, Treaty
from ratification.services.polling import poll_treaty
from ratification.services.reconcile import status_reconcile
from scrapers.untc import parse_status
from tests.support.http_server import ok
from tests.support.untc_files import URL_PATH, Row, hanoi_file, hanoi_rows, with_instruments

pytestmark = pytest.mark.django_db


def day(offset: int) -> str:
    """Today plus `offset` days, as UNTC prints a date."""
    date = timezone.localdate() + datetime.timedelta(days=offset)
    return f"{date.day} {date:%b %Y}"


def reconcile(treaty: Treaty, rows: list[Row]):
    return status_reconcile(treaty=Treaty.objects.get(pk=treaty.pk), status=parse_status(hanoi_file(rows)))


@pytest.fixture
def confirmed(treaty):
    reconcile(treaty, hanoi_rows())
    Treaty.objects.filter(pk=treaty.pk).update(source_hash="baseline")
    return Treaty.objects.get(pk=treaty.pk)


def held() -> list[ReviewItem]:
    return list(ReviewItem.objects.filter(kind=ReviewKind.HELD))


class DateTests:
    def test_a_day_ahead_is_time_zones_two_days_ahead_is_the_future(self, confirmed):
        result = reconcile(confirmed, with_instruments(hanoi_rows(), {"Ghana": day(1), "France": day(2)}))
        assert [a.participant.code for a in result.created] == ["GHA"]
        [item] = held()
        assert (item.participant.code, item.data["actions"][0]["kind"]) == ("FRA", "ratification")

    def test_a_signature_after_the_signature_period_is_held(self, confirmed):
        Treaty.objects.filter(pk=confirmed.pk).update(signature_deadline=datetime.date(2025, 10, 26))
        reconcile(confirmed, [*hanoi_rows(), Row("Mauritius", "1 Nov 2025")])
        [item] = held()
        assert "after the treaty closed for signature (2025-10-26)" in item.description
        assert not Action.objects.filter(participant__code="MUS").exists()

    def test_an_implausible_new_date_of_a_stored_action_is_held_and_the_stored_one_stands(self, confirmed):
        rows = [Row(r.name, day(30) if r.name == "Mali" else r.signature) for r in hanoi_rows()]
        result = reconcile(confirmed, rows)
        assert Action.objects.get(participant__code="MLI").date == datetime.date(2025, 10, 26)
        assert result.corrected == [] and result.events == []
        [item] = held()
        assert item.data["corrects"] == {"signature": Action.objects.get(participant__code="MLI").pk}
        assert not ReviewItem.objects.filter(kind=ReviewKind.DISAPPEARED).exists()


class NameTests:
    def test_a_row_with_invisible_characters_replacing_the_real_one_raises_no_disappearance(self, confirmed):
        rows = [Row("Ma\u200bli" if r.name == "Mali" else r.name, r.signature) for r in hanoi_rows()]
        result = reconcile(confirmed, rows)
        assert [item.kind for item in result.review_items] == [ReviewKind.HELD]
        assert result.review_items[0].participant.code == "MLI"

    def test_the_same_surprise_is_raised_once_however_many_polls_show_it(self, confirmed):
        rows = [*hanoi_rows(), Row("Testland", "", day(-3))]
        reconcile(confirmed, rows)
        assert reconcile(confirmed, rows).review_items == []
        assert len(held()) == 1
        # A different row of the same name is a new question.
        reconcile(confirmed, [*hanoi_rows(), Row("Testland", "", day(-2))])
        assert len(held()) == 2


class FigureTests:
    def test_a_small_disagreement_with_the_file_s_figures_is_read_and_raised_once(self, confirmed):
        data = hanoi_file(hanoi_rows()).replace(b"<Signatories>72<", b"<Signatories>73<")
        status = parse_status(data)
        result = status_reconcile(treaty=confirmed, status=status)
        [item] = result.review_items
        assert item.kind == ReviewKind.COUNT_MISMATCH
        assert "declares Signatories: 73, but its table lists 72" in item.description
        assert status_reconcile(treaty=confirmed, status=status).review_items == []


class PollOutcomeTests:
    def test_a_poll_that_only_raised_review_items_does_not_report_unchanged(self, confirmed, untc):
        untc.routes[URL_PATH] = [ok(hanoi_file([*hanoi_rows(), Row("Testland", "", day(-3))]))]
        report = poll_treaty(treaty=Treaty.objects.get(pk=confirmed.pk))
        assert report.run.outcome == PollOutcome.NEEDS_REVIEW
        assert report.run.summary["held"] == [held()[0].description]
        assert report.run.new_actions == 0

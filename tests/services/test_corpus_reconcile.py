"""Real files of every shape through reconcile: what the parser reads is what the database holds."""

from __future__ import annotations

import pytest

from ratification import selectors
from ratification.models import Action, Treaty
from ratification.services.reconcile import status_reconcile
from scrapers.untc import parse_status
from tests.scrapers.test_corpus import CORPUS

pytestmark = pytest.mark.django_db


def first_read(name: str):
    status = parse_status((CORPUS / f"{name}.en.xml").read_bytes())
    treaty = Treaty.objects.create(mtdsg=name, chapter=status.header.chapter, title=name, xml_path="x")
    return treaty, status, status_reconcile(treaty=treaty, status=status)


class FirstReadTests:
    @pytest.mark.parametrize("name", ["XIV-7", "XXI-6-a", "XXVI-2-a", "VI-11", "VI-18", "XII-1-d", "X-4"])
    def test_it_stores_every_row_and_counts_as_untc_holding_nothing_back(self, name: str) -> None:
        treaty, status, result = first_read(name)
        summary = selectors.treaty_summary(treaty=treaty)
        assert (summary.signatories, summary.parties) == (status.counted_signatories, status.counted_parties)
        assert result.review_items == []
        stored = Action.objects.filter(treaty=treaty).count()
        assert stored == sum(len(row.actions) for row in status.participants)

    def test_it_keeps_each_action_s_own_words_as_its_label(self) -> None:
        treaty, _status, _result = first_read("XIV-7")
        notification = Action.objects.filter(treaty=treaty, kind="notification").first()
        assert notification.label == "Notification under article 21 (1)"
        assert (
            Action.objects.get(treaty=treaty, kind="confirmation_of_signature", participant__code="AFG").marker == "C"
        )

"""Sentences about the record that no page, e-mail or webhook test pinned before they moved into
ratification/wording/: each said here on the surface that says it, in English and in French."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from alerts import content
from alerts.services.webhooks import _event_data
from ratification.models import Event, EventKind
from ratification.wording.events import count_phrase, count_sentence, event_details, event_effect, event_title

pytestmark = pytest.mark.django_db

MAY_6 = datetime.date(2020, 5, 6)


@pytest.fixture
def participant(treaty):
    return treaty.actions.select_related("participant").first().participant


def event(treaty, participant, kind=EventKind.NEW_ACTION, **data) -> Event:
    return Event(treaty=treaty, participant=participant, kind=kind, occurred_on=MAY_6, data=data)


class CountTests:
    def test_it_says_the_count_on_its_own_as_the_pages_do(self):
        assert count_sentence(12, 40) == "12 of 40 instruments counted"
        assert count_sentence(41, 40) == "41 instruments counted, 40 needed"
        with translation.override("fr"):
            assert count_sentence(1, 40) == "1 instrument comptabilisé sur 40"

    def test_it_says_the_count_inside_an_alert_and_nothing_without_a_rule(self):
        assert count_phrase(12, 40) == "12 of 40"
        assert count_phrase(45, 40) == "45 instruments"
        assert count_phrase(None, 40) == count_phrase(3, None) == ""


class PageWordingTests:
    def test_it_titles_a_rename(self, treaty, participant):
        renamed = event(treaty, participant, EventKind.RENAME, old_name="Swaziland", new_name="Eswatini")
        assert event_title(renamed) == "Renamed: Swaziland is now Eswatini"

    def test_it_says_a_deposit_that_does_not_count(self, treaty, participant):
        deposit = event(
            treaty, participant, action_kind="ratification", counted=12, threshold=40, counts_toward_threshold=False
        )
        assert event_details(deposit) == (
            "Ratification deposited on May 6, 2020; it does not count toward the threshold "
            "(12 of 40 instruments counted)."
        )

    def test_it_says_a_correction_of_the_kind(self, treaty, participant):
        corrected = event(treaty, participant, EventKind.CORRECTION, field="kind", old="ratification", new="accession")
        assert event_details(corrected) == "Kind of instrument: ratification → accession."

    def test_it_says_what_an_action_that_counts_nowhere_did(self, treaty, participant):
        provisional = event(treaty, participant, action_kind="provisional_application")
        assert event_effect(provisional) == [
            "It makes the participant neither a signatory nor a party, and counts toward nothing."
        ]


class AlertWordingTests:
    def test_it_says_an_action_of_no_known_kind(self, treaty, participant):
        unknown = event(treaty, participant)
        assert content.headline(treaty, [unknown]) == f"{participant.name} acted on the {treaty.display_title}"
        assert _event_data(unknown)["kind"] is None

    def test_it_sums_up_several_other_changes(self, treaty, participant):
        provisional = [event(treaty, participant, action_kind="provisional_application") for _ in range(2)]
        assert content.headline(treaty, provisional) == f"2 changes for the {treaty.display_title}"

    def test_it_names_a_withdrawal_and_its_kind(self, treaty, participant):
        withdrawal = event(treaty, participant, EventKind.WITHDRAWAL, action_kind="signature")
        with translation.override("fr"):
            french = content.event_line(withdrawal, treaty).text
        assert content.event_line(withdrawal, treaty).text == (
            f"{participant.name} withdrew its signature of the {treaty.display_title}."
        )
        assert french.startswith(participant.name) and "signature" in french

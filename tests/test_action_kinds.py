"""The kinds of action: the scraper's enum is the source of truth, the database follows it."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from ratification import models
from ratification.wording.events import DID_SENTENCES
from scrapers import model as untc_model


class ActionKindTests:
    def test_the_families_are_the_scraper_families(self) -> None:
        assert models.INSTRUMENT_KINDS == untc_model.CONSENT_KINDS
        assert models.SIGNATURE_KINDS == untc_model.SIGNATURE_KINDS
        assert models.NOTIFICATION_KINDS == untc_model.NOTIFICATION_KINDS
        assert models.action_family("definitive_signature") == untc_model.CONSENT_KINDS
        assert models.action_family("provisional_acceptance") == untc_model.PROVISIONAL_KINDS

    def test_every_kind_has_a_sentence_for_the_alerts(self) -> None:
        assert set(DID_SENTENCES) == set(models.ActionKind)


@pytest.mark.django_db
class OneActionPerKindTests:
    @pytest.fixture
    def mali(self, treaty):
        return models.Participant.objects.get(code="MLI")

    def add(self, treaty, participant, kind: str, label: str = "") -> models.Action:
        with transaction.atomic():
            return models.Action.objects.create(
                treaty=treaty, participant=participant, kind=kind, label=label, date=datetime.date(2026, 2, 10)
            )

    def test_a_participant_holds_one_action_of_each_counted_kind(self, treaty, mali) -> None:
        self.add(treaty, mali, "ratification", "Ratification")
        with pytest.raises(IntegrityError):
            self.add(treaty, mali, "ratification", "Ratification of the Convention as amended")

    def test_notifications_under_different_articles_are_two_actions(self, treaty, mali) -> None:
        self.add(treaty, mali, "notification", "Notification under article 12")
        self.add(treaty, mali, "notification", "Notification under article 15")
        with pytest.raises(IntegrityError):
            self.add(treaty, mali, "notification", "Notification under article 12")

"""A staff reason is kept whole in the history, however long the form lets it be.

django-simple-history's change reason is 100 characters by default; PostgreSQL enforces it,
so a longer reason (the admin accepts 1,000) failed the save there and SQLite hid it.
"""

from __future__ import annotations

import pytest

from ratification.models import Action, Participant, Stage, Treaty
from ratification.services.participant_edits import participant_save

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Treaty, Participant, Action, Stage])
def test_every_history_keeps_reasons_in_a_text_column(model):
    field = model.history.model._meta.get_field("history_change_reason")
    assert field.get_internal_type() == "TextField"


def test_a_thousand_character_reason_is_saved_and_kept(django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)  # pragma: allowlist secret
    participant = Participant.objects.create(code="ISL", name="Iceland")
    reason = "Depositary notification C.N.1.2026.TREATIES-XVIII.16, read in full: " + "x" * 930
    participant.name = "Iceland (Republic of)"
    participant_save(participant=participant, user=staff, reason=reason, changed=["name"])
    assert participant.history.latest().history_change_reason == reason

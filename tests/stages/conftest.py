"""The national steps' small world: the seeded treaty, a staff member, a few steps."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from ratification.models import Participant, Stage, StageKind, Treaty
from ratification.services.stages import stage_record
from tests.alerts.conftest import eager_celery, smtp_sink  # noqa: F401 (the alerts' fixtures, used here too)

D = datetime.date
SOURCE = "https://www.parlament.gv.at/gegenstand/XXVIII/I/123"


@pytest.fixture
def staff_user(db) -> User:
    return User.objects.create_superuser("ada", "ada@example.org", "correct horse battery staple")


def step(
    treaty: Treaty,
    code: str,
    on: datetime.date,
    kind: str = StageKind.APPROVED,
    *,
    label: str = "",
    source_url: str = SOURCE,
    announce: bool = False,
    user=None,
) -> Stage:
    """Record a step as staff would (through the service)."""
    return stage_record(
        treaty=treaty,
        participant=Participant.objects.get(code=code),
        kind=kind,
        label=label,
        date=on,
        source_url=source_url,
        note="",
        user=user,
        reason="reported by the parliament's record",
        announce=announce,
    )

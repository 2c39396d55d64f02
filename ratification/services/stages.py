"""Staff record, correct and remove the national steps of a State's procedure (`Stage`).

Steps are curated data, kept apart from the UN's record: writing one never touches an
`Action`, a count or a date, and never sets `Treaty.last_change_at` (the UN record's). A newly
recorded step is a `stage_reported` event, announced (if asked) only to the subscriptions that
chose to hear about reported steps, through the same outbox as deposits (`events_record`
saves the event; the alerts outbox takes it once committed). Every write moves the treaty's data
version, in its transaction, so the pages, exports and API that show steps are rebuilt.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification.models import Event, EventKind, Participant, Stage, StageKind, Treaty
from ratification.services.events import events_record
from ratification.services.writes import lock_treaty, reason_required

# A note says where a step stands in a sentence or a paragraph; a longer one was a pasted page,
# and every export and the API carried it (a 54 MB file made participants.json take 56 s).
NOTE_MAX_LENGTH = 2_000
# Never stored in what staff type: NUL and the other C0 and C1 controls (PostgreSQL refuses NUL
# outright), and the bidirectional controls that make text read other than it is. TAB, LF and
# CR are whitespace; zero-width joiners are left alone (some scripts need them).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _control_character(text: str) -> str:
    """'U+202E' for the first control character in `text`, or ''."""
    found = _CONTROLS.search(text or "")
    return f"U+{ord(found.group()):04X}" if found else ""


def stage_check(stage: Stage) -> None:
    """The rules every step obeys, as a ValidationError keyed by field."""
    errors: dict[str, str] = {}
    for name in ("label", "note", "source_url"):
        character = _control_character(getattr(stage, name))
        if character:
            errors[name] = _(
                "It holds an invisible control character (%(character)s): remove it, or retype the text."
            ) % {"character": character}
    if errors:
        raise ValidationError(errors)
    if len(stage.note or "") > NOTE_MAX_LENGTH:
        errors["note"] = _("A note has at most %(max)s characters (this one has %(length)s).") % {
            "max": NOTE_MAX_LENGTH,
            "length": len(stage.note),
        }
    stage.label = (stage.label or "").strip()
    if stage.kind != StageKind.OTHER:
        stage.label = ""  # the kind names it
    elif not stage.label:
        errors["label"] = _("A step of another kind needs its own label.")
    if stage.date and stage.date > timezone.localdate():
        errors["date"] = _("The date is in the future: record a step once it has happened.")
    elif stage.date and stage.treaty.conclusion_date and stage.date < stage.treaty.conclusion_date:
        errors["date"] = _("The treaty was concluded on %(date)s: no step toward it can come before.") % {
            "date": stage.treaty.conclusion_date.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    # The treaty and participant are chosen, not typed; the rest is checked as the form would.
    stage.full_clean(exclude=["treaty", "participant"], validate_unique=False, validate_constraints=False)


def stage_event(stage: Stage, *, announce: bool) -> Event:
    """What recording `stage` means for subscribers: a report, never a deposit."""
    return Event(
        treaty=stage.treaty,
        kind=EventKind.STAGE_REPORTED,
        participant=stage.participant,
        occurred_on=stage.date,
        public=announce,
        data={
            "stage_id": stage.pk,
            "stage_kind": stage.kind,
            "stage_label": stage.label,
            "source_url": stage.source_url,
            "source_host": stage.source_host,
            "date": stage.date.isoformat(),
            **({} if announce else {"baseline": True}),
        },
    )


def stages_save(*, treaty: Treaty, stages: Iterable[Stage], user, reason: str, announce: bool) -> list[Stage]:
    """Save new steps of one treaty in the caller's transaction, with their events and one alert."""
    saved = []
    for stage in stages:
        stage._history_user, stage._change_reason = user, reason
        stage.save()
        saved.append(stage)
    events_record(treaty=treaty, events=[stage_event(stage, announce=announce) for stage in saved], poll_run=None)
    return saved


@transaction.atomic
def stage_record(
    *,
    treaty: Treaty,
    participant: Participant,
    kind: str,
    date: datetime.date,
    source_url: str,
    user,
    reason: str,
    label: str = "",
    note: str = "",
    announce: bool = True,
) -> Stage:
    """Record one step staff found in a public source."""
    reason = reason_required(reason)
    treaty = lock_treaty(treaty)
    stage = Stage(
        treaty=treaty, participant=participant, kind=kind, label=label, date=date, source_url=source_url, note=note
    )
    stage_check(stage)
    if _already_recorded(stage):
        raise ValidationError(_("This step is already recorded for this participant on this date."))
    stages_save(treaty=treaty, stages=[stage], user=user, reason=reason, announce=announce)
    return stage


@transaction.atomic
def stage_correct(*, stage: Stage, user, reason: str, **values) -> Stage:
    """Correct a step (a date, a better source): history keeps the old values; nothing is announced."""
    reason = reason_required(reason)
    lock_treaty(stage.treaty)
    for name, value in values.items():
        setattr(stage, name, value)
    stage_check(stage)
    if _already_recorded(stage):
        raise ValidationError(_("This step is already recorded for this participant on this date."))
    stage._history_user, stage._change_reason = user, reason
    stage.save()
    return stage


@transaction.atomic
def stage_remove(*, stage: Stage, user, reason: str) -> None:
    """Remove a step reported in error; its history (and its event, if announced) stay."""
    reason = reason_required(reason)
    lock_treaty(stage.treaty)
    stage._history_user, stage._change_reason = user, reason
    stage.delete()


def _already_recorded(stage: Stage) -> bool:
    same = Stage.objects.filter(
        treaty=stage.treaty, participant=stage.participant, kind=stage.kind, label=stage.label, date=stage.date
    )
    return same.exclude(pk=stage.pk).exists()

"""Staff edit participants: a plain edit with its reason, or giving one its real code (a
provisional code is recoded, or merged into the participant that already holds the code: its
actions move, its name becomes an alias).

Merging is the dangerous one: the admin shows `participant_code_plan` on a confirmation page
before `participant_code_assign` runs, and both the moved actions and the removed participant
keep their history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification.models import (
    CODE_VALIDATOR,
    Action,
    Event,
    Participant,
    ParticipantAlias,
    ReviewItem,
    Stage,
    Treaty,
)
from ratification.services.participants import known_participants
from ratification.services.writes import lock_every_treaty, reason_required


@transaction.atomic
def participant_save(*, participant: Participant, user, reason: str, changed: list[str]) -> Participant:
    """Save staff's edit (values already set on `participant`) with its reason.

    Whether a participant is a regional organisation decides whether its instruments count:
    every treaty it takes part in then reads differently (a change recorded for each).
    """
    reason = reason_required(reason)
    lock_every_treaty()
    participant._history_user, participant._change_reason = user, reason
    participant.save()
    if "is_reio" in changed:
        Treaty.objects.filter(actions__participant=participant).update(last_change_at=timezone.now())
    return participant


@dataclass(frozen=True)
class CodePlan:
    """What giving `participant` the code `code` will do."""

    participant: Participant
    code: str
    target: Participant | None  # the participant that already holds the code: a merge
    known_name: str | None  # the shipped table's name for the code, or None if it does not know it
    moving: list[Action] = field(default_factory=list)
    conflicts: list[tuple[Action, Action]] = field(default_factory=list)  # (ours, theirs), same treaty and kind

    @property
    def is_merge(self) -> bool:
        return self.target is not None


def _known_names_by_code() -> dict[str, str]:
    return {known.code: known.name for known in known_participants().values()}


def participant_code_plan(*, participant: Participant, code: str) -> CodePlan:
    """Check the code and describe the change, writing nothing."""
    code = (code or "").strip().upper()
    try:
        CODE_VALIDATOR(code)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from None
    if code == participant.code:
        raise ValidationError({"code": _("%(name)s already has this code.") % {"name": participant.name}})
    target = Participant.objects.filter(code=code).first()
    moving = list(Action.objects.filter(participant=participant).select_related("treaty"))
    conflicts = []
    if target is not None:
        theirs = {(a.treaty_id, a.kind): a for a in Action.objects.filter(participant=target).select_related("treaty")}
        conflicts = [(a, theirs[(a.treaty_id, a.kind)]) for a in moving if (a.treaty_id, a.kind) in theirs]
    return CodePlan(
        participant=participant,
        code=code,
        target=target,
        known_name=_known_names_by_code().get(code),
        moving=moving,
        conflicts=conflicts,
    )


@transaction.atomic
def participant_code_assign(*, participant: Participant, code: str, user, reason: str) -> Participant:
    """Recode `participant`, or merge it into the participant holding `code`. Returns the survivor."""
    reason = reason_required(reason)
    lock_every_treaty()
    plan = participant_code_plan(participant=Participant.objects.get(pk=participant.pk), code=code)
    if plan.conflicts:
        ours, theirs = plan.conflicts[0]
        raise ValidationError(
            _(
                "Both have a %(kind)s under %(treaty)s (%(ours)s and %(theirs)s): correct or remove one of them "
                "before merging."
            )
            % {"kind": ours.get_kind_display(), "treaty": ours.treaty.mtdsg, "ours": ours.date, "theirs": theirs.date}
        )
    if not plan.is_merge:
        participant = plan.participant
        participant.code = plan.code
        participant._history_user, participant._change_reason = user, reason
        participant.save(update_fields=["code", "updated_at"])
        return participant
    return _merge(plan, user, reason)


def _merge(plan: CodePlan, user, reason: str) -> Participant:
    source, target = plan.participant, plan.target
    assert target is not None
    treaties = {action.treaty_id for action in plan.moving}
    for action in plan.moving:
        action.participant = target
        action._history_user = user
        action._change_reason = f"moved from {source.name} ({source.code}) to {target.code}: {reason}"
        action.save(update_fields=["participant", "updated_at"])
    Event.objects.filter(participant=source).update(participant=target)
    Stage.objects.filter(participant=source).update(participant=target)
    ReviewItem.objects.filter(participant=source).update(participant=target)
    ParticipantAlias.objects.filter(participant=source).update(participant=target)
    old_name = source.name
    source._history_user = user
    source._change_reason = f"merged into {target.name} ({target.code}): {reason}"
    source.delete()
    ParticipantAlias.objects.get_or_create(name=old_name, defaults={"participant": target})
    target._history_user = user
    target._change_reason = f"{old_name} ({source.code}) merged in: {reason}"
    target.save(update_fields=["updated_at"])
    Treaty.objects.filter(pk__in=treaties).update(last_change_at=timezone.now())
    return target

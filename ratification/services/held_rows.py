"""Staff settle a held row: accept it, map it to a participant, or reject it, each with a reason.

Accepting (or mapping) publishes the row exactly as the poll would have: source actions, their
`new_action` events counted the same way, the threshold milestone if it is reached, and the
alerts, all in one transaction with the decision. The admin shows first what will be announced
and to how many subscribers (held_row_preview). Rejecting publishes nothing; the same row is not
raised again (services/reviews.py, standing answers).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification.models import (
    NOTIFICATION_KINDS,
    Action,
    Event,
    EventKind,
    Origin,
    Participant,
    ParticipantAlias,
    ReviewItem,
    ReviewKind,
    ReviewResolution,
    Treaty,
)
from ratification.registry import registry
from ratification.services import events as event_builder
from ratification.services import staff
from ratification.services.held_statements import held_statement_plan, held_statements_save
from ratification.services.participants import participant_create_unknown, participants_resolve
from ratification.services.reviews import review_claim
from ratification.services.withdrawals import withdrawal_record
from ratification.services.writes import last_change_mark, lock_treaty, reason_required

HELD_DECISIONS = (ReviewResolution.ACCEPTED, ReviewResolution.MAPPED, ReviewResolution.REJECTED)


@dataclass(frozen=True)
class HeldPlan:
    """What accepting a held row records: actions (unsaved in a preview), re-dated ones, stored
    ones it withdraws (a bracketed instrument), and the events."""

    participant: Participant
    created: list[Action]
    corrected: list[tuple[Action, datetime.date]]
    events: list[Event]
    withdrawn: list[Action] = field(default_factory=list)
    #: A held statement's row (services/held_statements.py), unsaved in a preview.
    statements: tuple = ()


def _participant(item: ReviewItem, participant: Participant | None, *, create: bool) -> Participant:
    """Who the row is: the participant staff mapped it to, the one its name already names, a
    known State's, or (accepting a name nobody goes by) a new one under a provisional code."""
    if participant is not None:
        return participant
    if item.participant_id:
        return item.participant
    name = item.data["name"]
    found = participants_resolve(names=[name]).get(name) if create else None
    if found is not None:
        return found
    if create:
        return participant_create_unknown(name=name)
    identity = registry().by_code.get(item.data.get("identity", ""))
    return Participant(name=name, code=identity.code if identity else "")


def _action_in_the_way(treaty: Treaty, participant: Participant, kind: str, label: str) -> Action | None:
    if participant.pk is None:
        return None
    held = Action.objects.filter(treaty=treaty, participant=participant, kind=kind)
    return held.filter(label=label).first() if kind in NOTIFICATION_KINDS else held.first()


def _plan(item: ReviewItem, treaty: Treaty, participant: Participant) -> HeldPlan:
    """The actions of the row under `participant`, checked as a staff entry is; nothing saved."""
    data = item.data
    if "statement" in data:
        today = timezone.localdate()
        rows, events = held_statement_plan(item=item, treaty=treaty, participant=participant, today=today)
        return HeldPlan(participant, [], [], events, statements=tuple(rows))
    created, corrected, withdrawn = [], [], []
    for held in data["actions"]:
        kind, date = held["kind"], datetime.date.fromisoformat(held["date"])
        if (action_id := data.get("corrects", {}).get(kind)) is not None:
            action = Action.objects.select_related("participant", "treaty").get(pk=action_id)
            if action.locked:
                raise ValidationError(_("%(action)s is locked by staff: release the lock first.") % {"action": action})
            if held["withdrawn"] and not action.withdrawn:
                withdrawn.append(action)
            if action.date != date:
                staff.date_check(treaty=treaty, kind=kind, date=date)
                corrected.append((action, date))
            continue
        existing = _action_in_the_way(treaty, participant, kind, held["label"])
        if existing and (existing.date, existing.withdrawn) == (date, held["withdrawn"]):
            continue  # the stored action already says it (one of two rows of one identity)
        staff.date_check(treaty=treaty, kind=kind, date=date)
        if existing:
            raise ValidationError(
                _("%(participant)s already has a %(kind)s of %(date)s: reject this item, or correct that action.")
                % {"participant": participant.name, "kind": existing.get_kind_display(), "date": existing.date}
            )
        created.append(
            Action(
                treaty=treaty,
                participant=participant,
                kind=kind,
                date=date,
                marker=held["marker"],
                label=held["label"],
                footnotes=data.get("footnotes", []),
                withdrawn=held["withdrawn"],
                origin=Origin.SOURCE,
                provenance="untc",
            )
        )
    announce = not data.get("baseline")
    events = staff.entry_events(treaty, created, announce=announce) if created else []
    events += [
        Event(treaty=treaty, kind=EventKind.WITHDRAWAL, participant=a.participant, action=a, occurred_on=a.date,
              public=announce, data={"action_kind": a.kind})
        for a in withdrawn
    ]  # fmt: skip
    return HeldPlan(participant, created, corrected, events, withdrawn)


def held_row_preview(*, item: ReviewItem, participant: Participant | None = None) -> HeldPlan:
    """What accepting (or mapping to `participant`) would record and announce; saves nothing."""
    _check_open(item)
    return _plan(item, item.treaty, _participant(item, participant, create=False))


def _check_open(item: ReviewItem) -> None:
    if item.kind != ReviewKind.HELD:
        raise ValidationError(_("That decision does not apply to this item."))


def _alias(participant: Participant, name: str, user) -> None:
    """Mapping a name makes it an alias, so later polls file the row under that participant."""
    if name == participant.name or participant.aliases.filter(name=name).exists():
        return
    taken = ParticipantAlias.objects.select_related("participant").filter(name=name).first()
    if taken is not None:
        raise ValidationError(
            _("%(name)s is already another name of %(other)s.") % {"name": name, "other": taken.participant.name}
        )
    ParticipantAlias.objects.create(participant=participant, name=name)


def _redate(action: Action, date: datetime.date, user, reason: str) -> Event:
    """A held correction of a stored date, applied as the poll applies one: not announced."""
    old = action.date
    action.date = date
    action._history_user, action._change_reason = user, reason
    action.save(update_fields=["date", "updated_at"])
    event_builder.action_events_redate(action=action, old=old, corrected_by=Origin.SOURCE)
    return Event(
        treaty=action.treaty,
        kind=EventKind.CORRECTION,
        participant=action.participant,
        action=action,
        occurred_on=date,
        public=False,
        data={"field": "date", "old": old.isoformat(), "new": date.isoformat(), "origin": Origin.SOURCE},
    )


@transaction.atomic
def held_row_settle(
    *, item: ReviewItem, decision: str, user, note: str, participant: Participant | None = None
) -> ReviewItem:
    """Carry out staff's decision on a held row, once (a second decision is refused)."""
    _check_open(item)
    if decision not in HELD_DECISIONS:
        raise ValidationError(_("That decision does not apply to this item."))
    note = reason_required(note, field="note")
    if decision == ReviewResolution.MAPPED and participant is None:
        raise ValidationError({"participant": _("Choose the participant this row is.")})
    treaty = lock_treaty(item.treaty)
    item = review_claim(item, decision, user, note)
    if decision == ReviewResolution.REJECTED:
        return item
    reason = f"review #{item.pk}: {item.get_resolution_display()}. {note}"
    who = _participant(item, participant if decision == ReviewResolution.MAPPED else None, create=True)
    if decision == ReviewResolution.MAPPED:
        _alias(who, item.data["name"], user)
    plan = _plan(item, treaty, who)
    for action in plan.created:
        action._history_user, action._change_reason = user, reason
        action.save()
    # Counted once saved, so each event carries the count right after its own action.
    events = staff.entry_events(treaty, plan.created, announce=not item.data.get("baseline")) if plan.created else []
    if plan.statements:
        held_statements_save(statements=list(plan.statements), user=user, reason=reason)
        events += plan.events
    events += [_redate(action, date, user, reason) for action, date in plan.corrected]
    announce = not item.data.get("baseline")
    events += [
        withdrawal_record(action=action, user=user, reason=reason, poll_run=item.poll_run, announce=announce)
        for action in plan.withdrawn
    ]
    for event in events:
        event.poll_run = item.poll_run
    event_builder.events_record(treaty=treaty, events=events, poll_run=item.poll_run)
    last_change_mark(treaty=treaty)
    return item

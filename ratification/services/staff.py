"""Staff change the record by hand: corrections that lock a value, and instruments entered early.

Every function here takes the staff user and a reason, and leaves a trace: simple-history
records who, when, what and why; a changed date, kind or withdrawal is a `correction` event
(not announced); an instrument entered by staff goes through the same checks, events and
alerts as one the poll found, so subscribers cannot tell the two apart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification import selectors
from ratification.models import (
    SIGNATURE_KINDS,
    Action,
    ActionKind,
    Event,
    EventKind,
    Origin,
    Participant,
    Treaty,
    action_family,
)
from ratification.services import events as event_builder
from ratification.services.writes import last_change_mark, lock_treaty, reason_required
from scrapers.model import iso


@dataclass(frozen=True)
class StaffEntry:
    """What recording a staff entry did (or, unsaved, would do)."""

    action: Action
    events: list[Event]


def date_check(*, treaty: Treaty, kind: str, date: datetime.date) -> None:
    """The date rules every staff value obeys, whatever the source may have printed."""
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date is in the future: record an action once it has happened.")})
    if treaty.adoption_date and date < treaty.adoption_date:
        raise ValidationError(
            {
                "date": _("The treaty was concluded on %(date)s: nothing can be deposited before that.")
                % {"date": treaty.adoption_date.isoformat()}
            }
        )
    if kind in SIGNATURE_KINDS and treaty.signature_deadline and date > treaty.signature_deadline:
        raise ValidationError(
            {
                "date": _("The treaty was open for signature until %(date)s.")
                % {"date": treaty.signature_deadline.isoformat()}
            }
        )


def kind_check(*, treaty: Treaty, participant: Participant, kind: str, exclude: Action | None = None) -> None:
    """The kind must be one the treaty provides for, and not duplicate what the participant holds."""
    if kind not in (treaty.action_kinds or []):
        allowed = ", ".join(str(ActionKind(k).label) for k in treaty.action_kinds or [] if k in ActionKind.values)
        raise ValidationError(
            {
                "kind": _("%(treaty)s does not provide for this kind of action (it provides for: %(allowed)s).")
                % {"treaty": treaty.mtdsg, "allowed": allowed or "-"}
            }
        )
    held = Action.objects.filter(treaty=treaty, participant=participant, kind__in=action_family(kind)).exclude(
        pk=exclude.pk if exclude else None
    )
    for action in held:
        if action.kind == kind or not action.withdrawn:
            raise ValidationError(
                {
                    "kind": _("%(participant)s already has a %(kind)s of %(date)s; correct that one instead.")
                    % {"participant": participant.name, "kind": action.get_kind_display(), "date": action.date}
                }
            )


def _entry_events(treaty: Treaty, action: Action) -> list[Event]:
    """The events the poll would record for this action: counted the same way, announced."""
    return entry_events(treaty, [action])


def entry_events(treaty: Treaty, actions: list[Action], *, announce: bool = True) -> list[Event]:
    """The events the poll would record for these new actions (a staff entry, or a held row
    staff accepted): counted the same way, announced unless `announce` is false."""
    saved = {action.pk for action in actions if action.pk is not None}
    everything = [*(a for a in selectors.treaty_actions(treaty=treaty) if a.pk not in saved), *actions]
    return event_builder.action_events(treaty, actions, everything, poll_run=None, announce=announce)


def instrument_preview(
    *, treaty: Treaty, participant: Participant, kind: str, date: datetime.date, marker: str = ""
) -> StaffEntry:
    """Check a staff entry and show what recording it would announce, without saving anything."""
    date_check(treaty=treaty, kind=kind, date=date)
    kind_check(treaty=treaty, participant=participant, kind=kind)
    action = Action(treaty=treaty, participant=participant, kind=kind, date=date, marker=marker, origin=Origin.STAFF)
    return StaffEntry(action=action, events=_entry_events(treaty, action))


@transaction.atomic
def instrument_record(
    *,
    treaty: Treaty,
    participant: Participant,
    kind: str,
    date: datetime.date,
    user,
    reason: str,
    marker: str = "",
    lock: bool = False,
) -> StaffEntry:
    """Record an action the source does not show yet, as the poll would: events and alerts.

    Unlocked by default: once UNTC lists it, the source's value wins (a different date then
    comes back to staff as a correction to review). `lock` keeps the staff value instead.
    """
    reason = reason_required(reason)
    treaty = lock_treaty(treaty)
    # Checked again under the lock: a poll may have recorded it since the preview.
    date_check(treaty=treaty, kind=kind, date=date)
    kind_check(treaty=treaty, participant=participant, kind=kind)
    action = Action(
        treaty=treaty,
        participant=participant,
        kind=kind,
        date=date,
        marker=marker,
        origin=Origin.STAFF,
        provenance=f"staff: {user}"[:200],
        locked=lock,
        lock_reason=reason if lock else "",
    )
    action._history_user, action._change_reason = user, reason
    action.save()
    events = _entry_events(treaty, action)
    for event in events:
        event.data = {**event.data, "origin": Origin.STAFF, "reason": reason}
    event_builder.events_record(treaty=treaty, events=events, poll_run=None)
    last_change_mark(treaty=treaty)
    return StaffEntry(action=action, events=events)


def _correction(action: Action, field: str, old, new, reason: str) -> Event:
    # The reason is published with the correction on the history and event pages.
    return Event(
        treaty=action.treaty,
        kind=EventKind.CORRECTION,
        participant=action.participant,
        action=action,
        occurred_on=action.date,
        public=False,
        data={"field": field, "old": old, "new": new, "origin": Origin.STAFF, "reason": reason},
    )


@transaction.atomic
def action_correct(*, action: Action, user, reason: str, lock: bool = True, **values) -> Action:
    """Staff set an action's values (date, kind, withdrawn, marker, footnotes, provenance).

    The action becomes a staff value, locked against the scraper (a later disagreement is a
    review item, never an overwrite); a changed date, kind or withdrawal is a correction event.
    """
    reason = reason_required(reason)
    allowed = {"date", "kind", "withdrawn", "marker", "footnotes", "provenance"}
    if unknown := set(values) - allowed:
        raise TypeError(f"action_correct cannot set {sorted(unknown)}")
    treaty = lock_treaty(action.treaty)
    action = Action.objects.select_related("participant", "treaty").get(pk=action.pk)
    changed = {name: value for name, value in values.items() if getattr(action, name) != value}
    if "date" in changed or "kind" in changed:
        date_check(treaty=treaty, kind=values.get("kind", action.kind), date=values.get("date", action.date))
    if "kind" in changed:
        kind_check(treaty=treaty, participant=action.participant, kind=changed["kind"], exclude=action)
    events = [
        _correction(action, name, iso(getattr(action, name)), iso(changed[name]), reason)
        for name in ("date", "kind", "withdrawn")
        if name in changed
    ]
    old_date = action.date
    for name, value in changed.items():
        setattr(action, name, value)
    for event in events:
        event.occurred_on = action.date
    if changed and "provenance" not in changed:
        # Where the staff value comes from is the reason given for it, not the source's "untc"
        # it replaces (the participant page read "staff (untc)").
        action.provenance = reason[:200]
    action.origin, action.locked, action.lock_reason = Origin.STAFF, lock, reason if lock else ""
    action._history_user, action._change_reason = user, reason
    action.save()
    if "date" in changed:
        event_builder.action_events_redate(action=action, old=old_date, corrected_by=Origin.STAFF)
    event_builder.events_record(treaty=treaty, events=events, poll_run=None)
    if changed:
        last_change_mark(treaty=treaty)
    return action


@transaction.atomic
def action_unlock(*, action: Action, user, reason: str) -> Action:
    """Release a staff lock: from the next poll on, the source's value is taken again."""
    reason = reason_required(reason)
    action = Action.objects.get(pk=action.pk)
    action.locked, action.lock_reason = False, ""
    action._history_user, action._change_reason = user, reason
    action.save(update_fields=["locked", "lock_reason", "updated_at"])
    return action


REMOVABLE_ORIGINS = (Origin.SEED, Origin.STAFF)


def action_removal_problem(action: Action) -> str | None:
    """Why this action must not be removed, or None if staff may remove it."""
    if action.origin not in REMOVABLE_ORIGINS:
        return _(
            "It comes from the UNTC file: removing it would not last (the next poll records it again). "
            "If the source is wrong, correct the value instead: that locks it against the scraper."
        )
    announced = action.events.filter(public=True).order_by("created_at").first()
    if announced:
        return _(
            "It was announced to subscribers on %(date)s. Removing it would leave that announcement without "
            "its subject; correct the value instead, and say why."
        ) % {"date": f"{announced.created_at:%Y-%m-%d}"}
    return None


@transaction.atomic
def action_remove(*, action: Action, user, reason: str) -> None:
    """Delete a wrong seeded or staff row that was never announced; the history keeps it.

    Its unannounced events (baseline, corrections) go with it; review items about it stay,
    detached. A source row, or one already announced, is refused (see action_removal_problem).
    """
    reason = reason_required(reason)
    treaty = lock_treaty(action.treaty)
    action = Action.objects.get(pk=action.pk)
    problem = action_removal_problem(action)
    if problem:
        raise ValidationError(problem)
    action.events.filter(public=False).delete()
    action._history_user, action._change_reason = user, reason
    action.delete()
    last_change_mark(treaty=treaty)

"""A withdrawal lowers a count, so it is published only once staff confirm it.

The gate holds a stored action the file now brackets (services/gate.py), and a stored action
gone from the file is raised as "disappeared" (services/reviews.py): until staff confirm, the
action and the count stay as they were. The confirmation records the withdrawal here, once (the
review item is claimed first), and announces it as the poll would have.
"""

from __future__ import annotations

from ratification.models import Action, Event, EventKind, PollRun, ReviewItem
from ratification.services import events as event_builder
from ratification.services.writes import last_change_mark, lock_treaty


def withdrawal_record(*, action: Action, user, reason: str, poll_run: PollRun | None, announce: bool) -> Event:
    """Mark `action` withdrawn (with who and why in its history) and return its unsaved
    `withdrawal` event, for the caller to record with the rest of the decision."""
    action.withdrawn = True
    action._history_user, action._change_reason = user, reason
    action.save(update_fields=["withdrawn", "updated_at"])
    return Event(
        treaty=action.treaty,
        kind=EventKind.WITHDRAWAL,
        participant=action.participant,
        action=action,
        poll_run=poll_run,
        occurred_on=action.date,
        public=announce,
        data={"action_kind": action.kind, **({} if announce else {"baseline": True})},
    )


def gone_withdrawal_confirm(*, item: ReviewItem, user, note: str) -> None:
    """Staff confirm that an action gone from the file (a `disappeared` item they have just
    claimed) is a withdrawal: recorded, the count lowered, and announced once."""
    action = item.action
    treaty = lock_treaty(action.treaty)
    if action.withdrawn:
        return
    reason = f"review #{item.pk}: confirmed gone from the source. {note}".strip()
    event = withdrawal_record(action=action, user=user, reason=reason, poll_run=item.poll_run, announce=True)
    event_builder.events_record(treaty=treaty, events=[event], poll_run=item.poll_run)
    last_change_mark(treaty=treaty)

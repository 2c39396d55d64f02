"""The review queue: things the scraper must not settle on its own, raised once each."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification.models import (
    Action,
    Event,
    EventKind,
    Origin,
    Participant,
    PollRun,
    ReviewItem,
    ReviewKind,
    ReviewResolution,
    Treaty,
)
from ratification.services import events as event_builder
from ratification.services import staff
from ratification.services.gate import HeldRow, digest
from ratification.services.withdrawals import gone_withdrawal_confirm
from ratification.services.writes import last_change_mark, lock_treaty, reason_required
from scrapers.model import iso

# A settled decision that still answers the question a later poll would raise again: a kept
# lock answers the same disagreement (same source values), an acknowledged or confirmed disappearance the
# same missing row, any decision on a held row the same row (same name, kinds and dates), an
# acknowledged disagreement of the figures the same figures. Without this, staff would settle
# the same item after every poll.
_STANDING_ANSWERS = {
    ReviewKind.LOCK_CONFLICT: ((ReviewResolution.KEEP_LOCK,), ("source_date", "source_withdrawn")),
    ReviewKind.DISAPPEARED: ((ReviewResolution.ACKNOWLEDGED, ReviewResolution.CONFIRMED), ("date", "kind")),
    ReviewKind.HELD: (
        (ReviewResolution.ACCEPTED, ReviewResolution.MAPPED, ReviewResolution.REJECTED),
        ("fingerprint",),
    ),
    ReviewKind.COUNT_MISMATCH: ((ReviewResolution.ACKNOWLEDGED,), ("fingerprint",)),
    ReviewKind.EIF_DISAGREEMENT: ((ReviewResolution.ACKNOWLEDGED,), ("fingerprint",)),
    ReviewKind.TREATY_FACTS: ((ReviewResolution.ACKNOWLEDGED,), ("fingerprint",)),
}
# Kinds told apart by a fingerprint of their data even while open (no action to key them on).
_KEYED_BY_FINGERPRINT = (
    ReviewKind.HELD,
    ReviewKind.COUNT_MISMATCH,
    ReviewKind.EIF_DISAGREEMENT,
    ReviewKind.TREATY_FACTS,
)


def _fingerprint(kind: str, data: dict) -> tuple | None:
    standing = _STANDING_ANSWERS.get(kind)
    return tuple(data.get(name) for name in standing[1]) if standing else None


def _open_key(kind: str, action_id, participant_id, data: dict) -> tuple:
    return (kind, action_id, participant_id, data.get("fingerprint") if kind in _KEYED_BY_FINGERPRINT else None)


class ReviewQueue:
    """Collects review items during one reconcile and saves them in one query.

    An item already open for the same thing (same kind, action and participant) is not
    raised again: a row missing from ten polls in a row is one item, not ten. Nor is one staff
    already answered for good (a kept lock against the same source values, an acknowledged
    disappearance of the same row).
    """

    def __init__(self, *, treaty: Treaty, poll_run: PollRun | None) -> None:
        self.treaty = treaty
        self.poll_run = poll_run
        self.raised: list[ReviewItem] = []
        standing = Q()
        for kind, (resolutions, _fields) in _STANDING_ANSWERS.items():
            standing |= Q(kind=kind, resolution__in=resolutions)
        rows = ReviewItem.objects.filter(Q(resolved_at__isnull=True) | standing, treaty=treaty).values_list(
            "kind", "action_id", "participant_id", "resolved_at", "data"
        )
        self._open: set[tuple] = set()
        self._answered: set[tuple] = set()
        for kind, action_id, participant_id, resolved_at, data in rows:
            if resolved_at is None:
                self._open.add(_open_key(kind, action_id, participant_id, data or {}))
            else:
                self._answered.add((kind, action_id, participant_id, _fingerprint(kind, data or {})))

    def _raise(
        self,
        kind: str,
        description: str,
        *,
        action: Action | None = None,
        participant: Participant | None = None,
        data: dict | None = None,
    ) -> None:
        participant = participant or (action.participant if action else None)
        ids = (action.pk if action else None, participant.pk if participant else None)
        key = _open_key(kind, *ids, data or {})
        if key in self._open or (kind, *ids, _fingerprint(kind, data or {})) in self._answered:
            return
        self._open.add(key)
        self.raised.append(
            ReviewItem(
                treaty=self.treaty,
                kind=kind,
                action=action,
                participant=participant,
                poll_run=self.poll_run,
                description=description,
                data=data or {},
            )
        )

    def raise_disappeared(self, action: Action) -> None:
        self._raise(
            ReviewKind.DISAPPEARED,
            f"{action.participant.name}: the {action.get_kind_display()} of {action.date:%d %b %Y} is no longer in "
            "the UNTC file. Nothing was deleted; check the file and the depositary notifications.",
            action=action,
            data={"date": action.date.isoformat(), "kind": action.kind},
        )

    def raise_lock_conflict(self, action: Action, *, source_date, source_withdrawn: bool) -> None:
        self._raise(
            ReviewKind.LOCK_CONFLICT,
            f"{action.participant.name}: the UNTC file says {action.get_kind_display()} on {source_date:%d %b %Y}"
            f"{' (withdrawn)' if source_withdrawn else ''}; staff locked {action.date:%d %b %Y}"
            f"{' (withdrawn)' if action.withdrawn else ''}.",
            action=action,
            data={
                "source_date": source_date.isoformat(),
                "source_withdrawn": source_withdrawn,
                "staff_date": action.date.isoformat(),
                "staff_withdrawn": action.withdrawn,
            },
        )

    def raise_correction(self, action: Action, *, old_date) -> None:
        self._raise(
            ReviewKind.CORRECTION,
            f"{action.participant.name}: UNTC changed the date of the {action.get_kind_display()} from "
            f"{old_date:%d %b %Y} to {action.date:%d %b %Y}. Recorded as a correction, not announced.",
            action=action,
            data={"old": old_date.isoformat(), "new": action.date.isoformat()},
        )

    def raise_unknown_participant(self, participant: Participant) -> None:
        self._raise(
            ReviewKind.UNKNOWN_PARTICIPANT,
            f"UNTC lists {participant.name!r}, a name the tracker does not know. It was stored under the "
            f"provisional code {participant.code}; give it its ISO 3166 code, or make the name an alias.",
            participant=participant,
        )

    def raise_held(self, held: HeldRow, *, baseline: bool = False) -> None:
        """A surprising row, kept from publication until staff decide (services/held_rows.py)."""
        self._raise(
            ReviewKind.HELD, held.description(), participant=held.participant, data=held.as_data(baseline=baseline)
        )

    def raise_count_mismatch(self, discrepancies: tuple[str, ...]) -> None:
        """A complete file whose rows disagree with its own figures by a little: read, and told."""
        self._raise(
            ReviewKind.COUNT_MISMATCH,
            f"The UNTC file was read, but {'; '.join(discrepancies)}. Compare the file with the depositary "
            "notifications; the tracker counts the rows.",
            data={"fingerprint": digest(list(discrepancies)), "discrepancies": list(discrepancies)},
        )

    def raise_eif_disagreement(self, *, declared: datetime.date, computed: datetime.date | None) -> None:
        """UNTC declares one date of entry into force, the treaty's known rule gives another (or none):
        UNTC's is shown, and staff check the rule (services/rule_checks.py)."""
        gives = f"gives {computed:%d %B %Y}" if computed else "gives no date yet on the recorded instruments"
        self._raise(
            ReviewKind.EIF_DISAGREEMENT,
            f"UNTC declares entry into force on {declared:%d %B %Y}; the treaty's rule as recorded {gives}. The "
            "pages show UNTC's date; check the rule (or the instruments) against the treaty's final clauses.",
            data={
                "fingerprint": f"{iso(declared)}/{iso(computed)}",
                "declared": iso(declared),
                "computed": iso(computed),
            },
        )

    def raise_treaty_facts(self, claims: list[str]) -> None:
        """A file claiming other facts than those fixed when the treaty was first tracked."""
        self._raise(
            ReviewKind.TREATY_FACTS,
            f"The UNTC file contradicts what the tracker stored for {self.treaty.mtdsg}: {'; '.join(claims)}.",
            data={"fingerprint": digest(claims), "claims": claims},
        )

    def save(self) -> list[ReviewItem]:
        ReviewItem.objects.bulk_create(self.raised)
        return self.raised


# ---- settling: staff decide, and the decision is recorded ------------------------------

_DECISIONS = {
    ReviewKind.LOCK_CONFLICT: (ReviewResolution.TAKE_SOURCE, ReviewResolution.KEEP_LOCK),
    # The source's new date is already applied: keep it, or put the previous one back, locked.
    ReviewKind.CORRECTION: (ReviewResolution.TAKE_SOURCE, ReviewResolution.KEEP_LOCK),
    # Gone from the file: keep it as it is, or confirm the withdrawal (which lowers the count).
    ReviewKind.DISAPPEARED: (ReviewResolution.ACKNOWLEDGED, ReviewResolution.CONFIRMED),
}


def review_decisions(item: ReviewItem) -> tuple[str, ...]:
    """The decisions that make sense for this item (an item whose action is gone: acknowledge)."""
    if item.kind == ReviewKind.HELD:
        return (ReviewResolution.ACCEPTED, ReviewResolution.MAPPED, ReviewResolution.REJECTED)
    if item.action_id is None:
        return (ReviewResolution.ACKNOWLEDGED,)
    return _DECISIONS.get(item.kind, (ReviewResolution.ACKNOWLEDGED,))


def review_claim(item: ReviewItem, resolution: str, user, note: str) -> ReviewItem:
    """Settle once: of two staff deciding at the same moment, the second is told, not obeyed."""
    now = timezone.now()
    claimed = ReviewItem.objects.filter(pk=item.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=user, resolution=resolution, note=note
    )
    if not claimed:
        settled = ReviewItem.objects.select_related("resolved_by").get(pk=item.pk)
        raise ValidationError(
            _("This item was already settled (%(decision)s) by %(user)s at %(when)s.")
            % {
                "decision": settled.get_resolution_display(),
                "user": settled.resolved_by or _("the tracker"),
                "when": f"{settled.resolved_at:%Y-%m-%d %H:%M}",
            }
        )
    return ReviewItem.objects.select_related("action__participant", "action__treaty").get(pk=item.pk)


def _take_source(item: ReviewItem, user, note: str) -> None:
    """Unlock and set the values the source showed when the conflict was raised."""
    action = item.action
    source_date = datetime.date.fromisoformat(item.data["source_date"])
    source_withdrawn = bool(item.data.get("source_withdrawn"))
    treaty = lock_treaty(action.treaty)
    changes = {
        name: (old, new)
        for name, old, new in (("date", action.date, source_date), ("withdrawn", action.withdrawn, source_withdrawn))
        if old != new
    }
    action.date, action.withdrawn = source_date, source_withdrawn
    action.origin, action.provenance, action.locked, action.lock_reason = Origin.SOURCE, "untc", False, ""
    action._history_user = user
    action._change_reason = f"review #{item.pk}: took the source's value. {note}".strip()
    action.save()
    if "date" in changes:
        event_builder.action_events_redate(action=action, old=changes["date"][0], corrected_by=Origin.SOURCE)
    events = [
        Event(
            treaty=treaty,
            kind=EventKind.CORRECTION,
            participant=action.participant,
            action=action,
            occurred_on=action.date,
            public=False,
            data={"field": name, "old": iso(old), "new": iso(new), "origin": Origin.SOURCE},
        )
        for name, (old, new) in changes.items()
    ]
    event_builder.events_record(treaty=treaty, events=events, poll_run=None)
    if changes:
        last_change_mark(treaty=treaty)


def _restore_previous_date(item: ReviewItem, user, note: str) -> None:
    action = item.action
    if action.date.isoformat() != item.data.get("new"):
        raise ValidationError(
            _("The date has changed again since (it is now %(date)s): look at the action's history first.")
            % {"date": action.date.isoformat()}
        )
    staff.action_correct(
        action=action,
        user=user,
        reason=f"review #{item.pk}: kept the previous date against the source. {note}".strip(),
        date=datetime.date.fromisoformat(item.data["old"]),
    )


@transaction.atomic
def review_settle(
    *, item: ReviewItem, resolution: str, user, note: str = "", participant: Participant | None = None
) -> ReviewItem:
    """Record staff's decision on a review item and carry it out.

    - lock conflict: take the source (unlock, set its values, a correction event) or keep the lock;
    - correction: keep the source's new date, or put the previous one back and lock it;
    - a held row: accept, map or reject it (services/held_rows.py);
    - anything else: acknowledge (nothing is deleted from here; see staff.action_remove).
    A decision that changes a record needs a note: it becomes the reason in the history.
    """
    if item.kind == ReviewKind.HELD:
        from ratification.services.held_rows import held_row_settle  # it builds on this module

        return held_row_settle(item=item, decision=resolution, user=user, note=note, participant=participant)
    if resolution not in review_decisions(item):
        raise ValidationError(_("That decision does not apply to this item."))
    changes_record = resolution == ReviewResolution.KEEP_LOCK and item.kind == ReviewKind.CORRECTION
    changes_record |= resolution == ReviewResolution.TAKE_SOURCE and item.kind == ReviewKind.LOCK_CONFLICT
    changes_record |= resolution == ReviewResolution.CONFIRMED
    note = reason_required(note, field="note") if changes_record else (note or "").strip()
    item = review_claim(item, resolution, user, note)
    if item.kind == ReviewKind.LOCK_CONFLICT and resolution == ReviewResolution.TAKE_SOURCE:
        _take_source(item, user, note)
    elif item.kind == ReviewKind.CORRECTION and resolution == ReviewResolution.KEEP_LOCK:
        _restore_previous_date(item, user, note)
    elif resolution == ReviewResolution.CONFIRMED:
        gone_withdrawal_confirm(item=item, user=user, note=note)
    return item

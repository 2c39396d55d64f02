"""The review queue: things the scraper must not settle on its own, raised once each."""

from __future__ import annotations

from ratification.models import Action, Participant, PollRun, ReviewItem, ReviewKind, Treaty


class ReviewQueue:
    """Collects review items during one reconcile and saves them in one query.

    An item already open for the same thing (same kind, action and participant) is not
    raised again: a row missing from ten polls in a row is one item, not ten.
    """

    def __init__(self, *, treaty: Treaty, poll_run: PollRun | None) -> None:
        self.treaty = treaty
        self.poll_run = poll_run
        self.raised: list[ReviewItem] = []
        self._open = set(
            ReviewItem.objects.filter(treaty=treaty, resolved_at__isnull=True).values_list(
                "kind", "action_id", "participant_id"
            )
        )

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
        key = (kind, action.pk if action else None, participant.pk if participant else None)
        if key in self._open:
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

    def save(self) -> list[ReviewItem]:
        ReviewItem.objects.bulk_create(self.raised)
        return self.raised

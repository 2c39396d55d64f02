"""What the services that change the record share: the data version, the treaty lock, the reason.

- `data_version_bump` is how a write tells every cache that what the public sees has changed.
  **Every service that changes public data calls it, in the transaction of its write** (see
  ratification/cache.py for what it keys). Nothing else invalidates a cached page, feed, export
  or API answer: a write path that forgets it leaves readers the old answers until the next
  bump. Public data is everything the pages, feeds, exports and the API show: treaties and
  their rules, actions, participants and their names, public events, and poll runs (pages show
  when the source was last checked). Review items, subscriptions and deliveries are not.
- `lock_treaty` serialises the writers of one treaty's data (a poll's reconcile, a staff
  correction or entry, a review decision): it takes the row lock first, so the second writer
  waits and then reads the first one's rows.
- `reason_required` is the check every staff change passes: no reason, no change (the reason
  becomes the change reason in the record's history).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ratification.models import Treaty


def data_version_bump(*, treaty: Treaty | None = None, **fields: Any) -> None:
    """Record that `treaty`'s public data changed (None: every treaty's, for a change no one treaty
    owns, such as a participant's name). Call it inside the transaction of the write, never
    before the write commits: a reader must not cache old data under the new version.

    `fields` are other columns of the treaty row to set in the same UPDATE (a poll that found
    nothing stays at three queries this way)."""
    treaties = Treaty.objects.all() if treaty is None else Treaty.objects.filter(pk=treaty.pk)
    # updated_at moves with the version: it is the Last-Modified of every cached response.
    treaties.update(data_version=F("data_version") + 1, updated_at=timezone.now(), **fields)


def lock_treaty(treaty: Treaty) -> Treaty:
    """Take the treaty's row lock for the rest of the transaction and return the row as it is now.

    An UPDATE takes PostgreSQL's row lock before anything is read (SQLite's IMMEDIATE
    transactions hold the database's write lock from their start already).
    """
    Treaty.objects.filter(pk=treaty.pk).update(updated_at=timezone.now())
    return Treaty.objects.get(pk=treaty.pk)


# One rule, said on the form field staff type the reason in: a review's decision takes it from its note.
MISSING_REASON = {
    "reason": gettext_lazy("Say why: the reason is kept in the history of the record."),
    "note": gettext_lazy("Say why: the note is kept as the reason in the record's history."),
}


def reason_required(reason: str, *, field: str = "reason") -> str:
    """The reason staff gave, trimmed; a ValidationError on `field` ("reason" or "note") if there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: str(MISSING_REASON[field])})
    return reason

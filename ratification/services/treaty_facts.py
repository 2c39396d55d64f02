"""A treaty's own facts are the tracker's, fixed when it is first tracked, not each file's.

The gate checks every row against the treaty's adoption date and the kinds of action it
provides for. Were those read from the file at hand, a file could move its own goalposts: a
header claiming "(first draft 1 January 1980)" let an accession of 1990 through, and a new
"Participation" column escaped the date checks (issue 22). So the first read (the baseline)
stores them, staff may correct them in the admin with a reason, and a later file that claims
an earlier date or adds a kind of column is raised for staff, never applied.
"""

from __future__ import annotations

from ratification.models import Treaty
from ratification.registry import IdentityKind
from ratification.services.identities import NameResolution
from scrapers.dates import long_dates
from scrapers.model import TreatyStatus


def _claimed_dates(status: TreatyStatus) -> list:
    header = status.header
    return sorted(d for d in (header.conclusion_date, *long_dates(header.conclusion)) if d)


def treaty_facts_fix(*, treaty: Treaty, status: TreatyStatus, resolutions: dict[str, NameResolution]) -> None:
    """At the baseline: take the adoption date (unless staff set one), the kinds the file's
    legends record, and whether a REIO takes part (unsaved: the reconcile saves the treaty)."""
    if treaty.adopted_on is None:
        # The earliest the header gives: an amendment "adopted at London, 14 November 1975 and
        # 9 November 1977" could be accepted from the first.
        dates = [d for d in (treaty.conclusion_date, *_claimed_dates(status)) if d]
        treaty.adopted_on = min(dates, default=None)
    treaty.action_kinds = sorted({*(treaty.action_kinds or ()), *(str(kind) for kind in status.kinds)})
    if any(r.identity is not None and r.identity.kind == IdentityKind.REIO for r in resolutions.values()):
        treaty.admits_reio = True


def treaty_facts_claims(*, treaty: Treaty, status: TreatyStatus) -> list[str]:
    """What a later file claims against the stored facts (empty: nothing), for staff."""
    claims = []
    dates = _claimed_dates(status)
    stored = treaty.adoption_date
    if dates and (stored is None or dates[0] < stored):
        against = (
            f"earlier than the adoption date stored when the treaty was first tracked ({stored.isoformat()})"
            if stored
            else "and no adoption date is stored"
        )
        claims.append(
            f"the file's header gives {dates[0].isoformat()} ({status.header.conclusion!r}), {against}; the stored "
            "date stands (staff may correct it, with a reason) and rows dated before it are held"
        )
    added = sorted({str(kind) for kind in status.kinds} - set(treaty.action_kinds or ()))
    if added:
        claims.append(
            f"the file's table now has a column for {', '.join(k.replace('_', ' ') for k in added)}, a kind of action "
            f"{treaty.mtdsg} was not tracked with; its rows are held (staff may add the kind to the treaty, with a "
            "reason)"
        )
    return claims

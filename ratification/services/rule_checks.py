"""UNTC's declared entry-into-force date against the date a known rule computes.

UNTC's date is the one shown, always (docs/rules.md, "Known rules"); a known rule that computes
another date, or none, is not corrected silently either way: the difference becomes a review
item for staff, raised once for each pair of dates.
"""

from __future__ import annotations

from collections.abc import Iterable

from ratification import rule_selectors, selectors
from ratification.models import Action, ReviewItem, Treaty
from ratification.services.reviews import ReviewQueue


def eif_disagreement_raise(*, treaty: Treaty, actions: Iterable[Action], reviews: ReviewQueue) -> bool:
    """Add the review item to `reviews` if the known rule disagrees with UNTC's date; True if it does."""
    declared = treaty.declared_entry_into_force
    if declared is None or not rule_selectors.rule_known(treaty=treaty):
        return False
    computed = rule_selectors.rule_entry_into_force(treaty=treaty, actions=actions)
    if computed == declared:
        return False
    reviews.raise_eif_disagreement(declared=declared, computed=computed)
    return True


def eif_disagreement_check(*, treaty: Treaty) -> list[ReviewItem]:
    """Check now (after staff confirm or change a rule, or `track` applies one): the items raised."""
    reviews = ReviewQueue(treaty=treaty, poll_run=None)
    eif_disagreement_raise(treaty=treaty, actions=selectors.treaty_actions(treaty=treaty), reviews=reviews)
    return reviews.save()

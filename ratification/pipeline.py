"""Who is in the pipeline: the national steps a State reported that no deposit has followed yet.

A participant's pipeline is its steps (ratification.models.Stage) dated after its latest
instrument of consent to be bound (not withdrawn); its current step is the latest of them. So a
deposit on or after "approved by parliament" ends that pipeline, and a State that deposited long
ago and then reports a new step (say a reservation's review) is in it again.

Pure: no database, no clock. Steps never touch the UN record: nothing here is read by
`rules.py`, the counts, the dates or the deposit alerts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class StepLike(Protocol):
    date: datetime.date

    @property
    def reports_approval(self) -> bool: ...


@dataclass(frozen=True)
class Pipeline:
    """One participant's reported steps, and those no deposit has followed yet."""

    steps: tuple  # every step, oldest first
    pending: tuple  # those after its latest deposit, oldest first

    @property
    def current(self):
        """The latest step no deposit has followed, or None: not (or no longer) in the pipeline."""
        return self.pending[-1] if self.pending else None

    @property
    def reports_approval(self) -> bool:
        """Whether a pending step says parliament approved (or later: signed into law, deposit announced)."""
        return any(step.reports_approval for step in self.pending)


def pipeline_of(steps: Iterable[StepLike], deposits: Iterable[datetime.date]) -> Pipeline:
    """`steps` of one participant, and the dates of its instruments of consent (not withdrawn)."""
    ordered: Sequence = sorted(steps, key=lambda step: step.date)
    last_deposit = max(deposits, default=None)
    pending = tuple(step for step in ordered if last_deposit is None or step.date > last_deposit)
    return Pipeline(steps=tuple(ordered), pending=pending)

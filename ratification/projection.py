"""When might a treaty reach its threshold at the pace so far? A pure estimate, with a range.

The model is deliberately simple and said out loud on the page: counted instruments are taken
to arrive at a steady average rate (a Poisson process) since the treaty opened for signature.
With `n` instruments in `T` days the rate is `n / T`; the threshold is expected after
`needed / rate` more days. The range comes from the 90% confidence interval of the rate (the
exact Poisson interval, through the chi-square distribution), so a handful of deposits gives
an honestly wide range that narrows as more arrive. It ignores that deposits bunch (before a
deadline, around a conference): it is an estimate, never a forecast, and there is none at all
until at least one instrument is counted.

No database, no clock: the caller passes `today`.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from statistics import NormalDist

CONFIDENCE = 0.90
# Dates further out than this are not worth printing: the page says "not within N years".
HORIZON_YEARS = 30
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Projection:
    """An estimate of the day the threshold is reached; None for a bound past the horizon."""

    counted: int
    needed: int
    since: datetime.date
    as_of: datetime.date
    per_year: float
    expected_on: datetime.date | None
    earliest_on: datetime.date | None
    latest_on: datetime.date | None
    confidence: float = CONFIDENCE

    @property
    def horizon_years(self) -> int:
        return HORIZON_YEARS


def chi2_quantile(probability: float, degrees: float) -> float:
    """The chi-square quantile by the Wilson-Hilferty approximation (within 1% for df >= 2)."""
    z = NormalDist().inv_cdf(probability)
    h = 2 / (9 * degrees)
    return degrees * max(1 - h + z * math.sqrt(h), 0.0) ** 3


def rate_interval(events: int, days: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Garwood) confidence interval of a Poisson rate per day, for `events` >= 1."""
    tail = (1 - confidence) / 2
    low = chi2_quantile(tail, 2 * events) / (2 * days)
    high = chi2_quantile(1 - tail, 2 * events + 2) / (2 * days)
    return low, high


def _date_after(today: datetime.date, needed: int, rate: float) -> datetime.date | None:
    if rate <= 0:
        return None
    days = needed / rate
    if days > HORIZON_YEARS * DAYS_PER_YEAR:
        return None
    return today + datetime.timedelta(days=math.ceil(days))


def threshold_projection(
    *, counted: int, threshold: int, opened_on: datetime.date | None, today: datetime.date
) -> Projection | None:
    """The estimate, or None when there is no basis for one (nothing counted, or already reached)."""
    needed = threshold - counted
    if counted <= 0 or needed <= 0 or opened_on is None or today <= opened_on:
        return None
    days = (today - opened_on).days
    rate = counted / days
    slow, fast = rate_interval(counted, days)
    return Projection(
        counted=counted,
        needed=needed,
        since=opened_on,
        as_of=today,
        per_year=rate * DAYS_PER_YEAR,
        expected_on=_date_after(today, needed, rate),
        earliest_on=_date_after(today, needed, fast),
        latest_on=_date_after(today, needed, slow),
    )

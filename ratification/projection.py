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


def _gamma_cdf(x: float, shape: int) -> float:
    """P(Gamma(shape, 1) <= x) for a whole `shape`: one minus the Poisson(x) CDF at shape - 1."""
    term = total = math.exp(-x)
    for i in range(1, shape):
        term *= x / i
        total += term
    return 1 - total


def chi2_quantile(probability: float, degrees: int) -> float:
    """The chi-square quantile for an even number of degrees (all the Poisson interval needs), exactly.

    chi2(2k) is twice a Gamma(k, 1), whose CDF is a finite Poisson sum; bisection finds the
    quantile to 1e-9 without scipy.
    """
    shape = degrees // 2
    low, high = 0.0, max(10.0, 4.0 * degrees)
    while _gamma_cdf(high, shape) < probability:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if _gamma_cdf(middle, shape) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-9:
            break
    return 2 * (low + high) / 2  # twice the Gamma quantile


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


def expected_threshold_on(
    *, counted: int, threshold: int, opened_on: datetime.date | None, today: datetime.date
) -> datetime.date | None:
    """The central estimate of `threshold_projection` alone: the list of treaties shows only this,
    and the range's bisections would cost hundreds of them for every cached build of that list."""
    needed = threshold - counted
    if counted <= 0 or needed <= 0 or opened_on is None or today <= opened_on:
        return None
    return _date_after(today, needed, counted / (today - opened_on).days)


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


# The scenario beside the estimate: "if the States that report parliamentary approval deposit
# within this many months".
SCENARIO_MONTHS = 6


@dataclass(frozen=True)
class Scenario:
    """What the count would be if the States reporting parliamentary approval all deposited
    within `months`: a scenario (an "if"), not a forecast; steps are no deposits.

    `reached_on` is when the threshold would be reached: `by` if their deposits alone suffice,
    else when the pace so far brings the rest (never before `by`), or None (no pace to go on, or
    past the horizon).
    """

    states: int
    months: int
    by: datetime.date
    counted_by: int
    threshold: int
    reached_on: datetime.date | None

    @property
    def enough_alone(self) -> bool:
        return self.counted_by >= self.threshold


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter: 31 August + 6 = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def pipeline_scenario(
    *,
    counted: int,
    threshold: int,
    states: int,
    today: datetime.date,
    per_year: float | None,
    months: int = SCENARIO_MONTHS,
) -> Scenario | None:
    """The scenario for `states` more counted instruments within `months`; None when there is
    nobody in the pipeline or the threshold is already reached. `per_year` is the steady pace's
    rate (Projection.per_year), or None when there is none."""
    needed = threshold - counted
    if states <= 0 or needed <= 0:
        return None
    by = months_after(today, months)
    remaining = needed - states
    if remaining <= 0:
        reached_on = by
    else:
        later = _date_after(today, remaining, (per_year or 0) / DAYS_PER_YEAR)
        reached_on = max(later, by) if later else None
    return Scenario(
        states=states,
        months=months,
        by=by,
        counted_by=counted + states,
        threshold=threshold,
        reached_on=reached_on,
    )

"""The status page's pictures as geometry: the cumulative timeline and the world map. Pure Python.

Templates draw the SVG from these numbers; nothing here knows HTTP or the database, and the map
shapes come from `data/world-110m.json` (built once by `scripts/build_world_map.py` from
Natural Earth), so the page needs no JavaScript library, no CDN and no network to draw them.

The outlines are not in the page: they are `static/img/world-110m.svg` (`world_svg`, written by
the same script), one `<path id="FRA">` per country, a static file browsers keep. The page
colours it: one `<use href="…world-110m.svg#countries">` for the land, then one `<use>` per
participant with its status's class, whose fill the outline inherits. 90 KB of outlines on
every page of a treaty of 115 parties became a file fetched once.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ratification.projection import Projection

WORLD_FILE = Path(__file__).resolve().parent / "data" / "world-110m.json"
# The outlines as a static file (`world_svg`), under STATIC_URL.
WORLD_SVG = "img/world-110m.svg"

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 20, 36
# The dashed projection is drawn at most this far ahead, so a distant estimate does not squash
# the months that actually happened into a sliver.
PROJECTION_REACH = datetime.timedelta(days=3 * 365)


@dataclass(frozen=True)
class Tick:
    position: float
    value: int | datetime.date


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    steps: str  # SVG path data of the counted instruments (or of the parties) over time
    threshold_y: float | None  # None when no threshold is known: no line is drawn
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    today_x: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    projection_line: str  # path data, empty when there is no estimate
    projection_band: str  # polygon points of the estimate's range, empty when none
    start: datetime.date
    end: datetime.date
    x_tick_format: str = "M Y"  # the ticks' date format: "Y" when they fall on whole years


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top / step <= 5:
            return step
    return 200


# Months between ticks, shortest first: whatever the span (XVIII-16's first year, or 1946 to
# today), the axis gets at most MAX_TICKS ticks, at month starts, whole years or decades.
TICK_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
MAX_TICKS = 6


def _tick_months(months: int) -> int:
    every = next((n for n in TICK_MONTHS if months / n <= MAX_TICKS), None)
    if every is None:  # over six centuries: whole centuries, as many as it takes
        every = 1200 * -(-months // (1200 * MAX_TICKS))
    return every


def _month_ticks(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of months between `start` and `end`, evenly spaced, at most MAX_TICKS of them."""
    every = _tick_months((end.year - start.year) * 12 + end.month - start.month)
    # The first tick is the first multiple of `every` months (counted from year 0) after start.
    index = start.year * 12 + start.month - 1 + 1
    index += -index % every
    ticks = []
    while (tick := datetime.date(index // 12, index % 12 + 1, 1)) <= end:
        ticks.append(tick)
        index += every
    return ticks


def timeline(
    *,
    counted_dates: Sequence[datetime.date],
    threshold: int | None,
    start: datetime.date,
    today: datetime.date,
    projection: Projection | None = None,
    milestones: Sequence[datetime.date | None] = (),
) -> Timeline:
    """Counted instruments over time as a step line, with the threshold and the estimate; with no
    threshold (a treaty whose rule is not known), the dates given (its parties') and no line."""
    dates = sorted(counted_dates)
    end = max([today, *dates, *(d for d in milestones if d)])
    if projection and projection.expected_on:
        end = max(end, min(projection.expected_on, today + PROJECTION_REACH))
    end = max(end, start + datetime.timedelta(days=30))
    top = max(threshold or 0, len(dates), 1)
    span = (end - start).days
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y(count: float) -> float:
        return round(TOP + plot_h * (1 - min(count, top) / top), 1)

    path = [f"M{x(start)} {y(0)}"]
    for index, day in enumerate(dates, start=1):
        path.append(f"H{x(day)}V{y(index)}")
    path.append(f"H{x(min(today, end))}")

    line = band = ""
    if projection and projection.expected_on:
        horizon = min(end, projection.expected_on)
        days_ahead = (horizon - today).days
        per_day = projection.per_year / 365.25
        line = f"M{x(today)} {y(len(dates))}L{x(horizon)} {y(len(dates) + per_day * days_ahead)}"
        fast = _reach(projection.earliest_on, today, horizon, projection.needed)
        slow = _reach(projection.latest_on, today, horizon, projection.needed)
        band = " ".join(
            f"{px},{py}"
            for px, py in (
                (x(today), y(len(dates))),
                (x(horizon), y(len(dates) + fast)),
                (x(horizon), y(len(dates) + slow)),
            )
        )
    step = _nice_step(top)
    ticks = _month_ticks(start, end)
    return Timeline(
        width=WIDTH,
        height=HEIGHT,
        steps="".join(path),
        threshold_y=y(threshold) if threshold is not None else None,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        today_x=x(min(today, end)),
        x_ticks=tuple(Tick(x(day), day) for day in ticks),
        y_ticks=tuple(Tick(y(value), value) for value in range(0, top + 1, step)),
        projection_line=line,
        projection_band=band,
        start=start,
        end=end,
        # Ticks a year or more apart all fall in January: the year alone names them.
        x_tick_format="Y" if len(ticks) > 1 and all(tick.month == 1 for tick in ticks) else "M Y",
    )


def _reach(on: datetime.date | None, today: datetime.date, horizon: datetime.date, needed: int) -> float:
    """How many more instruments a pace reaching the threshold `on` gives by `horizon`."""
    if on is None:
        return 0.0
    days = max((on - today).days, 1)
    return needed * min((horizon - today).days / days, 1.0)


@dataclass(frozen=True)
class Country:
    code: str
    path: str
    status: str  # a ParticipantStatus value, or "" for a country that has done nothing


@dataclass(frozen=True)
class WorldMap:
    width: float
    height: float
    countries: tuple[Country, ...]
    not_drawn: tuple[str, ...]  # codes with a status but no shape at this scale (small islands, the EU)


@cache
def world_shapes() -> dict:
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def world_map(statuses: Mapping[str, str]) -> WorldMap:
    """Every country's outline with the status of its participant, if any."""
    world = world_shapes()
    shapes = world["countries"]
    return WorldMap(
        width=world["width"],
        height=world["height"],
        countries=tuple(Country(code, path, statuses.get(code, "")) for code, path in shapes.items()),
        # In the order given (the page's rows, by name in the reader's language).
        not_drawn=tuple(code for code in statuses if code not in shapes),
    )


def world_svg(world: dict) -> str:
    """The static file of the outlines: every country a path with its code as id, in one group
    `countries`, with no fill or stroke of their own (the page's `<use>` gives them)."""
    paths = "".join(f'<path id="{code}" d="{path}"/>' for code, path in sorted(world["countries"].items()))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {world["width"]:g} {world["height"]:g}">'
        f'<g id="countries">{paths}</g></svg>\n'
    )

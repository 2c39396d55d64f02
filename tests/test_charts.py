from __future__ import annotations

import datetime
import re

import pytest

from ratification.charts import timeline, world_map, world_shapes
from ratification.projection import threshold_projection

START = datetime.date(2025, 10, 25)
TODAY = datetime.date(2026, 6, 1)


class TimelineTests:
    def test_it_steps_up_once_per_counted_instrument_and_draws_the_threshold(self):
        dates = [datetime.date(2026, 1, 5), datetime.date(2026, 2, 5), datetime.date(2026, 2, 5)]
        chart = timeline(counted_dates=dates, threshold=40, start=START, today=TODAY)
        assert chart.steps.count("V") == 3
        assert chart.plot_top <= chart.threshold_y < chart.plot_bottom
        assert [tick.value for tick in chart.y_ticks] == [0, 10, 20, 30, 40]
        assert all(isinstance(tick.value, datetime.date) and tick.value.day == 1 for tick in chart.x_ticks)
        assert chart.projection_line == ""

    def test_it_draws_the_estimate_as_a_line_with_a_range_ahead_of_today(self):
        dates = [START + datetime.timedelta(days=15 * n) for n in range(1, 12)]
        projection = threshold_projection(counted=11, threshold=40, opened_on=START, today=TODAY)
        chart = timeline(counted_dates=dates, threshold=40, start=START, today=TODAY, projection=projection)
        assert chart.projection_line.startswith(f"M{chart.today_x} ")
        assert chart.projection_band.count(",") == 3
        assert chart.end > TODAY

    def test_it_draws_any_span_of_years_with_a_few_ticks(self):
        # Most UN treaties are older than 30 years: the axis once ran out of tick spacings (issue 21).
        for start in (datetime.date(1946, 2, 13), datetime.date(1898, 1, 1), datetime.date(1000, 1, 1)):
            dates = [start + datetime.timedelta(days=365 * n) for n in range(40)]
            chart = timeline(counted_dates=dates, threshold=None, start=start, today=TODAY)
            assert 2 <= len(chart.x_ticks) <= 6
            assert chart.x_tick_format == "Y"
            assert all(tick.value.month == 1 and chart.plot_left <= tick.position <= 640 for tick in chart.x_ticks)
            assert chart.threshold_y is None
            assert chart.y_ticks[-1].value >= 40

    def test_every_span_from_a_day_to_centuries_gets_ticks_it_can_draw(self):
        for days in (0, 1, 29, 31, 200, 400, 365 * 7, 365 * 31, 365 * 80, 365 * 200, 365 * 900):
            start = TODAY - datetime.timedelta(days=days)
            chart = timeline(counted_dates=[start], threshold=40, start=start, today=TODAY)
            assert len(chart.x_ticks) <= 6
            assert sorted(tick.value for tick in chart.x_ticks) == [tick.value for tick in chart.x_ticks]

    def test_it_keeps_everything_inside_the_plot(self):
        dates = [START + datetime.timedelta(days=n) for n in range(1, 60)]
        chart = timeline(counted_dates=dates, threshold=40, start=START, today=TODAY)
        numbers = [float(part) for part in chart.steps.replace("M", " ").replace("H", " ").replace("V", " ").split()]
        assert min(numbers) >= chart.plot_top

    @pytest.mark.parametrize(
        "start", [datetime.date(1980, 10, 1), datetime.date(1946, 2, 13), datetime.date(1920, 1, 1)]
    )
    def test_a_treaty_opened_decades_ago_gets_a_few_ticks_not_a_crash(self, start):
        """XIX-21's record starts in 1980: 46 years of months outran the tick steps (a 500)."""
        chart = timeline(counted_dates=[start + datetime.timedelta(days=400)], threshold=40, start=start, today=TODAY)
        assert 2 <= len(chart.x_ticks) <= 7


class WorldMapTests:
    def test_the_shipped_shapes_are_keyed_by_alpha3_and_stay_small(self):
        from ratification.charts import WORLD_FILE

        shapes = world_shapes()["countries"]
        assert len(shapes) > 170
        assert all(len(code) == 3 and code.isupper() for code in shapes)
        assert "ATA" not in shapes  # Antarctica is left out
        assert WORLD_FILE.stat().st_size < 300_000

    def test_no_drawn_shape_spans_more_than_half_the_map(self):
        # A shape crossing longitude 180 that is not cut is drawn as a band across the map
        # (Russia across the top, Fiji across the south).
        world = world_shapes()
        too_wide = {
            code: round(span)
            for code, path in world["countries"].items()
            for span in _subpath_widths(path)
            if span > world["width"] / 2
        }
        assert too_wide == {}

    def test_russia_and_fiji_are_drawn_on_both_edges_of_the_map(self):
        world = world_shapes()
        for code in ("RUS", "FJI"):
            lefts = [left for left, _ in _subpath_extents(world["countries"][code])]
            rights = [right for _, right in _subpath_extents(world["countries"][code])]
            assert min(lefts) < world["width"] / 4 and max(rights) > world["width"] * 3 / 4, code

    def test_it_colours_participants_and_names_those_too_small_to_draw(self):
        drawn = world_map({"FRA": "counted", "VNM": "signatory", "NRU": "signatory", "EUU": "party"})
        by_code = {country.code: country.status for country in drawn.countries}
        assert by_code["FRA"] == "counted"
        assert by_code["VNM"] == "signatory"
        assert by_code["BRA"] == ""
        assert drawn.not_drawn == ("NRU", "EUU")  # in the order given: the page gives its rows by name


def _subpath_extents(path: str) -> list[tuple[float, float]]:
    """(leftmost, rightmost) x of each `M x y l dx dy ... z` ring of a shipped path."""
    extents = []
    for ring in re.findall(r"M[^M]+", path):
        start, _, moves = ring[1:].rstrip("z").partition("l")
        x = float(start.split()[0])
        xs = [x]
        for dx in moves.split()[::2]:
            x += float(dx)
            xs.append(x)
        extents.append((min(xs), max(xs)))
    return extents


def _subpath_widths(path: str) -> list[float]:
    return [right - left for left, right in _subpath_extents(path)]

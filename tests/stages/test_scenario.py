"""The scenario beside the steady-pace estimate: pure arithmetic, labelled as an "if"."""

from __future__ import annotations

import datetime

from ratification.projection import months_after, pipeline_scenario

D = datetime.date


class ScenarioTests:
    def test_it_is_reached_by_the_end_of_the_window_when_the_pipeline_alone_suffices(self):
        scenario = pipeline_scenario(counted=36, threshold=40, states=5, today=D(2026, 3, 1), per_year=8.0)
        assert scenario.enough_alone and scenario.counted_by == 41
        assert scenario.reached_on == scenario.by == D(2026, 9, 1)

    def test_otherwise_the_pace_so_far_brings_the_rest_never_before_the_window_ends(self):
        scenario = pipeline_scenario(counted=10, threshold=40, states=10, today=D(2026, 1, 1), per_year=10.0)
        assert not scenario.enough_alone and scenario.counted_by == 20
        assert scenario.reached_on == D(2026, 1, 1) + datetime.timedelta(days=731)  # 20 more at 10 a year
        quick = pipeline_scenario(counted=10, threshold=40, states=29, today=D(2026, 1, 1), per_year=100.0)
        assert quick.reached_on == quick.by == D(2026, 7, 1)

    def test_there_is_none_without_anyone_in_the_pipeline_or_once_the_threshold_is_reached(self):
        assert pipeline_scenario(counted=10, threshold=40, states=0, today=D(2026, 1, 1), per_year=5.0) is None
        assert pipeline_scenario(counted=40, threshold=40, states=3, today=D(2026, 1, 1), per_year=5.0) is None

    def test_without_a_pace_it_says_only_what_the_pipeline_brings(self):
        scenario = pipeline_scenario(counted=0, threshold=40, states=3, today=D(2026, 1, 1), per_year=None)
        assert scenario.counted_by == 3 and scenario.reached_on is None

    def test_months_after_keeps_the_day_or_takes_the_last_of_a_shorter_month(self):
        assert months_after(D(2026, 8, 31), 6) == D(2027, 2, 28)
        assert months_after(D(2027, 8, 31), 6) == D(2028, 2, 29)
        assert months_after(D(2026, 11, 15), 2) == D(2027, 1, 15)

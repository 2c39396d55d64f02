from __future__ import annotations

import datetime

import pytest

from ratification.projection import HORIZON_YEARS, chi2_quantile, rate_interval, threshold_projection

OPENED = datetime.date(2025, 10, 25)


class Chi2QuantileTests:
    @pytest.mark.parametrize(
        ("probability", "degrees", "exact"),
        [(0.05, 2, 0.1026), (0.95, 2, 5.9915), (0.05, 20, 10.8508), (0.95, 22, 33.9244), (0.5, 80, 79.3343)],
    )
    def test_it_matches_the_tables(self, probability, degrees, exact):
        assert chi2_quantile(probability, degrees) == pytest.approx(exact, rel=0.001)


class RateIntervalTests:
    def test_it_brackets_the_observed_rate_and_narrows_with_more_events(self):
        few_low, few_high = rate_interval(2, 100)
        many_low, many_high = rate_interval(20, 1000)
        assert few_low < 0.02 < few_high
        assert many_low < 0.02 < many_high
        assert many_high / many_low < few_high / few_low


class ThresholdProjectionTests:
    def test_it_makes_no_estimate_without_a_counted_instrument(self):
        assert threshold_projection(counted=0, threshold=40, opened_on=OPENED, today=datetime.date(2026, 6, 1)) is None

    def test_it_makes_no_estimate_once_the_threshold_is_reached(self):
        assert threshold_projection(counted=40, threshold=40, opened_on=OPENED, today=datetime.date(2026, 6, 1)) is None

    def test_it_makes_no_estimate_on_the_day_signature_opens(self):
        assert threshold_projection(counted=1, threshold=40, opened_on=OPENED, today=OPENED) is None

    def test_it_extrapolates_the_pace_since_signature_opened(self):
        # 10 instruments in 200 days: one every 20 days; 30 more take 600 days.
        today = OPENED + datetime.timedelta(days=200)
        projection = threshold_projection(counted=10, threshold=40, opened_on=OPENED, today=today)
        assert projection.needed == 30
        assert projection.per_year == pytest.approx(18.26, abs=0.01)
        assert projection.expected_on == today + datetime.timedelta(days=600)
        assert projection.earliest_on < projection.expected_on < projection.latest_on

    def test_its_range_is_honest_about_few_data_points(self):
        today = OPENED + datetime.timedelta(days=200)
        two = threshold_projection(counted=2, threshold=40, opened_on=OPENED, today=today)
        twenty = threshold_projection(counted=20, threshold=40, opened_on=OPENED, today=today)
        assert (two.latest_on is None) or (two.latest_on - two.earliest_on) > (twenty.latest_on - twenty.earliest_on)

    def test_it_gives_no_date_beyond_its_horizon(self):
        today = OPENED + datetime.timedelta(days=3650)
        projection = threshold_projection(counted=1, threshold=40, opened_on=OPENED, today=today)
        assert projection.expected_on is None
        assert projection.latest_on is None
        assert projection.horizon_years == HORIZON_YEARS

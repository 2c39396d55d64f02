"""The API's settings come from the environment and fail loudly."""

from __future__ import annotations

import pytest

from tests.test_config import run_check
from tracker import env


class ApiSettingsTests:
    @pytest.mark.parametrize(
        ("variable", "value"),
        [
            ("API_ANON_RATE", "lots"),
            ("API_ANON_RATE", "0/min"),
            ("API_ANON_RATE", "10/fortnight"),
            ("API_NUM_PROXIES", "-1"),
        ],
    )
    def test_it_refuses_a_bad_value_and_names_the_variable(self, variable, value):
        result = run_check(**{variable: value})
        assert result.returncode != 0
        assert f"{variable}:" in result.stderr

    @pytest.mark.parametrize(
        ("value", "rate"), [("120/min", "120/min"), (" 5/second ", "5/second"), ("0100/h", "100/h")]
    )
    def test_it_reads_a_rate_in_drfs_spelling(self, monkeypatch, value, rate):
        monkeypatch.setenv("API_ANON_RATE", value)
        assert env.rate("API_ANON_RATE", "120/min") == rate

"""A wrong configuration value stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.services import ROOT


def run_check(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


class ConfigurationTests:
    def test_it_starts_on_the_defaults(self):
        result = run_check()
        assert result.returncode == 0, result.stderr

    @pytest.mark.parametrize(
        ("variable", "value"),
        [
            ("DEBUG", "maybe"),
            ("DATABASE_URL", "mysql-ish://nowhere/db"),
            ("CELERY_BROKER_URL", "nonsense"),
            ("UNTC_BASE_URL", "ftp://treaties.un.org"),
            ("SITE_URL", "https://"),
            ("EMAIL_URL", "carrier-pigeon://loft"),
            ("CACHE_URL", "memcached-ish://x"),
            ("ENVIRONMENT", "staging"),
            ("DATABASE_CONN_MAX_AGE", "forever"),
        ],
    )
    def test_it_refuses_a_bad_value_and_names_the_variable(self, variable, value):
        result = run_check(**{variable: value})
        assert result.returncode != 0
        assert f"{variable}:" in result.stderr
        assert "Traceback" not in result.stderr.splitlines()[-1]

    @pytest.mark.parametrize(
        "value",
        [
            "https://reader:s3cret@treaties.un.org",  # pragma: allowlist secret
            "https://reader@treaties.un.org",
            "https://:s3cret@x.org",  # pragma: allowlist secret
        ],
    )
    def test_it_refuses_a_untc_base_url_with_a_user_or_password_without_repeating_it(self, value):
        # Accepted before, then every poll failed with a traceback (the fetcher refuses credentials).
        result = run_check(UNTC_BASE_URL=value)
        assert result.returncode != 0
        last_line = result.stderr.strip().splitlines()[-1]
        assert "UNTC_BASE_URL: must not contain a user name or password" in last_line
        assert "s3cret" not in result.stderr

    def test_it_refuses_a_url_whose_port_is_not_a_port(self):
        result = run_check(UNTC_BASE_URL="https://treaties.un.org:99999")
        assert result.returncode != 0
        assert "UNTC_BASE_URL: has a port that is not a number" in result.stderr.strip().splitlines()[-1]

    def test_it_needs_a_secret_key_in_production(self):
        result = run_check(ENVIRONMENT="production")
        assert result.returncode != 0
        assert "SECRET_KEY: is required" in result.stderr

    def test_it_reads_a_secret_from_a_file(self, tmp_path):
        secret = tmp_path / "secret"
        secret.write_text("x" * 60)
        result = run_check(ENVIRONMENT="production", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="tracker.example")
        assert "SECRET_KEY" not in result.stderr

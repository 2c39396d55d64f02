"""Start-up warnings about settings that would break what alerts promise."""

from __future__ import annotations

from tests.test_deploy import manage, production_env


class SiteUrlCheckTests:
    def test_production_warns_at_start_up_when_site_url_is_not_https(self, tmp_path):
        result = manage(production_env(tmp_path, SITE_URL="http://tracker.example.org"), "check")
        assert "alerts.W001" in result.stderr
        assert "SITE_URL is not an https:// address" in result.stderr

    def test_it_says_nothing_when_site_url_is_https(self, tmp_path):
        result = manage(production_env(tmp_path), "check")
        assert "alerts.W001" not in result.stderr + result.stdout

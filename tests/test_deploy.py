"""Production settings: the deploy checks pass, secrets are mandatory, the headers are right."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.support.services import ROOT
from tests.support.workers import made_once_per_run


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_", "DATABASE"))}
    env.update(
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="tracker.example.org",
        SITE_URL="https://tracker.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        CELERY_BROKER_URL=f"filesystem://{tmp_path / 'broker'}",
        CACHE_URL="locmemcache://",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


class DeployCheckTests:
    def test_it_passes_the_deploy_checks_at_warning_level(self, tmp_path):
        result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
        assert result.returncode == 0, result.stderr

    @pytest.mark.parametrize("secret", ["SECRET_KEY", "DATABASE_URL"])
    def test_it_refuses_to_start_without_a_secret(self, tmp_path, secret):
        env = production_env(tmp_path)
        del env[secret]
        result = manage(env, "check")
        assert result.returncode != 0
        assert f"{secret}: is required; set {secret} or {secret}_FILE" in result.stderr


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """What a production instance answers (a child process with production settings); made once
    per run, not once per xdist worker (collectstatic and migrate cost seconds)."""

    def probe() -> str:
        tmp_path = tmp_path_factory.mktemp("production")
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.production_probe"],
            cwd=ROOT,
            env=production_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    return json.loads(made_once_per_run(tmp_path_factory, "production-answers", probe))


class SecurityHeaderTests:
    def test_it_sends_hsts_for_a_year_or_more(self, answers):
        hsts = answers["/"]["headers"]["Strict-Transport-Security"]
        max_age = int(hsts.split("max-age=")[1].split(";")[0])
        assert max_age >= 31536000
        assert "includeSubDomains" in hsts

    def test_it_sends_a_content_security_policy_of_self(self, answers):
        csp = answers["/"]["headers"]["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp

    def test_it_forbids_sniffing_framing_and_leaky_referrers(self, answers):
        headers = answers["/"]["headers"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"

    def test_only_the_embed_may_be_framed_and_it_sets_no_cookie(self, answers):
        embed = answers["/treaties/XVIII-16/embed/"]
        assert embed["status"] == 200
        assert "X-Frame-Options" not in embed["headers"]
        assert "frame-ancestors *" in embed["headers"]["Content-Security-Policy"]
        assert "Strict-Transport-Security" in embed["headers"]
        for path in ("/", "/treaties/XVIII-16/embed/", "/treaties/XVIII-16/badge.svg"):
            assert "Set-Cookie" not in answers[path]["headers"], path
        assert answers["/treaties/XVIII-16/badge.svg"]["headers"]["X-Frame-Options"] == "DENY"

    def test_it_redirects_plain_http_to_https(self, answers):
        assert answers["plain /"]["status"] == 301
        assert answers["plain /"]["headers"]["Location"].startswith("https://")

"""`make run`: web, worker and beat on the configured HOST and PORT, stopped cleanly by Ctrl-C.

The whole thing runs for real here (`python -m tracker.run`, which `make run` ends with): the
Procfile's gunicorn, Celery worker and beat on the embedded broker, and then the SIGINT a
terminal sends on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.support.services import ROOT, child_env, free_port, wait_for
from tracker.run import banner


def settings_value(name: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", name)}
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


class AddressTests:
    def test_site_url_and_allowed_hosts_follow_host_and_port_by_default(self):
        assert settings_value("SITE_URL", PORT="9000") == "http://127.0.0.1:9000"
        assert settings_value("SITE_URL", HOST="::1", PORT="9001") == "http://[::1]:9001"
        assert settings_value("SITE_URL", HOST="0.0.0.0") == "http://127.0.0.1:8000"
        assert "'192.168.1.20'" in settings_value("ALLOWED_HOSTS", HOST="192.168.1.20")

    def test_an_explicit_site_url_wins(self):
        assert settings_value("SITE_URL", PORT="9000", SITE_URL="https://tracker.example") == "https://tracker.example"

    def test_the_banner_says_where_it_answers(self):
        text = banner(host="0.0.0.0", port=9000, site_url="https://tracker.example")
        assert "Tracker: http://127.0.0.1:9000/    Admin: http://127.0.0.1:9000/admin/" in text
        assert "Listening on every address (0.0.0.0:9000)" in text
        assert "Links in e-mails and feeds: https://tracker.example/ (SITE_URL)" in text


@pytest.mark.slow(
    reason="starts gunicorn, a Celery worker and beat as `make run` does, waits for all three and their clean stop"
)
@pytest.mark.django_db(transaction=True)
class RunTests:
    def test_it_serves_on_port_and_stops_cleanly_on_ctrl_c(self, tmp_path):
        port = free_port()
        (tmp_path / "results").mkdir()
        env = child_env(
            DJANGO_SETTINGS_MODULE="tracker.settings",
            HOST="127.0.0.1",
            PORT=str(port),
            CELERY_BROKER_URL=f"filesystem://{tmp_path / 'broker'}",
            CELERY_RESULT_BACKEND=f"file://{tmp_path / 'results'}",
            CACHE_URL=f"filecache://{tmp_path / 'cache'}",
            UNTC_BASE_URL="http://127.0.0.1:9",  # never the real UNTC, should anything poll
            WEB_CONCURRENCY="1",
        )
        env.pop("SITE_URL", None)
        log_path = tmp_path / "run.log"
        with log_path.open("wb") as log:
            runner = subprocess.Popen(
                [sys.executable, "-m", "tracker.run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_for(
                lambda: (
                    all(text in log_path.read_text() for text in (" ready.", "beat: Starting", "Listening at"))
                    or runner.poll() is not None
                ),
                timeout=90,
                message="web, worker and beat to start",
            )
            started = log_path.read_text()
            assert f"Tracker: http://127.0.0.1:{port}/" in started
            assert f"Listening at: http://127.0.0.1:{port}" in started
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=10) as response:
                assert response.status == 200
            # gunicorn's control socket is this checkout's and this address's, not ~/.gunicorn's.
            assert (ROOT / "var" / f"gunicorn-127.0.0.1-{port}.ctl").is_socket()
            runner.send_signal(signal.SIGINT)  # what the terminal sends on Ctrl-C
            runner.wait(timeout=60)
        finally:
            if runner.poll() is None:
                runner.kill()
        output = log_path.read_text()
        stopping = output[output.index("SIGINT received") :]
        assert runner.returncode == 0, stopping
        for name in ("web", "worker", "beat"):
            assert f"{name} stopped (rc=0)" in stopping, stopping
        assert "SIGKILL" not in stopping
        assert "ERROR" not in stopping and "Traceback" not in stopping, stopping

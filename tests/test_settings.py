from __future__ import annotations

from django.conf import settings


class CelerySettingsTests:
    def test_it_keeps_redis_visibility_timeout_above_every_task_time_limit(self):
        # pretix #2058: a task outliving visibility_timeout is delivered again and runs twice.
        from tracker.settings import CELERY_TASK_TIME_LIMIT

        visibility_timeout = 60 * 60
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        if settings.CELERY_BROKER_URL.startswith("redis"):
            visibility_timeout = options["visibility_timeout"]
        assert visibility_timeout > CELERY_TASK_TIME_LIMIT
        # The jitter is a countdown: a task waiting longer than visibility_timeout is re-delivered.
        assert visibility_timeout > settings.POLL_JITTER_SECONDS
        assert settings.CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT

    def test_it_acknowledges_late_so_a_killed_worker_loses_nothing(self):
        assert settings.CELERY_TASK_ACKS_LATE is True
        assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
        assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


READ_ONLY_IMPORT = """
import builtins, os, pathlib

def refuse(*args, **kwargs):
    raise AssertionError(f"importing the settings wrote to the disk: {args[:2]}")

real_open = builtins.open
def read_only_open(file, mode="r", *args, **kwargs):
    if any(letter in mode for letter in "wax+"):
        refuse(file, mode)
    return real_open(file, mode, *args, **kwargs)

builtins.open = read_only_open
os.mkdir = os.makedirs = os.open = pathlib.Path.mkdir = pathlib.Path.write_text = pathlib.Path.touch = refuse
import tracker.settings
print(tracker.settings.SECRET_KEY != "")
"""


class SettingsFileTests:
    def test_importing_the_settings_writes_nothing(self, tmp_path):
        import os
        import subprocess
        import sys

        from tests.support.services import ROOT

        env = {name: value for name, value in os.environ.items() if not name.startswith(("CELERY_", "DATABASE_"))}
        env["CELERY_BROKER_URL"] = f"filesystem://{tmp_path / 'broker'}"  # a folder that does not exist yet
        result = subprocess.run(
            [sys.executable, "-c", READ_ONLY_IMPORT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / "broker").exists()


class QuietOutputTests:
    def test_a_command_prints_only_its_own_output_and_tasks_print_as_themselves(self, tmp_path):
        """With the project's own logging (not the tests'): no "AXES: BEGIN" line before every
        command's output, and the worker leaves what tasks print (the console e-mail backend's
        messages) on its standard output instead of logging each line as "WARNING celery.redirected"."""
        import os
        import subprocess
        import sys

        from tests.support.services import ROOT

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings", "LOG_LEVEL": "info"}
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        script = "from tracker.celery import app; print(app.conf.worker_redirect_stdouts)"
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "False\n"
        assert "AXES" not in result.stderr

"""Real services for tests: which ones this run uses, and a real Celery worker process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from celery import Celery
from django.db import connection

from tests.support import workers

ROOT = Path(__file__).resolve().parents[2]
REAL_SERVICES = os.environ.get("TRACKER_TEST_SERVICES", "embedded") == "real"
workers.isolate_environment()  # a no-op once the test settings did it: this worker's Redis database
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def database_url() -> str:
    """The URL of the database this test run uses (the test database), for a child process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


def child_env(**overrides: str) -> dict[str, str]:
    """The environment for a child process (worker, server) that shares this run's database."""
    env = dict(os.environ)
    env.update({"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


@contextmanager
def celery_worker(
    *,
    broker_url: str,
    log_path: Path,
    result_backend: str | None = None,
    concurrency: int = 2,
    warm_stop: bool = False,
    **env: str,
) -> Iterator[subprocess.Popen]:
    """Run `celery worker` as a real process on `broker_url` until the block ends.

    Returns once the worker says it is ready, so a test's timings start with a worker that
    is consuming. The log is appended to, so a restarted worker keeps one log.

    At the end of the block the worker is killed with its pool, as the test is done with it:
    a warm shutdown (SIGTERM, `warm_stop=True`) waits for the end of Celery's 2-second waits
    for messages and for billiard's pool threads, 4 to 6 s of a test's time spent idle.
    """
    overrides = {"CELERY_BROKER_URL": broker_url, **env}
    if result_backend:
        overrides["CELERY_RESULT_BACKEND"] = result_backend
    start = log_path.stat().st_size if log_path.exists() else 0
    log = open(log_path, "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tracker",
            "worker",
            "--loglevel=info",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include=tests.support.worker_tasks",
        ],
        cwd=ROOT,
        env=child_env(**overrides),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: b" ready." in log_path.read_bytes()[start:] or process.poll() is not None,
            timeout=60,
            message="the Celery worker to start",
        )
        if process.poll() is not None:
            raise AssertionError(f"the Celery worker exited at start:\n{log_path.read_text()[-3000:]}")
        yield process
    finally:
        if warm_stop:
            stop_process(process)
        else:
            process_group_kill(process)
        log.close()


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a child and all of its children (a prefork worker has several).

    SIGTERM goes to the main process only: it stops its pool children itself. Signalling the
    whole group makes the pool children die first and the main process hang in its shutdown.
    """
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


def process_group_kill(process: subprocess.Popen, timeout: float = 15) -> None:
    """Kill a child started in a session of its own, and every process of that session."""
    with suppress(ProcessLookupError):  # none of them is left
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=timeout)


@contextmanager
def client_app(*, broker_url: str, result_backend: str) -> Iterator[Celery]:
    """A bare Celery client that publishes by task name, independent of the project's app.

    Celery lets the CELERY_BROKER_URL and CELERY_RESULT_BACKEND environment variables win over
    any configuration, so they are hidden while the client talks to `broker_url`.
    """
    from tracker.env import filesystem_broker_folder

    hidden = {
        name: os.environ.pop(name) for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND") if name in os.environ
    }
    folder = filesystem_broker_folder(broker_url)
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    # set_as_current=False: else Celery makes this client the current app, and every shared task the
    # tests run afterwards in this process resolves on it (not eager, its broker gone) and is lost.
    app = Celery(
        "test-client",
        broker="filesystem://" if folder else broker_url,
        backend=result_backend,
        set_as_current=False,
    )
    if folder:
        # The control folder too, beside the broker's as the settings put it: kombu's default is
        # "control" in the working directory, which left control/celery.exchange in the checkout.
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder.parent / (folder.name + "-control")),
        }
    try:
        yield app
    finally:
        app.close()
        os.environ.update(hidden)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, interval: float = 0.1, message: str = "condition") -> None:
    """Poll `condition` until it is true; fail after `timeout` seconds. Every loop is bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")

"""What the drills run: a Redis server of their own, Celery worker and beat processes, and
a way to print figures."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.support.services import ROOT, celery_worker, child_env, free_port, stop_process, wait_for

DRILL_SETTINGS = "drills.settings"


class RedisServer:
    """A real redis-server on its own port, so a drill can stop and start it at will without
    touching the machine's shared Redis."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: the drills need a real Redis")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=20, message="redis-server to start")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False


def _process(args: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115  (closed when the process is reaped)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tracker", *args],
        cwd=ROOT,
        env=child_env(DJANGO_SETTINGS_MODULE=DRILL_SETTINGS, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextmanager
def worker(*, broker_url: str, log_path: Path, concurrency: int = 2, **env: str) -> Iterator[subprocess.Popen]:
    """A real Celery worker on `broker_url` with the drills' settings, ready when the block starts."""
    with celery_worker(
        broker_url=broker_url,
        result_backend=broker_url,
        log_path=log_path,
        concurrency=concurrency,
        DJANGO_SETTINGS_MODULE=DRILL_SETTINGS,
        **env,
    ) as process:
        yield process


@contextmanager
def beat(*, broker_url: str, log_path: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A real Celery beat with the database scheduler (django-celery-beat)."""
    process = _process(
        ["beat", "--loglevel=info", f"--schedule={log_path.with_suffix('.schedule')}", "--max-interval=1"],
        log_path,
        {"CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url, **env},
    )
    try:
        yield process
    finally:
        stop_process(process)


def figures(drill: str, **values: object) -> None:
    """One line a drill prints: its name and its figures."""
    text = "  ".join(f"{name.replace('_', ' ')}={value}" for name, value in values.items())
    print(f"\nDRILL {drill}: {text}", flush=True)


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:.1f}s"

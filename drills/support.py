"""What the drills run: a Redis server of their own, Celery worker and beat processes, and
a way to print figures."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import threading
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
        warm_stop=True,  # a drill's worker stops as production's does
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


class SupervisedWorker:
    """A worker started again when it has exited, as compose's `restart: unless-stopped` starts
    production's (docker-compose.yml). Celery's worker can exit when the broker goes away just as
    it acknowledges a task (kombu's Redis transport: "Unrecoverable error: AttributeError ...
    'hostname'"); production counts on the restart, so the drills that stop Redis count on it too
    and report how often it was needed. The drill calls `alive()` while it waits."""

    def __init__(self, stack: contextlib.ExitStack, **options: object) -> None:
        self.stack, self.options, self.restarts = stack, options, 0
        self.process = stack.enter_context(worker(**options))

    def alive(self) -> bool:
        if self.process.poll() is not None:
            self.restarts += 1
            self.process = self.stack.enter_context(worker(**self.options))
        return True


@contextmanager
def supervised_worker(**options: object) -> Iterator[SupervisedWorker]:
    with contextlib.ExitStack() as stack:
        yield SupervisedWorker(stack, **options)


class FanOutGauge:
    """Samples, twice a second while its block runs, the worker processes' resident memory and
    the number of task messages waiting in Redis: the fan-out target's RSS and queue bounds."""

    def __init__(self, *, worker_pid: int, broker_url: str) -> None:
        self.worker_pid = worker_pid
        self.redis = redis.Redis.from_url(broker_url, socket_timeout=2)
        self.peak_rss_mb = 0.0  # the largest process of the worker (the main one or a child)
        self.peak_queued = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FanOutGauge:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            rss = [_rss_mb(pid) for pid in _process_group(self.worker_pid)]
            self.peak_rss_mb = max([self.peak_rss_mb, *rss])
            with contextlib.suppress(redis.RedisError):
                # Celery's Redis transport keeps each queue (and its priority steps) as a list.
                queued = sum(self.redis.llen(key) for key in self.redis.scan_iter("celery*", _type="list"))
                self.peak_queued = max(self.peak_queued, queued)


def _process_group(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # Field 5 is the process group; the command name (field 2) may contain spaces.
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                members.append(int(stat.parent.name))
    return members


def _rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def figures(drill: str, **values: object) -> None:
    """One line a drill prints: its name and its figures."""
    text = "  ".join(f"{name.replace('_', ' ')}={value}" for name, value in values.items())
    print(f"\nDRILL {drill}: {text}", flush=True)


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:.1f}s"

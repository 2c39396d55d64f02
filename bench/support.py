"""What the benchmarks share: a gunicorn server on loopback and wrk to load it.

Every benchmark prints a ratio against a baseline measured in the same run (the machines are
noisy); these helpers make sure both sides are served and loaded the same way.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.services import free_port  # noqa: E402


class Gunicorn:
    """The project's gunicorn (gunicorn.conf.py: gthread workers) on a free loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *,
        probe: str = "/",
        headers: dict[str, str] | None = None,
        cpus: str | None = None,
    ):
        """`cpus` (e.g. "0"): run the server on those CPUs only (taskset), away from the load generator's."""
        self.port = free_port()
        self.headers = headers or {}
        # A file, not a pipe: nobody reads a pipe during a load test, and a worker blocked on a
        # full one stops answering.
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                *(["taskset", "-c", cpus] if cpus else []),
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi",
                "--config",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "--max-requests",
                "0",
            ],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get(probe)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit(f"gunicorn did not start; see {log}") from None
                time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> bytes:
        request = urllib.request.Request(self.url(path), headers=self.headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    rps: float
    p50: float  # milliseconds
    p99: float  # milliseconds
    errors: int  # socket errors plus non-2xx/3xx answers
    statuses: dict[int, int] = field(default_factory=dict)  # only with a script that counts them


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    cpu: int | None = None,
) -> Load:
    """Load `url` with wrk (Debian package `wrk`) for `seconds`: two threads, or with `cpu` one
    thread pinned to that CPU (taskset), so the load generator does not wander between cores."""
    pinned = ["taskset", "-c", str(cpu), "wrk", "-t1"] if cpu is not None else ["wrk", "-t2"]
    command = [*pinned, f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(script)] if script else []
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def milliseconds(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    statuses: dict[int, int] = {}
    for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE):
        statuses[int(status)] = statuses.get(int(status), 0) + int(count)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=milliseconds("50%"),
        p99=milliseconds("99%"),
        errors=errors,
        statuses=statuses,
    )

"""What `make test` reports about the run itself (a pytest plugin, loaded by tests/conftest.py).

- **Slow tests.** A test that takes over 10 s (setup, call and teardown together) says why with
  `@pytest.mark.slow(reason=...)`; the end of the run lists those that do not. Listed, not
  failed: the same test takes twice as long on a machine busy with other work.
- **CPU time.** The processor time each test took, its child processes included (those it
  waited for, counted when they end: a worker's Chromium in its last test): a fairer measure
  than the wall clock on a machine busy with other work. The end of the run gives the total
  and the 15 tests that took most; `test-artifacts/test-times.tsv` has every test's wall and
  CPU seconds.
- **Each worker's order.** pytest-randomly shuffles the suite from its seed and every xdist
  worker collects the same order, but the tests go to whichever worker is free, so a worker's
  share differs from run to run. Each worker writes the tests it ran, in order, to
  `test-artifacts/order-<worker>.txt`; a failure that depends on what ran before it is
  replayed in one process, with the same seed for `random`, by

      .venv/bin/python -m pytest -p no:xdist --randomly-seed=N --randomly-dont-reorganize @test-artifacts/order-gw1.txt
"""

from __future__ import annotations

import resource
from collections import defaultdict
from pathlib import Path

import pytest

SLOW_AFTER = 10.0  # seconds
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

_durations: dict[str, float] = defaultdict(float)
_cpu: dict[str, float] = {}
_explained: set[str] = set()
_cpu_at_start: float = 0.0
# The first test of each xdist worker: its setup includes creating the worker's test database.
_first_of_worker: dict[str, str] = {}
_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for mark in item.iter_markers("slow"):
            if not mark.kwargs.get("reason"):
                raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.slow needs reason=... (why it takes over 10 s)")


def order_file(config: pytest.Config) -> Path | None:
    worker = getattr(config, "workerinput", {}).get("workerid")
    return ARTIFACTS / f"order-{worker}.txt" if worker else None


def pytest_sessionstart(session: pytest.Session) -> None:
    path = order_file(session.config)
    if path is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        path.write_text("", encoding="utf-8")


def cpu_seconds() -> float:
    """User and system time of this process and of the children it has waited for."""
    seconds = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        seconds += usage.ru_utime + usage.ru_stime
    return seconds


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    if call.when == "teardown":
        # On the teardown report, which xdist sends to the controller like the others.
        outcome.get_result().user_properties.append(("cpu_seconds", cpu_seconds() - _cpu_at_start))


def pytest_runtest_logstart(nodeid: str, location: tuple) -> None:
    global _cpu_at_start
    _cpu_at_start = cpu_seconds()
    # Written as each test starts, so a worker that crashes leaves the test that crashed it last.
    path = order_file(_config) if _config is not None else None
    if path is not None:
        with path.open("a", encoding="utf-8") as order:
            order.write(nodeid + "\n")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] += report.duration
    node = getattr(report, "node", None)  # the worker, on the controller's copy of a report
    if node is not None:
        _first_of_worker.setdefault(node.gateway.id, report.nodeid)
    for name, value in report.user_properties:
        if name == "cpu_seconds":
            _cpu[report.nodeid] = value
    if "slow" in report.keywords:
        _explained.add(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    unexplained = sorted(
        (
            (seconds, nodeid)
            for nodeid, seconds in _durations.items()
            if seconds > SLOW_AFTER and nodeid not in _explained
        ),
        reverse=True,
    )
    if unexplained:
        terminalreporter.section(f"over {SLOW_AFTER:.0f} s without @pytest.mark.slow(reason=...)", yellow=True)
        first = {nodeid: worker for worker, nodeid in _first_of_worker.items()}
        for seconds, nodeid in unexplained:
            note = f" (first on {first[nodeid]}: includes creating its test database)" if nodeid in first else ""
            terminalreporter.write_line(f"{seconds:6.2f}s {nodeid}{note}")
    if _cpu:
        ARTIFACTS.mkdir(exist_ok=True)
        rows = sorted(_durations.items(), key=lambda item: -item[1])
        (ARTIFACTS / "test-times.tsv").write_text(
            "wall_seconds\tcpu_seconds\ttest\n"
            + "".join(f"{wall:.3f}\t{_cpu.get(nodeid, 0):.3f}\t{nodeid}\n" for nodeid, wall in rows),
            encoding="utf-8",
        )
        terminalreporter.section("CPU time (processes and the children they waited for)")
        for nodeid, seconds in sorted(_cpu.items(), key=lambda item: -item[1])[:15]:
            terminalreporter.write_line(f"{seconds:6.2f}s {nodeid}")
        terminalreporter.write_line(f"{sum(_cpu.values()):.1f}s in {len(_cpu)} tests")
    seed = getattr(config.option, "randomly_seed", None)
    if exitstatus != 0 and seed is not None and getattr(config.option, "numprocesses", None):
        terminalreporter.write_line(
            f"Each worker's order is in {ARTIFACTS.name}/order-gw*.txt; replay one in one process with: "
            f".venv/bin/python -m pytest -p no:xdist --randomly-seed={seed} --randomly-dont-reorganize "
            f"@{ARTIFACTS.name}/order-gwN.txt"
        )

"""What each pytest-xdist worker keeps to itself, so that `make test` can run on every core.

pytest-xdist starts one process per core (`gw0`, `gw1`, ...) and names it in the environment
variable PYTEST_XDIST_WORKER before the settings are read. Everything a test shares with the
rest of the machine then gets the worker's own copy:

- the database: pytest-django names each worker's test database (`test_<name>_gw0`, and
  `var/test-tracker.sqlite3_gw0` on SQLite);
- Redis: the worker's own database number, the URL's number plus the worker's index (so
  `redis://…/0` gives gw0 database 0 and gw1 database 1), for the broker, the result backend,
  the cache and TEST_REDIS_URL alike (`isolate_environment`);
- folders under `var/` (the embedded broker's): `worker_suffix()` names them per worker;
- ports: tests take free ones from the system (`services.free_port`, the live server's port 0).

What is expensive to make and the same for every worker (what a production instance answers)
is made once per run by whichever worker asks first (`made_once_per_run`), not once per worker.

A child process a test starts (a Celery worker, `make run`'s processes, a command) inherits the
worker's environment, so it reads the same database, broker and folders as the test that
started it. Without xdist (`make test WORKERS=0`, one file run by hand) nothing changes.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, MutableMapping
from urllib.parse import urlsplit, urlunsplit

# The variables that may name a Redis server the tests use; each gets the worker's database.
REDIS_VARIABLES = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL", "TEST_REDIS_URL")
# Set once the variables above are the worker's own: a child process inherits them rewritten
# and must not add its worker's index a second time.
MARK = "TRACKER_TEST_WORKER_ENVIRONMENT"
REDIS_DATABASES = 16  # Redis' default `databases`


def worker_id(environ: MutableMapping[str, str] = os.environ) -> str:
    """This process's xdist worker ("gw0", "gw1", ...), or "" when the tests run in one process."""
    return environ.get("PYTEST_XDIST_WORKER", "")


def worker_index(environ: MutableMapping[str, str] = os.environ) -> int:
    """0 for gw0 (and for a run without xdist), 1 for gw1, ..."""
    worker = worker_id(environ)
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def worker_suffix(environ: MutableMapping[str, str] = os.environ) -> str:
    """The suffix of a worker's own file and folder names ("-gw0"); "" without xdist."""
    worker = worker_id(environ)
    return f"-{worker}" if worker else ""


def redis_url_for_worker(url: str, index: int) -> str:
    """`url` with its database number moved up by `index`; other URLs unchanged."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or index == 0:
        return url
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    database = base + index
    if database >= REDIS_DATABASES:
        raise RuntimeError(
            f"Redis database {base} + worker index {index} = {database}, but Redis has only "
            f"{REDIS_DATABASES} (0-{REDIS_DATABASES - 1}): give the tests a lower database number in "
            f"{url!r} or fewer workers (make test WORKERS=...)"
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


def isolate_environment(environ: MutableMapping[str, str] = os.environ) -> None:
    """Point this worker's Redis variables at its own database number (once per process tree)."""
    worker = worker_id(environ)
    if not worker or environ.get(MARK) == worker:
        return
    index = worker_index(environ)
    for name in REDIS_VARIABLES:
        if environ.get(name):
            environ[name] = redis_url_for_worker(environ[name], index)
    environ[MARK] = worker


def made_once_per_run(tmp_path_factory, name: str, make: Callable[[], str]) -> str:
    """What `make()` returns, made by the first worker of this run that asks and read by the rest.

    pytest-xdist gives each worker a module- or session-scoped fixture of its own, so a fixture
    that starts a production instance ran once per worker. The result is kept in the run's
    temporary folder, which the workers share (a run without xdist has it to itself); a lock
    makes the others wait for the first. If `make` fails, nothing is kept: each worker that
    asks tries again and reports its own failure.
    """
    folder = tmp_path_factory.getbasetemp()
    if worker_id():
        folder = folder.parent  # pytest-of-<user>/pytest-<run>/, the parent of popen-gw0, popen-gw1...
    result = folder / f"{name}.made-once"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            made = make()
            partial = result.with_suffix(".partial")
            partial.write_text(made, encoding="utf-8")
            partial.rename(result)
        return result.read_text(encoding="utf-8")

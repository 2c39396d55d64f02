"""Settings for the test suite: the project's settings, made fast and isolated.

The database and broker still come from the environment, so `.ci/run` can run the same suite
against PostgreSQL and Redis (TRACKER_TEST_SERVICES=real).
"""

from __future__ import annotations

import os

from tests.support import workers

# Each pytest-xdist worker gets its own Redis database numbers (and its children inherit them):
# before the project's settings read the environment.
workers.isolate_environment()

from tracker.settings import *  # noqa: E402, F403
from tracker.settings import DATABASES, VAR_DIR  # noqa: E402

# Under pytest-xdist, a worker's own name for what it writes under var/ ("-gw0"; "" without it).
WORKER_SUFFIX = workers.worker_suffix()

# A file, not SQLite's default in-memory test database, so a real Celery worker process
# started by a test can open the same database.
# Both backends are Django's, with a flush that starts the key counters again (so the seeded
# treaty is copied after a flush too); PostgreSQL's empties tables with DELETE: a
# transaction=True test's TRUNCATE cost 1.3 s.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "tests.support.sqlite"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-tracker.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "tests.support.postgresql"
    # A test database is thrown away after the run: no commit needs to wait for the write-ahead
    # log to reach the disk (what is committed is still what every other connection sees).
    # Its tables are small but never analysed, and rolled-back tests leave them full of dead
    # rows: the planner's guesses made the treaty list's query cost enough for JIT compilation,
    # 90 ms each time for a query of 1 ms, and started parallel workers (a process each) for
    # queries of a few rows. Neither pays on data this size.
    _server_options = ("synchronous_commit=off", "jit=off", "max_parallel_workers_per_gather=0")
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join([_options.get("options", ""), *(f"-c {o}" for o in _server_options)]).strip()

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A real worker process started by a test may be pointed at the test's SMTP server (aiosmtpd).
# A variable of its own, so a developer's EMAIL_URL in .env never makes the tests send mail.
if os.environ.get("TEST_EMAIL_URL"):
    from tracker import env

    globals().update(env.email("TEST_EMAIL_URL", "smtp://127.0.0.1:25"))
SITE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Keep the tests' broker apart from the one `make run` uses on the same machine, and each
# xdist worker's apart from the other's (a worker started by one test must not take the
# tasks the other worker's tests publish).
if "CELERY_BROKER_URL" not in os.environ:
    _test_broker = VAR_DIR / f"test-celery-broker{WORKER_SUFFIX}"
    _test_broker_control = VAR_DIR / f"test-celery-broker{WORKER_SUFFIX}-control"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_test_broker),
        "data_folder_out": str(_test_broker),
        "control_folder": str(_test_broker_control),
    }
    EMBEDDED_FOLDERS = [*EMBEDDED_FOLDERS, _test_broker, _test_broker_control]  # noqa: F405
    if "CELERY_RESULT_BACKEND" not in os.environ:
        _test_results = VAR_DIR / f"test-celery-broker{WORKER_SUFFIX}-results"
        CELERY_RESULT_BACKEND = f"file://{_test_results}"
        EMBEDDED_FOLDERS.append(_test_results)

# Cached answers read the data version afresh on every request, so a test sees its own writes
# at once (production reuses it for up to a second; tests/views/test_caching.py).
DATA_VERSION_MAX_AGE = 0

"""Settings for the test suite: the project's settings, made fast and isolated.

The database and broker still come from the environment, so `.ci/run` can run the same suite
against PostgreSQL and Redis (TRACKER_TEST_SERVICES=real).
"""

from __future__ import annotations

import os

from tracker.settings import *  # noqa: F403
from tracker.settings import DATABASES, VAR_DIR

# A file, not SQLite's default in-memory test database, so a real Celery worker process
# started by a test can open the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-tracker.sqlite3")}

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

# Keep the tests' broker apart from the one `make run` uses on the same machine.
if "CELERY_BROKER_URL" not in os.environ:
    _test_broker = VAR_DIR / "test-celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_test_broker),
        "data_folder_out": str(_test_broker),
        "control_folder": str(VAR_DIR / "test-celery-broker-control"),
    }
    EMBEDDED_FOLDERS = [*EMBEDDED_FOLDERS, _test_broker, VAR_DIR / "test-celery-broker-control"]  # noqa: F405

# Cached answers read the data version afresh on every request, so a test sees its own writes
# at once (production reuses it for up to a second; tests/views/test_caching.py).
DATA_VERSION_MAX_AGE = 0

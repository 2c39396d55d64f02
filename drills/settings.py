"""Settings for the fault drills: the test settings, with production's minutes scaled down.

Each drill prints its figures next to what they mean with the production values (README,
"Fault drills"). Only timings change here; every mechanism is the production one.
"""

from __future__ import annotations

import os

from tests.settings import *  # noqa: F403

# The sweeper runs every 3 s instead of every minute; a row stays claimed by a dead worker
# 75 s instead of 150 s (still longer than the chunk task's hard limit, as in production).
ALERTS_SWEEP_INTERVAL = 3
ALERTS_CHUNK_TIME_LIMIT = 70
ALERTS_SENDING_LEASE = 75
ALERTS_REQUEUE_AFTER = 20
# SMTP retries after 1 s, 2 s, 4 s ... capped at 5 s instead of 1 minute ... 15 minutes.
ALERTS_RETRY_BASE_DELAY = 1
ALERTS_RETRY_MAX_DELAY = 5
ALERTS_MAX_ATTEMPTS = 30
# A drill at production scale in time (docs/reliability.md: the SMTP server down for 10 minutes)
# keeps production's retry schedule: 60 s doubling to 15 minutes, 8 attempts.
if os.environ.get("DRILL_PRODUCTION_RETRIES"):
    ALERTS_RETRY_BASE_DELAY = 60
    ALERTS_RETRY_MAX_DELAY = 15 * 60
    ALERTS_MAX_ATTEMPTS = 8
# One fetch attempt may take 3 s instead of 30 s.
POLL_FETCH_TIMEOUT = 3
POLL_FETCH_BACKOFF = 0.5
POLL_JITTER_SECONDS = 0
STAFF_ALERT_EMAILS = ["ops@example.org"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # aiosmtpd narrates every SMTP command at INFO.
    "loggers": {"mail.log": {"level": "WARNING"}},
}

# The visibility-timeout drill runs its worker with Redis' visibility timeout at 60 s.
if os.environ.get("DRILL_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["DRILL_VISIBILITY_TIMEOUT"]),
    }

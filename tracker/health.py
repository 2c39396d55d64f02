"""`/healthz`: can this instance serve, and is the data current? JSON for monitors.

200 when every check passes, 503 otherwise. Checks: the database answers; the broker accepts
a connection; every polled treaty was read successfully within three polling intervals (the
dead-man's switch, seen from outside: an uptime monitor on /healthz notices a dead beat or
worker, which the hourly staff alert cannot), or, if never read yet, was added less than
three intervals ago.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok"}
    except Exception as error:
        logger.warning("health: database failing: %s", error)
        return {"status": "failing", "error": type(error).__name__}


def _broker() -> dict:
    from tracker.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return {"status": "ok"}
    except Exception as error:
        logger.warning("health: broker failing: %s", error)
        return {"status": "failing", "error": type(error).__name__}


def _polls() -> dict:
    """Per treaty: when it was last read successfully, and whether that is recent enough.

    A treaty never read yet says so (`last_success_at` null, state `never-succeeded`) rather
    than reporting the time since it was added as the age of a success; it stays healthy for
    the first three intervals, so a fresh start is not an outage.
    """
    from ratification.models import Treaty
    from ratification.selectors import treaty_freshness
    from ratification.services.monitoring import silence_limit

    now = timezone.now()
    treaties = {}
    for treaty in Treaty.objects.filter(poll_enabled=True).select_related("poll_task__interval"):
        last_success_at = treaty_freshness(treaty=treaty).last_success_at
        quiet_for = (now - (last_success_at or treaty.created_at)).total_seconds()
        within_limit = quiet_for < silence_limit(treaty).total_seconds()
        state = "never-succeeded" if last_success_at is None else ("succeeding" if within_limit else "silent")
        treaties[treaty.mtdsg] = {
            "status": "ok" if within_limit else "failing",
            "state": state,
            "last_success_at": last_success_at.isoformat() if last_success_at else None,
            "last_success_age_seconds": round(quiet_for) if last_success_at else None,
        }
    healthy = all(item["status"] == "ok" for item in treaties.values())
    return {"status": "ok" if healthy else "failing", "treaties": treaties}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    checks["broker"] = _broker()
    checks["polls"] = _polls() if checks["database"]["status"] == "ok" else {"status": "unknown"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)

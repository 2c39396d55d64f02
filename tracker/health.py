"""`/healthz`: can this instance serve, and is the data current? JSON for monitors.

200 when every check passes, 503 otherwise. Checks: the database answers; the broker accepts
a connection; every polled treaty was read successfully within three polling intervals (the
dead-man's switch, seen from outside: an uptime monitor on /healthz notices a dead beat or
worker, which the hourly staff alert cannot).
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
    from ratification.models import Treaty
    from ratification.services.monitoring import last_success_or_creation, silence_limit

    now = timezone.now()
    treaties = {}
    for treaty in Treaty.objects.filter(poll_enabled=True):
        since = last_success_or_creation(treaty)
        age = (now - since).total_seconds()
        treaties[treaty.mtdsg] = {
            "status": "ok" if age < silence_limit(treaty).total_seconds() else "failing",
            "last_success_age_seconds": round(age),
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

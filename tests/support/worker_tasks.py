"""Tasks only the tests' real workers load (`celery worker --include`), never the tracker's own."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=False)
def ping() -> str:
    """Answer "pong": a task that went through the broker to a worker and back through the result backend."""
    return "pong"

"""Celery tasks: thin wrappers that take ids, call one service, and retry."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=False)
def ping() -> str:
    """Answer "pong": proves a worker is consuming from the broker (health checks, tests)."""
    return "pong"

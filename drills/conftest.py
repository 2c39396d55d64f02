"""The fault drills run against real parts only: PostgreSQL, a redis-server of their own,
Celery worker and beat processes, an aiosmtpd server and a stand-in for the UN Treaty
Collection. They refuse to run (not skip) without them."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from drills.support import RedisServer
from tests.support.http_server import local_server
from tests.support.smtp import SmtpSink

_redis_folder = Path(tempfile.mkdtemp(prefix="drill-redis-"))
REDIS = RedisServer(_redis_folder)
# Celery lets these variables win over any configuration: every publish of this process and
# its children goes to the drills' own Redis.
os.environ["CELERY_BROKER_URL"] = os.environ["CELERY_RESULT_BACKEND"] = REDIS.url


def pytest_sessionstart(session: pytest.Session) -> None:
    from tracker import embedded

    embedded.prepare()  # as every program does at start-up
    problems = []
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        problems.append("DATABASE_URL must name PostgreSQL (make drills sets it)")
    if shutil.which("redis-server") is None:
        problems.append("redis-server is not installed")
    if problems:
        pytest.exit("the drills need real services: " + "; ".join(problems), returncode=3)
    REDIS.start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    REDIS.stop()
    shutil.rmtree(_redis_folder, ignore_errors=True)


@pytest.fixture
def redis_server() -> RedisServer:
    if not REDIS.answers():
        REDIS.start()
    import redis

    redis.Redis.from_url(REDIS.url).flushdb()
    return REDIS


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def untc(settings):
    """The stand-in for treaties.un.org, for this process and the workers it starts."""
    with local_server() as server:
        settings.UNTC_BASE_URL = server.base_url
        yield server


@pytest.fixture
def child(untc, smtp) -> dict[str, str]:
    """Environment of the worker and beat processes: the same UNTC stand-in and SMTP server."""
    return {"UNTC_BASE_URL": untc.base_url, "TEST_EMAIL_URL": smtp.url}


@pytest.fixture
def treaty(db):
    """XVIII-16 with its 72 seeded signatories, as `make run` leaves it."""
    from ratification.models import Treaty
    from ratification.services.seed import treaty_seed

    treaty_seed()
    return Treaty.objects.get(mtdsg="XVIII-16")

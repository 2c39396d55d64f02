"""With the real shared cache (Redis) and database (PostgreSQL): a poll recorded by another
process shows on the next page view, with no call from that process to the web server."""

from __future__ import annotations

import subprocess
import sys
import uuid
from unittest import mock

import pytest

from ratification import selectors
from ratification.cache import recent
from tests.support.services import REDIS_URL, ROOT, child_env

RECORD_A_RATIFICATION = """
import datetime
from django.db import transaction
from ratification.models import Action, ActionKind, Participant, Treaty
treaty = Treaty.objects.get(mtdsg="XVIII-16")
with transaction.atomic():
    Action.objects.create(treaty=treaty, participant=Participant.objects.get(code="FRA"),
                          kind=ActionKind.RATIFICATION, date=datetime.date(2026, 2, 1))
"""


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A prefix of its own instead of a FLUSHDB: other tests may share this Redis db.
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    recent.clear()
    yield
    recent.clear()


@pytest.mark.real_services
@pytest.mark.django_db(transaction=True)
class CacheAcrossProcessesTests:
    def test_another_web_process_serves_the_page_from_the_shared_cache(self, client, treaty, redis_cache):
        client.get("/")
        recent.clear()  # as if the next request reached another gunicorn worker
        with mock.patch.object(selectors, "treaty_overview", wraps=selectors.treaty_overview) as overview:
            assert client.get("/").status_code == 200
        assert overview.call_count == 0

    def test_a_change_recorded_by_the_worker_process_shows_on_the_next_view(self, client, treaty, redis_cache):
        before = client.get("/")
        assert "<strong>0</strong> of 40 instruments counted" in before.content.decode()
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", RECORD_A_RATIFICATION],
            cwd=ROOT,
            env=child_env(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        after = client.get("/", headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        assert "<strong>1</strong> of 40 instruments counted" in after.content.decode()

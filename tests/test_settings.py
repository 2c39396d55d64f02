from __future__ import annotations

from django.conf import settings


class CelerySettingsTests:
    def test_it_keeps_redis_visibility_timeout_above_every_task_time_limit(self):
        # pretix #2058: a task outliving visibility_timeout is delivered again and runs twice.
        from tracker.settings import CELERY_TASK_TIME_LIMIT

        visibility_timeout = 60 * 60
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        if settings.CELERY_BROKER_URL.startswith("redis"):
            visibility_timeout = options["visibility_timeout"]
        assert visibility_timeout > CELERY_TASK_TIME_LIMIT
        # The jitter is a countdown: a task waiting longer than visibility_timeout is re-delivered.
        assert visibility_timeout > settings.POLL_JITTER_SECONDS
        assert settings.CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT

    def test_it_acknowledges_late_so_a_killed_worker_loses_nothing(self):
        assert settings.CELERY_TASK_ACKS_LATE is True
        assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
        assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1

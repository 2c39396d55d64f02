"""The test suite's own isolation between pytest-xdist workers (tests/support/workers.py)."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.support import workers


class WorkerIsolationTests:
    def test_each_worker_gets_its_own_redis_database_number(self):
        assert workers.redis_url_for_worker("redis://127.0.0.1:6379/0", 0) == "redis://127.0.0.1:6379/0"
        assert workers.redis_url_for_worker("redis://127.0.0.1:6379/0", 1) == "redis://127.0.0.1:6379/1"
        assert workers.redis_url_for_worker("redis://127.0.0.1:6379/9", 1) == "redis://127.0.0.1:6379/10"
        assert workers.redis_url_for_worker("redis://127.0.0.1:6379", 1) == "redis://127.0.0.1:6379/1"
        assert (
            workers.redis_url_for_worker("rediss://:pw@cache.example:6380/2", 3) == "rediss://:pw@cache.example:6380/5"
        )

    def test_other_urls_are_left_alone(self):
        for url in ("filesystem:///tmp/broker", "file:///tmp/results", "locmemcache://", "memory://"):
            assert workers.redis_url_for_worker(url, 1) == url

    def test_a_database_number_past_redis_last_one_is_refused_with_what_to_do(self):
        with pytest.raises(RuntimeError, match=r"Redis database 15 \+ worker index 1 = 16.*lower database number"):
            workers.redis_url_for_worker("redis://127.0.0.1:6379/15", 1)

    def test_a_worker_rewrites_its_environment_once_and_its_children_keep_it(self):
        environ = {
            "PYTEST_XDIST_WORKER": "gw1",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
            "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/4",
            "TEST_REDIS_URL": "redis://127.0.0.1:6379/4",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        }
        workers.isolate_environment(environ)
        assert environ["CELERY_BROKER_URL"] == environ["TEST_REDIS_URL"] == "redis://127.0.0.1:6379/5"
        assert environ["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/test"  # pytest-django names it
        child = dict(environ)  # what a Celery worker started by a test inherits
        workers.isolate_environment(child)
        assert child["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/5"

    def test_nothing_changes_without_xdist(self):
        environ = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
        workers.isolate_environment(environ)
        assert environ == {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
        assert (workers.worker_index(environ), workers.worker_suffix(environ)) == (0, "")

    def test_a_worker_names_its_own_folders(self):
        assert workers.worker_suffix({"PYTEST_XDIST_WORKER": "gw3"}) == "-gw3"
        assert workers.worker_index({"PYTEST_XDIST_WORKER": "gw3"}) == 3

    def test_this_worker_brokers_its_tasks_apart_from_the_others(self, settings):
        worker = workers.worker_id()
        if settings.CELERY_BROKER_URL.startswith("redis"):
            # Rewritten before the settings read it, once for this worker and its children.
            assert os.environ.get(workers.MARK, "") == worker
            assert os.environ["CELERY_BROKER_URL"] == settings.CELERY_BROKER_URL
        else:
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
            assert folder.endswith("test-celery-broker" + workers.worker_suffix())

    def test_what_every_worker_needs_is_made_once_per_run(self, tmp_path_factory):
        name = f"answers-{uuid.uuid4().hex}"  # this run's folder is shared with the other tests
        made = []

        def make() -> str:
            made.append(1)
            return '{"ok": true}'

        assert workers.made_once_per_run(tmp_path_factory, name, make) == '{"ok": true}'
        assert workers.made_once_per_run(tmp_path_factory, name, make) == '{"ok": true}'
        assert made == [1]

    def test_a_failed_making_keeps_nothing_and_the_next_one_tries_again(self, tmp_path_factory):
        name = f"answers-{uuid.uuid4().hex}"

        def fail() -> str:
            raise AssertionError("the probe exited with 1")

        with pytest.raises(AssertionError, match="exited with 1"):
            workers.made_once_per_run(tmp_path_factory, name, fail)
        assert workers.made_once_per_run(tmp_path_factory, name, lambda: "second") == "second"

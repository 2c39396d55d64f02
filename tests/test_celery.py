"""A task round-trips through a real worker process, on the embedded broker and on Redis."""

from __future__ import annotations

import pytest
from celery import current_app

from tests.support.services import REDIS_URL, celery_worker, client_app


def round_trip(broker_url: str, result_backend: str, tmp_path) -> str:
    with (
        celery_worker(broker_url=broker_url, result_backend=result_backend, log_path=tmp_path / "worker.log"),
        client_app(broker_url=broker_url, result_backend=result_backend) as client,
    ):
        answer = client.send_task("tests.support.worker_tasks.ping").get(timeout=60)
    # The client must not have become the current app: the tests after this one publish the
    # project's shared tasks, and they would land on the client's (closed, not eager) broker.
    assert current_app.main == "tracker"
    return answer


@pytest.mark.slow(reason="starts a real Celery worker process and waits for it to be ready")
@pytest.mark.django_db(transaction=True)
class CeleryRoundTripTests:
    def test_it_runs_a_task_on_the_embedded_broker(self, tmp_path):
        broker = f"filesystem://{tmp_path / 'broker'}"
        (tmp_path / "results").mkdir()
        backend = f"file://{tmp_path / 'results'}"
        assert round_trip(broker, backend, tmp_path) == "pong"

    @pytest.mark.real_services
    def test_it_runs_a_task_on_redis(self, tmp_path):
        assert round_trip(REDIS_URL, REDIS_URL, tmp_path) == "pong"

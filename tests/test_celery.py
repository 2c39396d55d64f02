"""A task round-trips through a real worker process, on the embedded broker and on Redis."""

from __future__ import annotations

import pytest

from tests.support.services import REDIS_URL, celery_worker, client_app


def round_trip(broker_url: str, result_backend: str, tmp_path) -> str:
    with celery_worker(broker_url=broker_url, result_backend=result_backend, log_path=tmp_path / "worker.log"):
        client = client_app(broker_url=broker_url, result_backend=result_backend)
        try:
            return client.send_task("ratification.tasks.ping").get(timeout=60)
        finally:
            client.close()


@pytest.mark.django_db(transaction=True)
class CeleryRoundTripTests:
    def test_it_runs_a_task_on_the_embedded_broker(self, tmp_path):
        broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
        backend = f"db+sqlite:///{tmp_path / 'results.sqlite'}"
        assert round_trip(broker, backend, tmp_path) == "pong"

    @pytest.mark.real_services
    def test_it_runs_a_task_on_redis(self, tmp_path):
        assert round_trip(REDIS_URL, REDIS_URL, tmp_path) == "pong"

"""Structured logs: one line per poll and per delivery chunk, as JSON in production."""

from __future__ import annotations

import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from ratification.services.polling import poll_treaty
from tests.support.http_server import local_server, ok, status
from tests.support.untc_files import URL_PATH, hanoi_file, hanoi_rows

pytestmark = pytest.mark.django_db


class PollLogTests:
    def test_it_writes_one_json_line_per_poll(self, treaty, settings, caplog):
        with local_server() as server:
            server.routes[URL_PATH] = [ok(hanoi_file(hanoi_rows()))]
            settings.UNTC_BASE_URL = server.base_url
            with caplog.at_level(logging.INFO, logger="ratification.services.polling"):
                poll_treaty(treaty=treaty)
        [record] = [r for r in caplog.records if getattr(r, "event", None) == "poll"]
        line = json.loads(JsonFormatter("%(levelname)s %(name)s %(message)s").format(record))
        assert line["treaty"] == "XVIII-16"
        assert line["outcome"] == "unchanged"
        assert line["http_status"] == 200
        assert line["events"] == 0
        assert line["duration_seconds"] >= 0

    def test_a_failed_polls_line_says_why(self, treaty, settings, caplog):
        with local_server() as server:
            server.routes[URL_PATH] = [status(404)]
            settings.UNTC_BASE_URL = server.base_url
            with caplog.at_level(logging.INFO, logger="ratification.services.polling"):
                poll_treaty(treaty=treaty)
        [record] = [r for r in caplog.records if getattr(r, "event", None) == "poll"]
        assert record.levelname == "WARNING"
        assert record.getMessage().startswith("poll XVIII-16 failed: ")
        assert record.getMessage().endswith("answered HTTP 404")


class DeliveryChunkLogTests:
    def test_it_writes_one_line_per_chunk(self, treaty, caplog):
        from alerts.models import Delivery
        from alerts.services.delivery import deliveries_send
        from tests.alerts.world import instrument, record, subscribe

        subscribe("ada@example.org", treaty)
        subscribe("grace@example.org", treaty)
        record(treaty, instrument("Ghana"))
        with caplog.at_level(logging.INFO, logger="alerts.services.delivery"):
            deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
        [record_] = [r for r in caplog.records if getattr(r, "event", None) == "delivery_chunk"]
        assert (record_.claimed, record_.sent, record_.failed) == (2, 2, 0)

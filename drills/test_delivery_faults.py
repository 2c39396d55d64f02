"""Delivery under faults: a worker killed mid-fan-out, Redis down across a commit, the SMTP
server down, and chunks against Redis' visibility timeout. Every loop is bounded."""

from __future__ import annotations

import os
import random
import re
import signal
import statistics
import time

import pytest
from django.conf import settings

from alerts.models import Alert, Delivery, DeliveryStatus
from drills.support import FanOutGauge, beat, elapsed, figures, supervised_worker, worker
from drills.world import baseline, copies_per_recipient, deposit, unfinished
from tests.support.services import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
CONCURRENCY = 2


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class WorkerKillDrill:
    """Kill -9 a worker mid-fan-out, restart it: 0 lost, duplicates <= concurrency per kill."""

    def test_a_killed_worker_loses_no_alert(self, treaty, redis_server, smtp, untc, child, tmp_path):
        trials, subscribers = env_int("DRILL_KILL_TRIALS", 3), env_int("DRILL_SUBSCRIBERS", 3000)
        baseline(treaty, untc, subscribers)
        smtp.handler.delay = 0.001  # a relay a little slower than loopback, so the kill lands mid-way
        log = tmp_path / "worker.log"
        worst_duplicates, recoveries = 0, []
        with beat(broker_url=redis_server.url, log_path=tmp_path / "beat.log", **child):
            for trial in range(1, trials + 1):
                smtp.handler.received.clear()
                kill_at = random.randint(subscribers // 10, subscribers * 7 // 10)
                with worker(broker_url=redis_server.url, log_path=log, concurrency=CONCURRENCY, **child) as first:
                    deposit(treaty, untc, trial)
                    wait_for(
                        lambda kill_at=kill_at: len(smtp.received) >= kill_at,
                        timeout=300,
                        message="the fan-out to reach the kill point",
                    )
                    os.killpg(first.pid, signal.SIGKILL)
                    first.wait(timeout=30)
                sent_at_kill = len(smtp.received)
                restarted = time.monotonic()
                with worker(broker_url=redis_server.url, log_path=log, concurrency=CONCURRENCY, **child):
                    wait_for(lambda: unfinished() == 0, timeout=600, interval=0.5, message="every delivery to finish")
                recovered = time.monotonic() - restarted
                copies = copies_per_recipient(smtp.received)
                lost = subscribers - len(copies)
                duplicates = sum(count - 1 for count in copies.values())
                worst_duplicates = max(worst_duplicates, duplicates)
                recoveries.append(recovered)
                figures(
                    f"worker-kill trial {trial}/{trials}",
                    subscribers=subscribers,
                    killed_after_sent=sent_at_kill,
                    lost=lost,
                    duplicated=duplicates,
                    recovered_within=f"{recovered:.1f}s",
                )
                assert lost == 0
                assert duplicates <= CONCURRENCY
        figures(
            "worker-kill",
            trials=trials,
            lost=0,
            worst_duplicates=worst_duplicates,
            slowest_recovery=f"{max(recoveries):.1f}s",
        )


class RedisDownDrill:
    """Redis down across an ingest commit: the alert waits, nothing is lost, nothing doubled."""

    def test_an_alert_recorded_while_redis_is_down_goes_out_when_it_returns(
        self, treaty, redis_server, smtp, untc, child, tmp_path
    ):
        down_for, subscribers = env_int("DRILL_REDIS_DOWN_SECONDS", 60), env_int("DRILL_REDIS_SUBSCRIBERS", 500)
        baseline(treaty, untc, subscribers)
        with (
            beat(broker_url=redis_server.url, log_path=tmp_path / "beat.log", **child),
            supervised_worker(broker_url=redis_server.url, log_path=tmp_path / "worker.log", **child) as workers,
        ):
            redis_server.stop()
            went_down = time.monotonic()
            deposit(treaty, untc, 1)  # commits; publishing the fan-out fails
            alert = Alert.objects.get()
            assert alert.queued_at is None, "the fan-out cannot have been published: Redis is down"
            assert Delivery.objects.filter(alert=alert).count() == subscribers
            time.sleep(max(down_for - (time.monotonic() - went_down), 0))
            redis_server.start()
            back = time.monotonic()
            wait_for(
                lambda: workers.alive() and len(smtp.received) > 0,
                timeout=180,
                message="the first alert after Redis returns",
            )
            started_within = time.monotonic() - back
            wait_for(
                lambda: workers.alive() and unfinished() == 0,
                timeout=600,
                interval=0.5,
                message="every delivery to finish",
            )
            drained_within = time.monotonic() - back
        copies = copies_per_recipient(smtp.received)
        lost, duplicates = subscribers - len(copies), sum(count - 1 for count in copies.values())
        figures(
            "redis-down",
            down_for=f"{down_for}s",
            subscribers=subscribers,
            lost=lost,
            duplicated=duplicates,
            dispatch_started_within=f"{started_within:.1f}s",
            drained_within=f"{drained_within:.1f}s",
            worker_restarts=workers.restarts,
        )
        assert lost == 0 and duplicates == 0
        assert started_within <= 120

    def test_a_rolled_back_ingest_publishes_nothing(self, treaty, redis_server, untc):
        import redis
        from django.db import transaction

        baseline(treaty, untc, 10)
        with pytest.raises(RuntimeError), transaction.atomic():
            deposit(treaty, untc, 1)
            raise RuntimeError("the ingest fails after recording its events")
        queued = redis.Redis.from_url(redis_server.url).llen("celery")
        figures("rolled-back-ingest", alerts=Alert.objects.count(), tasks_published=queued)
        assert Alert.objects.count() == 0
        assert queued == 0


class SmtpDownDrill:
    """The SMTP server refuses connections, then resets mid-message, then recovers."""

    def test_nothing_is_lost_or_doubled_while_the_mail_server_is_away(
        self, treaty, redis_server, smtp, untc, child, tmp_path
    ):
        down_for, subscribers = env_int("DRILL_SMTP_DOWN_SECONDS", 30), env_int("DRILL_SMTP_SUBSCRIBERS", 600)
        baseline(treaty, untc, subscribers)
        smtp.stop()  # connection refused from now on
        with (
            beat(broker_url=redis_server.url, log_path=tmp_path / "beat.log", **child),
            worker(broker_url=redis_server.url, log_path=tmp_path / "worker.log", **child),
        ):
            deposit(treaty, untc, 1)
            time.sleep(down_for)
            attempts_while_down = Delivery.objects.filter(attempts__gt=0).count()
            smtp.start()
            smtp.hang_up_on_next_message()  # the first message after recovery: reset mid-message
            back = time.monotonic()
            # A chunk whose retry failed just as the server came back waits up to the longest
            # retry delay (15 minutes at production timings) before it goes again.
            drain_bound = settings.ALERTS_RETRY_MAX_DELAY + 600
            wait_for(lambda: unfinished() == 0, timeout=drain_bound, interval=0.5, message="the backlog to drain")
            drained_within = time.monotonic() - back
        copies = copies_per_recipient(smtp.received)
        lost = subscribers - len(copies)
        more_than_one = sum(1 for count in copies.values() if count > 1)
        failed = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
        figures(
            "smtp-down",
            down_for=f"{down_for}s",
            subscribers=subscribers,
            retried_while_down=attempts_while_down,
            lost=lost,
            recipients_with_two_copies=more_than_one,
            failed=failed,
            drained_within=f"{drained_within:.1f}s",
        )
        assert lost == 0 and more_than_one == 0 and failed == 0


class VisibilityTimeoutDrill:
    """Chunks stay far inside Redis' visibility timeout, and no task is received twice; the
    worker's memory and the queue stay bounded (docs/reliability.md's 100k fan-out with 4 processes:
    DRILL_FANOUT_SUBSCRIBERS=100000 DRILL_FANOUT_CONCURRENCY=4)."""

    def test_chunks_finish_well_inside_the_visibility_timeout(self, treaty, redis_server, smtp, untc, child, tmp_path):
        subscribers = env_int("DRILL_FANOUT_SUBSCRIBERS", 10000)
        concurrency = env_int("DRILL_FANOUT_CONCURRENCY", CONCURRENCY)
        baseline(treaty, untc, subscribers)
        log = tmp_path / "worker.log"
        started = time.monotonic()
        with (
            worker(
                broker_url=redis_server.url,
                log_path=log,
                concurrency=concurrency,
                DRILL_VISIBILITY_TIMEOUT="60",
                **child,
            ) as process,
            FanOutGauge(worker_pid=process.pid, broker_url=redis_server.url) as gauge,
        ):
            deposit(treaty, untc, 1)
            wait_for(lambda: unfinished() == 0, timeout=3600, interval=0.5, message="the fan-out to finish")
        took = elapsed(started)
        text = log.read_text()
        durations = [
            float(x) for x in re.findall(r"alerts\.tasks\.deliveries_send\[[^\]]+\] succeeded in ([0-9.]+)s", text)
        ]
        received = re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] received", text)
        p99 = statistics.quantiles(durations, n=100)[98] if len(durations) > 1 else durations[0]
        twice = len(received) - len(set(received))
        figures(
            "visibility-timeout",
            visibility_timeout="60s",
            subscribers=subscribers,
            worker_processes=concurrency,
            chunks=len(durations),
            chunk_p99=f"{p99:.2f}s",
            tasks_received_twice=twice,
            fan_out_took=took,
            peak_worker_process_rss=f"{gauge.peak_rss_mb:.0f}MB",
            peak_messages_queued=gauge.peak_queued,
        )
        assert len(copies_per_recipient(smtp.received)) == subscribers
        assert p99 <= 6
        assert twice == 0
        assert gauge.peak_rss_mb < 300

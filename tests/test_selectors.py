from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ratification.models import PollOutcome, PollRun
from ratification.selectors import treaty_freshness

pytestmark = pytest.mark.django_db


class FreshnessTests:
    def test_it_reads_the_last_check_and_the_last_success_from_poll_runs(self, treaty, django_assert_num_queries):
        now = timezone.now()
        PollRun.objects.create(
            treaty=treaty, started_at=now, finished_at=now - datetime.timedelta(hours=6), outcome=PollOutcome.UNCHANGED
        )
        PollRun.objects.create(treaty=treaty, started_at=now, finished_at=now, outcome=PollOutcome.FAILED)
        with django_assert_num_queries(1):
            freshness = treaty_freshness(treaty=treaty)
        assert freshness.last_checked_at == now
        assert freshness.last_success_at == now - datetime.timedelta(hours=6)

    def test_it_knows_nothing_before_the_first_poll(self, treaty):
        freshness = treaty_freshness(treaty=treaty)
        assert (freshness.last_checked_at, freshness.last_success_at, freshness.failing) == (None, None, False)

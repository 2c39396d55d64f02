"""Sign-ups arriving at the same moment all succeed (SQLite included: IMMEDIATE transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from alerts.models import Subscription
from alerts.services.subscriptions import subscription_request


@pytest.mark.django_db(transaction=True)
class ConcurrentSignupTests:
    def test_eight_sign_ups_at_once_are_all_recorded(self, treaty):
        errors: list[Exception] = []
        start = threading.Barrier(8)

        def sign_up(number: int) -> None:
            try:
                start.wait(timeout=10)
                subscription_request(
                    email=f"reader{number}@example.org",
                    treaty=treaty,
                    scope="instruments",
                    participant_codes=[],
                    language="en",
                    client_ip=f"198.51.100.{number}",
                )
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert Subscription.objects.count() == 8

"""The drills' world: XVIII-16 read once from the stand-in, confirmed subscribers, new instruments."""

from __future__ import annotations

from collections import Counter

from django_celery_beat.models import PeriodicTask

from alerts.models import Delivery, DeliveryStatus
from ratification.models import PollOutcome, Treaty
from ratification.services.polling import poll_treaty
from tests.alerts.world import subscribe_many
from tests.support.http_server import LocalServer, ok
from tests.support.untc_files import URL_PATH, hanoi_file, hanoi_rows, with_instruments

# States that deposit in the drills, one per trial, in this order.
DEPOSITORS = ["Ghana", "Qatar", "Viet Nam", "Chile", "France", "Uganda", "Peru", "Togo", "Nauru", "Palau", "Mali"]


def serve(untc: LocalServer, *handlers) -> None:
    untc.requests.clear()
    untc.routes[URL_PATH] = [ok(h) if isinstance(h, bytes) else h for h in handlers]


def baseline(treaty: Treaty, untc: LocalServer, subscribers: int) -> None:
    """The seeded treaty read once (its baseline), polls left to the drill, and subscribers."""
    PeriodicTask.objects.filter(task="ratification.tasks.poll_treaty_scheduled").update(enabled=False)
    serve(untc, hanoi_file(hanoi_rows()))
    assert poll_treaty(treaty=treaty).run.outcome == PollOutcome.UNCHANGED
    subscribe_many(treaty, subscribers)


def deposit(treaty: Treaty, untc: LocalServer, count: int) -> None:
    """The next file from UNTC shows the first `count` depositors' ratifications; poll it here."""
    instruments = {name: f"{day + 1} Feb 2026" for day, name in enumerate(DEPOSITORS[:count])}
    serve(untc, hanoi_file(with_instruments(hanoi_rows(), instruments)))
    report = poll_treaty(treaty=Treaty.objects.get(pk=treaty.pk))
    assert report.run.outcome == PollOutcome.CHANGED, report.run.error


def unfinished() -> int:
    return Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).count()


def copies_per_recipient(messages) -> Counter:
    return Counter(address for item in messages for address in item.recipients)

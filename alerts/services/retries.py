"""Staff send failed deliveries again, once they have fixed the cause (a mail server, a relay)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from alerts.models import Alert, Delivery, DeliveryStatus
from alerts.services.fanout import deliveries_offer


@transaction.atomic
def deliveries_retry(*, delivery_ids: Iterable[int]) -> int:
    """Give these deliveries, if failed, a fresh round of attempts now. Returns how many.

    Only failed rows move (a conditional update: a row sent or pending meanwhile is left alone);
    their alerts may tell staff again if this round fails too. Sending skips, as always, anyone
    unsubscribed or suppressed since.
    """
    failed = Delivery.objects.select_for_update().filter(pk__in=list(delivery_ids), status=DeliveryStatus.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    if not ids:
        return 0
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, due_at=timezone.now(), claim=""
    )
    Alert.objects.filter(deliveries__pk__in=ids).update(staff_alerted_at=None)
    deliveries_offer(ids)  # pending and due: if the broker refuses them, the sweeper publishes them
    return len(ids)

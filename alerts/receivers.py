"""Where a recorded change becomes owed e-mail (`events_recorded`), and where staff learn, before
recording one by hand, how many people it will e-mail (`alert_recipients_counted`)."""

from __future__ import annotations

from alerts import selectors
from alerts.services.fanout import alert_create
from alerts.topics import is_announced


def create_alert_for_recorded_events(sender, *, treaty, events, poll_run=None, **kwargs) -> None:
    """Runs inside the recording transaction: the deliveries commit or roll back with the events."""
    alert_create(treaty=treaty, events=events, poll_run=poll_run)


def count_alert_recipients(sender, *, treaty, events, **kwargs) -> int:
    """How many subscriptions `alert_create` would owe these (unsaved) events: the same selector."""
    announced = [event for event in events if is_announced(event)]
    if not announced:
        return 0
    return selectors.alert_recipients(treaty=treaty, events=announced).count()

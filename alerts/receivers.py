"""Where a recorded change becomes owed e-mail: the `events_recorded` receiver."""

from __future__ import annotations

from alerts.services.fanout import alert_create


def create_alert_for_recorded_events(sender, *, treaty, events, poll_run=None, **kwargs) -> None:
    """Runs inside the recording transaction: the deliveries commit or roll back with the events."""
    alert_create(treaty=treaty, events=events, poll_run=poll_run)

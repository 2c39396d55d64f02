"""Signals other apps listen to, so imports keep flowing one way (ratification <- alerts).

`events_recorded` is sent inside the transaction that records the events: a receiver that
writes rows (the alerts app creates its Delivery rows) commits or rolls back with them, so no
event is ever recorded without its deliveries, nor a delivery without its event.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: treaty (Treaty), events (list[Event], only the newly created ones), poll_run (PollRun | None).
events_recorded = Signal()

# Asked before staff record a change by hand, for the confirmation step ("this will e-mail N
# subscribers"). kwargs: treaty (Treaty), events (list[Event], unsaved: what would be recorded).
# Each receiver returns how many subscribers it would e-mail; nothing is written.
alert_recipients_counted = Signal()

"""What the record tells whoever listens, without knowing who does (the alerts outbox does).

The record never imports its consumers: it writes its rows and sends one of these signals inside
the same transaction. A receiver must not send anything itself; it may only write rows in that
transaction or act once it commits (`transaction.on_commit`).

- `events_recorded(treaty, events, poll_run)`: `Event` rows were saved. They wait in the database
  (`Event.processed_at` empty) until a consumer claims them, so a receiver that does not run (a
  crash after the commit) loses nothing: the consumer's periodic sweep finds them.
- `staff_alert_raised(template, context)`: staff must be told something (a source failing,
  silent or readable again). `templates/emails/staff/<template>_subject.txt` and `_body.txt` are
  rendered with `context`; the receiver owes the message in the same transaction.
"""

from __future__ import annotations

from django.dispatch import Signal

events_recorded = Signal()
staff_alert_raised = Signal()

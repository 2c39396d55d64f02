"""What an alert says: its headline (the e-mail subject), one line per event, and its links.

The sentences about each event (who did what, the count, a reported step, a statement) are the
record's own, said the same way on every surface (`ratification/wording/`); here they are put in
an alert's order and summed up by topic.

Pure functions of events and settings (no queries beyond the rows already loaded), rendered
in the active language: callers wrap them in `translation.override(subscriber.language)`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.topics import Topic, event_topic
from ratification.models import STATEMENT_EVENT_KINDS, Event, EventKind, Treaty
from ratification.wording import statements as statement_wording
from ratification.wording.events import (
    count_phrase,
    did_sentence,
    long_date,
    participant_name,
    reported_detail,
    reported_sentence,
)
from tracker.site import site_url

# Most important first: the subject is the headline of the first event in this order.
TOPIC_ORDER = {
    Topic.MILESTONE: 0,
    Topic.INSTRUMENT: 1,
    Topic.SIGNATURE: 3,
    Topic.OTHER: 4,
    Topic.STATEMENT: 5,
    Topic.STAGE: 6,
}
KIND_ORDER = {EventKind.ENTERED_INTO_FORCE: 0, EventKind.THRESHOLD_REACHED: 1, EventKind.WITHDRAWAL: 2}


@dataclass(frozen=True)
class EventLine:
    """One event as an alert lists it."""

    text: str
    date: datetime.date
    detail: str
    is_milestone: bool
    url: str = ""  # the event's permanent page
    quote: str = ""  # a statement's first lines; its full text is on the event's page


def event_url(event: Event) -> str:
    return site_url(reverse("event", kwargs={"event_id": event.pk})) if event.pk else ""


def source_file_url(event: Event) -> str | None:
    """The page of the archived UNTC file the event was read from (None for a staff entry)."""
    snapshot = event.poll_run.snapshot if event.poll_run_id and event.poll_run.snapshot_id else None
    return site_url(reverse("source", kwargs={"sha256": snapshot.sha256})) if snapshot else None


def importance(event: Event) -> tuple[int, int, datetime.date, int]:
    topic = event_topic(event)
    kind_rank = KIND_ORDER.get(event.kind, 9)
    rank = TOPIC_ORDER[topic] if event.kind != EventKind.WITHDRAWAL else 2
    return (rank, kind_rank, event.occurred_on, event.pk or 0)


def ordered(events: list[Event]) -> list[Event]:
    return sorted(events, key=importance)


def _eif_date(event: Event) -> str:
    return long_date((event.data or {}).get("entry_into_force") or event.occurred_on)


def _counts(events: list[Event]) -> tuple[int | None, int | None]:
    counted = [e.data["counted"] for e in events if isinstance((e.data or {}).get("counted"), int)]
    thresholds = [e.data["threshold"] for e in events if isinstance((e.data or {}).get("threshold"), int)]
    return (max(counted) if counted else None, max(thresholds) if thresholds else None)


def headline(treaty: Treaty, events: list[Event]) -> str:
    """The subject: the most important event; several of the same topic are summed up."""
    events = ordered(events)
    first = events[0]
    name = treaty.display_title
    if first.kind == EventKind.ENTERED_INTO_FORCE:
        return _("The %(treaty)s entered into force on %(date)s") % {"treaty": name, "date": _eif_date(first)}
    if first.kind == EventKind.THRESHOLD_REACHED:
        counted, threshold = _counts([first])
        return _("%(count)s: the %(treaty)s enters into force on %(date)s") % {
            "count": count_phrase(counted, threshold) or participant_name(first),
            "treaty": name,
            "date": _eif_date(first),
        }
    same = [e for e in events if importance(e)[0] == importance(first)[0]]
    if len(same) == 1:
        text = did_sentence(first, treaty)
    elif first.kind == EventKind.WITHDRAWAL:
        text = _("%(n)d withdrawals from the %(treaty)s") % {"n": len(same), "treaty": name}
    elif event_topic(first) == Topic.INSTRUMENT:
        text = _("%(n)d new instruments for the %(treaty)s") % {"n": len(same), "treaty": name}
    elif event_topic(first) == Topic.SIGNATURE:
        text = _("%(n)d new signatures of the %(treaty)s") % {"n": len(same), "treaty": name}
    elif event_topic(first) == Topic.STATEMENT:
        text = _("%(n)d reservations, declarations or objections recorded for the %(treaty)s") % {
            "n": len(same),
            "treaty": name,
        }
    elif event_topic(first) == Topic.STAGE:
        text = _("Reported: %(n)d national steps toward the %(treaty)s, not yet deposited with the UN") % {
            "n": len(same),
            "treaty": name,
        }
    else:
        text = _("%(n)d changes for the %(treaty)s") % {"n": len(same), "treaty": name}
    counts = count_phrase(*_counts(same)) if event_topic(first) == Topic.INSTRUMENT else ""
    return f"{text}: {counts}" if counts else text


def event_line(event: Event, treaty: Treaty) -> EventLine:
    data = event.data or {}
    name = treaty.display_title
    if event.kind == EventKind.ENTERED_INTO_FORCE:
        text = _("The %(treaty)s entered into force on %(date)s.") % {"treaty": name, "date": _eif_date(event)}
        return EventLine(text, event.occurred_on, "", True, event_url(event))
    if event.kind == EventKind.THRESHOLD_REACHED:
        text = _(
            "The last instrument needed has been deposited (%(participant)s): "
            "the %(treaty)s enters into force on %(date)s."
        ) % {"participant": participant_name(event), "treaty": name, "date": _eif_date(event)}
        counts = count_phrase(data.get("counted"), data.get("threshold"))
        return EventLine(text, event.occurred_on, counts, True, event_url(event))
    if event.kind == EventKind.STAGE_REPORTED:
        return EventLine(reported_sentence(event, treaty) + ".", event.occurred_on, reported_detail(event), False)
    if event.kind in STATEMENT_EVENT_KINDS:
        text = event.statement.text if event.statement_id else ""
        if event.kind == EventKind.STATEMENT_WITHDRAWN:
            text = data.get("previous_text") or text
        return EventLine(
            statement_wording.statement_sentence(event) + ".",
            event.occurred_on,
            statement_wording.statement_facts(event),
            False,
            event_url(event),
            statement_wording.quote(text) if text else "",
        )
    detail = ""
    if event_topic(event) == Topic.INSTRUMENT and event.kind == EventKind.NEW_ACTION:
        if data.get("counts_toward_threshold") is False:
            detail = _("Not counted toward the threshold (regional organisation).")
        else:
            counts = count_phrase(data.get("counted"), data.get("threshold"))
            detail = _("Instruments counted: %(counts)s.") % {"counts": counts} if counts else ""
    return EventLine(did_sentence(event, treaty) + ".", event.occurred_on, detail, False, event_url(event))


def status_page_url(treaty: Treaty) -> str:
    return site_url(reverse("treaty", kwargs={"mtdsg": treaty.mtdsg}))

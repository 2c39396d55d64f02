"""Public pages: a treaty's status (`/`, `/treaties/<mtdsg>/`) and a participant's record.

Views parse input, call selectors, render. The expensive part of each page (everything but the
language switcher, whose form carries the reader's own CSRF token) is cached under a key that
changes whenever the data does; see `caching`.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from ratification import charts, page_selectors, selectors
from ratification.models import Treaty
from ratification.projection import threshold_projection
from ratification.selectors import ParticipantStatus
from ratification.views import wording
from ratification.views.caching import Version, cached_text, version, versioned
from ratification.views.table import STATUS_LABELS, TableView

RECENT_EVENTS = 10
# One failed read is usually a blip; from this many in a row the page warns that it may be stale.
FAILURES_BEFORE_WARNING = 2


def _status_version(request: HttpRequest, mtdsg: str | None = None) -> Version:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    table = TableView.from_query(request.GET)
    return version(
        (treaty, table),
        "status",
        page_selectors.treaty_version(treaty),
        table.key,
        last_modified=page_selectors.treaty_last_modified(treaty),
        daily=True,
        weak=True,
    )


@versioned(_status_version)
def treaty_status_page(request: HttpRequest, page: Version, mtdsg: str | None = None) -> HttpResponse:
    """The status of one treaty: `/` for the default treaty, `/treaties/<mtdsg>/` for any."""
    treaty, table = page.subject
    main = cached_text(
        page.cache_key,
        lambda: render_to_string(
            "ratification/status_main.html",
            status_context(treaty=treaty, table=table, today=timezone.localdate()),
            request=request,
        ),
    )
    return render(request, "ratification/status.html", {"treaty": treaty, "main": mark_safe(main)})


def status_context(*, treaty: Treaty, table: TableView, today: datetime.date) -> dict:
    """Everything the status page shows, from four queries whatever the number of participants."""
    summary, rows = selectors.treaty_overview(treaty=treaty)
    counted_dates = [row.instrument.date for row in rows if row.status == ParticipantStatus.COUNTED]
    opened_on = min((action.date for row in rows for action in row.actions), default=None)
    projection = threshold_projection(
        counted=summary.counted, threshold=summary.threshold, opened_on=opened_on, today=today
    )
    by_status = {status: [row for row in rows if row.status == status] for status in STATUS_LABELS}
    shown = table.apply(rows)
    return {
        "treaty": treaty,
        "summary": summary,
        "rows": shown,
        "all_rows": len(rows),
        "table": table,
        "filters": table.filters(rows),
        "columns": {column["name"]: column for column in table.columns()},
        "by_status": by_status,
        "not_counted": by_status[ParticipantStatus.PARTY],
        "rule": wording.rule_sentences(treaty),
        "untc_url": wording.untc_page_url(treaty),
        "failing": treaty.consecutive_failures >= FAILURES_BEFORE_WARNING or treaty.failure_alerted_at is not None,
        "today": today,
        "signature_days_left": (treaty.signature_deadline - today).days if treaty.signature_deadline else None,
        "progress_percent": min(100, round(100 * summary.counted / summary.threshold)) if summary.threshold else 0,
        "projection": projection,
        "timeline": charts.timeline(
            counted_dates=counted_dates,
            threshold=summary.threshold,
            start=opened_on or today,
            today=today,
            projection=projection,
            milestones=(summary.entry_into_force_on,),
        )
        if opened_on
        else None,
        "world": charts.world_map({row.code: row.status for row in rows}),
        "names": {row.code: row.name for row in rows},
        "events": [
            (event, wording.event_title(event), wording.event_details(event))
            for event in page_selectors.public_events(treaty=treaty, limit=RECENT_EVENTS)
        ],
        "treaties": page_selectors.tracked_treaties(),
    }


def _participant_version(request: HttpRequest, code: str) -> Version:
    participant = page_selectors.participant_by_code(code=code)
    state, last_modified = page_selectors.participant_version(participant=participant)
    return version(participant, "participant", state, last_modified=last_modified, weak=True)


@versioned(_participant_version)
def participant_page(request: HttpRequest, page: Version, code: str) -> HttpResponse:
    """A participant's actions under every tracked treaty, at `/participants/<code>/`."""
    participant = page.subject

    def render_main() -> str:
        record = page_selectors.participant_record(participant=participant)
        events = page_selectors.participant_events(participant=participant, limit=RECENT_EVENTS)
        context = {
            "participant": participant,
            "record": record,
            "status_labels": STATUS_LABELS,
            "events": [(event, wording.event_title(event), wording.event_details(event)) for event in events],
        }
        return render_to_string("ratification/participant_main.html", context, request=request)

    main = cached_text(page.cache_key, render_main)
    return render(request, "ratification/participant.html", {"participant": participant, "main": mark_safe(main)})

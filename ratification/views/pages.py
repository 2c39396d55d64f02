"""Public pages: a treaty's status (`/`, `/treaties/<mtdsg>/`), the list of every tracked treaty
(`/treaties/`) and a participant's record.

Views parse input, call selectors, render. Each page is cached whole (it has nothing personal:
the language switcher carries no CSRF token) under a key that changes whenever the data does;
see ratification/cache.py.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from ratification import (
    charts,
    collation,
    page_selectors,
    rule_selectors,
    selectors,
    stage_selectors,
    statement_selectors,
)
from ratification.cache import cached_response
from ratification.models import Treaty
from ratification.projection import pipeline_scenario, threshold_projection
from ratification.selectors import ParticipantStatus
from ratification.views import embeds
from ratification.views.as_of import AsOfError, as_of_from_query, bad_as_of
from ratification.views.statements import statements_context
from ratification.views.table import STATUS_LABELS, TableView
from ratification.views.treaty_list import TreatyListView
from ratification.wording.events import event_details, event_title, failure_reason
from ratification.wording.rules import rule_progress, rule_sentences

RECENT_EVENTS = 10


@cached_response
def treaty_status_page(request: HttpRequest, mtdsg: str | None = None) -> HttpResponse:
    """The status of one treaty: `/` for the default treaty, `/treaties/<mtdsg>/` for any."""
    table = TableView.from_query(request.GET)
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    try:
        as_of = as_of_from_query(request.GET, today=timezone.localdate())
    except AsOfError as error:
        return bad_as_of(error)
    context = status_context(treaty=treaty, table=table, today=timezone.localdate(), as_of=as_of)
    said = statements_context(treaty=treaty, query=request.GET, table_query=table.query(), as_of=as_of)
    path = request.path + (f"?{table.query()}" if table.query() else "")
    share = embeds.share_context(request, treaty)
    return render(request, "ratification/status.html", {**context, **said, "next_path": path, "share": share})


def status_context(
    *, treaty: Treaty, table: TableView, today: datetime.date, as_of: datetime.date | None = None
) -> dict:
    """Everything the status page shows, from six queries whatever the number of participants.

    With `as_of`, the status as it stood at the end of that day: the counts, the table and the
    dates from the actions dated up to then, and that day standing in for today."""
    summary, rows = selectors.treaty_overview(treaty=treaty, as_of=as_of)
    # In the reader's language: the table, the map as text, the notes' names (ratification/collation.py).
    rows = collation.sorted_names(rows, language=get_language(), key=lambda row: row.name)
    today = as_of or today
    # The national steps are laid beside the rows; the summary and projection never see them.
    pipelines = stage_selectors.treaty_pipelines(stages=stage_selectors.treaty_stages(treaty=treaty), rows=rows)
    rows = stage_selectors.rows_with_stages(rows, pipelines)
    pipeline = stage_selectors.pipeline_summary(treaty=treaty, pipelines=pipelines, rows=rows)
    # The timeline counts toward a known threshold; with none, it shows the parties (UNTC's figure).
    drawn = (ParticipantStatus.COUNTED,) if summary.counting else (ParticipantStatus.COUNTED, ParticipantStatus.PARTY)
    counted_dates = [row.instrument.date for row in rows if row.status in drawn and row.instrument]
    opened_on = min((action.date for row in rows for action in row.actions), default=None)
    # The pace of the count says when a count is reached, nothing about a group or a weight.
    projection = (
        threshold_projection(counted=summary.counted, threshold=summary.threshold, opened_on=opened_on, today=today)
        if rule_selectors.rule_counts_alone(treaty=treaty)
        else None
    )
    # The map shows the UN record: a participant with only national steps is uncoloured there.
    by_status = {
        status: [row for row in rows if row.status == status]
        for status in STATUS_LABELS
        if status != ParticipantStatus.NONE
    }
    shown = table.apply(rows)
    polls = selectors.treaty_freshness(treaty=treaty)
    counting = summary.counting
    return {
        "treaty": treaty,
        "summary": summary,
        "rows": shown,
        "all_rows": len(rows),
        "table": table,
        "filters": table.filters(rows, rule_known=summary.rule_known),
        "columns": {column["name"]: column for column in table.columns()},
        "by_status": by_status,
        # Parties a known rule does not count (the European Union under XVIII-16's article 65).
        "not_counted": by_status[ParticipantStatus.PARTY] if summary.rule_known else [],
        "rule": [*rule_sentences(treaty), *rule_progress(treaty, summary)],
        "untc_statement": untc_statement(treaty),
        "untc_url": treaty.untc_page_url,
        "polls": polls,
        "failure_reason": failure_reason(polls.last_failure) if polls.last_failure else "",
        "today": today,
        "signature_days_left": (treaty.signature_deadline - today).days if treaty.signature_deadline else None,
        "progress_value": min(summary.counted, summary.threshold) if counting else None,
        "progress_percent": min(100, round(100 * summary.counted / summary.threshold))
        if counting and summary.threshold
        else 0,
        "projection": projection,
        "pipeline": pipeline,
        "scenario": pipeline_scenario(
            counted=summary.counted,
            threshold=summary.threshold,
            states=pipeline.would_count,
            today=today,
            per_year=projection.per_year if projection else None,
        )
        if rule_selectors.rule_counts_alone(treaty=treaty)
        else None,
        "stage_filters": table.stage_filters(rows),
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
        "world": charts.world_map({row.code: row.status for row in rows if row.status in by_status}),
        "names": {row.code: row.name for row in rows},
        "events": [
            (event, event_title(event), event_details(event))
            for event in page_selectors.public_events(treaty=treaty, limit=RECENT_EVENTS, until=as_of)
        ],
        "as_of": as_of,
        "notes": source_notes(treaty, rows),
        "treaties": page_selectors.tracked_treaties(),
    }


def untc_statement(treaty: Treaty) -> dict | None:
    """What UNTC's header says of entry into force, quoted as it stands (its label and text)."""
    if not (treaty.eif_label or treaty.eif_text):
        return None
    return {"label": treaty.eif_label, "text": treaty.eif_text}


def source_notes(treaty: Treaty, rows: list) -> list[dict]:
    """The source's numbered notes, each with the participants whose footnotes refer to it."""
    return [
        {
            "index": note.get("index"),
            "text": note.get("text", ""),
            "participants": [row.name for row in rows if note.get("index") in row.footnotes],
        }
        for note in treaty.source_notes or []
    ]


@cached_response
def treaty_list_page(request: HttpRequest) -> HttpResponse:
    """Every tracked treaty with where it stands, at `/treaties/`: sorted and filtered by the query string."""
    view = TreatyListView.from_query(request.GET)
    today = timezone.localdate()
    listings = page_selectors.treaty_listings(today=today)
    page = view.page(listings, request.GET.get("page", "1"))
    context = {
        "listings": page.object_list,
        "page": page,
        "all_listings": len(listings),
        "view": view,
        "columns": view.columns(),
        "filters": view.filters(listings),
        "today": today,
        "next_path": request.path + (f"?{view.query()}" if view.query() else ""),
    }
    return render(request, "ratification/treaties.html", context)


@cached_response
def participant_page(request: HttpRequest, code: str) -> HttpResponse:
    """A participant's actions under every tracked treaty, at `/participants/<code>/`."""
    participant = page_selectors.participant_by_code(code=code)
    events = page_selectors.participant_events(participant=participant, limit=RECENT_EVENTS)
    context = {
        "participant": participant,
        "record": page_selectors.participant_record(participant=participant),
        "events": [(event, event_title(event), event_details(event)) for event in events],
        "statements": statement_selectors.participant_statements(participant=participant),
        "next_path": request.path,
    }
    return render(request, "ratification/participant.html", context)

"""Downloads of a treaty: participants as CSV and JSON, and an iCalendar file of its dates.

Exports are data, not prose: status and instrument values are the stable machine codes
(`counted`, `ratification`), the same in every language; only the calendar speaks the reader's.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Sequence

import icalendar
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ratification import page_selectors, selectors, stage_selectors
from ratification.cache import cached_response
from ratification.models import StageKind, Treaty
from ratification.selectors import DateSource
from ratification.services import stage_import
from ratification.spreadsheet_cells import formula_guard
from ratification.views.as_of import AsOfError, as_of_from_query, bad_as_of
from ratification.wording.events import count_sentence
from scrapers.model import iso
from tracker.site import site_host

CSV_COLUMNS = (
    "code",
    "name",
    "status",
    "signature_date",
    "instrument_kind",
    "instrument_date",
    "entry_into_force",
    "footnotes",
    # The latest national step no deposit has followed: reported by a national source, not UN data.
    "reported_stage",
    "reported_stage_date",
    "reported_stage_source",
)


def csv_table(columns: Sequence[str], rows: Iterable[Iterable[str]]) -> str:
    """A CSV text: the header, then the rows, with the CRLF line ends spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_attachment(request: HttpRequest, *, text: str, filename: str) -> HttpResponse:
    """Every CSV download of the site: UTF-8, as an attachment, with a byte-order mark on ?bom=1.

    Excel reads a CSV without a byte-order mark in the machine's legacy code page: "TÃ¼rkiye".
    Other programs may show the mark as a stray character, so it is asked for, not the default.
    """
    bom = "\ufeff" if request.GET.get("bom") == "1" else ""
    response = HttpResponse(bom + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stage_record(stage, *, pending: bool) -> dict:
    """A national step in the exports and the API: machine codes, its label for another kind."""
    return {
        "stage": stage.kind,
        "label": stage.display_label if stage.kind == StageKind.OTHER else "",
        "date": iso(stage.date),
        "source_url": stage.source_url,
        "source_host": stage.source_host,
        "note": stage.note,
        "pending": pending,
    }


def participant_records(
    treaty: Treaty, as_of: datetime.date | None = None
) -> tuple[selectors.TreatySummary, list[dict]]:
    summary, rows = selectors.treaty_overview(treaty=treaty, as_of=as_of)
    pipelines = stage_selectors.treaty_pipelines(stages=stage_selectors.treaty_stages(treaty=treaty), rows=rows)
    rows = stage_selectors.rows_with_stages(rows, pipelines)
    records = [
        {
            "code": row.code,
            "name": row.name,
            "status": row.status,
            "signature_date": iso(row.signature.date if row.signature else None),
            "instrument_kind": row.instrument.kind if row.instrument else None,
            "instrument_date": iso(row.instrument.date if row.instrument else None),
            "entry_into_force": iso(row.entry_into_force_on),
            "footnotes": list(row.footnotes),
            "reported_stage": _step_name(row.pipeline_step),
            "reported_stage_date": iso(row.pipeline_step.date) if row.pipeline_step else None,
            "reported_stage_source": row.pipeline_step.source_url if row.pipeline_step else None,
            "reported_stages": [
                stage_record(stage, pending=stage in pipelines[row.participant_id].pending) for stage in row.stages
            ],
        }
        for row in rows
    ]
    return summary, records


def _step_name(stage) -> str | None:
    if stage is None:
        return None
    return stage.label if stage.kind == StageKind.OTHER else stage.kind


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(map(str, value))
    return formula_guard(str(value))


@cached_response
def participants_csv(request: HttpRequest, mtdsg: str) -> HttpResponse:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    try:
        as_of = as_of_from_query(request.GET, today=timezone.localdate())
    except AsOfError as error:
        return bad_as_of(error)
    _, records = participant_records(treaty, as_of)
    text = csv_table(CSV_COLUMNS, ([_cell(record[column]) for column in CSV_COLUMNS] for record in records))
    suffix = f"-{as_of.isoformat()}" if as_of else ""
    return csv_attachment(request, text=text, filename=f"{treaty.mtdsg}-participants{suffix}.csv")


@cached_response
def participants_json(request: HttpRequest, mtdsg: str) -> HttpResponse:
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    try:
        as_of = as_of_from_query(request.GET, today=timezone.localdate())
    except AsOfError as error:
        return bad_as_of(error)
    summary, records = participant_records(treaty, as_of)
    document = {
        "treaty": {
            "mtdsg": treaty.mtdsg,
            "title": treaty.title,
            "short_title": treaty.short_title,
            "signature_deadline": iso(treaty.signature_deadline),
            "source": treaty.untc_page_url,
            "last_checked_at": iso(selectors.treaty_freshness(treaty=treaty).last_checked_at),
            "last_change_at": iso(treaty.last_change_at),
        },
        # The day the status is as at (end of that day), or null for the current status.
        "as_of": iso(as_of),
        # Counts toward a threshold are null while the treaty's rule is not known; UNTC's dates are
        # UNTC's (`entry_into_force_source` "untc").
        "summary": {
            **summary.as_json(),
            "provisional_entry_into_force": iso(summary.provisional_entry_into_force_on),
            "entry_into_force_source": summary.entry_into_force_source or None,
            "rule_known": summary.rule_known,
        },
        # Steps reported by national sources (parliaments, gazettes), curated by staff: never UN data,
        # never in the summary above.
        "reported_stages_note": "reported by national sources, not yet deposited with the UN",
        "participants": records,
    }
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )


@cached_response
def stages_csv(request: HttpRequest, mtdsg: str) -> HttpResponse:
    """The treaty's reported national steps, in the format `import_stages` reads."""
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    text = stage_import.stages_csv(treaty=treaty)
    return csv_attachment(request, text=text, filename=f"{treaty.mtdsg}-national-steps.csv")


def _calendar_event(uid: str, day: datetime.date, summary: str, description: str, url: str, stamp) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{site_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


@cached_response
def treaty_calendar(request: HttpRequest, mtdsg: str) -> HttpResponse:
    """The signature deadline and, once known, the entry-into-force date, as all-day events."""
    treaty = page_selectors.page_treaty(mtdsg=mtdsg)
    summary = selectors.treaty_summary(treaty=treaty)
    url = settings.SITE_URL + reverse("treaty", kwargs={"mtdsg": treaty.mtdsg})
    stamp = treaty.last_change_at or treaty.created_at or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Treaty ratification tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", treaty.display_title)
    names = {"treaty": treaty.display_title, "mtdsg": treaty.mtdsg}
    entries = []
    if treaty.signature_deadline:
        entries.append(
            (
                "signature-deadline",
                treaty.signature_deadline,
                _("Last day to sign: %(treaty)s") % names,
                _("The %(treaty)s (%(mtdsg)s) is open for signature until this day.") % names,
            )
        )
    if summary.provisional_entry_into_force_on:
        entries.append(
            (
                "provisional-entry-into-force",
                summary.provisional_entry_into_force_on,
                _("Provisional entry into force: %(treaty)s") % names,
                _("The %(treaty)s (%(mtdsg)s) enters into force provisionally, as the UN Treaty Collection declares.")
                % names,
            )
        )
    if summary.entry_into_force_on:
        if summary.entry_into_force_source == DateSource.UNTC:
            description = _("The %(treaty)s (%(mtdsg)s) enters into force, as the UN Treaty Collection declares.")
            description %= names
        elif summary.counting:
            counts = {**names, "count": count_sentence(summary.counted, summary.threshold)}
            description = _("The %(treaty)s (%(mtdsg)s) enters into force; %(count)s.") % counts
        else:
            description = _("The %(treaty)s (%(mtdsg)s) enters into force.") % names
        entries.append(
            ("entry-into-force", summary.entry_into_force_on, _("Entry into force: %(treaty)s") % names, description)
        )
    for slug, day, title, description in entries:
        calendar.add_component(_calendar_event(f"{treaty.mtdsg}-{slug}", day, title, description, url, stamp))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{treaty.mtdsg}.ics"'
    return response

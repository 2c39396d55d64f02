"""The history's lines and where each change comes from, built here rather than in template loops.

A history page shows 50 lines, each with its provenance, dates and links: through the template
engine that was most of the page's time, and the history of every treaty is a page people cite.
The words are the same msgids the templates used, so the translations stand. Every text that is
not ours (titles and details built from UNTC's names, staff's reasons) goes through `_text`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ratification.models import Event, EventKind
from ratification.templatetags.status_page import _text

register = template.Library()


def _when(value) -> str:
    return formats.date_format(value, "DATETIME_FORMAT")


def provenance(event: Event) -> str:
    """Where an event comes from: a poll's file (with its SHA-256 and the diff), a staff entry or
    correction (with the reason staff gave), or the tracker's own computation."""
    run = event.poll_run
    data = event.data or {}
    if run is not None and run.snapshot is not None:
        words = gettext(
            "Read from the UN Treaty Collection's file on %(when)s UTC (SHA-256 <a "
            'href="%(source_url)s"><code class="sha">%(sha)s</code></a>; <a '
            'href="%(diff_url)s">what changed in the file</a>)'
        )
        return words % {
            "when": _text(_when(run.started_at)),
            "source_url": _text(reverse("source", kwargs={"sha256": run.snapshot.sha256})),
            "sha": _text(run.snapshot.sha256),
            "diff_url": _text(reverse("poll-diff", kwargs={"mtdsg": event.treaty.mtdsg, "run_id": run.pk})),
        }
    if data.get("origin") == "staff":
        words = gettext("Corrected by staff") if event.kind == EventKind.CORRECTION else gettext("Entered by staff")
        reason = f': <q class="reason">{_text(data["reason"])}</q>' if data.get("reason") else ""
        return _text(words) + reason
    if data.get("origin") == "source":
        return _text(gettext("The UN Treaty Collection's value, taken by staff on review"))
    return _text(gettext("Computed by the tracker from the entry-into-force rule"))


@register.simple_tag
def provenance_html(event: Event) -> str:
    return mark_safe(provenance(event))


@register.simple_tag
def history_line_items(lines: Iterable[dict]) -> str:
    """Each line of a history: what changed (linked to its page), its kind, its facts, when it was
    recorded and where it came from."""
    baseline = _text(gettext("(recorded on first reading, not announced)"))
    permanent = _text(gettext("permanent link"))
    recorded = gettext("recorded %(when)s UTC")
    kinds = dict(EventKind.choices)
    items = []
    for line in lines:
        event = line["event"]
        url = reverse("event", kwargs={"event_id": event.pk})
        first = " " + f'<span class="small">{baseline}</span>' if (event.data or {}).get("baseline") else ""
        items.append(
            f'<li id="event-{event.pk}" class="kind-{_text(event.kind)}">\n'
            f'  <p><strong><a href="{url}">{_text(line["title"])}</a></strong> '
            f'<span class="badge">{_text(kinds.get(event.kind, event.kind))}</span>{first}</p>\n'
            f"  <p>{_text(line['details'])}</p>\n"
            f'  <p class="small"><span class="recorded">{_text(recorded % {"when": _when(event.created_at)})}</span>'
            f' · {provenance(event)} · <a href="{url}" rel="bookmark">{permanent}</a></p>\n'
            "</li>"
        )
    return mark_safe("".join(items))

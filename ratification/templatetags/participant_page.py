"""The participant page's two long lists, built here rather than in template loops.

A State under 150 treaties has 150 rows and as many timelines: through the template engine they
took most of the page's time (as the status page's participants table did, status_page.py).
Every text that is not ours (treaty titles, UNTC's provenance, staff's notes) goes through
`_text`; the rest are ISO dates, codes and URLs built from them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from ratification.page_selectors import Participation
from ratification.templatetags.status_page import _dated, _text, kind_label, reported_step, status_label

register = template.Library()


def _treaty_link(participation: Participation) -> str:
    treaty = participation.treaty
    url = reverse("treaty", kwargs={"mtdsg": treaty.mtdsg})
    return f'<a href="{url}">{_text(treaty.display_title)}</a> <span class="small">({_text(treaty.mtdsg)})</span>'


@register.simple_tag
def participant_record_rows(record: Iterable[Participation]) -> str:
    """One row per treaty: status, signature, instrument, its own entry into force, footnotes, step."""
    # Each cell names its column: on a phone the rows are stacked (static/css/site.css, `.stack-table`).
    label = {
        "status": _text(gettext("Status")),
        "signature": _text(gettext("Signature")),
        "instrument": _text(gettext("Instrument")),
        "eif": _text(gettext("Entry into force for it")),
        "footnotes": _text(gettext("Footnotes")),
        "stage": _text(gettext("National step (reported, not deposited)")),
    }
    nothing = _text(gettext("No signature or instrument in the UN's record yet."))
    lines = []
    for participation in record:
        row, step = participation.row, participation.pipeline_step
        cells = [f'<th scope="row">{_treaty_link(participation)}</th>']
        if row is None:
            cells.append(f'<td data-label="{label["status"]}" colspan="5">{nothing}</td>')
        else:
            instrument = ""
            if row.instrument:
                instrument = f"{_text(capfirst(kind_label(row.instrument.kind)))}, {_dated(row.instrument.date)}"
            cells += [
                f'<td data-label="{label["status"]}"><span class="badge s-{_text(row.status)}">'
                f"{_text(status_label(row.status))}</span></td>",
                f'<td data-label="{label["signature"]}">{_dated(row.signature.date) if row.signature else ""}</td>',
                f'<td data-label="{label["instrument"]}">{instrument}</td>',
                f'<td data-label="{label["eif"]}">{_dated(row.entry_into_force_on)}</td>',
                f'<td data-label="{label["footnotes"]}">{", ".join(str(int(n)) for n in row.footnotes)}</td>',
            ]
        cells.append(f'<td data-label="{label["stage"]}">{reported_step(step) if step else ""}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>\n")
    return mark_safe("".join(lines))


@register.simple_tag
def participant_timelines(record: Iterable[Participation]) -> str:
    """Each treaty's timeline of UN actions and reported steps, with where each date comes from."""
    withdrawn = _text(gettext("withdrawn"))
    parts = []
    for participation in record:
        treaty = participation.treaty
        parts.append(f'<h3>{_text(treaty.display_title)} <span class="small">({_text(treaty.mtdsg)})</span></h3>\n')
        items = []
        for entry in participation.timeline:
            if entry.is_stage:
                stage = entry.stage
                note = f'<br><span class="small">{_text(stage.note)}</span>' if stage.note else ""
                items.append(f'<li class="is-stage">{reported_step(stage, entry.pending)}{note}</li>')
                continue
            action = entry.action
            provenance = f" ({_text(action.provenance)})" if action.provenance else ""
            items.append(
                f"<li>{_text(capfirst(kind_label(action.kind)))}, {_dated(action.date)} · "
                f"{_text(action.get_origin_display())}{provenance}{f' · {withdrawn}' if action.withdrawn else ''}</li>"
            )
        parts.append('<ol class="timeline-list">' + "".join(items) + "</ol>\n")
    return mark_safe("".join(parts))

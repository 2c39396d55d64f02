"""Small filters for the public pages' templates."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from ratification.charts import WORLD_SVG, WorldMap
from ratification.models import NOTIFICATION_KINDS, Action, ActionKind
from ratification.selectors import ParticipantRow
from ratification.views.table import STATUS_LABELS
from ratification.wording import events as event_wording
from scrapers.mtdsg import notification_url
from scrapers.notifications import notification_references

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """The reader's words for a participant status (`counted` -> "Party, counted")."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


@register.filter
def kind_label(kind: str) -> str:
    """An action kind's name in the reader's language (`action.get_kind_display`, without
    rebuilding and translating every choice at each call)."""
    return _kind_labels(get_language()).get(str(kind), str(kind))


@register.filter
def lookup(mapping: Mapping, key: object) -> object:
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def world_uses(world: WorldMap, names: Mapping[str, str]) -> str:
    """The map: the land from the static outlines, then each participant's country over it in its
    status's colour (ratification/charts.py). Only the participants are in the page."""
    href = static(WORLD_SVG)
    parts = [format_html('<use href="{}#countries" class="s-none"/>', href)]
    for country in world.countries:
        if country.status:
            parts.append(
                format_html(
                    '<use href="{}#{}" class="s-{}"><title>{}: {}</title></use>',
                    href,
                    country.code,
                    country.status,
                    names.get(country.code, ""),
                    status_label(country.status),
                )
            )
    return mark_safe("".join(parts))


@register.filter
def local_date(value: datetime.date | None) -> str:
    """`value|date:"DATE_FORMAT"`, remembered per date and language: a table repeats a few dates many times."""
    if not value:
        return ""
    return _formatted(value, get_language())


@lru_cache(maxsize=4096)
def _formatted(value: datetime.date, language: str) -> str:
    return formats.date_format(value, "DATE_FORMAT")


@lru_cache(maxsize=512)
def _kind_label(kind: str, language: str) -> str:
    """An action kind's label, escaped, remembered per language. `get_kind_display()` hashed all
    the kinds' lazy labels at each call: a third of an uncached status page's time."""
    label = ActionKind(kind).label if kind in ActionKind.values else kind
    return _text(capfirst(str(label)))


@lru_cache(maxsize=64)
def _status_badge(status: str, language: str) -> str:
    return _text(status_label(status))


def _dated(value: datetime.date | None) -> str:
    if not value:
        return ""
    return f'<time datetime="{value.isoformat()}">{_text(local_date(value))}</time>'


def _withdrawn(action: Action | None) -> str:
    return " " + _text(gettext("(withdrawn)")) if action is not None and action.withdrawn else ""


def _action_cell(action: Action) -> str:
    """An action's kind and date; the source's label beside it where the kind alone says little
    (a notification, an extension), marked as English since it is quoted from the UN."""
    kind = _kind_label(action.kind, get_language())
    if action.kind in NOTIFICATION_KINDS and action.label:
        kind += f' (<span lang="en">{_text(action.label)}</span>)'
    return f"{kind}, {_dated(action.date)}{_withdrawn(action)}"


@lru_cache(maxsize=8)
def _kind_labels(language: str) -> dict[str, str]:
    # `get_kind_display()` rebuilds the choices, translating every label, for each call: a table
    # of 700 actions spent a third of its time there.
    return {str(value): str(label) for value, label in ActionKind.choices}


def _text(value: object) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes): what the template would do."""
    return html.escape(str(value), quote=True)


def reported_step(stage, pending: bool = True) -> str:
    """A national step as every page shows it: its own look, and its words say it is a report
    (`pending`: no deposit has followed it yet)."""
    words = (
        gettext("reported by %(source)s, not yet deposited with the UN")
        if pending
        else gettext("reported by %(source)s; deposited with the UN since")
    ) % {"source": stage.source_host}
    return (
        f'<span class="reported-step"><span class="reported-tag">{_text(gettext("Reported"))}</span> '
        f"{_text(capfirst(stage.display_label))}, {_dated(stage.date)} "
        f'<span class="small">(<a href="{_text(stage.source_url)}" rel="external nofollow noreferrer">'
        f"{_text(words)}</a>)</span></span>"
    )


@register.simple_tag
def reported_step_tag(stage, pending: bool = True) -> str:
    return mark_safe(reported_step(stage, pending))


@register.simple_tag
def participant_rows(rows: Iterable[ParticipantRow]) -> str:
    """The participants table's rows, built here rather than in a template loop.

    A table of 197 rows through the template engine took most of an uncached page's time.
    Every text that is not ours (names above all, which come from UNTC) goes through `_text`;
    the rest are ISO dates, status codes and a URL built from a [A-Z0-9] code.
    """
    footnote_title = gettext("Footnote %(number)s of the UN Treaty Collection record")
    # Each cell names its column: on a phone the rows are stacked and the heading row is not
    # above them any more (static/css/site.css, `.stack-table`).
    label = {
        "status": _text(gettext("Status")),
        "signature": _text(gettext("Signature")),
        "instrument": _text(gettext("Instrument")),
        "eif": _text(gettext("Entry into force for it")),
        "footnotes": _text(gettext("Footnotes")),
        "stage": _text(gettext("National step (reported, not deposited)")),
    }
    # One reverse() for the table, not one per row: codes are plain [A-Z0-9]{3,8}.
    url_pattern = reverse("participant", kwargs={"code": "CODE"})
    lines = []
    for row in rows:
        signature, instrument, eif = row.signature, row.instrument, row.entry_into_force_on
        name, status = _text(row.name), _text(row.status)
        # A participant that neither signed nor is bound shows what it did (a provisional
        # application, an extension ...) in the instrument column, in the UN's own words.
        shown = (instrument,) if instrument else () if signature else row.actions
        instrument_cell = "; ".join(_action_cell(action) for action in shown)
        badge = _status_badge(row.status, get_language())
        signature_cell = _dated(signature.date) + _withdrawn(signature) if signature else ""
        footnotes = ", ".join(
            f'<span class="footnote" title="{_text(footnote_title % {"number": number})}">{int(number)}</span>'
            for number in row.footnotes
        )
        step = row.pipeline_step
        lines.append(
            f'<tr data-status="{status}" data-name="{name}" '
            f'data-stage="{_text(step.kind) if step else ""}" data-approval="{"yes" if row.reports_approval else ""}" '
            f'data-signature="{signature.date.isoformat() if signature else ""}" '
            f'data-instrument="{instrument.date.isoformat() if instrument else ""}" '
            f'data-entry_into_force="{eif.isoformat() if eif else ""}">'
            f'<th scope="row"><a href="{url_pattern.replace("CODE", _text(row.code))}">{name}</a></th>'
            f'<td data-label="{label["status"]}"><span class="badge s-{status}">{badge}</span></td>'
            f'<td data-label="{label["signature"]}">{signature_cell}</td>'
            f'<td data-label="{label["instrument"]}">{instrument_cell}</td>'
            f'<td data-label="{label["eif"]}">{_dated(eif)}</td>'
            f'<td data-label="{label["footnotes"]}">{footnotes}</td>'
            f'<td data-label="{label["stage"]}">{reported_step(step) if step else ""}</td></tr>\n'
        )
    return mark_safe("".join(lines))


@register.simple_tag
def count_sentence(counted: int, threshold: int) -> str:
    """'12 of 40 instruments counted' (ratification/wording/events.py), for the list of treaties."""
    return event_wording.count_sentence(counted, threshold)


@register.filter
def notifications_linked(text: str) -> str:
    """The text with each depositary notification it cites linked to UNTC's copy of it; lines kept."""
    parts, last = [], 0
    for reference in notification_references(text or ""):
        url = notification_url(settings.UNTC_BASE_URL, number=reference.number, year=reference.year)
        parts.append(escape(text[last : reference.start]))
        parts.append(format_html('<a href="{}" rel="external" class="cn">{}</a>', url, reference.text))
        last = reference.end
    parts.append(escape((text or "")[last:]))
    # Safe: the text between references is escaped, and format_html escapes each link.
    return mark_safe("".join(parts).replace("\n", "<br>"))

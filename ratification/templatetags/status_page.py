"""Small filters for the public pages' templates."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from ratification.charts import WorldMap, world_shapes
from ratification.models import Action
from ratification.selectors import ParticipantRow
from ratification.views.table import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """The reader's words for a participant status (`counted` -> "Party, counted")."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


@register.filter
def lookup(mapping: Mapping, key: object) -> object:
    return mapping.get(key, "") if mapping else ""


@register.simple_tag
def world_paths(world: WorldMap, names: Mapping[str, str]) -> str:
    """The map's country paths, built here rather than in a template loop (~175 shapes per page)."""
    shapes = _escaped_shapes()
    parts = []
    for country in world.countries:
        title = (
            format_html("<title>{}: {}</title>", names.get(country.code, ""), status_label(country.status))
            if country.status
            else ""
        )
        parts.append(f'<path d="{shapes[country.code]}" class="s-{country.status or "none"}">{title}</path>')
    return mark_safe("".join(parts))


@lru_cache(maxsize=1)
def _escaped_shapes() -> dict[str, str]:
    return {code: escape(path) for code, path in world_shapes()["countries"].items()}


@register.filter
def local_date(value: datetime.date | None) -> str:
    """`value|date:"DATE_FORMAT"`, remembered per date and language: a table repeats a few dates many times."""
    if not value:
        return ""
    return _formatted(value, get_language())


@lru_cache(maxsize=4096)
def _formatted(value: datetime.date, language: str) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _dated(value: datetime.date | None) -> str:
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), local_date(value))


def _withdrawn(action: Action | None) -> str:
    return " " + gettext("(withdrawn)") if action is not None and action.withdrawn else ""


@register.simple_tag
def participant_rows(rows: Iterable[ParticipantRow]) -> str:
    """The participants table's rows, built here rather than in a template loop.

    A table of 197 rows through the template engine took most of an uncached page's time;
    format_html escapes every value exactly as the template would.
    """
    footnote_title = gettext("Footnote %(number)s of the UN Treaty Collection record")
    # One reverse() for the table, not one per row: codes are plain [A-Z0-9]{3,8}.
    url_pattern = reverse("participant", kwargs={"code": "CODE"})
    lines = []
    for row in rows:
        signature, instrument = row.signature, row.instrument
        lines.append(
            format_html(
                '<tr data-status="{status}" data-name="{name}" data-signature="{sig_iso}" '
                'data-instrument="{ins_iso}" data-entry_into_force="{eif_iso}">'
                '<th scope="row"><a href="{url}">{name}</a></th>'
                '<td><span class="badge s-{status}">{label}</span></td>'
                "<td>{signature}{signature_withdrawn}</td>"
                "<td>{instrument}{instrument_withdrawn}</td>"
                "<td>{eif}</td><td>{footnotes}</td></tr>\n",
                status=row.status,
                name=row.name,
                sig_iso=signature.date.isoformat() if signature else "",
                ins_iso=instrument.date.isoformat() if instrument else "",
                eif_iso=row.entry_into_force_on.isoformat() if row.entry_into_force_on else "",
                url=url_pattern.replace("CODE", row.code),
                label=status_label(row.status),
                signature=_dated(signature.date) if signature else "",
                signature_withdrawn=_withdrawn(signature),
                instrument=format_html("{}, {}", capfirst(instrument.get_kind_display()), _dated(instrument.date))
                if instrument
                else "",
                instrument_withdrawn=_withdrawn(instrument),
                eif=_dated(row.entry_into_force_on),
                footnotes=format_html_join(
                    ", ",
                    '<span class="footnote" title="{}">{}</span>',
                    ((footnote_title % {"number": number}, number) for number in row.footnotes),
                ),
            )
        )
    return mark_safe("".join(lines))

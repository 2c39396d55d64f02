"""Small filters for the public pages' templates."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

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

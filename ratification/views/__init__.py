"""Public pages, the Atom feed, the downloads, and what other sites embed; see each module."""

from __future__ import annotations

from ratification.views.embeds import oembed, treaty_badge, treaty_embed
from ratification.views.exports import participants_csv, participants_json, stages_csv, treaty_calendar
from ratification.views.feeds import treaty_feed
from ratification.views.history import event_page, poll_diff_page, treaty_history
from ratification.views.pages import participant_page, treaty_list_page, treaty_status_page
from ratification.views.sources import source_file, source_page
from ratification.views.statements import declarations_csv, declarations_json

__all__ = [
    "declarations_csv",
    "declarations_json",
    "event_page",
    "oembed",
    "participant_page",
    "participants_csv",
    "participants_json",
    "poll_diff_page",
    "source_file",
    "source_page",
    "stages_csv",
    "treaty_badge",
    "treaty_calendar",
    "treaty_embed",
    "treaty_feed",
    "treaty_history",
    "treaty_list_page",
    "treaty_status_page",
]

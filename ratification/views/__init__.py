"""Public pages, the Atom feed, the downloads, and what other sites embed; see each module."""

from __future__ import annotations

from ratification.views.embeds import oembed, treaty_badge, treaty_embed
from ratification.views.exports import participants_csv, participants_json, stages_csv, treaty_calendar
from ratification.views.feeds import treaty_feed
from ratification.views.pages import participant_page, treaty_list_page, treaty_status_page

__all__ = [
    "oembed",
    "participant_page",
    "participants_csv",
    "participants_json",
    "stages_csv",
    "treaty_badge",
    "treaty_calendar",
    "treaty_embed",
    "treaty_feed",
    "treaty_list_page",
    "treaty_status_page",
]

"""Public pages, the Atom feed and the downloads; see each module."""

from __future__ import annotations

from ratification.views.exports import participants_csv, participants_json, stages_csv, treaty_calendar
from ratification.views.feeds import treaty_feed
from ratification.views.pages import participant_page, treaty_status_page

__all__ = [
    "participant_page",
    "participants_csv",
    "participants_json",
    "stages_csv",
    "treaty_calendar",
    "treaty_feed",
    "treaty_status_page",
]

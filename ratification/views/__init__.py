"""Public pages, the Atom feed and the downloads; see each module."""

from __future__ import annotations

from ratification.views.exports import participants_csv, participants_json, treaty_calendar
from ratification.views.feeds import treaty_feed
from ratification.views.history import event_page, poll_diff_page, treaty_history
from ratification.views.pages import participant_page, treaty_status_page
from ratification.views.sources import source_file, source_page

__all__ = [
    "event_page",
    "participant_page",
    "participants_csv",
    "participants_json",
    "poll_diff_page",
    "source_file",
    "source_page",
    "treaty_calendar",
    "treaty_feed",
    "treaty_history",
    "treaty_status_page",
]

"""Public URLs. They are interfaces people bookmark and cite: change none of them."""

from __future__ import annotations

from django.urls import path, register_converter

from ratification import views
from scrapers.mtdsg import MTDSG_PATTERN


class MtdsgConverter:
    """An MTDSG number such as XVIII-16, XXVII-7-d, XI-B-19 or III-2-12b (scrapers/mtdsg.py's grammar)."""

    regex = MTDSG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class Sha256Converter:
    """The SHA-256 of an archived source file, in hexadecimal."""

    regex = r"[0-9a-fA-F]{64}"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value


register_converter(MtdsgConverter, "mtdsg")
register_converter(Sha256Converter, "sha256")

urlpatterns = [
    path("", views.treaty_status_page, name="home"),
    path("treaties/", views.treaty_list_page, name="treaty-list"),
    path("treaties/<mtdsg:mtdsg>/", views.treaty_status_page, name="treaty"),
    path("treaties/<mtdsg:mtdsg>.ics", views.treaty_calendar, name="treaty-calendar"),
    path("treaties/<mtdsg:mtdsg>/participants.csv", views.participants_csv, name="treaty-participants-csv"),
    path("treaties/<mtdsg:mtdsg>/participants.json", views.participants_json, name="treaty-participants-json"),
    path("treaties/<mtdsg:mtdsg>/declarations.csv", views.declarations_csv, name="treaty-declarations-csv"),
    path("treaties/<mtdsg:mtdsg>/declarations.json", views.declarations_json, name="treaty-declarations-json"),
    path("treaties/<mtdsg:mtdsg>/badge.svg", views.treaty_badge, name="treaty-badge"),
    path("treaties/<mtdsg:mtdsg>/embed/", views.treaty_embed, name="treaty-embed"),
    path("oembed/", views.oembed, name="oembed"),
    path("treaties/<mtdsg:mtdsg>/national-steps.csv", views.stages_csv, name="treaty-stages-csv"),
    path("feeds/<mtdsg:mtdsg>.atom", views.treaty_feed, name="treaty-feed"),
    path("participants/<str:code>/", views.participant_page, name="participant"),
    path("treaties/<mtdsg:mtdsg>/history/", views.treaty_history, name="treaty-history"),
    path("treaties/<mtdsg:mtdsg>/history/<int:run_id>/diff/", views.poll_diff_page, name="poll-diff"),
    path("events/<int:event_id>/", views.event_page, name="event"),
    path("sources/<sha256:sha256>.xml", views.source_file, name="source-file"),
    path("sources/<sha256:sha256>/", views.source_page, name="source"),
]

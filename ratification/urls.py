"""Public URLs. They are interfaces people bookmark and cite: change none of them."""

from __future__ import annotations

from django.urls import path, register_converter

from ratification import views


class MtdsgConverter:
    """An MTDSG number such as XVIII-16, XXVII-7-d or XI-B-19 (the model validator's pattern)."""

    regex = r"[IVXL]+(?:-[A-D])?-\d+(?:-[a-z]+)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MtdsgConverter, "mtdsg")

urlpatterns = [
    path("", views.treaty_status_page, name="home"),
    path("treaties/", views.treaty_list_page, name="treaty-list"),
    path("treaties/<mtdsg:mtdsg>/", views.treaty_status_page, name="treaty"),
    path("treaties/<mtdsg:mtdsg>.ics", views.treaty_calendar, name="treaty-calendar"),
    path("treaties/<mtdsg:mtdsg>/participants.csv", views.participants_csv, name="treaty-participants-csv"),
    path("treaties/<mtdsg:mtdsg>/participants.json", views.participants_json, name="treaty-participants-json"),
    path("treaties/<mtdsg:mtdsg>/badge.svg", views.treaty_badge, name="treaty-badge"),
    path("treaties/<mtdsg:mtdsg>/embed/", views.treaty_embed, name="treaty-embed"),
    path("oembed/", views.oembed, name="oembed"),
    path("treaties/<mtdsg:mtdsg>/national-steps.csv", views.stages_csv, name="treaty-stages-csv"),
    path("feeds/<mtdsg:mtdsg>.atom", views.treaty_feed, name="treaty-feed"),
    path("participants/<str:code>/", views.participant_page, name="participant"),
]

from __future__ import annotations

from django.urls import path

from ratification import views

urlpatterns = [
    path("", views.treaty_status_page, name="home"),
    path("treaties/<str:mtdsg>/", views.treaty_status_page, name="treaty"),
]

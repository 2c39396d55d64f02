from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from tracker.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("ratification.api.urls")),
    path("", include("ratification.urls")),
    path("", include("alerts.urls")),
]

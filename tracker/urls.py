from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from tracker.favicon import favicon
from tracker.health import healthz
from tracker.language import set_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Django's own view, without the CSRF check: a forged request could only switch someone's
    # language, and a form with no per-reader token lets public pages be cached whole. (It
    # shadows the same URL in django.conf.urls.i18n below, which stays for its other views.)
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("ratification.api.urls")),
    path("", include("ratification.urls")),
    path("", include("alerts.urls")),
]

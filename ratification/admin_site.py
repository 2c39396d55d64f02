"""The admin site, with the tracker's own sections first on the index and in the sidebar.

Django lists apps alphabetically, which put Authentication, Axes and Periodic tasks before the
screens staff come for. Installed in place of `django.contrib.admin` (see INSTALLED_APPS); kept
outside `ratification.admin`, which registers models and cannot be imported while apps load.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

# In this order, before every other app (which keep Django's alphabetical order).
PROJECT_APPS = ("ratification", "alerts")


class TrackerAdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        rank = {label: index for index, label in enumerate(PROJECT_APPS)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))


class TrackerAdminConfig(AdminConfig):
    default_site = "ratification.admin_site.TrackerAdminSite"

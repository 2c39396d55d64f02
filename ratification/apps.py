from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatificationConfig(AppConfig):
    name = "ratification"
    verbose_name = _("Treaty ratification")
    default_auto_field = "django.db.models.BigAutoField"

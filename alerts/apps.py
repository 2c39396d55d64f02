from __future__ import annotations

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    # E-mail, webhooks and chat: one outbox (alerts/services/delivery.py).
    verbose_name = _("Alerts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alerts.checks import site_url_is_https
        from alerts.services.fanout import events_recorded_receive
        from alerts.services.staff import staff_alert_receive
        from ratification.signals import events_recorded, staff_alert_raised

        checks.register(site_url_is_https)
        # The record announces its events and staff alerts; the outbox owes what they call for.
        events_recorded.connect(events_recorded_receive, dispatch_uid="alerts.events_recorded")
        staff_alert_raised.connect(staff_alert_receive, dispatch_uid="alerts.staff_alert_raised")

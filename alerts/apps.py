from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedule(sender, **kwargs) -> None:
    from alerts.schedule import ensure_alert_schedule

    ensure_alert_schedule()


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alerts.receivers import count_alert_recipients, create_alert_for_recorded_events
        from ratification.signals import alert_recipients_counted, events_recorded

        events_recorded.connect(create_alert_for_recorded_events, dispatch_uid="alerts.create_alert")
        alert_recipients_counted.connect(count_alert_recipients, dispatch_uid="alerts.count_recipients")
        post_migrate.connect(_ensure_schedule, sender=self, dispatch_uid="alerts.ensure_schedule")

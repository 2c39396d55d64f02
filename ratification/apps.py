from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatificationConfig(AppConfig):
    name = "ratification"
    verbose_name = _("Treaty ratification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from ratification import db_collation

        post_migrate.connect(_ensure_schedule, sender=self)
        # SQLite knows no collation for names: ours, on every connection (ratification/db_collation.py).
        connection_created.connect(db_collation.register)


def _ensure_schedule(**kwargs) -> None:
    """After migrations: make sure every periodic job has its django-celery-beat row."""
    from ratification.schedule import schedule_ensure

    schedule_ensure()

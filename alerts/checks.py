"""Start-up checks (Django's system checks, run by `migrate`, `runserver` and `check`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def site_url_is_https(app_configs, **kwargs) -> list[CheckMessage]:
    """In production, alerts' unsubscribe links must be https: mail providers honour RFC 8058's
    one-click unsubscribe (List-Unsubscribe-Post) only for an https List-Unsubscribe link."""
    if not settings.PRODUCTION or settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"SITE_URL is not an https:// address ({settings.SITE_URL}): the unsubscribe links of every alert "
            "are built from it, and one-click unsubscribe (RFC 8058) needs https.",
            hint="Set SITE_URL to the https address readers use, behind the TLS-terminating proxy.",
            id="alerts.W001",
        )
    ]

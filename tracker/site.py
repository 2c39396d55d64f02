"""The public address of this service (`SITE_URL`), as links, ids and mail headers use it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str = "") -> str:
    """An absolute link to `path` on this site, for places without a request (e-mails, feeds)."""
    return f"{settings.SITE_URL}{path}"


def site_host() -> str:
    """SITE_URL's host name: in `tag:` ids, calendar UIDs, Message-IDs and List-Ids, so that none of
    them depends on a request or on the name of the machine that sent it."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"

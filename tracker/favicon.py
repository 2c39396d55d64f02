"""`/favicon.ico`: browsers, feed readers and link previews ask for it whatever the page declares."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> FileResponse:
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")

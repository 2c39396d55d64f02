"""The client's address, for everything that counts requests per client: the login lockout
(django-axes) and the sign-up limits (alerts).

Behind reverse proxies the connecting address is the proxy's, and X-Forwarded-For carries the
client's, but a client can write anything there. So the header is trusted only as far as the
proxies we run (`NUM_PROXIES`): each appends the address it saw, so the N-th entry from the
right is the one our outermost proxy saw; anything to its left is the client's to invent. With
none (the default) the header is ignored. Otherwise a forged header would reset a limit.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]

"""The client's address, as the login lockout (django-axes) sees it.

Behind reverse proxies the connecting address is the proxy's, and X-Forwarded-For carries the
client's, but a client can write anything there. So the header is trusted only as far as the
proxies we run: with N proxies (the API's `REST_FRAMEWORK["NUM_PROXIES"]`, the same rule DRF's
throttle applies), the client is the N-th address from the right, the one our outermost proxy
appended; with none (the default), the header is ignored. Otherwise an attacker would get a
fresh lockout counter with every forged header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def trusted_proxies() -> int:
    return int(getattr(settings, "REST_FRAMEWORK", {}).get("NUM_PROXIES") or 0)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]

"""The client's address, for everything that counts requests per client: the login lockout
(django-axes), the API throttle and the sign-up limits (alerts); and `client_key`, the one
client a limit counts that address as.

Behind reverse proxies the connecting address is the proxy's, and X-Forwarded-For carries the
client's, but a client can write anything there. So the header is trusted only as far as the
proxies we run (`NUM_PROXIES`): each appends the address it saw, so the N-th entry from the
right is the one our outermost proxy saw; anything to its left is the client's to invent. With
none (the default) the header is ignored. Otherwise a forged header would reset a limit.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# A home or office connection gets a whole IPv6 /64; counting each address in it separately
# would hand one client 2**64 budgets.
IPV6_CLIENT_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def client_key(address: str) -> str:
    """The client a per-client limit counts `address` as: an IPv4 address, or an IPv6 /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))

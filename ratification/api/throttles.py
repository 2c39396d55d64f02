"""How many requests an anonymous client may make (API_ANON_RATE), and who counts as one client."""

from __future__ import annotations

import ipaddress
import math

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

# A home or office connection gets a whole IPv6 /64; counting each address in it separately
# would hand one client 2**64 budgets.
IPV6_CLIENT_PREFIX = 64


class AnonThrottle(AnonRateThrottle):
    """Anonymous clients share `API_ANON_RATE`, each keyed on its address (its /64 for IPv6).

    The address is REMOTE_ADDR, or the entry API_NUM_PROXIES from the right of
    X-Forwarded-For when trusted proxies append to it: whatever a client writes in that header
    itself is never read, so forging it does not reset a limit.
    """

    def get_rate(self) -> str | None:
        # Read per request rather than once at import (DRF's default), so the setting is the
        # one in force now: tests and reloaded settings see their own value.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        ident = super().get_ident(request)
        try:
            address = ipaddress.ip_address(ident)
        except ValueError:
            return ident
        if address.version == 4:
            return str(address)
        if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))

    def wait(self) -> float | None:
        # Whole seconds, rounded up: DRF writes Retry-After with %d, and a wait under one
        # second would become "Retry-After: 0", or no header at all.
        seconds = super().wait()
        return None if seconds is None else max(1, math.ceil(seconds))

"""How many requests an anonymous client may make (API_ANON_RATE), and who counts as one client.

DRF's own rate throttle keeps a list of every request's time per client and rewrites it on
each request: at 120/min that is 120 floats, but at 10,000/h it is 10,000 pickled floats per
request, and two workers reading and writing it at once let extra requests through. Here each
client has two counters (this window and the last) and the rate is checked against a sliding
estimate, the approach of Cloudflare's rate limiter: two cache reads and one atomic increment
per request, whatever the rate.
"""

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

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window, into = divmod(now, self.duration)
        current, previous = f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}"
        counts = self.cache.get_many([current, previous])
        self.current, self.previous = counts.get(current, 0), counts.get(previous, 0)
        self.elapsed = into / self.duration
        # The last window's requests, weighted by how much of it still overlaps the sliding window.
        if self.previous * (1 - self.elapsed) + self.current >= self.num_requests:
            return False
        if not self.cache.add(current, 1, timeout=2 * self.duration):
            try:
                self.cache.incr(current)
            except ValueError:  # expired between add and incr
                self.cache.set(current, 1, timeout=2 * self.duration)
        return True

    def wait(self) -> float:
        """Whole seconds until the sliding estimate falls below the rate (DRF writes Retry-After with %d)."""
        if self.current >= self.num_requests or not self.previous:
            free_at = 1.0  # the start of the next window
        else:
            free_at = 1 - (self.num_requests - self.current) / self.previous
        return max(1, math.ceil((free_at - self.elapsed) * self.duration))

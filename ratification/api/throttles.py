"""How many requests an anonymous client may make (API_ANON_RATE), and who counts as one client.

DRF's own rate throttle keeps a list of every request's time per client and rewrites it on
each request: at 120/min that is 120 floats, but at 10,000/h it is 10,000 pickled floats per
request, and two workers reading and writing it at once let extra requests through. Here each
client has two counters (this window and the last) and the rate is checked against a sliding
estimate, the approach of Cloudflare's rate limiter: one cache read and one atomic increment
per request (and a decrement when refused), whatever the rate.
"""

from __future__ import annotations

import contextlib
import math

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from tracker.client_ip import client_key


class AnonThrottle(AnonRateThrottle):
    """Anonymous clients share `API_ANON_RATE`, each keyed on its address (its /64 for IPv6).

    The address is REMOTE_ADDR, or the entry NUM_PROXIES from the right of
    X-Forwarded-For when trusted proxies append to it: whatever a client writes in that header
    itself is never read, so forging it does not reset a limit.
    """

    def get_rate(self) -> str | None:
        # Read per request rather than once at import (DRF's default), so the setting is the
        # one in force now: tests and reloaded settings see their own value.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_key(super().get_ident(request))

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window, into = divmod(self.timer(), self.duration)
        current, previous = f"{self.key}:{int(window)}", f"{self.key}:{int(window) - 1}"
        self.previous, self.elapsed = self.cache.get(previous, 0), into / self.duration
        # Count first, then check: with an atomic increment (Redis, locmem, the embedded file
        # cache of tracker/cache.py) two workers cannot both see "one left" and both take it.
        counted = self._count(current)
        self.current = counted - 1  # the requests admitted before this one
        # The last window's requests, weighted by how much of it still overlaps the sliding window.
        if self.previous * (1 - self.elapsed) + self.current >= self.num_requests:
            with contextlib.suppress(ValueError):  # ValueError: it expired meanwhile
                self.cache.decr(current)  # a refused request does not use up the budget
            return False
        return True

    def _count(self, key: str) -> int:
        if self.cache.add(key, 1, timeout=2 * self.duration):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, timeout=2 * self.duration)
            return 1

    def wait(self) -> float:
        """Whole seconds until the sliding estimate falls below the rate (DRF writes Retry-After with %d)."""
        if self.current >= self.num_requests or not self.previous:
            free_at = 1.0  # the start of the next window
        else:
            free_at = 1 - (self.num_requests - self.current) / self.previous
        return max(1, math.ceil((free_at - self.elapsed) * self.duration))

"""Sign-up limits: counters in the shared cache (Redis in production), keyed by a hash.

A fixed window per key: the first hit starts it, `window` seconds later it is gone. Hashing
keeps addresses and IPs out of cache keys. The cache is shared by every web process, so the
limits hold across gunicorn workers; a cache flush only resets them (fails open), which is
acceptable for an abuse brake whose worst case is a few extra confirmation e-mails.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from tracker.client_ip import client_ip

__all__ = ["address_identity", "allow", "client_ip"]


def allow(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one hit for `identity`; False once it has had more than `limit` in the window."""
    key = f"alerts:limit:{scope}:{hashlib.sha256(identity.encode()).hexdigest()[:32]}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def address_identity(email: str) -> str:
    """The address as a limit counts it: lower-case, without a +tag (user+1@, user+2@ are one inbox)."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"

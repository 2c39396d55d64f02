"""Sign-up limits: counters in the shared cache (Redis in production), keyed by a hash.

A fixed window per key: the first hit starts it, `window` seconds later it is gone. Hashing
keeps addresses and IPs out of cache keys. The cache is shared by every web process, so the
limits hold across gunicorn workers; a cache flush only resets them (fails open), which is
acceptable for an abuse brake whose worst case is a few extra confirmation e-mails.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless `NUM_PROXIES` trusted proxies sit in front.

    With N proxies, each appends the address it saw to X-Forwarded-For, so the N-th entry from
    the right is the one the outermost proxy saw; anything to its left is the client's to
    invent, which is why it is never read (a spoofed header must not reset a limit).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]


def address_identity(email: str) -> str:
    """The address as a limit counts it: lower-case, without a +tag (user+1@, user+2@ are one inbox)."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"

"""Sign-up limits: counters in the shared cache (Redis in production), keyed by a hash.

A fixed window per key: the first hit starts it, `window` seconds later it is gone. Hashing
keeps addresses and IPs out of cache keys. The cache is shared by every web process, so the
limits hold across gunicorn workers; a cache flush only resets them (fails open), which is
acceptable for an abuse brake whose worst case is a few extra confirmation e-mails.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata

from django.core.cache import cache

from tracker.client_ip import client_ip, client_key

__all__ = ["address_identity", "allow", "client_ip", "client_key"]

# Providers that deliver every dotted spelling of a name to one inbox (Gmail ignores dots; its
# googlemail.com is the same inbox), and the domain each is counted as. Only these: elsewhere
# j.doe@ and jdoe@ may be two people.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


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
    """The inbox a limit counts an address as, however the address is written.

    One inbox, one count: lower-case; a quoted local part as its plain text (`"victim9"@` is
    `victim9@`, RFC 5321 4.1.2: the quotes and backslashes are only notation); no +tag (user+1@,
    user+2@ reach user@); the domain in its ASCII form without a final dot (exämple.org is
    xn--exmple-cua.org). At Gmail, dots do not count either (j.o.e@gmail.com is joe@gmail.com,
    and googlemail.com is gmail.com); other providers treat dots as part of the name.
    """
    local, _, domain = email.strip().rpartition("@")
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    local = unicodedata.normalize("NFKC", local).casefold().split("+", 1)[0]
    domain = domain.strip().rstrip(".").lower()
    with contextlib.suppress(UnicodeError):  # the form refuses such a domain; counted as written
        domain = domain.encode("idna").decode("ascii")
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"

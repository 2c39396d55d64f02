"""Whole responses kept under a version key: in this process's memory first, then the shared cache.

Both the public pages (ratification.middleware) and the API (ratification.api.caching) store
what they rendered here. Keys are versions of the data, so an entry is never stale, only
unused: nobody deletes one, and the shared cache's timeout bounds what unused entries occupy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse

STORE_SECONDS = 24 * 60 * 60
# Headers a stored response repeats; anything per-request (cookies above all) is never stored.
NOT_STORED = {"set-cookie", "date"}

StoredResponse = tuple[int, list[tuple[str, str]], bytes]


class _RecentResponses:
    """The last few responses this process served, in memory, least recently used out.

    This tier saves the shared cache's round trip (a file read or a Redis GET of ~130 KB).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Any) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# 128 entries: the pages in each language and the first pages of the API lists, a few MB at most.
recent_responses = _RecentResponses(size=128)


def stored(key: str) -> StoredResponse | None:
    entry = recent_responses.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            recent_responses.put(key, entry)
    return entry


def store(key: str, response: HttpResponse) -> None:
    """Keep a successful, complete, cookie-free response under `key`; anything else is not stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    headers = [(name, value) for name, value in response.headers.items() if name.lower() not in NOT_STORED]
    entry = (response.status_code, headers, response.content)
    cache.set(key, entry, STORE_SECONDS)
    recent_responses.put(key, entry)

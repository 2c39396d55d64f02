"""The embedded default cache: Django's file cache, with counters that are exact across processes.

The API throttle and the sign-up limits count requests with `add` and `incr`. Django's file
cache implements both as a read followed by a write, so two gunicorn workers counting at once
both read 7 and both write 8: under load a client got about four times its rate through
(bench_api: 464 of 120 allowed). Here both run under one exclusive lock file per cache folder,
as Redis makes them atomic in production. Other operations are unchanged.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class AtomicCounterFileBasedCache(FileBasedCache):
    @contextmanager
    def _counter_lock(self) -> Iterator[None]:
        os.makedirs(self._dir, exist_ok=True)
        # flock belongs to the open file, so threads of one process exclude each other too.
        with open(os.path.join(self._dir, "counters.lock"), "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._counter_lock():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):  # decr calls incr
        with self._counter_lock():
            return super().incr(key, delta, version)

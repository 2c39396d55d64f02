"""The embedded file cache counts exactly when several processes count at once (throttles, sign-up limits)."""

from __future__ import annotations

import multiprocessing

from tracker.cache import AtomicCounterFileBasedCache
from tracker.env import cache as cache_config

PROCESSES, THREADS, INCREMENTS = 4, 4, 50


def _count(folder: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cache = AtomicCounterFileBasedCache(folder, {})

    def hammer(_: int) -> None:
        for _ in range(INCREMENTS):
            if not cache.add("hits", 1, timeout=60):
                cache.incr("hits")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(hammer, range(THREADS)))


class AtomicCounterFileBasedCacheTests:
    def test_concurrent_processes_and_threads_lose_no_increment(self, tmp_path):
        context = multiprocessing.get_context("spawn")  # fresh interpreters, as gunicorn workers are
        workers = [context.Process(target=_count, args=(str(tmp_path),)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        assert AtomicCounterFileBasedCache(str(tmp_path), {}).get("hits") == PROCESSES * THREADS * INCREMENTS

    def test_decrement_takes_the_same_lock_once(self, tmp_path):
        cache = AtomicCounterFileBasedCache(str(tmp_path), {})
        cache.add("hits", 5)
        assert cache.decr("hits") == 4

    def test_the_default_cache_url_uses_it(self, tmp_path, monkeypatch):
        monkeypatch.delenv("CACHE_URL", raising=False)
        assert (
            cache_config("CACHE_URL", f"filecache://{tmp_path}")["BACKEND"]
            == "tracker.cache.AtomicCounterFileBasedCache"
        )

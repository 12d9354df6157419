"""Fixed-window request counters: in Redis when there is one, in memory otherwise.

Without REDIS_URL, Ruche serves from a single process (`ruche serve` refuses more), so a
counter in that process's memory is exact and costs no database round trip (the database
cache would cost about ten queries per hit). With Redis, the counter lives in the shared
cache so the limit holds across server processes.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache

_lock = threading.Lock()
_local: dict[int, tuple[int, dict[str, int]]] = {}  # window → (bucket, counts)


def allow(key: str, limit: int, window: int) -> bool:
    """Count one hit for `key`; False once it exceeds `limit` hits in the current window.

    Windows are aligned on multiples of `window` seconds.
    """
    bucket = int(time.time() // window)
    if not settings.REDIS_URL:
        return _allow_in_memory(key, limit, window, bucket)
    cache_key = f"ratelimit:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window * 2):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window * 2)
        return True


def _allow_in_memory(key: str, limit: int, window: int, bucket: int) -> bool:
    with _lock:
        current, counts = _local.get(window, (bucket, {}))
        if current != bucket:  # a new window: forget the previous one's counters
            counts = {}
        counts[key] = counts.get(key, 0) + 1
        _local[window] = (bucket, counts)
        return counts[key] <= limit


def reset() -> None:
    """Forget every in-memory counter (tests)."""
    with _lock:
        _local.clear()

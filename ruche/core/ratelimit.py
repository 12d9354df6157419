"""A fixed-window request counter in the shared cache (Redis in production)."""

import time

from django.core.cache import cache


def allow(key: str, limit: int, window: int) -> bool:
    """Count one hit for `key`; False once it exceeds `limit` hits in the current window.

    Windows are aligned on multiples of `window` seconds; the counter lives in the cache
    shared by every server process, so the limit holds across processes.
    """
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window * 2):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window * 2)
        return True

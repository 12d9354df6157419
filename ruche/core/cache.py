"""One Redis connection pool per process for Django's cache.

Django's RedisCache builds its client, and with it a connection pool, per cache object,
and a cache object per request context (`django.core.cache.caches` is context-local): every
request would open a Redis connection. `from_url` here hands back one pool per URL and
options for the whole process.
"""

import threading

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _pools: dict = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url, **options):
        key = (url, tuple(sorted((name, repr(value)) for name, value in options.items())))
        with cls._lock:
            pool = cls._pools.get(key)
            if pool is None:
                pool = cls._pools[key] = super().from_url(url, **options)
            return pool

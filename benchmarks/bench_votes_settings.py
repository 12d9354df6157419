"""Production settings plus the two changes bench_votes.py's report proposes, to measure
them before anyone edits ruche/:

    .venv/bin/pip install psycopg-pool
    .venv/bin/python benchmarks/bench_votes.py --settings bench_votes_settings

1. A PostgreSQL connection pool (Django ≥ 5.1, psycopg_pool). Under ASGI every request
   runs its sync view in a thread of its own, so CONN_MAX_AGE cannot keep connections:
   each request connects (fork of a backend, SCRAM authentication, cold catalog caches),
   and past `max_connections` concurrent requests PostgreSQL refuses them (500s).
2. One Redis connection pool per process for the cache (rate limits, analysis throttle):
   Django builds a cache object, hence a pool and a new connection, per request context.
"""

import redis

from ruche.config.settings.production import *  # noqa: F403
from ruche.config.settings.production import CACHES, DATABASES, REDIS_URL

DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them instead
DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 4, "max_size": 16, "timeout": 10}}

if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {"pool_class": "bench_votes_settings.SharedConnectionPool"}


class SharedConnectionPool(redis.ConnectionPool):
    """`from_url` hands back one pool per URL and options for the whole process."""

    _pools: dict = {}

    @classmethod
    def from_url(cls, url, **options):
        key = (url, tuple(sorted(options.items())))
        pool = cls._pools.get(key)
        if pool is None:
            pool = cls._pools.setdefault(key, super().from_url(url, **options))
        return pool

"""The suite runs on the backends the environment asks for, so CI's second run really is
PostgreSQL + Redis and the first really is SQLite + in-memory layer + database queue."""

import os
import uuid

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.core.cache import caches
from django.db import connection
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend
from django_tasks_rq import RQBackend


def test_database_vendor_follows_database_url():
    """Without DATABASE_URL the tests run on SQLite; with a postgres:// URL, on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_channel_layer_cache_and_queue_follow_redis_url():
    """REDIS_URL switches the channel layer, the cache and the task queue to Redis together;
    without it they are in-memory, database cache and database queue. Tasks run immediately
    in tests unless they use the "queue" backend."""
    redis = bool(os.environ.get("REDIS_URL"))
    cache = caches["default"]
    layer = get_channel_layer()
    queue = task_backends["queue"]
    assert isinstance(task_backends["default"], ImmediateBackend)
    if redis:
        assert isinstance(layer, RedisPubSubChannelLayer)
        assert type(cache).__name__ == "RedisCache"
        assert isinstance(queue, RQBackend)
    else:
        assert isinstance(layer, InMemoryChannelLayer)
        assert type(cache).__name__ == "DatabaseCache"
        assert isinstance(queue, DatabaseBackend)
    # The cache really answers (a Redis cache pointing nowhere would raise here).
    key = f"infra-{uuid.uuid4().hex}"
    cache.set(key, "ok", 30)
    assert cache.get(key) == "ok"
    cache.delete(key)

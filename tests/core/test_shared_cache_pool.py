"""Rule: every Redis cache client of a process shares one connection pool (one per URL and
options), so requests do not each open a Redis connection."""

from ruche.core.cache import SharedConnectionPool


def test_same_url_same_pool():
    """Two clients built from the same URL get the same pool; another URL its own."""
    first = SharedConnectionPool.from_url("redis://127.0.0.1:1/0", socket_timeout=1)
    again = SharedConnectionPool.from_url("redis://127.0.0.1:1/0", socket_timeout=1)
    other = SharedConnectionPool.from_url("redis://127.0.0.1:1/1", socket_timeout=1)
    assert first is again
    assert other is not first

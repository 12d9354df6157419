"""Rule: a key may be hit `limit` times per window, then is refused until the next window;
keys are counted apart."""

import uuid
from unittest import mock

import pytest

from ruche.core import ratelimit


@pytest.fixture(autouse=True)
def _reset():
    ratelimit.reset()
    yield
    ratelimit.reset()


RUN = uuid.uuid4().hex  # keys unique to this run: a Redis cache outlives the test database


def hits(key, n, limit=3, window=10):
    return [ratelimit.allow(f"{RUN}:{key}", limit, window) for _ in range(n)]


def test_limit_then_refusal(db):
    """The (limit + 1)th hit in a window is refused."""
    assert hits("a", 5) == [True, True, True, False, False]


def test_keys_are_independent(db):
    """Another key has its own count."""
    hits("a", 5)
    assert hits("b", 1) == [True]


def test_next_window_starts_afresh(db):
    """Counts reset when the window turns."""
    with mock.patch("ruche.core.ratelimit.time.time", return_value=1000.0):
        assert hits("a", 4) == [True, True, True, False]
    with mock.patch("ruche.core.ratelimit.time.time", return_value=1010.0):
        assert hits("a", 1) == [True]

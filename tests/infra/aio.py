"""Run an async test body on its own event loop, in a thread of its own.

pytest-asyncio runs coroutines in the test thread, which fails ("Runner.run() cannot be called
from a running event loop") for every async test collected after the browser tests: the
session-scoped `browser` fixture of tests/e2e keeps Playwright's sync API, and so its event
loop, running in that thread until the session ends. A fresh thread has no such loop. Database
work still goes through database_sync_to_async, as in a consumer.
"""

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_async(coroutine_function: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """Run `coroutine_function(*args)` to completion on a new event loop and return its result."""

    async def main():
        return await coroutine_function(*args)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="infra-async") as executor:
        return executor.submit(asyncio.run, main()).result()

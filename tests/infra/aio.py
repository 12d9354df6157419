"""Run an async test scenario on its own event loop, in a thread of its own.

These tests mix sync code (actions, on-commit hooks that call async_to_sync) with awaiting
the channel layer. A fresh thread with a fresh loop keeps them independent of any loop the
test thread may have running (pytest-asyncio's, or Playwright's while browser tests run).
Database work still goes through database_sync_to_async, as in a consumer.
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

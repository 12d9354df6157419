"""Browser tests: Playwright drives Debian's Chromium against the test servers.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety
guard is relaxed for the ORM calls these tests make to set up data, and only for them.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("RUCHE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Mark browser tests and run them last: while Playwright's loop is open in the main
    thread, asyncio-based tests could not start their own."""
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required for browser tests in CI ({CHROMIUM} missing)")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # For as long as Playwright's loop runs in this thread (including the database
    # teardown of each test), and no longer.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test; console errors (CSP violations…) fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"Browser console errors: {errors}"


@pytest.fixture
def asgi_server(transactional_db, settings):
    """The project's ASGI application (HTTP + WebSockets) served by uvicorn in a thread.

    Django's live_server speaks WSGI only; live pages need the real ASGI stack. The thread
    shares the test database (SQLite's shared in-memory database, or PostgreSQL).
    """
    import socket
    import threading
    import time

    import uvicorn

    from ruche.config.asgi import application

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def new_page(browser):
    """Open pages on any base URL; console errors fail the test."""
    contexts, errors = [], []

    def make(base_url):
        context = browser.new_context(base_url=base_url, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"Browser console errors: {errors}"

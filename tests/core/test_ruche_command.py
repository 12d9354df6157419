"""The `ruche` command as a newcomer uses it: demo set-up, demo server + worker, serve."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

RUCHE = [sys.executable, "-m", "ruche.cli"]


def demo_env(tmp_path):
    """The demo is SQLite under var/ by definition: drop CI's PostgreSQL/Redis variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["RUCHE_VAR_DIR"] = str(tmp_path / "var")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def table_counts(database) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_demo_setup_is_idempotent_and_prints_the_accounts(tmp_path):
    """`ruche demo` creates the SQLite database under var/ and prints the demo accounts;
    a second run changes no row count."""
    env = demo_env(tmp_path)
    first = subprocess.run(
        [*RUCHE, "demo", "--setup-only"], env=env, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    for email in ("admin@ruche.localhost", "animation@ruche.localhost", "membre@ruche.localhost"):
        assert email in first.stdout
    database = tmp_path / "var" / "ruche.sqlite3"
    before = table_counts(database)
    second = subprocess.run(
        [*RUCHE, "demo", "--setup-only"], env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    assert table_counts(database) == before
    assert (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("target", ["terminal", "process"])
def test_demo_serves_and_ctrl_c_stops_server_and_worker(tmp_path, target):
    """`ruche demo` serves the home page with a worker beside it; Ctrl-C (SIGINT to the
    terminal's process group) or a SIGINT to the demo process alone stops both cleanly."""
    port = free_port()
    process = subprocess.Popen(
        [*RUCHE, "demo", "--port", str(port)],
        env=demo_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        html = wait_for(f"http://127.0.0.1:{port}/")
        assert 'class="fr-header"' in html
        children = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(process.pid)], capture_output=True, text=True
        ).stdout
        assert "worker" in children
        if target == "terminal":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        leftover = subprocess.run(
            ["pgrep", "-g", str(process.pid)], capture_output=True, text=True
        ).stdout
        assert leftover.strip() == ""
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("workers", [2])
def test_serve_runs_production_settings_with_several_workers(tmp_path, workers):
    """`ruche serve` answers /healthz with production settings and several processes."""
    port = free_port()
    env = demo_env(tmp_path)
    subprocess.run([*RUCHE, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [*RUCHE, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", timeout=90) == '{"status": "ok"}'
        request = urllib.request.Request(f"http://127.0.0.1:{port}/")
        with pytest.raises(urllib.error.HTTPError) as redirect:
            # Production redirects plain HTTP to HTTPS (behind the proxy it is HTTPS).
            opener = urllib.request.build_opener(NoRedirect())
            opener.open(request, timeout=5)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"].startswith("https://")
        # Behind the TLS proxy: pages render with collected, hashed static files.
        proxied = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(proxied, timeout=5) as response:
            html = response.read().decode()
        stylesheet = re.search(r'href="(/static/ruche/ruche\.[0-9a-f]{12}\.css)"', html).group(1)
        static = urllib.request.Request(
            f"http://127.0.0.1:{port}{stylesheet}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(static, timeout=5) as response:
            assert response.status == 200
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

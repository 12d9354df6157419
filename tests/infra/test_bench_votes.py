"""`make bench-votes` still runs: a 5 s smoke run of benchmarks/bench_votes.py --quick.

It starts its own PostgreSQL and Redis, so it needs their binaries: skipped without them,
except in CI, which installs them (.ci/run), where their absence is a failure.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_votes_services import pg_bindir  # noqa: E402


def test_bench_votes_quick_run_acknowledges_exactly_what_the_database_holds():
    """A short load of JSON votes leaves in the database exactly the acknowledged votes."""
    missing = [
        name
        for name, found in (
            ("PostgreSQL", pg_bindir()),
            ("redis-server", shutil.which("redis-server")),
        )
        if not found
    ]
    if missing:
        message = f"needs {' and '.join(missing)} installed"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI installs them: {message}")
        pytest.skip(message)
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_votes.py"), "--quick"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "db votes = acked: yes" in output, output[-4000:]
    assert "/healthz" in output, output[-4000:]

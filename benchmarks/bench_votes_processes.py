"""Processes and meters for bench_votes.py: `ruche serve` and the data helper as
subprocesses, and the CPU time each side used (from /proc, so PostgreSQL's short-lived
backends count too: a parent's cutime/cstime holds its reaped children's).
"""

import contextlib
import json
import os
import re
import resource
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench_votes_services import redis

REPO = Path(__file__).resolve().parents[1]
DATA_SCRIPT = Path(__file__).resolve().parent / "bench_votes_data.py"
TICK = os.sysconf("SC_CLK_TCK")


# --- CPU meters --------------------------------------------------------------------------


@dataclass
class Usage:
    seconds: float
    client: float
    server: float
    postgres: float
    redis: float
    machine: float
    requests_ok: int = 0

    def __str__(self) -> str:
        def pct(cpu):
            return f"{cpu / self.seconds * 100:.0f}%"

        return (
            f"client {pct(self.client)} of one core, uvicorn workers {pct(self.server)}, "
            f"PostgreSQL {pct(self.postgres)}, Redis {pct(self.redis)}; whole machine "
            f"{pct(self.machine)} of one core out of {os.cpu_count() * 100}% "
            f"(others' jobs included) over {self.seconds:.1f} s"
        )


class Meters:
    """CPU time of this client, the server's process tree, PostgreSQL's and Redis's."""

    def __init__(self, server_pid: int, pg, rd):
        self.server_pid = server_pid
        pid_file = pg.directory / "data" / "postmaster.pid"
        self.pg_pid = int(pid_file.read_text().split()[0])
        self.redis_pid = rd.pid if rd else None

    def _sample(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return (
            time.perf_counter(),
            usage.ru_utime + usage.ru_stime,
            tree_cpu(self.server_pid),
            tree_cpu(self.pg_pid),
            tree_cpu(self.redis_pid) if self.redis_pid else 0.0,
            machine_busy(),
        )

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> Usage:
        after = self._sample()
        return Usage(*(b - a for a, b in zip(self.before, after, strict=True)))


def tree_cpu(root: int) -> float:
    """utime + stime of `root` and its live descendants, plus their reaped children."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(f) for f in fields[11:15]) / TICK
    total, stack = 0.0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while stack:
        pid = stack.pop()
        total += cpu.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def machine_busy() -> float:
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


@contextlib.contextmanager
def maybe_redis(enabled: bool):
    """A throw-away Redis, or None when the server runs without one."""
    if not enabled:
        yield None
        return
    with redis() as server:
        yield server


def server_env(database_url: str, redis_url: str, scratch: Path, settings: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WEB_CONCURRENCY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parent), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        RUCHE_VAR_DIR=str(scratch / "var"),
        DEBUG="false",
        LOG_LEVEL="warning",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def ruche_command() -> list[str]:
    script = Path(sys.executable).with_name("ruche")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ruche.cli"]


def timed_steps(commands: dict[str, list[str]], env: dict) -> None:
    start = time.perf_counter()
    running = {
        label: subprocess.Popen(
            command,
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for label, command in commands.items()
    }
    for label, process in running.items():
        output, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{label} failed:\n{output[-3000:]}")
        print(
            f"{label}: {shlex.join(commands[label])}  done {time.perf_counter() - start:.1f} s "
            "after the start (these run side by side)"
        )


def run_data(arguments: list[str], env: dict, label: str) -> dict:
    command = [sys.executable, str(DATA_SCRIPT), *arguments]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed:\n{done.stderr[-3000:]}")
    print(
        f"data ({label}): {shlex.join([relative(c) for c in command])}  "
        f"{time.perf_counter() - start:.1f} s"
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """`ruche serve` in its own process group, stopped (SIGINT, then SIGKILL) on exit."""

    def __init__(self, command, env, log: Path, port: int):
        self.command, self.env, self.log, self.port = command, env, log, port

    def __enter__(self):
        start = time.perf_counter()
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=REPO,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid
        deadline = time.monotonic() + 120
        while not self._healthy():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"ruche serve did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        self.ready_seconds = time.perf_counter() - start
        return self

    def _healthy(self) -> bool:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/healthz", headers={"X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()
        errors = [
            line
            for line in self.log.read_text().splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
        if errors:
            kept = Path(tempfile.gettempdir()) / "ruche-bench-votes-serve.log"
            kept.write_text(self.log.read_text())
            text = self.log.read_text()
            first = text[text.index("Traceback") :].split("\n\n", 1)[0].splitlines()
            print(f"server log: {len(errors)} error lines (kept in {kept}); the first ends:")
            print("\n".join(f"  | {line}" for line in first[-6:]))
        return False


def gist(body: bytes) -> str:
    """An error body in one line: an HTML page's title, or the start of the text."""
    text = body.decode("utf-8", "replace")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    return " ".join((title.group(1) if title else text).split())[:200]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def verdict(ok: bool, name: str, missed: list) -> str:
    if not ok:
        missed.append(name)
    return "OK" if ok else "MISSED"


def relative(path: str) -> str:
    resolved = Path(path).absolute()
    return str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else path

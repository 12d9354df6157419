"""Throw-away PostgreSQL and Redis on free loopback ports, in temporary directories.

The same approach as `.ci/run`: as root the cluster belongs to the `postgres` user
(PostgreSQL refuses to run as root) and commands go through `runuser -u postgres`.
Everything is stopped and removed on exit, whatever happens.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def pg_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: [int(p) for p in path.parent.name.split(".") if p.isdigit()],
    )
    for path in reversed(found):
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Postgres:
    url: str
    port: int
    version: str
    settings: str  # the server options, for the report
    directory: Path


@contextlib.contextmanager
def postgres(options: dict[str, str] | None = None):
    """A PostgreSQL cluster with a `ruche` superuser (password auth) and database."""
    bindir = pg_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    as_root = os.geteuid() == 0
    as_pg = ["runuser", "-u", "postgres", "--"] if as_root else []
    directory = Path(tempfile.mkdtemp(prefix="ruche-bench-pg."))
    if as_root:
        shutil.chown(directory, "postgres", "postgres")
    port = free_port()
    password = secrets.token_hex(16)
    data = directory / "data"
    started = False
    server_options = {"listen_addresses": "127.0.0.1", "port": str(port), **(options or {})}
    flags = " ".join(f"-c {key}={value}" for key, value in server_options.items())
    try:
        _run(
            [
                *as_pg,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            directory / "initdb.log",
        )
        started = True
        _run(
            [
                *as_pg,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(directory / "postgres.log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-k {directory} {flags}",
                "start",
            ],
            directory / "pg_ctl.log",
            also=directory / "postgres.log",
        )
        psql = [*as_pg, str(bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        psql += ["-h", str(directory), "-p", str(port), "-U", "postgres", "-d", "postgres"]
        _run(
            [
                *psql,
                "-c",
                f"CREATE ROLE ruche LOGIN SUPERUSER PASSWORD '{password}'",
                "-c",
                "CREATE DATABASE ruche OWNER ruche",
            ],
            directory / "psql.log",
        )
        version = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[2]
        yield Postgres(
            url=f"postgres://ruche:{password}@127.0.0.1:{port}/ruche",
            port=port,
            version=version,
            settings=", ".join(f"{k}={v}" for k, v in server_options.items() if k != "port"),
            directory=directory,
        )
    finally:
        if started:
            subprocess.run(
                [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Redis:
    url: str
    version: str
    pid: int


@contextlib.contextmanager
def redis():
    """A Redis server without persistence, as `.ci/run` starts it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found (apt-get install -y redis-server)")
    directory = Path(tempfile.mkdtemp(prefix="ruche-bench-redis."))
    port = free_port()
    process = subprocess.Popen(
        [
            *(binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""),
            *("--appendonly", "no", "--dir", str(directory)),
            *("--logfile", str(directory / "redis.log")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"Redis did not answer on port {port}")
            time.sleep(0.05)
        version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=True
        ).stdout.split()[2]
        yield Redis(
            url=f"redis://127.0.0.1:{port}/0", version=version.removeprefix("v="), pid=process.pid
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def _run(command: list[str], log: Path, also: Path | None = None) -> None:
    with log.open("w") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        text = log.read_text()[-3000:]
        if also is not None and also.exists():
            text += "\n" + also.read_text()[-3000:]
        raise RuntimeError(f"{command[-1]} failed (status {done.returncode}):\n{text}")

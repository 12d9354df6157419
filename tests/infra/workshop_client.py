"""Real workshop sockets against real `ruche serve` processes, for the reliability tests.

Three parts:

- `WorkshopClient`: one phone on a workshop's socket (asyncio + `websockets`). It connects
  with its cookies and an Origin header, starts from a snapshot, applies events in sequence
  order with `ruche.workshops.live.apply`, asks for a resync when it sees a gap (or a
  ``hello`` ahead of it) and for a snapshot when the server answers ``snapshot_required``.
  When the socket drops it reconnects by itself with a growing, jittered delay (trying the
  next URL of its list, as a load balancer would), and resends every write not yet
  acknowledged; writes that create carry a `key`, so a resend is idempotent.
- `Server`: a `ruche serve` process (one worker, production settings) that can be started,
  SIGKILLed and restarted on the same port.
- `prepare_database` / `django_command`: the database both share. With PostgreSQL it is
  pytest-django's test database (the test asks for `transactional_db`, which empties it
  afterwards); with SQLite the test database lives in memory, out of the server's reach,
  so a file database in tmp_path is migrated instead. Setting up the workshop and reading
  it back go through a subprocess (`python -m tests.infra.workshop_client setup|inspect`)
  with the server's environment, which works the same for both.
"""

import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from ruche.workshops.live import apply

REPO = Path(__file__).resolve().parents[2]
CLOSE_FORBIDDEN = 4403
RESULT_MARKER = "WORKSHOP-RESULT "
RUCHE = [sys.executable, "-m", "ruche.cli"]
SECRET_KEY = "infra-workshop-tests-" + "k" * 40


# --- Processes and database --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(tmp_path: Path, *, redis: bool = True) -> dict:
    """The environment for servers and helper subprocesses, on a database they share.

    Call it from a fixture that depends on `transactional_db`. PostgreSQL (the test run's
    DATABASE_URL): pytest-django's test database, already migrated, which transactional_db
    empties after the test. SQLite: pytest-django's database is in memory, out of other
    processes' reach, so a file database in tmp_path, migrated by the first `setup` call.
    Redis (REDIS_URL of the test run) is passed on when `redis` is true.
    """
    from django.conf import settings
    from django.db import connection

    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "LOG_LEVEL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ruche.config.settings.production",
        SECRET_KEY=SECRET_KEY,
        RUCHE_VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
        user = urllib.parse.quote(db["USER"] or "", safe="")
        env["DATABASE_URL"] = (
            f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
        env["RUCHE_INFRA_MIGRATE"] = ""
    elif connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
        env["RUCHE_INFRA_MIGRATE"] = "1"
    else:  # pragma: no cover
        raise RuntimeError(f"unsupported database {connection.vendor}")
    if redis and settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    (tmp_path / "var" / "static").mkdir(parents=True, exist_ok=True)  # served by WhiteNoise
    return env


def django_command(env: dict, command: str, options: dict | None = None, timeout=180) -> dict:
    """Run a server-side helper (`setup`, `inspect`, …) in a subprocess; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.infra.workshop_client", command],
        input=json.dumps(options or {}),
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER) :])
    raise RuntimeError(f"{command} printed no result:\n{done.stdout[-3000:]}")


class Server:
    """`ruche serve --workers 1` on a fixed port: start, SIGKILL, start again."""

    def __init__(
        self, env: dict, log_path: Path, port: int | None = None, resync_limit: int | None = None
    ):
        self.env = dict(env)
        # RESYNC_LIMIT is a module constant: a lower one is set inside the server process.
        self.resync_limit = resync_limit
        self.port = port or free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def ws_root(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> float:
        """Start the server and wait for /healthz; the seconds it took."""
        began = time.monotonic()
        self.starts += 1
        log = open(self.log_path, "a")  # noqa: SIM115 (the process keeps it)
        log.write(f"\n--- start {self.starts} on port {self.port}\n")
        log.flush()
        command = [
            *RUCHE,
            "serve",
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--no-collectstatic",
        ]
        if self.resync_limit is not None:
            command[1:3] = [
                "-c",
                "import sys, django; django.setup(); import ruche.core.consumers as c; "
                f"c.RESYNC_LIMIT = {int(self.resync_limit)}; import ruche.cli as cli; "
                "sys.exit(cli.main(sys.argv))",
            ]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = began + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"ruche serve exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - began
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"ruche serve did not answer /healthz:\n{self.log()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a crash would: nothing is cleaned up."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        try:
            return self.log_path.read_text()[-4000:]
        except OSError:
            return ""


# --- The client ----------------------------------------------------------------------------


class WorkshopClient:
    """One participant's (or the facilitator's) socket, reconnecting by itself."""

    def __init__(
        self,
        name: str,
        urls: list[str],
        cookies: dict[str, str],
        *,
        backoff: tuple[float, float] = (0.05, 1.0),
        resync_retry: float = 2.0,
    ):
        self.name = name
        self.urls = list(urls)
        self.cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.backoff_min, self.backoff_max = backoff
        self.resync_retry = resync_retry
        # The board: collections keyed by id, and the last sequence number applied.
        self.state: dict | None = None
        self.seq = 0
        self.known_seq = 0  # the highest sequence number the server has told of
        self.buffer: dict[int, dict] = {}  # events ahead of a gap, by seq
        # Writes: id → message until its ack or error; resent after each reconnection.
        self.pending: dict[str, dict] = {}
        self.futures: dict[str, asyncio.Future] = {}
        self.retry_at: dict[str, float] = {}  # rate-limited writes: when to send them again
        # Fault injection: replies to these ids are lost on the way (kept in lost_replies).
        self.lose_reply_to: set[str] = set()
        self.lost_replies: dict[str, dict] = {}
        self.counter = itertools.count(1)
        # What happened, for the tests' checks.
        self.applied: list[tuple[int, str]] = []  # (seq, event type) applied from events
        self.arrivals: list[int] = []  # seq of each event as it arrived, live or replayed
        self.connections = 0
        self.failed_attempts = 0
        self.gaps = self.resyncs = self.snapshots = self.snapshots_required = 0
        self.rate_limited = 0
        self.presence: int | None = None
        self.presence_seen: list[int] = []  # every count received, in order
        self.forbidden = False
        self.last_error: BaseException | None = None
        self.connected_urls: list[str] = []
        self._socket = None
        self._ready = False  # hello received on the current socket
        self._online = asyncio.Event()
        self._online.set()
        self._stopping = False
        self._resync_sent_at: float | None = None
        self._snapshot_pending = False
        self._snapshot_id: str | None = None
        self._need_snapshot = False
        self._snapshot_not_before = 0.0
        self._task: asyncio.Task | None = None
        self._url_index = 0

    # Life cycle ------------------------------------------------------------------------------

    def start(self) -> "WorkshopClient":
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)
        return self

    async def close(self) -> None:
        self._stopping = True
        self._online.set()
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def cut(self) -> None:
        """Lose the network: drop the TCP connection at once, and stay offline."""
        self._online.clear()
        if self._socket is not None:
            self._socket.transport.abort()

    def resume(self) -> None:
        """The network is back: reconnect (and catch up) by itself."""
        self._online.set()

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def caught_up(self) -> bool:
        return (
            self._ready
            and self.state is not None
            and not self._need_snapshot
            and not self.buffer
            and self.seq >= self.known_seq
        )

    async def _run(self) -> None:
        delay = self.backoff_min
        while not self._stopping:
            await self._online.wait()
            if self._stopping:
                return
            url = self.urls[self._url_index % len(self.urls)]
            try:
                async with connect(
                    url,
                    origin=_origin_of(url),
                    additional_headers={"Cookie": self.cookie_header},
                    open_timeout=5,
                    close_timeout=1,
                    max_size=2**24,
                ) as websocket:
                    self._socket = websocket
                    self.connections += 1
                    self.connected_urls.append(url)
                    delay = self.backoff_min
                    await self._session(websocket)
                    if websocket.close_code == CLOSE_FORBIDDEN:
                        self.forbidden = True
                        return
            except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError) as error:
                self.last_error = error
                self.failed_attempts += 1
            finally:
                self._socket = None
                self._ready = False
            if self._stopping:
                return
            # The next address (another server process behind the balancer), after a pause
            # that grows up to backoff_max and is jittered so a room does not come back at once.
            self._url_index += 1
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, self.backoff_max)

    async def _session(self, websocket) -> None:
        self._snapshot_pending = False
        self._resync_sent_at = None
        while True:
            try:
                text = await asyncio.wait_for(websocket.recv(), timeout=0.25)
            except TimeoutError:
                await self._tick()
                continue
            except ConnectionClosed as closed:
                self.last_error = closed
                return
            data = json.loads(text)  # one message, or a batch of events
            for message in data if isinstance(data, list) else [data]:
                await self._on_message(message)
            await self._tick()

    async def _send(self, message: dict) -> None:
        websocket = self._socket
        if websocket is None:
            return  # sent again after the next hello
        with contextlib.suppress(ConnectionClosed):
            await websocket.send(json.dumps(message))

    # Incoming messages ------------------------------------------------------------------------

    async def _on_message(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "hello":
            await self._on_hello(message)
        elif kind == "event":
            await self._on_event(message)
        elif kind == "snapshot":
            await self._on_snapshot(message)
        elif kind == "snapshot_required":
            self.snapshots_required += 1
            self.known_seq = max(self.known_seq, message["seq"])
            await self._request_snapshot()
        elif kind in ("ack", "error"):
            self._on_reply(message)
        elif kind == "presence":
            self.presence = message["count"]
            self.presence_seen.append(message["count"])

    async def _on_hello(self, message: dict) -> None:
        self._ready = True
        self.known_seq = max(self.known_seq, message["seq"])
        if self.state is None:
            await self._request_snapshot()
        elif message["seq"] > self.seq:
            await self._request_resync()
        # Everything not acknowledged goes again, in the order it was written: the server
        # may have applied it before it died (then the key returns the first result) or not.
        for message_id, write in list(self.pending.items()):
            self.retry_at.pop(message_id, None)
            await self._send(write)

    async def _on_event(self, message: dict) -> None:
        seq = message["seq"]
        self.arrivals.append(seq)
        self.known_seq = max(self.known_seq, seq)
        if seq <= self.seq and self.state is not None:
            return  # already applied (a resync overlapping live events)
        self.buffer[seq] = message
        if self.state is None or self._need_snapshot:
            return  # applied on top of the snapshot when it comes
        self._drain()
        if self.buffer:
            self.gaps += 1
            await self._request_resync()

    async def _on_snapshot(self, message: dict) -> None:
        state = dict(message["state"])
        self.seq = state.pop("seq")
        self.state = state
        self.snapshots += 1
        self._snapshot_pending = False
        self._need_snapshot = False
        self.known_seq = max(self.known_seq, self.seq)
        self._drain()
        if self.buffer or self.seq < self.known_seq:
            await self._request_resync()

    def _drain(self) -> None:
        for seq in [s for s in self.buffer if s <= self.seq]:
            del self.buffer[seq]
        while self.seq + 1 in self.buffer:
            event = self.buffer.pop(self.seq + 1)
            apply(self.state, event["payload"])
            self.seq += 1
            self.applied.append((self.seq, event["event"]))
        if not self.buffer and self.seq >= self.known_seq:
            self._resync_sent_at = None

    def _on_reply(self, message: dict) -> None:
        message_id = message.get("id")
        if message_id is not None and message_id == self._snapshot_id:
            # The snapshot request itself was refused (rate limited): ask again in a second.
            self._snapshot_pending = False
            self._snapshot_not_before = time.monotonic() + 1.0
            return
        if message_id not in self.pending:
            return
        if message_id in self.lose_reply_to:
            self.lose_reply_to.discard(message_id)
            self.lost_replies[message_id] = message
            return
        if message.get("type") == "error" and message.get("code") == "rate_limited":
            self.rate_limited += 1
            self.retry_at[message_id] = time.monotonic() + 1.0
            return
        del self.pending[message_id]
        self.retry_at.pop(message_id, None)
        future = self.futures.pop(message_id, None)
        if future is not None and not future.done():
            future.set_result(message)

    async def _request_resync(self) -> None:
        if self._resync_sent_at is not None or self._snapshot_pending or not self._ready:
            return
        self._resync_sent_at = time.monotonic()
        self.resyncs += 1
        await self._send({"type": "resync", "since": self.seq})

    async def _request_snapshot(self) -> None:
        self._need_snapshot = True
        if self._snapshot_pending or not self._ready:
            return
        if time.monotonic() < self._snapshot_not_before:
            return  # _tick asks again
        self._snapshot_pending = True
        self._snapshot_id = f"{self.name}-snapshot-{next(self.counter)}"
        await self._send({"type": "snapshot", "id": self._snapshot_id})

    async def _tick(self) -> None:
        """Retry what a lost or refused message left undone."""
        now = time.monotonic()
        if self._need_snapshot and not self._snapshot_pending:
            await self._request_snapshot()
        if self.state is not None and (self.buffer or self.seq < self.known_seq):
            if self._resync_sent_at is not None and now - self._resync_sent_at > self.resync_retry:
                self._resync_sent_at = None  # that resync got lost: ask again
            await self._request_resync()  # nothing while one is on its way
        for message_id, when in list(self.retry_at.items()):
            if when <= now and message_id in self.pending and self._ready:
                del self.retry_at[message_id]
                await self._send(self.pending[message_id])

    # Writes ------------------------------------------------------------------------------------

    def submit(self, message_type: str, **fields) -> tuple[str, asyncio.Future]:
        """Queue a write; it is sent now if the socket is up, else after the next hello.
        Returns its id and a future resolved with its ack or error."""
        message_id = f"{self.name}-{next(self.counter)}"
        message = {"type": message_type, "id": message_id, **fields}
        future = asyncio.get_running_loop().create_future()
        self.pending[message_id] = message
        self.futures[message_id] = future
        if self._ready:
            asyncio.get_running_loop().create_task(self._send(message))
        return message_id, future

    async def write(self, message_type: str, timeout: float = 30, **fields) -> dict:
        """Send a write and wait for its ack or error, across reconnections."""
        _, future = self.submit(message_type, **fields)
        return await asyncio.wait_for(future, timeout)


def _origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}"


async def wait_until(predicate, timeout: float, message: str = "", interval: float = 0.05):
    """Poll `predicate()` until it is true; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {message}")
        await asyncio.sleep(interval)


def comparable(state: dict) -> dict:
    """A state as JSON carries it, without its sequence number, and without a running timer's
    `remaining` seconds: derived from `ends_at` at the moment it was serialised, it differs
    between an event and a later fresh load by design (clients draw the timer from ends_at)."""
    plain = json.loads(json.dumps({k: v for k, v in state.items() if k != "seq"}))
    for workshop in plain.get("workshop", {}).values():
        timer = workshop.get("timer") or {}
        if timer.get("ends_at") is not None:
            timer["remaining"] = "(running)"
    return plain


# --- Server-side helpers (run in a subprocess with the servers' environment) ------------------


def _setup(options: dict) -> dict:
    """Migrate a fresh file database if asked, then a live workshop (tests.workshops.helpers)
    with `participants` attendees; their cookies and the facilitator's session cookie."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    if os.environ.get("RUCHE_INFRA_MIGRATE"):
        call_command("migrate", "--noinput", verbosity=0)
        call_command("createcachetable", verbosity=0)
    from tests.workshops.helpers import join, make_workshop, participant_cookie

    built = make_workshop()
    workshop = built["workshop"]
    browser = Client()
    browser.force_login(built["facilitator"], backend="django.contrib.auth.backends.ModelBackend")
    participants = []
    for n in range(options.get("participants", 3)):
        participant, attendee = join(workshop, f"Participant {n + 1}")
        participants.append(
            {
                "name": f"p{n + 1}",
                "attendee": str(attendee.pk),
                "cookies": {settings.PARTICIPANT_COOKIE_NAME: participant_cookie(participant)},
            }
        )
    return {
        "workshop": str(workshop.pk),
        "path": f"/ws/ateliers/{workshop.pk}/",
        "ideation": str(built["ideation"].pk),
        "prompts": [str(p.pk) for p in built["ideation"].prompts.order_by("position")],
        "facilitator": {
            "name": "facilitator",
            "cookies": {
                settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value
            },
        },
        "participants": participants,
    }


def _inspect(options: dict) -> dict:
    """The workshop as the database has it: its notes, and the fresh state of each viewer."""
    from ruche.core.broadcast import last_seq
    from ruche.workshops.live import Viewer
    from ruche.workshops.models import Note, Workshop
    from ruche.workshops.queries import workshop_state

    workshop = Workshop.objects.get(pk=options["workshop"])
    notes = [
        {"id": str(n.pk), "author": str(n.author_id), "key": n.client_key, "text": n.text}
        for n in Note.objects.filter(activity__workshop=workshop).order_by("created_at")
    ]
    states = {
        name: workshop_state(workshop, Viewer(**viewer))
        for name, viewer in options.get("viewers", {}).items()
    }
    return {"seq": last_seq(workshop.group_name), "notes": notes, "states": states}


COMMANDS = {"setup": _setup, "inspect": _inspect}


def _main(command: str) -> None:
    import django

    django.setup()
    result = COMMANDS[command](json.loads(sys.stdin.read() or "{}"))
    print(RESULT_MARKER + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    _main(sys.argv[1])

"""A lean HTTP/1.1 load generator for bench_votes.py: raw asyncio streams, keep-alive.

httpx would spend more of the two cores than the server can spare; this client parses
only the status line, Content-Length / chunked bodies and Set-Cookie, and keeps a pool
of keep-alive connections shared by every simulated participant (each participant keeps
its own cookies, like a browser; connections are just pipes).

Pacing is open-loop: request i is due at start + i / rate whatever happened to earlier
ones, and its latency runs from that due time, so a stalled server shows up as latency
instead of silently lowering the offered load (coordinated omission).
"""

import asyncio
import re
import time
from dataclasses import dataclass, field

USER_AGENT = b"ruche-bench-votes/1"
# The voting card's form names the statement on the card.
STATEMENT_INPUT = re.compile(rb'name="statement" value="([0-9a-f-]{36})"')


class HTTPError(Exception):
    pass


@dataclass
class Response:
    status: int
    cookies: dict[str, str]
    body: bytes


# uvicorn closes a connection idle for 5 s (its --timeout-keep-alive): one idle longer than
# this is dropped instead of reused, or a request sent as the server closes it would be
# counted as an error of the server.
IDLE_LIMIT = 4.0


class Connection:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()

    def close(self):
        self.writer.close()


class Client:
    """Keep-alive connections to one server; `request` borrows one, opens one if none is idle."""

    def __init__(self, host: str, port: int, *, forwarded_proto: str = "https"):
        self.host, self.port = host, port
        self.idle: list[Connection] = []
        self.opened = 0
        self.base_headers = (
            f"Host: {host}:{port}\r\nX-Forwarded-Proto: {forwarded_proto}\r\n"
            f"User-Agent: {USER_AGENT.decode()}\r\n"
        ).encode()

    async def _connection(self) -> Connection:
        while self.idle:
            conn = self.idle.pop()
            if time.monotonic() - conn.last_used < IDLE_LIMIT:
                return conn
            conn.close()
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        self.opened += 1
        return Connection(reader, writer)

    async def request(
        self, method: str, path: str, *, headers: bytes = b"", body: bytes = b""
    ) -> Response:
        conn = await self._connection()
        try:
            head = f"{method} {path} HTTP/1.1\r\n".encode() + self.base_headers + headers
            if body or method == "POST":
                head += f"Content-Length: {len(body)}\r\n".encode()
            conn.writer.write(head + b"\r\n" + body)
            response, keep = await _read_response(conn.reader)
        except BaseException:
            conn.close()
            raise
        if keep:
            conn.last_used = time.monotonic()
            self.idle.append(conn)
        else:
            conn.close()
        return response

    def close(self):
        for conn in self.idle:
            conn.close()
        self.idle.clear()


async def _read_response(reader) -> tuple[Response, bool]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        raise HTTPError("connection closed before the response") from error
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked, keep = None, False, True
    cookies = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and value.lower() == "close":
            keep = False
        elif name == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            cookies[key.strip()] = cookie.strip()
    if chunked:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size + 2)
            del body[-2:]
        body = bytes(body)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()
        keep = False
    return Response(status, cookies, body), keep


@dataclass
class Recorder:
    """Latencies (s, from the due time), and outcomes by status or error name."""

    latencies: list[float] = field(default_factory=list)
    service: list[float] = field(default_factory=list)  # from the actual send
    completions: list[float] = field(default_factory=list)  # loop time of each 200
    outcomes: dict[str, int] = field(default_factory=dict)
    late_starts: int = 0  # requests sent more than 10 ms after their due time
    first_due: float = 0.0
    last_done: float = 0.0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    @property
    def ok(self) -> int:
        return self.outcomes.get("200", 0)


async def open_loop(fire, *, rate: float, duration: float, timeout: float) -> Recorder:
    """Call `fire(i)` (a coroutine returning an outcome string) `rate` times a second.

    Each call is timed from its due time; a call slower than `timeout` counts as "timeout"
    (the request may still have been served: the vote check will tell).
    """
    recorder = Recorder()
    loop = asyncio.get_running_loop()
    total = int(rate * duration)
    start = loop.time() + 0.05
    recorder.first_due = start
    tasks = set()

    async def one(i: int, due: float) -> None:
        sent = loop.time()
        if sent - due > 0.010:
            recorder.late_starts += 1
        try:
            outcome = await asyncio.wait_for(fire(i), timeout)
        except TimeoutError:
            outcome = "timeout"
        except (OSError, HTTPError, asyncio.IncompleteReadError) as error:
            outcome = type(error).__name__
        done = loop.time()
        recorder.last_done = max(recorder.last_done, done)
        recorder.count(outcome)
        if outcome == "200":
            recorder.latencies.append(done - due)
            recorder.service.append(done - sent)
            recorder.completions.append(done)

    i = 0
    while i < total:
        now = loop.time()
        due = start + i / rate
        if due > now:
            await asyncio.sleep(due - now)
            continue
        while i < total and start + i / rate <= now:  # everything due by now
            task = asyncio.ensure_future(one(i, start + i / rate))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
    if tasks:
        await asyncio.wait(set(tasks))
    return recorder


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 50) * 1000:.1f} ms, p95 {percentile(values, 95) * 1000:.1f} ms, "
        f"p99 {percentile(values, 99) * 1000:.1f} ms, max {max(values, default=0) * 1000:.0f} ms"
    )


def client_address(index: int) -> str:
    """A distinct documentation-range address per simulated participant (198.18.0.0/15).

    Every request comes from 127.0.0.1, which `ruche serve` trusts as its proxy, so it
    takes the client's address from X-Forwarded-For as behind the production proxy; the
    per-address limit on new participants then applies per person, not to the whole load.
    """
    return f"198.18.{index // 250}.{index % 250 + 1}"

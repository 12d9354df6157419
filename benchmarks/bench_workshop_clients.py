"""Simulated workshop participants (and the facilitator) for bench_workshop.py.

    python benchmarks/bench_workshop_clients.py SPEC.json OUT_PREFIX

One process runs a share of the clients in one asyncio loop, each on its own WebSocket
(the `websockets` library, permessage-deflate offered as browsers do, no client pings as
browsers send none). Each client speaks the real protocol: it loads the state with a
snapshot request, applies every event's patch with `ruche.workshops.live.apply` in
sequence order, buffers events after a gap and asks for a resync, and follows the
facilitator: it writes notes while the ideation is the current activity and places dots
while the dot vote is, at the pace of a person (exponential waits, mean `note_every` and
`dot_every` seconds).

Timing: every time is `time.monotonic()`, the same clock in every process of the machine.
A write's send time is kept under the sequence number its acknowledgement carries; each
client keeps the arrival time of every sequence number. Latency = arrival at another
client − send, over every (write, other client) pair; the parent process joins them.

At the end the process prints "scenario-done", waits for the final sequence number on
stdin (read from the database by the parent), lets each client catch up to it (a resync
if it is still behind after 10 s), then compares each client's state with
`queries.workshop_state(workshop, its viewer)` computed here through Django.
"""

import asyncio
import contextlib
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
import websockets

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ruche.workshops.live import COLLECTIONS, apply  # noqa: E402  (pure Python, no Django)


class Stats:
    def __init__(self):
        self.outcomes: dict[str, int] = {}
        self.sent = 0
        self.received_events = 0
        self.duplicated = 0
        self.replayed = 0
        self.gaps = 0
        self.resyncs = 0
        self.snapshot_required = 0
        self.disconnects = 0
        self.reconnects = 0
        self.connect_failures = 0
        # Each acknowledged write: (its event's seq, send time, writer index, ack time).
        # Writes queued together may share one event (`actions.run_messages`).
        self.sends: list[tuple[int, float, int, float]] = []

    def outcome(self, name: str) -> None:
        self.outcomes[name] = self.outcomes.get(name, 0) + 1


class LiveClient:
    def __init__(self, index, spec, cookie_header, stats: Stats, facilitator=False):
        self.index, self.spec, self.cookie_header = index, spec, cookie_header
        self.stats, self.facilitator = stats, facilitator
        self.state: dict | None = None
        self.last = 0  # last sequence number applied
        self.initial_seq = None
        self.buffer: dict[int, dict] = {}
        self.arrivals: dict[int, float] = {}
        self.pending: dict[str, tuple] = {}
        self.resync_pending = False
        self.counter = 0
        self.ws = None
        self.ready = asyncio.Event()
        self.reader = None
        self.updated = asyncio.Event()

    async def open_socket(self):
        port = self.spec["port"]
        url = f"ws://127.0.0.1:{port}/ws/ateliers/{self.spec['workshop']}/"
        self.ws = await websockets.connect(
            url,
            additional_headers=[("Cookie", self.cookie_header)],
            origin=f"http://127.0.0.1:{port}",
            compression="deflate" if self.spec["deflate"] else None,
            ping_interval=None,
            max_size=None,
            max_queue=None,
            open_timeout=120,
        )
        self.connected.set()

    async def connect(self):
        self.connected = asyncio.Event()
        await self.open_socket()
        self.reader = asyncio.create_task(self.read())
        await self.request_snapshot()
        await asyncio.wait_for(self.ready.wait(), 120)

    async def request_snapshot(self):
        await self.send_message({"type": "snapshot"}, track=False)

    async def send_message(self, message, track=True, wait=False):
        self.counter += 1
        message_id = f"c{self.index}m{self.counter}"
        message["id"] = message_id
        future = asyncio.get_running_loop().create_future() if wait else None
        sent_at = time.monotonic()
        if track:
            # Kept until answered, and sent again after a reconnection (as state.js does).
            self.pending[message_id] = (sent_at, future, message)
            self.stats.sent += 1
        await self.connected.wait()
        await self.send_text(json.dumps(message))  # if dropped: resent by the reconnection
        if future is not None:
            return await asyncio.wait_for(future, 120)
        return None

    async def send_text(self, text):
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.ws.send(text)

    async def read(self):
        while True:
            try:
                async for text in self.ws:
                    now = time.monotonic()
                    data = json.loads(text)  # one message, or a batch of events
                    for message in data if isinstance(data, list) else [data]:
                        self.on_message(message, now)
            except websockets.ConnectionClosed:
                pass
            if self.finished:
                return
            # Dropped: reconnect as the page does, then catch up and resend what is unanswered.
            self.connected.clear()
            self.stats.disconnects += 1
            delay = 0.5
            while True:
                await asyncio.sleep(delay)
                try:
                    await self.open_socket()
                    break
                except Exception:
                    self.stats.outcome("reconnect_failed")
                    delay = min(10.0, delay * 2)
            self.stats.reconnects += 1
            if self.state is None:
                self.spawn(self.request_snapshot())
            else:
                self.ask_resync()
            for _sent_at, _future, message in list(self.pending.values()):
                self.spawn(self.send_text(json.dumps(message)))

    finished = False

    def on_message(self, message, now):
        kind = message["type"]
        if kind == "event":
            self.on_event(message, now)
        elif kind in ("ack", "error"):
            self.on_reply(message, now)
        elif kind == "snapshot":
            self.on_snapshot(message["state"])
        elif kind == "snapshot_required":
            self.stats.snapshot_required += 1
            self.state = None
            self.spawn(self.request_snapshot())

    def on_snapshot(self, state):
        seq = state.pop("seq")
        self.state, self.last = state, seq
        if self.initial_seq is None:
            self.initial_seq = seq
        self.resync_pending = False
        self.drain()
        self.ready.set()
        self.updated.set()

    def on_event(self, message, now):
        seq = message["seq"]
        self.stats.received_events += 1
        if seq in self.arrivals:
            if self.resync_floor is not None and seq > self.resync_floor:
                self.stats.replayed += 1  # this client asked for a replay covering it
            else:
                self.stats.duplicated += 1
            return
        self.arrivals[seq] = now
        if self.state is None:  # before the snapshot: kept for after it
            self.buffer[seq] = message
            return
        if seq <= self.last:
            return  # already in the snapshot
        self.buffer[seq] = message
        if seq > self.last + 1 and not self.resync_pending:
            self.stats.gaps += 1
            self.ask_resync()
        self.drain()

    resync_floor = None  # the lowest `since` this client asked a replay from
    background: set = set()

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    def ask_resync(self):
        self.resync_pending = True
        self.stats.resyncs += 1
        # Events after `since` may come twice (live and replayed): not duplicates.
        floor = self.resync_floor
        self.resync_floor = self.last if floor is None else min(floor, self.last)
        self.spawn(self.send_text(json.dumps({"type": "resync", "since": self.last})))

    def drain(self):
        for seq in sorted(s for s in self.buffer if s <= self.last):
            del self.buffer[seq]
        while self.last + 1 in self.buffer:
            message = self.buffer.pop(self.last + 1)
            apply(self.state, message["payload"])
            self.last += 1
        if not self.buffer:
            self.resync_pending = False
        self.updated.set()

    def on_reply(self, message, now):
        message_id = message.get("id")
        entry = self.pending.pop(message_id, None)
        if entry is None:
            return
        sent_at, future, _message = entry
        if message["type"] == "ack":
            self.stats.outcome("ack")
            if "seq" in message:
                self.stats.sends.append((message["seq"], sent_at, self.index, now))
        else:
            self.stats.outcome(message.get("code", "error"))
        if future is not None and not future.done():
            future.set_result(message)

    # --- What a person does -------------------------------------------------------------

    def current(self) -> str | None:
        workshop = next(iter(self.state["workshop"].values()), None) if self.state else None
        return workshop and workshop["current_activity"]

    async def behave(self, rng: random.Random, end: float):
        try:
            await self._behave(rng, end)
        except Exception as error:
            self.stats.outcome(f"client_crash:{type(error).__name__}")

    async def _behave(self, rng: random.Random, end: float):
        acts = self.spec["activities"]
        notes = 0
        while True:
            activity = self.current()
            if activity == acts["ideation"]:
                mean = self.spec["note_every"]
            elif activity == acts["dotvote"]:
                mean = self.spec["dot_every"]
            else:
                mean = 2.0  # waiting for the facilitator: look again in a moment
            await asyncio.sleep(min(rng.expovariate(1 / mean), max(0.0, end - time.monotonic())))
            if time.monotonic() >= end:
                return
            activity = self.current()
            if activity == acts["ideation"]:
                notes += 1
                key = f"p{self.index}n{notes}"
                await self.send_message(
                    {
                        "type": "note.add",
                        "prompt": rng.choice(self.spec["prompts"]),
                        "text": f"Idée {notes} de la personne {self.index} ({key})",
                        "signed": rng.random() < 0.5,
                        "key": key,
                    }
                )
            elif activity == acts["dotvote"]:
                clusters = [
                    c["id"]
                    for c in self.state["clusters"].values()
                    if c["activity"] == acts["grouping"]
                ]
                if not clusters:
                    continue
                mine = {
                    d["item"]: d["count"]
                    for d in self.state["my_dots"].values()
                    if d["activity"] == acts["dotvote"]
                }
                used = sum(mine.values())
                item = rng.choice(clusters)
                current = mine.get(item, 0)
                if used >= 3 and current == 0:
                    # Out of dots: take one back from somewhere, as people do.
                    item = rng.choice(list(mine))
                    count = mine[item] - 1
                else:
                    count = min(2, current + 1, current + 3 - used)
                    if count == current:
                        count = 0
                await self.send_message({"type": "dot.set", "item": item, "count": count})


async def facilitate(client: LiveClient, spec, rng: random.Random):
    """The facilitator's moves, at fixed points of the timeline (seconds after t0)."""
    acts, t0, plan = spec["activities"], spec["t0"], spec["timeline"]
    stats = client.stats

    async def at(offset):
        await asyncio.sleep(max(0.0, t0 + offset - time.monotonic()))

    async def do(message_type, **fields):
        try:
            reply = await client.send_message({"type": message_type, **fields}, wait=True)
        except TimeoutError:  # no answer in 120 s: go on with the plan, as a person would
            stats.outcome(f"facilitator:{message_type}:no answer in 120 s")
            return {}
        if reply["type"] != "ack":
            stats.outcome(f"facilitator:{message_type}:{reply.get('code')}")
        return reply

    clusters: list[str] = []

    async def group_notes(until):
        """Create clusters and move notes into them, one move every ~1.5 s."""
        moved = 0
        while time.monotonic() < t0 + until:
            notes = [
                n["id"]
                for n in client.state["notes"].values()
                if n["activity"] == acts["ideation"] and n["cluster"] is None
            ]
            if notes and (len(clusters) < 12 and (not clusters or rng.random() < 0.2)):
                reply = await do(
                    "cluster.add",
                    activity=acts["grouping"],
                    name=f"Thème {len(clusters) + 1}",
                    notes=rng.sample(notes, min(3, len(notes))),
                    key=f"cluster{len(clusters) + 1}",
                )
                if reply.get("cluster"):
                    clusters.append(reply["cluster"])
            elif notes and clusters:
                await do("note.move", note=rng.choice(notes), cluster=rng.choice(clusters))
                moved += 1
            await asyncio.sleep(rng.uniform(1.0, 2.0))
        return moved

    await at(0)
    await do("timer.start", seconds=int(plan["reveal"]))
    await at(plan["reveal"])
    await do("activity.reveal", activity=acts["ideation"], revealed=True)
    await at(plan["grouping"])
    await do("timer.reset")
    await do("activity.open", activity=acts["grouping"])
    await group_notes(plan["dotvote"])
    await do("activity.open", activity=acts["dotvote"])
    await do("timer.start", seconds=int(plan["back"] - plan["dotvote"]))
    await at(plan["back"])
    # Back and forth: someone asks to see a theme again.
    await do("activity.open", activity=acts["grouping"])
    await group_notes(plan["again"])
    await do("activity.open", activity=acts["dotvote"])
    await at(plan["end"])
    await do("activity.reveal", activity=acts["dotvote"], revealed=True)
    await do("timer.reset")


async def run(spec, out_prefix):
    stats = Stats()
    rng = random.Random(spec["seed"])
    names = spec["cookie_names"]
    clients: list[LiveClient] = []
    for person in spec["participants"]:
        header = f"{names['participant']}={person['cookie']}"
        clients.append(LiveClient(person["index"], spec, header, stats))
    facilitator = None
    if spec.get("facilitator_session"):
        header = f"{names['session']}={spec['facilitator_session']}"
        facilitator = LiveClient(-1, spec, header, stats, facilitator=True)
    # Arrival: everyone connects between connect_at and t0 - 3 s, spread evenly.
    start, window = spec["connect_at"], spec["connect_window"]
    everyone = ([facilitator] if facilitator else []) + clients
    connect_times: list[float] = []

    async def arrive(client, offset):
        await asyncio.sleep(max(0.0, start + offset - time.monotonic()))
        t = time.monotonic()
        try:
            await client.connect()
        except Exception as error:
            stats.connect_failures += 1
            stats.outcome(f"connect:{type(error).__name__}")
            return
        connect_times.append(time.monotonic() - t)

    total = spec["total_clients"]
    await asyncio.gather(
        *(
            arrive(c, window * (spec["offset"] + i * spec["stride"]) / max(1, total))
            for i, c in enumerate(everyone)
        )
    )
    ready = [c for c in everyone if c.ws is not None and c.state is not None]
    end = spec["t0"] + spec["timeline"]["end"]
    usage0 = _cpu()
    tasks = [
        c.behave(random.Random(spec["seed"] * 100_003 + c.index), end)
        for c in ready
        if not c.facilitator
    ]
    if facilitator is not None and facilitator in ready:
        tasks.append(facilitate(facilitator, spec, rng))
    progress = asyncio.ensure_future(report_progress(ready, stats, spec["t0"]))
    await asyncio.gather(*tasks)
    progress.cancel()
    # Wait for the last acknowledgements.
    # (every write answered, so the database no longer changes when the states are compared)
    deadline = time.monotonic() + 900
    while any(c.pending for c in ready) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    unanswered = sum(len(c.pending) for c in ready)
    scenario_cpu = _cpu() - usage0
    print("scenario-done", flush=True)
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    final_seq = int(line.strip())
    catch_up_start = time.monotonic()
    while any(c.last < final_seq for c in ready) and time.monotonic() - catch_up_start < 10:
        await asyncio.sleep(0.1)
    behind = [c for c in ready if c.last < final_seq]
    for c in behind:
        c.ask_resync()
    while any(c.last < final_seq for c in ready) and time.monotonic() - catch_up_start < 70:
        await asyncio.sleep(0.2)
    still_behind = sum(1 for c in ready if c.last < final_seq)
    for c in everyone:
        c.finished = True
        if c.ws is not None:
            await c.ws.close()
    # Latency records: per client, its arrivals after its initial snapshot.
    seqs = np.arange(final_seq + 1)
    arrivals = np.full((len(ready), final_seq + 1), np.nan, dtype=np.float64)
    indexes = np.array([c.index for c in ready], dtype=np.int64)
    for row, c in enumerate(ready):
        for seq, t in c.arrivals.items():
            if seq <= final_seq and seq > (c.initial_seq or 0):
                arrivals[row, seq] = t
    initial = np.array([c.initial_seq or 0 for c in ready], dtype=np.int64)
    sends = sorted(stats.sends)
    send_seqs = np.array([s[0] for s in sends], dtype=np.int64)
    send_times = np.array([s[1] for s in sends], dtype=np.float64)
    writers = np.array([s[2] for s in sends], dtype=np.int64)
    ack_times = np.array([s[3] for s in sends], dtype=np.float64)
    np.savez(
        f"{out_prefix}.npz",
        arrivals=arrivals,
        indexes=indexes,
        initial=initial,
        send_seqs=send_seqs,
        send_times=send_times,
        writers=writers,
        ack_times=ack_times,
        seqs=seqs,
    )
    summary = {
        "clients": len(everyone),
        "connected": len(ready),
        "connect_failures": stats.connect_failures,
        "connect_p50_ms": _pct(connect_times, 50),
        "connect_p95_ms": _pct(connect_times, 95),
        "events_sent": stats.sent,
        "events_received": stats.received_events,
        "duplicated": stats.duplicated,
        "replayed": stats.replayed,
        "gaps": stats.gaps,
        "resyncs": stats.resyncs,
        "snapshot_required": stats.snapshot_required,
        "disconnects": stats.disconnects,
        "reconnects": stats.reconnects,
        "still_behind": still_behind,
        "unanswered": unanswered,
        "outcomes": stats.outcomes,
        "scenario_cpu": scenario_cpu,
    }
    return summary, ready


async def report_progress(clients, stats, t0):
    """A line on stderr every 15 s: how far the run is and whether the clients keep up."""
    while True:
        await asyncio.sleep(15)
        pending = sum(len(c.pending) for c in clients)
        lasts = [c.last for c in clients]
        print(
            f"  [clients +{time.monotonic() - t0:.0f} s] sent {stats.sent}, answers "
            f"{sum(stats.outcomes.values())}, unanswered {pending}, seq applied min "
            f"{min(lasts)} max {max(lasts)}, events received {stats.received_events}, "
            f"gaps {stats.gaps}, dropped sockets {stats.disconnects}",
            file=sys.stderr,
            flush=True,
        )


def compare_with_database(spec, clients) -> dict:
    """Each client's state against `queries.workshop_state` for its viewer."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.config.settings.production")
    import django

    django.setup()
    from ruche.workshops import queries
    from ruche.workshops.live import Viewer
    from ruche.workshops.models import Workshop

    start = time.perf_counter()
    workshop = Workshop.objects.get(pk=spec["workshop"])
    attendees = {p["index"]: p["attendee"] for p in spec["participants"]}
    missing = different = extra = objects = 0
    examples: list[str] = []
    for client in clients:
        viewer = (
            Viewer(attendee=None, facilitator=True)
            if client.facilitator
            else Viewer(attendee=attendees[client.index], facilitator=False)
        )
        expected = queries.workshop_state(workshop, viewer)
        expected.pop("seq")
        # Round-trip through JSON: the client's objects came as JSON.
        expected = json.loads(json.dumps(expected))
        for collection in COLLECTIONS:
            want = expected.get(collection, {})
            have = client.state.get(collection, {})
            objects += len(want)
            for key, obj in want.items():
                if key not in have:
                    missing += 1
                    if len(examples) < 5:
                        examples.append(f"client {client.index} lacks {collection} {key}")
                elif have[key] != obj:
                    different += 1
                    if len(examples) < 5:
                        examples.append(
                            f"client {client.index} {collection} {key}: {have[key]} != {obj}"
                        )
            extra += len(have.keys() - want.keys())
    return {
        "lost": missing + different,
        "missing": missing,
        "different": different,
        "extra": extra,
        "objects_checked": objects,
        "check_seconds": time.perf_counter() - start,
        "examples": examples,
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pct(values, q):
    if not values:
        return None
    return float(np.percentile(np.array(values) * 1000, q))


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text())
    import uvloop

    summary, ready = uvloop.run(run(spec, sys.argv[2]))
    # Django's ORM refuses to run inside an event loop: the check comes after it.
    summary.update(compare_with_database(spec, ready))
    Path(f"{sys.argv[2]}.json").write_text(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A workshop survives its server being SIGKILLed mid-session and started again.

A real `ruche serve` (production settings, one worker) on a database that outlives it
(PostgreSQL's test database on the PostgreSQL run, a SQLite file otherwise); three
participants and the facilitator on real sockets (tests/infra/workshop_client.py).
"""

import asyncio
import time

import pytest

from tests.infra.aio import run_async
from tests.infra.workshop_client import (
    Server,
    WorkshopClient,
    comparable,
    django_command,
    prepare_database,
    wait_until,
)

PARTICIPANTS = 3
NOTES_EACH = 24
# Between two notes of one participant: under the socket's 5 messages/s, with room for the
# resends that follow the restart.
WRITE_INTERVAL = 0.3
KILL_AFTER_ACKED = 8  # notes acknowledged per participant before the kill
BURST = 3  # notes each participant sends at once just before the kill
DOWN_FOR = 1.0  # seconds the server stays dead before it is started again


@pytest.fixture
def environment(transactional_db, tmp_path):
    return prepare_database(tmp_path)


@pytest.fixture
def servers():
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def test_sigkill_mid_stream_loses_no_acknowledged_note_and_clients_recover(
    environment, servers, tmp_path
):
    """While participants stream notes, the server is SIGKILLed and restarted on the same
    port: every client reconnects by itself; every note acknowledged before the kill is in
    the database exactly once; every write left unacknowledged, resent with its key after the
    reconnection, is there exactly once too (nothing lost, nothing doubled); and every
    client's board equals a fresh load from the database for that viewer."""
    began = time.monotonic()
    info = django_command(environment, "setup", {"participants": PARTICIPANTS})
    setup = time.monotonic() - began
    server = Server(environment, tmp_path / "server.log")
    servers.append(server)
    first_start = server.start()
    figures = run_async(scenario, server, info)
    print(f"\nsetup {setup:.1f}s, first start {first_start:.1f}s,", figures)


async def scenario(server: Server, info: dict) -> dict:
    url = server.ws_root + info["path"]
    participants = [
        WorkshopClient(p["name"], [url], p["cookies"]).start() for p in info["participants"]
    ]
    facilitator = WorkshopClient("facilitator", [url], info["facilitator"]["cookies"]).start()
    clients = [*participants, facilitator]
    viewers = {
        p["name"]: {"attendee": p["attendee"], "facilitator": False} for p in info["participants"]
    }
    viewers["facilitator"] = {"attendee": None, "facilitator": True}
    writes: dict[str, dict[str, asyncio.Future]] = {c.name: {} for c in participants}
    timings = {}
    try:
        await wait_until(lambda: all(c.caught_up for c in clients), 30, "first snapshots")

        async def stream(client: WorkshopClient, index: int):
            for n in range(NOTES_EACH):
                key = f"{client.name}-note-{n}"
                _, future = client.submit(
                    "note.add",
                    prompt=info["prompts"][n % len(info["prompts"])],
                    text=f"Note {n} de {client.name}",
                    signed=n % 2 == 0,
                    key=key,
                )
                writes[client.name][key] = future
                await asyncio.sleep(WRITE_INTERVAL)

        streams = [asyncio.create_task(stream(c, i)) for i, c in enumerate(participants)]

        def acked(name):
            return [k for k, f in writes[name].items() if f.done()]

        await wait_until(
            lambda: all(len(acked(c.name)) >= KILL_AFTER_ACKED for c in participants),
            30,
            "first notes acknowledged",
        )
        # One note each whose ack is lost on the way (the server committed it, the client
        # never heard): after the restart its resend must find it by key, not add it again.
        lost = {}
        for client in participants:
            key = f"{client.name}-lost-ack"
            message_id, writes[client.name][key] = client.submit(
                "note.add", prompt=info["prompts"][1], text="Accusé perdu", key=key
            )
            client.lose_reply_to.add(message_id)
            lost[key] = (client, message_id)
        await wait_until(
            lambda: all(mid in c.lost_replies for c, mid in lost.values()), 10, "lost acks"
        )
        # A burst from everyone just before the kill: some of it reaches the server, some
        # commits without its ack getting out, some is still in the client's hands.
        for client in participants:
            for n in range(BURST):
                key = f"{client.name}-burst-{n}"
                _, writes[client.name][key] = client.submit(
                    "note.add", prompt=info["prompts"][0], text=f"Vite {n}", key=key
                )
        await asyncio.to_thread(server.kill)
        killed_at = time.monotonic()
        # Acks already on the wire before the kill are still read: wait until every client
        # has seen its socket close, then take stock.
        await wait_until(lambda: not any(c.ready for c in clients), 10, "sockets closed")
        acked_before = {}
        unacked_at_kill = set()
        for futures in writes.values():
            for key, future in futures.items():
                if future.done():
                    reply = future.result()
                    assert reply["type"] == "ack", reply
                    acked_before[key] = reply["note"]
                else:
                    unacked_at_kill.add(key)
        connections_before = {c.name: c.connections for c in clients}

        await asyncio.sleep(DOWN_FOR)
        timings["restart_to_healthz"] = round(await asyncio.to_thread(server.start), 2)
        restarted_at = time.monotonic()
        await wait_until(lambda: all(c.ready for c in clients), 20, "clients reconnected")
        timings["reconnect_after_restart"] = round(time.monotonic() - restarted_at, 2)
        timings["kill_to_all_reconnected"] = round(time.monotonic() - killed_at, 2)

        await asyncio.gather(*streams)
        replies = {}
        for futures in writes.values():
            for key, future in futures.items():
                replies[key] = await asyncio.wait_for(future, 30)
        refused = {k: r for k, r in replies.items() if r["type"] != "ack"}
        assert refused == {}

        # The facilitator reveals after the restart: the participants' boards change face.
        reveal = await facilitator.write(
            "activity.reveal", activity=info["ideation"], revealed=True
        )
        assert reveal["type"] == "ack", reveal

        database = await asyncio.to_thread(
            django_command, server.env, "inspect", {"workshop": info["workshop"]}
        )
        await wait_until(
            lambda: all(c.caught_up and c.seq >= database["seq"] for c in clients),
            20,
            "clients caught up with the database",
        )
        database = await asyncio.to_thread(
            django_command,
            server.env,
            "inspect",
            {"workshop": info["workshop"], "viewers": viewers},
        )
    finally:
        for client in clients:
            await client.close()

    for client in clients:
        assert client.connections > connections_before[client.name], client.name
        assert client.forbidden is False

    keys = [note["key"] for note in database["notes"]]
    assert sorted(keys) == sorted(replies), "every write is stored exactly once"
    stored = {note["key"]: note["id"] for note in database["notes"]}
    for key, note_id in acked_before.items():
        assert stored.get(key) == note_id, f"acknowledged note {key} lost or replaced"
    for key in unacked_at_kill:
        assert keys.count(key) == 1, key
        assert replies[key]["note"] == stored[key]
    assert unacked_at_kill, "the kill should have caught writes in flight or queued"
    for key, (client, message_id) in lost.items():
        first = client.lost_replies[message_id]
        assert first["type"] == "ack" and "seq" in first, first
        assert replies[key]["note"] == first["note"] == stored[key], key
        assert "seq" not in replies[key], "the resend was applied a second time"

    for client in clients:
        assert client.seq == database["seq"], client.name
        assert comparable(client.state) == comparable(database["states"][client.name]), client.name

    timings["acked_before_kill"] = len(acked_before)
    timings["unacked_at_kill"] = len(unacked_at_kill)
    timings["acks_from_key_retry"] = sum(1 for r in replies.values() if "seq" not in r)
    return timings

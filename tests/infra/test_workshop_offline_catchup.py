"""A participant whose network drops catches up when it comes back.

A real `ruche serve` (production settings, one worker) and real sockets
(tests/infra/workshop_client.py): the client keeps the last sequence number it applied,
asks for a resync after reconnecting, and for a snapshot when the server says it missed
too much.
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

OFFLINE_SECONDS = 30  # the figure: kept real, in this test only
MIN_MISSED_EVENTS = 50
WINDOW = 20
LOW_RESYNC_LIMIT = 30  # instead of RESYNC_LIMIT, in the server process of the second test


@pytest.fixture
def environment(transactional_db, tmp_path):
    return prepare_database(tmp_path)


@pytest.fixture
def servers():
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def viewers_of(info: dict) -> dict:
    viewers = {
        p["name"]: {"attendee": p["attendee"], "facilitator": False} for p in info["participants"]
    }
    viewers["facilitator"] = {"attendee": None, "facilitator": True}
    return viewers


async def connect_all(server: Server, info: dict) -> list[WorkshopClient]:
    url = server.ws_root + info["path"]
    clients = [WorkshopClient(p["name"], [url], p["cookies"]).start() for p in info["participants"]]
    clients.append(WorkshopClient("facilitator", [url], info["facilitator"]["cookies"]).start())
    await wait_until(lambda: all(c.caught_up for c in clients), 30, "first snapshots")
    return clients


async def settle_and_compare(server: Server, info: dict, clients: list[WorkshopClient]) -> dict:
    """Wait until every client has applied the database's last event, then compare each
    board with a fresh load for that viewer; the database's notes and seq."""
    database = await asyncio.to_thread(
        django_command, server.env, "inspect", {"workshop": info["workshop"]}
    )
    await wait_until(
        lambda: all(c.caught_up and c.seq >= database["seq"] for c in clients),
        60,
        "clients caught up with the database",
    )
    database = await asyncio.to_thread(
        django_command,
        server.env,
        "inspect",
        {"workshop": info["workshop"], "viewers": viewers_of(info)},
    )
    for client in clients:
        assert client.seq == database["seq"], client.name
        assert comparable(client.state) == comparable(database["states"][client.name]), client.name
    return database


def test_participant_offline_for_30_seconds_catches_up(environment, servers, tmp_path):
    """A participant's connection drops for 30 s while the others write (at least 50 events:
    notes, edits, a deletion, timer moves, the reveal) and while they type a note and edit
    their own offline. Back online, the client reconnects by itself and asks to resync from
    its last sequence number; since an edit and a deletion were made meanwhile (the events
    before them still carry the old texts, which must not be replayed), the server answers
    snapshot_required and the client catches up with one snapshot. Its offline writes are
    applied once, and its board equals a fresh load from the database, as do everyone
    else's."""
    info = django_command(environment, "setup", {"participants": 3})
    server = Server(environment, tmp_path / "server.log")
    servers.append(server)
    server.start()
    figures = run_async(offline_scenario, server, info)
    print("\n", figures)


async def offline_scenario(server: Server, info: dict) -> dict:
    clients = await connect_all(server, info)
    away, *others, facilitator = clients
    prompts = info["prompts"]
    try:
        first = await away.write("note.add", prompt=prompts[0], text="Avant", key="away-0")
        assert first["type"] == "ack", first

        away.cut()
        cut_at = time.monotonic()
        await wait_until(lambda: not away.ready, 5, "socket cut")
        seq_at_cut = away.seq
        # Typed while offline: kept by the client, sent once it is back.
        _, typed = away.submit("note.add", prompt=prompts[1], text="Hors ligne", key="away-1")
        _, edited = away.submit("note.edit", note=first["note"], text="Avant, corrigée")

        notes: dict[str, list[str]] = {c.name: [] for c in others}

        async def add_two(client: WorkshopClient, second: int):
            for n in (1, 2):
                reply = await client.write(
                    "note.add",
                    prompt=prompts[n - 1],
                    text=f"{client.name} à {second} s ({n})",
                    signed=second % 3 == 0,
                    key=f"{client.name}-{second}-{n}",
                )
                assert reply["type"] == "ack", reply
                notes[client.name].append(reply["note"])

        # Each second, two notes from each of the others (4 events/s, under the socket's
        # limit), and now and then something else: milestones counted in rounds, so a slow
        # machine still goes through all of them.
        second = 0
        while time.monotonic() - cut_at < OFFLINE_SECONDS - 1:
            second += 1
            await asyncio.gather(*(add_two(client, second) for client in others))
            if second == 3:
                assert (await facilitator.write("timer.start", seconds=600))["type"] == "ack"
            elif second == 5:
                assert (await facilitator.write("timer.pause"))["type"] == "ack"
            elif second == 7:
                reply = await others[0].write(
                    "note.edit", note=notes[others[0].name][0], text="Modifiée"
                )
                assert reply["type"] == "ack", reply
            elif second == 9:
                reply = await others[1].write("note.delete", note=notes[others[1].name][1])
                assert reply["type"] == "ack", reply
            elif second == 11:
                reply = await facilitator.write(
                    "activity.reveal", activity=info["ideation"], revealed=True
                )
                assert reply["type"] == "ack", reply
            await asyncio.sleep(max(0.0, cut_at + second - time.monotonic()))
        await asyncio.sleep(max(0.0, cut_at + OFFLINE_SECONDS - time.monotonic()))
        offline_for = time.monotonic() - cut_at
        missed = max(c.seq for c in others) - seq_at_cut

        away.resume()
        back_at = time.monotonic()
        assert (await asyncio.wait_for(typed, 20))["type"] == "ack"
        assert (await asyncio.wait_for(edited, 20))["type"] == "ack"
        await wait_until(lambda: away.caught_up, 20, "caught up after coming back")
        catch_up = time.monotonic() - back_at
        database = await settle_and_compare(server, info, clients)
    finally:
        for client in clients:
            await client.close()

    assert offline_for >= OFFLINE_SECONDS
    assert second > 11, "every milestone ran while the participant was away"
    assert missed >= MIN_MISSED_EVENTS, missed
    assert away.connections == 2
    assert away.resyncs >= 1
    assert away.snapshots_required == 1, "taken-back texts are not replayed"
    assert away.snapshots == 2, "the first board, then one snapshot to catch up"
    mine = [n for n in database["notes"] if n["key"] in ("away-0", "away-1")]
    assert sorted((n["key"], n["text"]) for n in mine) == [
        ("away-0", "Avant, corrigée"),
        ("away-1", "Hors ligne"),
    ]
    return {
        "offline_s": round(offline_for, 1),
        "missed_events": missed,
        "catch_up_s": round(catch_up, 2),
        "resyncs": away.resyncs,
    }


def test_participant_who_missed_more_than_the_resync_limit_recovers_from_a_snapshot(
    environment, servers, tmp_path
):
    """When a participant comes back after more than RESYNC_LIMIT events, the server
    answers its resync with snapshot_required; the client asks for a snapshot, and its board
    equals a fresh load from the database. (On this server RESYNC_LIMIT is lowered to
    LOW_RESYNC_LIMIT and the socket's message rate limit lifted, so that another participant
    exceeds it in seconds: 1,000 notes take minutes on a busy 2-core machine.)"""
    environment = {
        **environment,
        "RUCHE_WORKSHOP_MESSAGES_PER_SECOND": "100000",
        "RUCHE_WORKSHOP_MESSAGE_BURST": "100000",
    }
    info = django_command(environment, "setup", {"participants": 2})
    server = Server(environment, tmp_path / "server.log", resync_limit=LOW_RESYNC_LIMIT)
    servers.append(server)
    server.start()
    figures = run_async(snapshot_scenario, server, info)
    print("\n", figures)


async def snapshot_scenario(server: Server, info: dict) -> dict:
    clients = await connect_all(server, info)
    away, writer, _facilitator = clients
    try:
        away.cut()
        await wait_until(lambda: not away.ready, 5, "socket cut")
        seq_at_cut = away.seq
        began = time.monotonic()
        # At most WINDOW writes in flight: a client that floods its socket starves the
        # keepalive pings queued behind its messages, and the connection drops.
        window = asyncio.Semaphore(WINDOW)

        async def add(n: int) -> dict:
            async with window:
                return await writer.write(
                    "note.add", prompt=info["prompts"][n % 2], text=f"Note {n}", key=f"bulk-{n}"
                )

        count = LOW_RESYNC_LIMIT + 10
        replies = await asyncio.wait_for(asyncio.gather(*(add(n) for n in range(count))), 600)
        assert [reply["type"] for reply in replies] == ["ack"] * count
        writing = time.monotonic() - began
        missed = max(reply["seq"] for reply in replies) - seq_at_cut

        away.resume()
        back_at = time.monotonic()
        await wait_until(lambda: away.caught_up, 60, "caught up after coming back")
        catch_up = time.monotonic() - back_at
        await settle_and_compare(server, info, clients)
    finally:
        for client in clients:
            await client.close()

    assert missed > LOW_RESYNC_LIMIT
    assert away.snapshots_required == 1
    assert away.snapshots == 2
    return {
        "missed_events": missed,
        "writes_per_s": round(count / writing, 1),
        "rate_limited": writer.rate_limited,
        "catch_up_s": round(catch_up, 2),
    }

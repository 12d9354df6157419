"""What the socket delivers keeps every viewer's board equal to a fresh page load: live
events received while connected, and events replayed by `resync` after a disconnection,
for a participant author, another participant, an anonymous participant, the facilitator
and a member following without having joined; and a client too far behind is told to
reload the snapshot."""

import pytest
from channels.db import database_sync_to_async

from ruche.core import consumers as core_consumers
from ruche.workshops.consumers import WorkshopConsumer
from ruche.workshops.live import apply
from tests.factories import MembershipFactory
from tests.workshops.helpers import Client, last_seq, run, state_of
from tests.workshops.test_replay_consistency import room, scripted_run, viewers

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def setup():
    w = room()
    w["member"] = MembershipFactory(organisation=w["workshop"].organisation, role="member").user
    w["participants"] = {
        "author": w["a"].participant,
        "other participant": w["b"].participant,
        "anonymous participant": w["c"].participant,
    }
    return w


def client_for(w, name) -> Client:
    if name == "facilitator":
        return Client(w["workshop"], user=w["facilitator"])
    if name == "member":
        return Client(w["workshop"], user=w["member"])
    return Client(w["workshop"], participant=w["participants"][name])


@database_sync_to_async
def run_script(w):
    scripted_run(w)
    # A running timer's "remaining" is read from the clock at each serialisation; pausing
    # fixes it, so the last workshop event and the fresh state agree to the second.
    run(w["workshop"], "facilitator", "timer.pause")
    return last_seq(w["workshop"])


async def catch_up(client, state: dict, until: int) -> dict:
    """Apply the events the socket sends until `until`, skipping those the state already
    holds, as client.js does; every event is resolved (no restricted part left)."""
    while state["seq"] < until:
        event = await client.receive("event", timeout=5)
        assert "_restricted" not in event["payload"]
        if event["seq"] <= state["seq"]:
            continue
        assert event["seq"] == state["seq"] + 1, "a gap in the sequence"
        apply(state, event["payload"])
        state["seq"] = event["seq"]
    return state


async def snapshot(client) -> dict:
    await client.communicator.send_json_to({"type": "snapshot", "id": "s"})
    return (await client.receive("snapshot"))["state"]


async def test_live_events_keep_every_board_equal_to_a_fresh_load():
    """Sockets connected during a long run (every message type) apply each event as it
    arrives to the snapshot they started from, and end equal to a fresh state."""
    w = await setup()
    clients = {name: client_for(w, name) for name in viewers(w)}
    states = {}
    for name, client in clients.items():
        await client.connect()
        states[name] = await snapshot(client)
    until = await run_script(w)
    fresh_state = database_sync_to_async(state_of)
    for name, client in clients.items():
        state = await catch_up(client, states[name], until)
        assert state == await fresh_state(w["workshop"], viewers(w)[name]), name
        await client.close()


async def test_resync_after_a_disconnection_gives_every_board_the_fresh_state(monkeypatch):
    """Sockets that load the page, go away during a long run and come back with
    `resync` from their old seq end equal to a fresh state. (Replays that would cross
    something taken back are refused: test_replay_floor.py; here they are allowed, to
    check the replay itself.)"""
    monkeypatch.setattr(WorkshopConsumer, "replay_floor", _no_floor)
    w = await setup()
    old = {}
    for name in viewers(w):
        client = client_for(w, name)
        await client.connect()
        old[name] = await snapshot(client)
        await client.close()
    until = await run_script(w)
    fresh_state = database_sync_to_async(state_of)
    for name in viewers(w):
        client = client_for(w, name)
        await client.connect()
        await client.communicator.send_json_to({"type": "resync", "since": old[name]["seq"]})
        state = await catch_up(client, old[name], until)
        assert state == await fresh_state(w["workshop"], viewers(w)[name]), name
        assert await snapshot(client) == state
        await client.close()


async def _no_floor(self):
    return 0


async def test_a_client_too_far_behind_is_told_to_reload(monkeypatch):
    """When more events were missed than the server replays, resync answers
    snapshot_required with the current seq instead of events."""
    monkeypatch.setattr(core_consumers, "RESYNC_LIMIT", 5)
    monkeypatch.setattr(WorkshopConsumer, "replay_floor", _no_floor)
    w = await setup()
    until = await run_script(w)
    client = client_for(w, "author")
    await client.connect()
    await client.communicator.send_json_to({"type": "resync", "since": until - 5})
    replayed = [await client.receive("event") for _ in range(5)]
    assert [event["seq"] for event in replayed] == list(range(until - 4, until + 1))
    await client.communicator.send_json_to({"type": "resync", "since": until - 6})
    assert await client.receive("snapshot_required", "event") == {
        "type": "snapshot_required",
        "seq": until,
    }
    await client.close()


async def test_resync_from_the_current_seq_sends_nothing():
    """A client that is up to date and resyncs receives no event."""
    w = await setup()
    until = await run_script(w)
    client = client_for(w, "other participant")
    await client.connect()
    await client.communicator.send_json_to({"type": "resync", "since": until})
    received = []
    while not await client.communicator.receive_nothing(timeout=0.3):
        received.append((await client.communicator.receive_json_from())["type"])
    assert "event" not in received, received
    await client.close()

"""What the room had shown and then took back (a hidden, edited or deleted note, a reveal
undone) is never sent again by replaying old events: a resync from before it gets
snapshot_required, and the snapshot holds only what may be seen now."""

import json

import pytest
from channels.db import database_sync_to_async

from tests.workshops.helpers import Client, first_prompt, join, make_workshop, run

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SECRET = "Mon numéro perso : 06 12 34 56 78"


@database_sync_to_async
def room_with_a_revealed_note():
    w = make_workshop()
    workshop = w["workshop"]
    w["alice_participant"], w["alice"] = join(workshop, "Alice")
    w["bob_participant"], w["bob"] = join(workshop, "Bob")
    reveal = {"activity": str(w["ideation"].pk), "revealed": True}
    assert run(workshop, "facilitator", "activity.reveal", **reveal)["type"] == "ack"
    note = run(workshop, w["alice"], "note.add", prompt=first_prompt(w), text=SECRET, key="k")
    w["note"] = note["note"]
    w["prompt"] = first_prompt(w)
    return w


async def bob_resyncs_from_zero(w) -> list[dict]:
    bob = Client(w["workshop"], participant=w["bob_participant"])
    await bob.connect()
    await bob.communicator.send_json_to({"type": "resync", "since": 0})
    received = []
    while not await bob.communicator.receive_nothing(timeout=0.5):
        message = await bob.communicator.receive_json_from()
        if message["type"] not in ("clock", "presence"):
            received.append(message)
    await bob.communicator.send_json_to({"type": "snapshot", "id": "s"})
    received.append(await bob.receive("snapshot"))
    await bob.close()
    return received


@pytest.mark.parametrize(
    "take_back",
    [
        ("facilitator", "note.hide", {"hidden": True}),
        ("facilitator", "note.edit", {"text": "[retiré par l'animation]"}),
        ("alice", "note.delete", {}),
    ],
    ids=["hidden", "edited", "deleted"],
)
async def test_a_note_taken_back_is_not_replayed(take_back):
    """After a note is hidden, edited or deleted, Bob's resync from 0 answers
    snapshot_required, and nothing Bob receives (replay or snapshot) holds its text."""
    w = await room_with_a_revealed_note()
    actor, message_type, fields = take_back
    sender = "facilitator" if actor == "facilitator" else w["alice"]
    reply = await database_sync_to_async(run)(
        w["workshop"],
        sender,
        message_type,
        note=w["note"],
        activity=str(w["ideation"].pk),
        **fields,
    )
    assert reply["type"] == "ack", reply
    received = await bob_resyncs_from_zero(w)
    assert [m["type"] for m in received] == ["snapshot_required", "snapshot"]
    assert SECRET not in json.dumps(received, ensure_ascii=False)


async def test_an_undone_reveal_is_not_replayed():
    """Revealing, then hiding the ideation again: old events with the texts are not replayed
    to a participant who is not their author."""
    w = await room_with_a_revealed_note()
    hide = {"activity": str(w["ideation"].pk), "revealed": False}
    reply = await database_sync_to_async(run)(
        w["workshop"], "facilitator", "activity.reveal", **hide
    )
    assert reply["type"] == "ack"
    received = await bob_resyncs_from_zero(w)
    assert received[0]["type"] == "snapshot_required"
    assert SECRET not in json.dumps(received, ensure_ascii=False)


async def test_replays_after_the_take_back_still_work():
    """A client that already had the take-back event resyncs normally (events, no reload)."""
    w = await room_with_a_revealed_note()
    reply = await database_sync_to_async(run)(
        w["workshop"],
        "facilitator",
        "note.hide",
        note=w["note"],
        hidden=True,
        activity=str(w["ideation"].pk),
    )
    since = reply["seq"]
    await database_sync_to_async(run)(
        w["workshop"], w["alice"], "note.add", prompt=w["prompt"], text="Vélo", key="v"
    )
    bob = Client(w["workshop"], participant=w["bob_participant"])
    await bob.connect()
    await bob.communicator.send_json_to({"type": "resync", "since": since})
    event = await bob.receive("event", "snapshot_required")
    assert event["type"] == "event" and event["seq"] == since + 1
    await bob.close()

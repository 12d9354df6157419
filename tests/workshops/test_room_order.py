"""A process's room hands events to its sockets in sequence order."""

import asyncio

import pytest

from ruche.core.broadcast import CHANNELS_MESSAGE_TYPE
from ruche.workshops import consumers
from ruche.workshops.live import Viewer

pytestmark = pytest.mark.asyncio


class Socket:
    viewer = Viewer()

    def __init__(self):
        self.seqs = []

    def push(self, text):
        self.seqs.append(int(text.split('"seq":')[1].split(",")[0]))


def _event(seq):
    payload = {"upsert": {"clusters": [{"id": str(seq)}]}}
    return {"type": CHANNELS_MESSAGE_TYPE, "event": {"seq": seq, "type": "x", "payload": payload}}


async def test_an_event_that_overtook_an_earlier_one_waits_for_it():
    """Sends from several threads may arrive 5, 7, 6: the sockets still get 5, 6, 7."""
    room = consumers.Room("workshop.order-test")
    socket = Socket()
    room.members[socket] = None
    for seq in (5, 7, 6, 8):
        room.deliver(_event(seq))
    assert socket.seqs == [5, 6, 7, 8]
    await room.close()


async def test_a_missing_event_holds_the_others_only_for_a_moment(monkeypatch):
    """If the earlier event never comes, the later ones leave anyway (sockets resync)."""
    monkeypatch.setattr(consumers, "HOLD_SECONDS", 0.05)
    monkeypatch.setattr(consumers, "MAX_HOLD_SECONDS", 0.1)
    room = consumers.Room("workshop.order-test-2")
    socket = Socket()
    room.members[socket] = None
    room.deliver(_event(1))
    room.deliver(_event(3))
    room.deliver(_event(4))
    assert socket.seqs == [1]
    await asyncio.sleep(0.4)
    assert socket.seqs == [1, 3, 4]
    room.deliver(_event(2))  # late: still sent, the clients drop what they have
    assert socket.seqs == [1, 3, 4, 2]
    await room.close()

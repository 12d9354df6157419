"""Each workshop is its own room: events reach every socket of that workshop and no other,
sockets leaving do not stop the others' events, and a room emptied then rejoined works."""

import pytest

from tests.workshops.helpers import (
    Client,
    async_first_prompt,
    async_join,
    async_make_workshop,
    async_run,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def no_event(client, timeout=0.3) -> bool:
    """True when nothing but presence or clock messages arrive within `timeout`."""
    while not await client.communicator.receive_nothing(timeout=timeout):
        message = await client.communicator.receive_json_from()
        if message["type"] == "event":
            return False
    return True


async def test_events_stay_in_their_workshop():
    """A note in one workshop reaches its sockets, not those of another workshop."""
    one, two = await async_make_workshop(), await async_make_workshop()
    (p1, a1), (p2, _a2) = await async_join(one["workshop"]), await async_join(two["workshop"])
    here, there = Client(one["workshop"], participant=p1), Client(two["workshop"], participant=p2)
    fac_there = Client(two["workshop"], user=two["facilitator"])
    for client in (here, there, fac_there):
        await client.connect()
    prompt = await async_first_prompt(one)
    await async_run(one["workshop"], a1, "note.add", prompt=prompt, text="Ici")
    event = await here.receive("event")
    assert event["event"] == "note.add"
    assert await no_event(there)
    assert await no_event(fac_there)
    for client in (here, there, fac_there):
        await client.close()


async def test_a_socket_leaving_does_not_stop_the_others():
    """When one socket of a room closes, the others still receive events."""
    w = await async_make_workshop()
    (pa, a), (pb, _b) = await async_join(w["workshop"], "A"), await async_join(w["workshop"], "B")
    me, them = Client(w["workshop"], participant=pa), Client(w["workshop"], participant=pb)
    await me.connect()
    await them.connect()
    await them.close()
    prompt = await async_first_prompt(w)
    await async_run(w["workshop"], a, "note.add", prompt=prompt, text="Encore")
    assert (await me.receive("event"))["event"] == "note.add"
    await me.close()


async def test_a_room_emptied_and_rejoined_gets_events_again():
    """After every socket of a workshop closed, a new socket receives its events."""
    w = await async_make_workshop()
    pa, a = await async_join(w["workshop"])
    first = Client(w["workshop"], participant=pa)
    await first.connect()
    await first.close()
    again = Client(w["workshop"], participant=pa)
    hello = await again.connect()
    prompt = await async_first_prompt(w)
    await async_run(w["workshop"], a, "note.add", prompt=prompt, text="De retour")
    event = await again.receive("event")
    assert event["seq"] == hello["seq"] + 1
    await again.close()


async def test_two_sockets_of_one_person_both_receive_their_text():
    """The same participant on two devices gets their own note's text on both."""
    w = await async_make_workshop()
    pa, a = await async_join(w["workshop"], "Camille")
    phone, laptop = Client(w["workshop"], participant=pa), Client(w["workshop"], participant=pa)
    await phone.connect()
    await laptop.connect()
    prompt = await async_first_prompt(w)
    await async_run(w["workshop"], a, "note.add", prompt=prompt, text="Sur deux écrans")
    for client in (phone, laptop):
        event = await client.receive("event")
        # Resolved: the masked face, then the author's full face, which wins when applied.
        assert event["payload"]["upsert"]["notes"][-1]["text"] == "Sur deux écrans"
        await client.close()

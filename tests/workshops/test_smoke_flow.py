"""A whole workshop over the socket: notes, reveal, clusters, dots, ratings, chantiers."""

import pytest

from tests.workshops.helpers import Client, async_join, async_make_workshop

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_workshop_runs_end_to_end_over_the_socket():
    """Each step's write is acknowledged and reaches the other sockets as an event."""
    w = await async_make_workshop()
    workshop = w["workshop"]
    participant, _ = await async_join(workshop, "Camille")
    other, _ = await async_join(workshop, "Dominique")
    me, them, fac = (
        Client(workshop, participant=participant),
        Client(workshop, participant=other),
        Client(workshop, user=w["facilitator"]),
    )
    for client in (me, them, fac):
        await client.connect()
    prompt = str((await w["ideation"].prompts.afirst()).pk)
    ack = await me.send("note.add", prompt=prompt, text="Des pistes cyclables", key="k1")
    assert ack["type"] == "ack", ack
    event = await them.receive("event")
    assert event["payload"]["upsert"]["notes"][0]["masked"] is True
    event = await fac.receive("event")
    texts = [n["text"] for n in event["payload"]["upsert"]["notes"]]
    assert "Des pistes cyclables" in texts
    ack = await fac.send("activity.reveal", activity=str(w["ideation"].pk), revealed=True)
    assert ack["type"] == "ack", ack
    event = await them.receive("event")
    # The reveal sends the texts of the notes every socket already holds, masked.
    assert event["payload"]["update"]["notes"][0]["text"] == "Des pistes cyclables"
    ack = await fac.send("activity.open", activity=str(w["grouping"].pk))
    ack = await fac.send("cluster.add", name="Mobilités", notes=[ack and _note(event)])
    assert ack["type"] == "ack", ack
    cluster = ack["cluster"]
    await fac.send("activity.open", activity=str(w["dotvote"].pk))
    reply = await me.send("note.add", prompt=prompt, text="trop tard")
    assert reply["code"] == "wrong_activity"
    reply = await me.send("dot.set", item=cluster, count=2)
    assert reply["type"] == "ack", reply
    reply = await me.send("dot.set", item=cluster, count=3)
    assert reply["code"] == "invalid"
    await fac.send("activity.open", activity=str(w["matrix"].pk))
    reply = await me.send("rating.set", item=cluster, impact=8, ease=9)
    assert reply["type"] == "ack", reply
    await fac.send("activity.open", activity=str(w["plan"].pk))
    reply = await fac.send("chantier.add", title="Plan vélo", item=cluster, pilot="DDT")
    assert reply["type"] == "ack", reply
    reply = await me.send("commitment.set", chantier=reply["chantier"], role="contributor")
    assert reply["type"] == "ack", reply
    for client in (me, them, fac):
        await client.close()


def _note(event):
    return event["payload"]["update"]["notes"][0]["id"]

"""Each workshop socket may send a few messages per second (a token bucket): beyond the
burst, messages get rate_limited errors, write nothing, and the socket works again after a
second."""

import asyncio
import json
import math
import time

import pytest
from django.test import override_settings

from tests.workshops.helpers import (
    Client,
    async_first_prompt,
    async_join,
    async_make_workshop,
    async_row_counts,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def connected(**limits):
    w = await async_make_workshop()
    participant, _ = await async_join(w["workshop"])
    w["prompt"] = await async_first_prompt(w)
    with override_settings(**limits):
        me = Client(w["workshop"], participant=participant)
        await me.connect()
    return w, me


async def burst(client, messages: list[dict]) -> list[dict]:
    """Send all `messages` at once (without waiting), then read their answers in order."""
    for message in messages:
        await client.communicator.send_to(text_data=json.dumps(message))
    return [await client.receive("ack", "error") for _ in messages]


def notes(prompt, n, start=0):
    return [
        {"type": "note.add", "id": f"n{i}", "prompt": prompt, "text": f"Idée {i}"}
        for i in range(start, start + n)
    ]


async def test_messages_beyond_the_burst_are_rate_limited():
    """With a burst of 3 (and a slow refill, 1 message in 10 s, so that a busy machine does
    not refill a token meanwhile), five messages sent at once get three
    acks then two rate_limited errors (with their ids); only three notes are written."""
    w, me = await connected(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=0.1, RUCHE_WORKSHOP_MESSAGE_BURST=3)
    before = await async_row_counts(w["workshop"])
    replies = await burst(me, notes(w["prompt"], 5))
    assert [r["type"] for r in replies] == ["ack", "ack", "ack", "error", "error"]
    assert [r.get("code") for r in replies[3:]] == ["rate_limited", "rate_limited"]
    assert [r["id"] for r in replies] == ["n0", "n1", "n2", "n3", "n4"]
    after = await async_row_counts(w["workshop"])
    assert after["notes"] == before["notes"] + 3
    await me.close()


async def test_the_socket_works_again_after_a_second():
    """After being rate limited, a socket that waits a second may send again."""
    w, me = await connected(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=1, RUCHE_WORKSHOP_MESSAGE_BURST=2)
    replies = await burst(me, notes(w["prompt"], 3))
    assert replies[-1]["code"] == "rate_limited"
    await asyncio.sleep(1.1)
    reply = await me.send("note.add", prompt=w["prompt"], text="Après une pause")
    assert reply["type"] == "ack", reply
    await me.close()


async def test_the_default_limit_is_a_burst_of_ten():
    """With the default settings (5 per second, burst 10), twenty messages sent at once get
    ten answers plus what the bucket refilled while they were handled (5 a second), and the
    rest are rate_limited; refused messages cost a token too."""
    w, me = await connected(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=5, RUCHE_WORKSHOP_MESSAGE_BURST=10)
    messages = notes(w["prompt"], 20)
    messages[0]["text"] = ""  # refused (empty), still counted
    started = time.monotonic()
    replies = await burst(me, messages)
    elapsed = time.monotonic() - started
    handled = [r for r in replies if r.get("code") != "rate_limited"]
    assert replies[0]["code"] == "empty"
    assert 10 <= len(handled) <= 10 + math.ceil(elapsed * 5), (len(handled), elapsed)
    # Every message before the first rate_limited one was handled.
    assert replies[: len(handled)] == handled or elapsed > 0.2
    await me.close()


async def test_each_socket_has_its_own_bucket():
    """One socket's flood does not limit another socket of the room."""
    w, me = await connected(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=0.1, RUCHE_WORKSHOP_MESSAGE_BURST=2)
    participant, _ = await async_join(w["workshop"], "Dominique")
    with override_settings(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=0.1, RUCHE_WORKSHOP_MESSAGE_BURST=2):
        them = Client(w["workshop"], participant=participant)
        await them.connect()
    replies = await burst(me, notes(w["prompt"], 4))
    assert replies[-1]["code"] == "rate_limited"
    reply = await them.send("note.add", prompt=w["prompt"], text="Moi aussi")
    assert reply["type"] == "ack", reply
    await me.close()
    await them.close()

"""A socket whose queue of unhandled frames is full gets a rate_limited refusal naming the
refused message's id, so that the client sends that write again later instead of waiting
for it until the next reconnection."""

import json

import pytest

from ruche.workshops import consumers
from tests.workshops.helpers import (
    Client,
    async_first_prompt,
    async_join,
    async_make_workshop,
    async_row_counts,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_frame_refused_by_a_full_inbox_is_named_by_its_id(monkeypatch):
    """The refusal carries the frame's id when it has a valid one, none otherwise; nothing
    is written and the socket stays open."""
    w = await async_make_workshop()
    participant, _ = await async_join(w["workshop"])
    prompt = await async_first_prompt(w)
    me = Client(w["workshop"], participant=participant)
    await me.connect()
    before = await async_row_counts(w["workshop"])
    monkeypatch.setattr(consumers, "INBOX_LIMIT", 0)  # every frame finds the queue full

    note = {"type": "note.add", "id": "n1", "prompt": prompt, "text": "Idée"}
    await me.communicator.send_to(text_data=json.dumps(note))
    error = await me.receive("error")
    assert (error["code"], error["id"]) == ("rate_limited", "n1")

    for frame in ("not json", json.dumps({**note, "id": "x" * 65}), json.dumps([note])):
        await me.communicator.send_to(text_data=frame)
        error = await me.receive("error")
        assert error["code"] == "rate_limited" and "id" not in error

    monkeypatch.setattr(consumers, "INBOX_LIMIT", 64)
    assert await async_row_counts(w["workshop"]) == before
    assert (await me.send("note.add", prompt=prompt, text="Idée"))["type"] == "ack"
    await me.close()

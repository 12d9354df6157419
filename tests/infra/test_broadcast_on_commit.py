"""broadcast_on_commit: live events leave through the channel layer only after commit.

The writes run in database_sync_to_async, as in a consumer, so the on-commit send and the
test's receive share one event loop (and work the same on the Redis layer).
"""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from ruche.core.broadcast import CHANNELS_MESSAGE_TYPE, broadcast_on_commit, last_seq
from ruche.core.models import Event
from tests.infra.aio import run_async

RECEIVE_TIMEOUT = 5
MARKER = {"type": "infra.marker"}

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


async def receive(layer, channel):
    try:
        return await asyncio.wait_for(layer.receive(channel), RECEIVE_TIMEOUT)
    except TimeoutError:
        pytest.fail(f"nothing received on {channel} within {RECEIVE_TIMEOUT}s")


async def member_of_new_group():
    layer = get_channel_layer()
    group = f"infra.broadcast.{uuid.uuid4().hex}"
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return layer, group, channel


def test_events_are_sent_after_commit_with_seq_1_2_3():
    """Inside transaction.atomic(), broadcast_on_commit sends nothing; once the transaction
    commits, a member of the group receives the three events in order with seq 1, 2, 3."""
    run_async(commit_scenario)


async def commit_scenario():
    layer, group, channel = await member_of_new_group()

    def write():
        with transaction.atomic():
            for n in (1, 2, 3):
                broadcast_on_commit(group, "infra.note", {"n": n})
            # Sent while the transaction is still open: if any event had left already, it
            # would arrive before this marker.
            async_to_sync(layer.group_send)(group, MARKER)

    await database_sync_to_async(write)()

    assert await receive(layer, channel) == MARKER
    messages = [await receive(layer, channel) for _ in range(3)]
    assert [message["type"] for message in messages] == [CHANNELS_MESSAGE_TYPE] * 3
    assert [message["event"] for message in messages] == [
        {"seq": seq, "type": "infra.note", "payload": {"n": seq}} for seq in (1, 2, 3)
    ]
    assert await database_sync_to_async(last_seq)(group) == 3
    await layer.group_discard(group, channel)


def test_rolled_back_transaction_sends_nothing_and_keeps_the_sequence():
    """When the transaction rolls back, nothing is sent, no event is stored and the sequence
    number is not consumed: the next committed event is seq 1."""
    run_async(rollback_scenario)


async def rollback_scenario():
    layer, group, channel = await member_of_new_group()

    def write_then_fail():
        with pytest.raises(Rollback), transaction.atomic():
            broadcast_on_commit(group, "infra.note", {"n": "rolled back"})
            raise Rollback

    def write():
        with transaction.atomic():
            broadcast_on_commit(group, "infra.note", {"n": "kept"})

    def stored_events():
        return list(Event.objects.filter(group=group).values_list("seq", "type"))

    await database_sync_to_async(write_then_fail)()
    await layer.group_send(group, MARKER)
    # Anything the rolled-back transaction had sent would come before the marker.
    assert await receive(layer, channel) == MARKER
    assert await database_sync_to_async(last_seq)(group) == 0
    assert await database_sync_to_async(stored_events)() == []

    await database_sync_to_async(write)()
    message = await receive(layer, channel)
    assert message["event"] == {"seq": 1, "type": "infra.note", "payload": {"n": "kept"}}
    assert await database_sync_to_async(stored_events)() == [(1, "infra.note")]
    await layer.group_discard(group, channel)

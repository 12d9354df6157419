"""The configured channel layer delivers group messages; with Redis, across server processes."""

import asyncio
import uuid

import pytest
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

from tests.infra.aio import run_async

RECEIVE_TIMEOUT = 5


async def receive(layer, channel):
    try:
        return await asyncio.wait_for(layer.receive(channel), RECEIVE_TIMEOUT)
    except TimeoutError:
        pytest.fail(f"nothing received on {channel} within {RECEIVE_TIMEOUT}s")


def new_group() -> str:
    return f"infra.layer.{uuid.uuid4().hex}"


def test_group_send_reaches_every_member_and_no_one_else():
    """group_send on the configured layer delivers the message to each channel of the group,
    and nothing to a channel outside it."""
    run_async(group_send_scenario)


async def group_send_scenario():
    layer = get_channel_layer()
    group = new_group()
    first, second, outsider = [await layer.new_channel() for _ in range(3)]
    await layer.group_add(group, first)
    await layer.group_add(group, second)
    try:
        await layer.group_send(group, {"type": "live.event", "text": "bonjour"})
        # The outsider's first message is this direct one: the group message never reached it.
        await layer.send(outsider, {"type": "direct"})

        assert await receive(layer, first) == {"type": "live.event", "text": "bonjour"}
        assert await receive(layer, second) == {"type": "live.event", "text": "bonjour"}
        assert await receive(layer, outsider) == {"type": "direct"}
    finally:
        await layer.group_discard(group, first)
        await layer.group_discard(group, second)


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
def test_two_redis_layers_share_groups_like_two_server_processes():
    """With REDIS_URL the layer is channels_redis's pub/sub layer, and two separate layer
    instances (two server processes) see each other's group members: a message sent to a group
    from one reaches sockets subscribed through the other, in both directions."""
    run_async(two_processes_scenario)


async def two_processes_scenario():
    assert isinstance(get_channel_layer(), RedisPubSubChannelLayer)
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    process_a = RedisPubSubChannelLayer(**config)
    process_b = RedisPubSubChannelLayer(**config)
    group = new_group()
    socket_a = await process_a.new_channel()
    socket_b = await process_b.new_channel()
    await process_a.group_add(group, socket_a)
    await process_b.group_add(group, socket_b)
    try:
        await process_a.group_send(group, {"type": "live.event", "from": "a"})
        assert await receive(process_b, socket_b) == {"type": "live.event", "from": "a"}
        assert await receive(process_a, socket_a) == {"type": "live.event", "from": "a"}

        await process_b.group_send(group, {"type": "live.event", "from": "b"})
        assert await receive(process_a, socket_a) == {"type": "live.event", "from": "b"}
        assert await receive(process_b, socket_b) == {"type": "live.event", "from": "b"}
    finally:
        await process_a.group_discard(group, socket_a)
        await process_b.group_discard(group, socket_b)
        await process_a.flush()
        await process_b.flush()

"""The live WebSocket protocol: join with permission, receive events in order, resync."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import transaction

from ruche.config.routing import websocket_urlpatterns
from ruche.core.broadcast import broadcast_on_commit
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = URLRouter(websocket_urlpatterns)


def communicator_for(organisation, user):
    communicator = WebsocketCommunicator(application, f"/ws/structures/{organisation.pk}/")
    communicator.scope["user"] = user
    return communicator


@database_sync_to_async
def member_and_organisation(role="member"):
    membership = MembershipFactory(role=role)
    return membership.user, membership.organisation


@database_sync_to_async
def emit(organisation, n):
    for i in range(n):
        with transaction.atomic():
            broadcast_on_commit(organisation.group_name, "test.ping", {"i": i})


async def test_member_joins_and_receives_events_in_sequence():
    """A member's socket gets a hello with the current seq, then each event with seq+1."""
    user, organisation = await member_and_organisation()
    await emit(organisation, 2)
    communicator = communicator_for(organisation, user)
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {
        "type": "hello",
        "group": organisation.group_name,
        "seq": 2,
    }
    await emit(organisation, 2)
    first = await communicator.receive_json_from()
    second = await communicator.receive_json_from()
    assert (first["seq"], second["seq"]) == (3, 4)
    assert first["event"] == "test.ping"
    assert first["payload"] == {"i": 0}
    await communicator.disconnect()


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
async def test_non_members_are_refused(who):
    """Anonymous visitors and members of other organisations cannot follow the feed."""
    from django.contrib.auth.models import AnonymousUser

    _user, organisation = await member_and_organisation()
    user = AnonymousUser() if who == "anonymous" else await database_sync_to_async(UserFactory)()
    await assert_refused(communicator_for(organisation, user))


async def assert_refused(communicator):
    """Refused sockets are accepted then closed with 4403, so browsers can tell why."""
    connected, _ = await communicator.connect()
    assert connected
    closing = await communicator.receive_output()
    assert closing["type"] == "websocket.close"
    assert closing["code"] == 4403


async def test_unknown_organisation_is_refused():
    """A socket for an id that names no organisation is closed, not crashed."""
    user, _organisation = await member_and_organisation()
    organisation = await database_sync_to_async(OrganisationFactory.build)()
    await assert_refused(communicator_for(organisation, user))


async def test_resync_replays_what_a_client_missed():
    """A client that saw seq N asks for what followed and gets exactly those events."""
    user, organisation = await member_and_organisation()
    await emit(organisation, 5)
    communicator = communicator_for(organisation, user)
    await communicator.connect()
    await communicator.receive_json_from()  # hello
    await communicator.send_json_to({"type": "resync", "since": 2})
    replayed = [await communicator.receive_json_from() for _ in range(3)]
    assert [event["seq"] for event in replayed] == [3, 4, 5]
    assert await communicator.receive_nothing()
    await communicator.disconnect()


@pytest.mark.parametrize(
    "message",
    [
        '"just a string"',
        "not json at all",
        '{"type": "resync", "since": -1}',
        '{"type": "resync", "since": true}',
        '{"type": "x"}',
    ],
)
async def test_bad_messages_get_an_error_event_and_keep_the_socket(message):
    """Malformed or unknown messages get an error event; the connection stays open."""
    user, organisation = await member_and_organisation()
    communicator = communicator_for(organisation, user)
    await communicator.connect()
    await communicator.receive_json_from()  # hello
    await communicator.send_to(text_data=message)
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    assert error["message"]
    await communicator.send_json_to({"type": "resync", "since": 0})
    assert await communicator.receive_nothing()  # still connected, nothing missed
    await communicator.disconnect()


async def test_a_binary_frame_gets_an_error_and_keeps_the_socket():
    """A binary frame is answered with an error event; the connection stays open."""
    user, organisation = await member_and_organisation()
    communicator = communicator_for(organisation, user)
    await communicator.connect()
    await communicator.receive_json_from()  # hello
    await communicator.send_to(bytes_data=b"\x00\x01")
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    await communicator.send_json_to({"type": "resync", "since": 0})
    assert await communicator.receive_nothing()
    await communicator.disconnect()

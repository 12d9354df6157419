"""Who may open a workshop's WebSocket, as a matrix: role × workshop state.

Refused sockets are accepted then closed with code 4403 (see tests/core/test_live_consumer).
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from ruche.core.testing import parse_matrix
from ruche.workshops import actions
from tests.core.test_live_consumer import assert_refused
from tests.factories import MembershipFactory, ParticipantFactory
from tests.workshops.helpers import Client, application, join, make_workshop

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SOCKETS = """
                        draft  live  ended
    attendee            no     yes   yes
    facilitator         yes    yes   yes
    admin               yes    yes   yes
    member              yes    yes   yes
    outsider            no     no    no
    anonymous           no     no    no
    outsider_attendee   no     yes   yes
"""


@database_sync_to_async
def client_for(role, state) -> Client:
    """A socket for `role` on a fresh workshop in `state`.

    attendee: a participant cookie with an attendee row; anonymous: a participant cookie
    without one; outsider: a member of another organisation; outsider_attendee: a member of
    another organisation who joined with the code (their cookie identity is theirs)."""
    w = make_workshop(state=state)
    workshop = w["workshop"]
    organisation = workshop.organisation
    if role == "attendee":
        participant, _attendee = join(workshop)
        return Client(workshop, participant=participant)
    if role == "anonymous":
        return Client(workshop, participant=ParticipantFactory())
    if role == "facilitator":
        return Client(workshop, user=w["facilitator"])
    if role in ("admin", "member"):
        return Client(workshop, user=MembershipFactory(organisation=organisation, role=role).user)
    user = MembershipFactory(role="admin").user
    if role == "outsider":
        return Client(workshop, user=user)
    participant = ParticipantFactory(user=user)
    actions.do_join(workshop, participant, "Camille")
    return Client(workshop, participant=participant, user=user)


async def test_who_may_open_the_socket():
    """Facilitators, admins and members always follow; an attendee once the room has
    opened (and after it ended, read-only); nobody else, whatever cookie they carry."""
    mismatches = []
    for (role, state), allowed in parse_matrix(SOCKETS).items():
        client = await client_for(role, state)
        connected, _ = await client.communicator.connect()
        assert connected
        first = await client.communicator.receive_output()
        if first["type"] == "websocket.close":
            actual = False
            assert first["code"] == 4403, (role, state, first)
        else:
            actual = True
            await client.communicator.disconnect()
        if actual != allowed:
            mismatches.append(f"{role} × {state}: expected {allowed}, got {actual}")
    assert not mismatches, "\n".join(mismatches)


async def test_a_socket_for_an_unknown_workshop_is_refused():
    """A workshop id that names no workshop (or is not a uuid) gets 4403, not a crash."""
    communicator = WebsocketCommunicator(
        application, "/ws/ateliers/00000000-0000-4000-8000-000000000000/"
    )
    communicator.scope["user"] = AnonymousUser()
    await assert_refused(communicator)


async def test_a_forged_participant_cookie_is_refused():
    """A cookie whose signature does not match names nobody: the socket is refused."""
    w = await database_sync_to_async(make_workshop)()
    client = Client(w["workshop"])
    participant, _ = await database_sync_to_async(join)(w["workshop"])
    forged = f"{settings.PARTICIPANT_COOKIE_NAME}={participant.pk}:forged".encode()
    client.communicator.scope["headers"] = [(b"cookie", forged)]
    await assert_refused(client.communicator)

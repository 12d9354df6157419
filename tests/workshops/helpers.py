"""Building workshops and talking to their socket in tests."""

from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.sessions import CookieMiddleware
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing

from ruche.accounts.middleware import PARTICIPANT_SALT
from ruche.config.routing import websocket_urlpatterns
from ruche.workshops import actions
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory

application = CookieMiddleware(URLRouter(websocket_urlpatterns))


def participant_cookie(participant) -> str:
    name = settings.PARTICIPANT_COOKIE_NAME
    return signing.get_cookie_signer(salt=name + PARTICIPANT_SALT).sign(str(participant.pk))


def make_workshop(*, state="live", organisation=None, who_groups="everyone"):
    """A workshop with one activity of each kind, chained as a lab would run them."""
    organisation = organisation or OrganisationFactory()
    facilitator = MembershipFactory(organisation=organisation, role="facilitator").user
    workshop = actions.do_create_workshop(
        organisation=organisation, title="Atelier des solutions", created_by=facilitator
    )
    ideation = actions.do_add_activity(
        workshop,
        kind="ideation",
        title="Je rêve mon territoire en 2050",
        prompts=["Ce qui marche", "Ce qui manque"],
    )
    grouping = actions.do_add_activity(
        workshop, kind="grouping", title="Regrouper", source=ideation,
        config={"who": who_groups},
    )
    dotvote = actions.do_add_activity(
        workshop, kind="dotvote", title="Voter", source=grouping, config={"dots": 3, "cap": 2}
    )
    matrix = actions.do_add_activity(workshop, kind="matrix", title="Impact", source=grouping)
    plan = actions.do_add_activity(workshop, kind="actionplan", title="Chantiers", source=grouping)
    if state != "draft":
        actions.do_set_state(workshop, "live")
    if state == "ended":
        actions.do_set_state(workshop, "ended")
    workshop.refresh_from_db()
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "ideation": ideation,
        "grouping": grouping,
        "dotvote": dotvote,
        "matrix": matrix,
        "plan": plan,
    }


def join(workshop, name="Camille"):
    participant = ParticipantFactory()
    attendee = actions.do_join(workshop, participant, name)
    return participant, attendee


class Client:
    """A socket on a workshop, as a participant (cookie) or a signed-in user."""

    def __init__(self, workshop, *, participant=None, user=None):
        headers = []
        if participant is not None:
            cookie = f"{settings.PARTICIPANT_COOKIE_NAME}={participant_cookie(participant)}"
            headers.append((b"cookie", cookie.encode()))
        self.communicator = WebsocketCommunicator(
            application, f"/ws/ateliers/{workshop.pk}/", headers=headers
        )
        self.communicator.scope["user"] = user or AnonymousUser()
        self.counter = 0

    async def connect(self) -> dict:
        connected, _ = await self.communicator.connect()
        assert connected
        return await self.receive("hello")

    async def receive(self, *types, timeout=2) -> dict:
        """The next message of one of `types`, skipping presence counts."""
        while True:
            message = await self.communicator.receive_json_from(timeout=timeout)
            if message["type"] == "presence" and "presence" not in types:
                continue
            if not types or message["type"] in types:
                return message

    async def send(self, message_type, **fields) -> dict:
        """Send a message and return its ack or error (events in between are skipped)."""
        self.counter += 1
        message_id = f"m{self.counter}"
        await self.communicator.send_json_to({"type": message_type, "id": message_id, **fields})
        while True:
            reply = await self.receive("ack", "error")
            if reply.get("id") == message_id:
                return reply

    async def close(self):
        await self.communicator.disconnect()


async_make_workshop = database_sync_to_async(make_workshop)
async_join = database_sync_to_async(join)

"""Building workshops and talking to their socket in tests."""

from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.sessions import CookieMiddleware
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from ruche.accounts.middleware import participant_cookie_value
from ruche.config.routing import websocket_urlpatterns
from ruche.workshops import actions
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory

application = CookieMiddleware(URLRouter(websocket_urlpatterns))


class Communicator(WebsocketCommunicator):
    """Channels' test communicator, reading a batch frame (a JSON array of events, which a
    busy socket gets) as the messages it holds, one at a time, as live.js does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batched = []

    async def receive_json_from(self, timeout=1):
        if self.batched:
            return self.batched.pop(0)
        data = await super().receive_json_from(timeout=timeout)
        if isinstance(data, list):
            self.batched = data[1:]
            return data[0]
        return data

    async def receive_nothing(self, timeout=0.1, interval=0.01):
        return not self.batched and await super().receive_nothing(timeout, interval)


def participant_cookie(participant) -> str:
    return participant_cookie_value(participant.pk)


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
        workshop,
        kind="grouping",
        title="Regrouper",
        source=ideation,
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
        self.communicator = Communicator(
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


# --- Driving a workshop without a socket, as the consumer would (protocol tests) -----------


def viewer_for(actor):
    """The viewer an actor's socket has: an attendee row, "facilitator", or None (a member
    following without having joined)."""
    from ruche.workshops.live import Viewer

    if actor == "facilitator":
        return Viewer(attendee=None, facilitator=True)
    if actor is None:
        return Viewer()
    return Viewer(attendee=str(actor.pk), facilitator=False)


def run(workshop, actor, message_type, **fields) -> dict:
    """Run one live message for `actor` through `actions.run_message`, as the socket does;
    returns what the socket would answer: {"type": "ack", …} or {"type": "error", "code"}."""
    from ruche.workshops.activities.base import WorkshopError

    viewer = viewer_for(actor)
    try:
        result = actions.run_message(
            workshop.pk, viewer.attendee, viewer.facilitator, {"type": message_type, **fields}
        )
    except WorkshopError as error:
        return {"type": "error", "code": error.code}
    return {"type": "ack", **result}


def state_of(workshop, actor) -> dict:
    """What a fresh page load gives `actor` (`queries.workshop_state`)."""
    from ruche.workshops import queries

    return queries.workshop_state(workshop, viewer_for(actor))


def replay(state: dict, workshop, actor) -> dict:
    """Apply to `state` (in place) the events after its seq, resolved for `actor`, as the
    browser does after a resync (it also moves its seq to each event's)."""
    from ruche.core.broadcast import events_since
    from ruche.workshops.live import apply, for_viewer

    viewer = viewer_for(actor)
    for event in events_since(workshop.group_name, state["seq"], limit=100_000):
        apply(state, for_viewer(event["payload"], viewer))
        state["seq"] = event["seq"]
    return state


def events_for(workshop, actor, since: int) -> list[dict]:
    """The payloads `actor`'s socket receives after `since`, resolved for them."""
    from ruche.core.broadcast import events_since
    from ruche.workshops.live import for_viewer

    viewer = viewer_for(actor)
    return [
        {**event, "payload": for_viewer(event["payload"], viewer)}
        for event in events_since(workshop.group_name, since, limit=100_000)
    ]


def last_seq(workshop) -> int:
    from ruche.core.broadcast import last_seq as group_last_seq

    return group_last_seq(workshop.group_name)


def row_counts(workshop) -> dict:
    """How many contributions of each sort the workshop holds, and its event count: a refused
    message must change none of them."""
    from ruche.core.models import Event
    from ruche.workshops import models

    activities = {"activity__workshop": workshop}
    return {
        "notes": models.Note.objects.filter(**activities).count(),
        "clusters": models.Cluster.objects.filter(**activities).count(),
        "dots": models.Dot.objects.filter(**activities).count(),
        "ratings": models.Rating.objects.filter(**activities).count(),
        "chantiers": models.Chantier.objects.filter(**activities).count(),
        "commitments": models.Commitment.objects.filter(
            chantier__activity__workshop=workshop
        ).count(),
        "events": Event.objects.filter(group=workshop.group_name).count(),
    }


def first_prompt(w) -> str:
    return str(w["ideation"].prompts.order_by("position").first().pk)


async_run = database_sync_to_async(run)
async_row_counts = database_sync_to_async(row_counts)
async_first_prompt = database_sync_to_async(first_prompt)


async def raw_reply(client, *, text=None, data=None) -> dict:
    """Send a raw frame (text or bytes) and return the next ack or error."""
    if data is not None:
        await client.communicator.send_to(bytes_data=data)
    else:
        await client.communicator.send_to(text_data=text)
    return await client.receive("ack", "error")

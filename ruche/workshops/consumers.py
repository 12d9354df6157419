"""The workshop's WebSocket: live events, snapshots, and every participant's writes.

Protocol in docs/realtime.md. On top of `LiveGroupConsumer` (hello, sequence-numbered
events, resync), this consumer:
- resolves restricted parts of each event for its viewer (`live.for_viewer`), so a note's
  text before the reveal reaches only its author and the facilitators;
- runs the client's messages through `actions.run_message` and answers each with an
  ``ack`` or an ``error`` carrying the message's ``id``; the socket stays open;
- limits each socket to a few messages per second (a token bucket);
- keeps the room's presence count (`presence.py`);
- shares one channel-layer subscription per workshop and process (`Room`): an event
  arrives once per process, its text is built once per distinct viewer (`EventText`),
  and each socket's own sender task writes it. Channels' per-socket path (a copy of the
  message per socket, the in-memory layer's expiry scan over every channel at each
  receive, a database thread hop per dispatched message) made a room of 300 sockets
  fall minutes behind (`make bench-workshop`).
"""

import asyncio
import collections
import json
import logging
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.accounts.middleware import participant_id_from_cookies
from ruche.accounts.queries import participant_by_id
from ruche.core import broadcast
from ruche.core.consumers import CLOSE_FORBIDDEN, LiveGroupConsumer
from ruche.workshops import actions, presence, queries
from ruche.workshops.activities.base import WorkshopError
from ruche.workshops.live import SECTIONS, Viewer
from ruche.workshops.models import Workshop

logger = logging.getLogger(__name__)

# A socket this many messages behind gets no more events until it drains: the client sees
# the gap in sequence numbers and asks for a resync (a queue that grows without bound
# would only delay everything it holds).
OUTBOX_LIMIT = 2000
# Messages this consumer handles without Channels' close_old_connections thread hop.
NO_DATABASE = {"websocket.receive"}
# How long an event that overtook an earlier one waits for it (see Room.deliver).
HOLD_SECONDS = 0.25
MAX_HOLD_SECONDS = 3.0
# Received messages waiting for their turn on one socket; more get a rate_limited error.
INBOX_LIMIT = 64
# At most this many of a room's queued writes go in one transaction (`actions.run_messages`).
WRITE_BATCH = 50


def _thread_sensitive() -> bool:
    """On PostgreSQL the socket's queries run on a pool of threads (each with its pooled
    connection), so a room's writers queue on the sequence row's lock in the database, not
    behind every other socket's reads in Channels' single database thread. SQLite keeps
    the single thread."""
    return settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"


def db(function):
    """`function` on a database thread, as an awaitable; events it commits leave without
    the thread waiting for this loop (`broadcast.sending_from`)."""
    thread_sensitive = _thread_sensitive()

    def in_thread(loop, *args, **kwargs):
        try:
            with broadcast.sending_from(loop):
                return function(*args, **kwargs)
        finally:
            if not thread_sensitive:
                # Hand the pooled connection back: a pool thread that kept it (a socket
                # gone mid-query, or settings that keep connections) would exhaust the pool.
                connections.close_all()

    call = database_sync_to_async(in_thread, thread_sensitive=thread_sensitive)

    async def run(*args, **kwargs):
        return await call(asyncio.get_running_loop(), *args, **kwargs)

    return run


def _items(objects) -> str:
    """A JSON array's content without its brackets ("" for an empty list)."""
    return json.dumps(objects, ensure_ascii=False, separators=(",", ":"))[1:-1]


def _frame_id(text_data):
    """The `id` of a frame not handled, when it has a valid one (else None)."""
    try:
        content = json.loads(text_data) if text_data else None
    except ValueError:
        return None
    message_id = content.get("id") if isinstance(content, dict) else None
    return message_id if isinstance(message_id, str) and len(message_id) <= 64 else None


class EventText:
    """The text frame of one event for each viewer, every distinct text built once.

    Equivalent to ``json.dumps`` of the event with ``for_viewer(payload, viewer)``: the
    restricted parts a viewer may see are appended, in order, to the shared collections,
    from fragments serialised once (a reveal of thousands of notes, each with a part for
    its author, is not serialised again for each of a thousand sockets).
    """

    def __init__(self, event: dict):
        self.head = (
            f'{{"type":"event","seq":{int(event["seq"])},"event":'
            f'{json.dumps(event["type"])},"payload":'
        )
        payload = event["payload"]
        restricted = payload.get("_restricted")
        self.texts: dict[tuple, str] = {}
        if not restricted:
            self.texts[()] = (
                self.head + json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "}"
            )
            self.parts = []
            return
        self.base = self._fragments(payload)
        self.parts = [self._fragments(part) for part in restricted]
        self.facilitator_parts: list[int] = []
        self.attendee_parts: dict[str, list[int]] = {}
        for index, part in enumerate(restricted):
            if part.get("facilitators"):
                self.facilitator_parts.append(index)
            for attendee in part.get("to", ()):
                self.attendee_parts.setdefault(attendee, []).append(index)

    @staticmethod
    def _fragments(patch: dict) -> dict:
        return {
            section: {c: _items(objs) for c, objs in patch.get(section, {}).items()}
            for section in SECTIONS
        }

    def for_viewer(self, viewer: Viewer) -> str:
        if not self.parts:
            return self.texts[()]
        allowed = []
        if viewer.facilitator:
            allowed.extend(self.facilitator_parts)
        if viewer.attendee is not None:
            allowed.extend(self.attendee_parts.get(viewer.attendee, ()))
        key = tuple(sorted(set(allowed)))
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = self._render(key)
        return text

    def _render(self, key: tuple) -> str:
        sections = []
        for section in SECTIONS:
            collections_ = {c: [f] for c, f in self.base[section].items()}
            for index in key:
                for c, fragment in self.parts[index][section].items():
                    collections_.setdefault(c, []).append(fragment)
            if collections_:
                body = ",".join(
                    f'"{c}":[{",".join(f for f in fragments if f)}]'
                    for c, fragments in collections_.items()
                )
                sections.append(f'"{section}":{{{body}}}')
        return f"{self.head}{{{','.join(sections)}}}}}"


class Room:
    """This process's sockets on one workshop, fed by one channel-layer subscription."""

    def __init__(self, group: str):
        self.group = group
        self.members: dict = {}
        self.layer = get_channel_layer()
        self.loop = asyncio.get_running_loop()
        self.started = self.loop.create_task(self._subscribe())
        self.task = None
        self.next_seq = None  # the sequence number the sockets expect next
        self.held: dict[int, dict] = {}  # events that overtook an earlier one
        self.release = None
        self.writes: collections.deque = collections.deque()
        self.writer = None

    async def _subscribe(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        self.task = self.loop.create_task(self._run())

    async def _run(self):
        while True:
            message = await self.layer.receive(self.channel)
            try:
                self.deliver(message)
            except Exception:  # one bad message must not stop the room
                logger.exception("workshop room %s: message not delivered", self.group)

    def deliver(self, message: dict) -> None:
        if message.get("type") == broadcast.CHANNELS_MESSAGE_TYPE:
            # Writers commit in sequence order, but their after-commit sends, from several
            # threads or processes, may arrive out of order: an event that overtook an
            # earlier one waits a moment for it, rather than send every socket to resync.
            seq = message["event"]["seq"]
            if self.next_seq is not None and seq > self.next_seq:
                self.held[seq] = message
                if self.release is None:
                    self.held_since = self.loop.time()
                    self.release = self.loop.call_later(HOLD_SECONDS, self._release_held)
                return
            self._fan_out(message)
            while self.next_seq in self.held:
                self._fan_out(self.held.pop(self.next_seq))
            if not self.held and self.release is not None:
                self.release.cancel()
                self.release = None
        else:
            for member in list(self.members):
                member.push(message)

    def _fan_out(self, message: dict) -> None:
        event = message["event"]
        self.next_seq = max(self.next_seq or 0, event["seq"] + 1)
        text = EventText(event)
        for member in list(self.members):
            member.push(text.for_viewer(member.viewer))

    async def write(self, workshop_id, attendee, facilitator: bool, message: dict) -> dict:
        """Apply one socket's message with the others queued in this process for the room.

        The room's writes run one batch at a time: while a batch is in its transaction, the
        next messages queue and then go together (one lock, one commit, events composed),
        so a burst costs a few transactions instead of one each, and no database thread
        waits on the room's lock for another. A quiet room writes each message at once.
        """
        future = self.loop.create_future()
        self.writes.append((attendee, facilitator, message, future))
        if self.writer is None or self.writer.done():
            self.writer = self.loop.create_task(self._write(workshop_id))
        return await future

    async def _write(self, workshop_id) -> None:
        while self.writes:
            batch = [self.writes.popleft() for _ in range(min(WRITE_BATCH, len(self.writes)))]
            try:
                outcomes = await db(actions.run_messages)(
                    workshop_id, [(a, f, m) for a, f, m, _future in batch]
                )
            except Exception as error:  # the transaction failed as a whole
                outcomes = [error] * len(batch)
            for (*_message, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # its socket went away
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    def _release_held(self) -> None:
        """The missing event did not come: send what waited; sockets resync the gap."""
        if self.loop.time() - self.held_since < MAX_HOLD_SECONDS:
            # The process that committed it may be busy, or this one has not read it yet:
            # a short wait costs less than every socket of the room asking for a replay.
            self.release = self.loop.call_later(HOLD_SECONDS, self._release_held)
            return
        self.release = None
        for seq in sorted(self.held):
            self._fan_out(self.held.pop(seq))

    async def close(self):
        if self.release is not None:
            self.release.cancel()
        await asyncio.shield(self.started)
        self.task.cancel()
        await self.layer.group_discard(self.group, self.channel)


_rooms: dict[str, Room] = {}


async def join_room(group: str, consumer) -> None:
    while True:
        room = _rooms.get(group)
        if room is None or room.loop is not asyncio.get_running_loop():
            room = _rooms[group] = Room(group)
        room.members[consumer] = None  # before waiting: a leaving socket keeps the room open
        await asyncio.shield(room.started)
        if _rooms.get(group) is room:
            consumer.room = room
            return
        room.members.pop(consumer, None)


async def leave_room(group: str, consumer) -> None:
    room = _rooms.get(group)
    if room is None:
        return
    room.members.pop(consumer, None)
    if not room.members:
        del _rooms[group]
        await room.close()


class TokenBucket:
    """`rate` messages per second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens, self.updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class WorkshopConsumer(LiveGroupConsumer):
    viewer = Viewer()
    workshop_id = None

    async def authorize(self):
        self.bucket = TokenBucket(
            settings.RUCHE_WORKSHOP_MESSAGES_PER_SECOND, settings.RUCHE_WORKSHOP_MESSAGE_BURST
        )
        return await db(self._group_if_allowed)()

    def _group_if_allowed(self):
        user = self.scope.get("user")
        workshop_id = self.scope["url_route"]["kwargs"]["workshop_id"]
        workshop = Workshop.objects.filter(pk=workshop_id).first()
        if workshop is None:
            return None
        participant_id = participant_id_from_cookies(self.scope.get("cookies", {}))
        cookie_participant = participant_by_id(participant_id) if participant_id else None
        participant = queries.participant_for(user, cookie_participant)
        attendee = queries.attendee_of(workshop, participant)
        if not queries.may_follow(user, workshop, attendee):
            return None
        self.workshop_id = workshop.pk
        self.viewer = queries.viewer_of(user, workshop, attendee)
        return workshop.group_name

    sender = None

    async def connect(self):
        # LiveGroupConsumer.connect, with the process's room instead of a group per socket.
        self.group = await self.authorize()
        if self.group is None:
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.outbox = collections.deque()
        self.waiter = None
        await join_room(self.group, self)
        await self.accept()
        seq = await db(broadcast.last_seq)(self.group)
        await self.send_json({"type": "hello", "group": self.group, "seq": seq})
        # The timer is drawn from `ends_at`: clients correct for their clock's offset.
        await self.send_json({"type": "clock", "now": timezone.now().isoformat()})
        # Events that arrived meanwhile wait in the outbox: they leave after the hello.
        self.sender = asyncio.ensure_future(self._send_outbox())
        counted = self.viewer.attendee is not None and not self.viewer.facilitator
        await presence.arrive(self, self.workshop_id, self.viewer.attendee if counted else None)

    async def disconnect(self, code):
        if self.workshop_id is not None:
            await presence.leave(self, self.workshop_id)
        if self.group is not None:
            await leave_room(self.group, self)
        if self.sender is not None:
            self.sender.cancel()
        if getattr(self, "inbox_task", None) is not None:
            self.inbox_task.cancel()

    async def dispatch(self, message):
        # Channels closes stale database connections (a thread hop) before every message;
        # database_sync_to_async does it anyway around each query of this consumer.
        if message.get("type") in NO_DATABASE:
            handler = getattr(self, get_handler_name(message), None)
            if handler is not None:
                await handler(message)
                return
        await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # The server reads nothing more from a socket (its pongs included) until the
        # consumer asks for the next frame: each socket's messages are handled in order by
        # a task of its own, so a slow write does not get the socket dropped as dead.
        if not hasattr(self, "inbox"):
            self.inbox = collections.deque()
            self.inbox_task = None
        if len(self.inbox) >= INBOX_LIMIT:
            # With its id, the refusal tells the client which write to send again later.
            await self.send_error(
                "rate_limited", _("Too many messages: wait a second."), _frame_id(text_data)
            )
            return
        self.inbox.append((text_data, bytes_data))
        if self.inbox_task is None or self.inbox_task.done():
            self.inbox_task = asyncio.ensure_future(self._handle_inbox())

    async def _handle_inbox(self):
        while self.inbox:
            text_data, bytes_data = self.inbox.popleft()
            try:
                await super().receive(text_data=text_data, bytes_data=bytes_data)
            except Exception:  # one message's failure must not stop the socket's others
                logger.exception("workshop socket: message failed")

    def push(self, item) -> None:
        """Queue an event's text (or a channel-layer message) for this socket."""
        if len(self.outbox) >= OUTBOX_LIMIT:
            return
        self.outbox.append(item)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def _send_outbox(self):
        loop = asyncio.get_running_loop()
        try:
            while True:
                while self.outbox:
                    item = self.outbox.popleft()
                    if not isinstance(item, str):
                        await getattr(self, get_handler_name(item))(item)
                        continue
                    # Events queued while the last frame was being sent leave together,
                    # as one JSON array: when the room is busy, a socket gets fewer,
                    # larger frames (each frame costs the server more than its bytes);
                    # when it is quiet, each event leaves alone, at once.
                    batch = [item]
                    while self.outbox and isinstance(self.outbox[0], str) and len(batch) < 50:
                        batch.append(self.outbox.popleft())
                    text = item if len(batch) == 1 else "[" + ",".join(batch) + "]"
                    await self.send(text_data=text)
                self.waiter = loop.create_future()
                await self.waiter
                self.waiter = None
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket went away: disconnect() cleans up
            return

    async def replay_floor(self) -> int:
        return await db(queries.replay_floor)(self.workshop_id)

    async def resync(self, since):
        # A replay costs the server up to RESYNC_LIMIT frames: it counts as a message.
        if not self.bucket.take():
            await self.send_error("rate_limited", _("Too many messages: wait a second."))
            return
        await super().resync(since)

    async def handle(self, content):
        message_id = content.get("id")
        if message_id is not None and (not isinstance(message_id, str) or len(message_id) > 64):
            await self.send_error("malformed", _("“id” must be text of at most 64 characters."))
            return
        if not self.bucket.take():
            await self.send_error(
                "rate_limited", _("Too many messages: wait a second."), message_id
            )
            return
        if content["type"] == "snapshot":
            state = await db(self._state)()
            await self.send_json({"type": "snapshot", "id": message_id, "state": state})
            return
        try:
            result = await self.room.write(
                self.workshop_id, self.viewer.attendee, self.viewer.facilitator, content
            )
        except WorkshopError as error:
            await self.send_error(error.code, error.message, message_id)
            return
        except Exception:
            # Nothing was written (the transaction rolled back); the client must hear it,
            # or the write would wait in its queue forever.
            logger.exception("workshop socket: %s failed", content.get("type"))
            await self.send_error(
                "internal", _("The server could not handle this message."), message_id
            )
            return
        await self.send_json({"type": "ack", "id": message_id, **result})

    def _state(self):
        workshop = Workshop.objects.get(pk=self.workshop_id)
        return queries.workshop_state(workshop, self.viewer)

    async def send_event(self, event: dict):
        """An event replayed for this socket (resync); live ones come through the room."""
        await self.send(text_data=EventText(event).for_viewer(self.viewer))

    async def live_presence(self, message):
        await self.send_json({"type": "presence", "count": message["count"]})

    async def send_error(self, code: str, message: str, message_id=None):
        error = {"type": "error", "code": code, "message": str(message)}
        if message_id is not None:
            error["id"] = message_id
        await self.send_json(error)

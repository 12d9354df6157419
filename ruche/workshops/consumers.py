"""The workshop's WebSocket: live events, snapshots, and every participant's writes.

Protocol in docs/realtime.md. On top of `LiveGroupConsumer` (hello, sequence-numbered
events, resync), this consumer:
- resolves restricted parts of each event for its viewer (`live.for_viewer`), so a note's
  text before the reveal reaches only its author and the facilitators;
- runs the client's messages through `actions.run_message` and answers each with an
  ``ack`` or an ``error`` carrying the message's ``id``; the socket stays open;
- limits each socket to a few messages per second (a token bucket);
- keeps the room's presence count (`presence.py`).
"""

import json
import time

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.accounts.middleware import participant_id_from_cookies
from ruche.accounts.queries import participant_by_id
from ruche.core.consumers import LiveGroupConsumer
from ruche.workshops import actions, presence, queries
from ruche.workshops.activities.base import WorkshopError
from ruche.workshops.live import Viewer, for_viewer
from ruche.workshops.models import Workshop


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
        return await database_sync_to_async(self._group_if_allowed)()

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

    async def connect(self):
        await super().connect()
        if self.workshop_id is not None:
            # The timer is drawn from `ends_at`: clients correct for their clock's offset.
            await self.send_json({"type": "clock", "now": timezone.now().isoformat()})
            counted = self.viewer.attendee is not None and not self.viewer.facilitator
            await presence.arrive(self, self.workshop_id, self.viewer.attendee if counted else None)

    async def disconnect(self, code):
        if self.workshop_id is not None:
            await presence.leave(self, self.workshop_id)
        await super().disconnect(code)

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
            state = await database_sync_to_async(self._state)()
            await self.send_json({"type": "snapshot", "id": message_id, "state": state})
            return
        try:
            result = await database_sync_to_async(actions.run_message)(
                self.workshop_id, self.viewer.attendee, self.viewer.facilitator, content
            )
        except WorkshopError as error:
            await self.send_error(error.code, error.message, message_id)
            return
        await self.send_json({"type": "ack", "id": message_id, **result})

    def _state(self):
        workshop = Workshop.objects.get(pk=self.workshop_id)
        return queries.workshop_state(workshop, self.viewer)

    async def send_event(self, event: dict):
        payload = event["payload"]
        if "_restricted" not in payload:
            # The same text for every socket of the room: serialise it once per process.
            text = event.get("_text")
            if text is None:
                text = json.dumps(
                    {
                        "type": "event",
                        "seq": event["seq"],
                        "event": event["type"],
                        "payload": payload,
                    },
                    separators=(",", ":"),
                )
                event["_text"] = text
            await self.send(text_data=text)
            return
        await self.send_json(
            {
                "type": "event",
                "seq": event["seq"],
                "event": event["type"],
                "payload": for_viewer(payload, self.viewer),
            }
        )

    async def live_presence(self, message):
        await self.send_json({"type": "presence", "count": message["count"]})

    async def send_error(self, code: str, message: str, message_id=None):
        error = {"type": "error", "code": code, "message": str(message)}
        if message_id is not None:
            error["id"] = message_id
        await self.send_json(error)

"""Base WebSocket consumer: one live group per socket, sequence-numbered events, resync.

Protocol (JSON text frames):
- server → client ``{"type": "hello", "group": …, "seq": N}`` after the socket is accepted;
- server → client ``{"type": "event", "seq": N, "event": "<type>", "payload": {…}}``;
- client → server ``{"type": "resync", "since": N}``: the server replays events after N, or
  answers ``{"type": "snapshot_required", "seq": N}`` when too many were missed;
- server → client ``{"type": "error", "code": "…", "message": "…"}`` for bad input; the
  connection stays open.
Subclasses decide who may join (``authorize``) and handle their own message types.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from ruche.core import broadcast

RESYNC_LIMIT = 1000
CLOSE_FORBIDDEN = 4403


class LiveGroupConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def authorize(self) -> str | None:
        """Return the group this socket may follow, or None to refuse it."""
        raise NotImplementedError

    async def connect(self):
        self.group = await self.authorize()
        if self.group is None:
            # Accept, then close with our code: closing before the handshake would reach the
            # browser as a bare 1006, and the page could not tell "refused" from "offline".
            await self.accept()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        seq = await database_sync_to_async(broadcast.last_seq)(self.group)
        await self.send_json({"type": "hello", "group": self.group, "seq": seq})

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("malformed", _("Each message must be an object with a type."))
            return
        if content["type"] == "resync":
            await self.resync(content.get("since"))
            return
        await self.handle(content)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            # Channels' JSON consumer would raise on a binary frame and drop the socket.
            await self.send_error("malformed", _("Messages must be JSON text frames."))
            return
        await super().receive(text_data=text_data, **kwargs)

    async def decode_json(self, text_data):
        # A malformed frame gets an error event instead of closing the socket.
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def handle(self, content: dict):
        await self.send_error("unknown_type", _("Unknown message type."))

    async def replay_floor(self) -> int:
        """The oldest `since` a resync may start from; older ones get snapshot_required.

        A group whose past events carry what must not be shown again (a note hidden or
        deleted since) raises it past the events that carry it (see workshops).
        """
        return 0

    async def resync(self, since):
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            await self.send_error("malformed", _("resync needs a non-negative integer 'since'."))
            return
        if since < await self.replay_floor():
            seq = await database_sync_to_async(broadcast.last_seq)(self.group)
            await self.send_json({"type": "snapshot_required", "seq": seq})
            return
        events = await database_sync_to_async(broadcast.events_since)(
            self.group, since, RESYNC_LIMIT + 1
        )
        if len(events) > RESYNC_LIMIT:
            seq = await database_sync_to_async(broadcast.last_seq)(self.group)
            await self.send_json({"type": "snapshot_required", "seq": seq})
            return
        for event in events:
            await self.send_event(event)

    async def live_event(self, message):
        """Channel-layer handler for broadcast.CHANNELS_MESSAGE_TYPE ("live.event")."""
        await self.send_event(message["event"])

    async def send_event(self, event: dict):
        await self.send_json(
            {
                "type": "event",
                "seq": event["seq"],
                "event": event["type"],
                "payload": event["payload"],
            }
        )

    async def send_error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": str(message)})

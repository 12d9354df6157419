"""How many people are in the room, across server processes.

Each process counts the attendees it holds sockets for, per workshop, and every few
seconds writes its count to `Presence` (one row per workshop and process) and sends the
room's total (the sum over rows refreshed recently) to the workshop's group when it
changed. A killed process stops refreshing its row, so it drops out of the sum by itself.
The count is not a sequenced event: it is a measure of now, not a change to replay.
"""

import asyncio
import datetime
import os
import socket
import uuid

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from ruche.workshops.models import Presence, Workshop

PROCESS_KEY = f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
STALE_AFTER = datetime.timedelta(seconds=15)

_sockets: dict = {}  # workshop id → {consumer: attendee id or None}
_last_sent: dict = {}  # workshop id → total last sent
_dirty: set = set()
_loop_task: asyncio.Task | None = None


def local_count(workshop_id) -> int:
    return len({a for a in _sockets.get(workshop_id, {}).values() if a is not None})


async def arrive(consumer, workshop_id, attendee_id) -> None:
    _sockets.setdefault(workshop_id, {})[consumer] = attendee_id
    _dirty.add(workshop_id)
    _ensure_loop()
    if workshop_id in _last_sent:
        await consumer.send_json({"type": "presence", "count": _last_sent[workshop_id]})


async def leave(consumer, workshop_id) -> None:
    _sockets.get(workshop_id, {}).pop(consumer, None)
    _dirty.add(workshop_id)


def _ensure_loop() -> None:
    global _loop_task
    loop = asyncio.get_running_loop()
    if _loop_task is None or _loop_task.done() or _loop_task.get_loop() is not loop:
        _loop_task = loop.create_task(_run())


async def _run() -> None:
    interval = settings.RUCHE_PRESENCE_INTERVAL
    heartbeat = 0.0
    while True:
        await asyncio.sleep(interval)
        heartbeat += interval
        refresh_all = heartbeat >= STALE_AFTER.total_seconds() / 3
        if refresh_all:
            heartbeat = 0.0
        workshops = set(_dirty) | (set(_sockets) if refresh_all else set())
        _dirty.clear()
        for workshop_id in workshops:
            count = local_count(workshop_id)
            try:
                total = await database_sync_to_async(_store)(workshop_id, count)
            except Exception:  # the database is away: try again next round
                _dirty.add(workshop_id)
                continue
            if not _sockets.get(workshop_id):
                _sockets.pop(workshop_id, None)
                _last_sent.pop(workshop_id, None)
                continue
            if total != _last_sent.get(workshop_id):
                _last_sent[workshop_id] = total
                await get_channel_layer().group_send(
                    f"workshop.{workshop_id}", {"type": "live.presence", "count": total}
                )


def _store(workshop_id, count: int) -> int:
    now = timezone.now()
    if count or _sockets.get(workshop_id):
        if Workshop.objects.filter(pk=workshop_id).exists():
            Presence.objects.update_or_create(
                workshop_id=workshop_id,
                process_key=PROCESS_KEY,
                defaults={"count": count, "seen_at": now},
            )
    else:
        Presence.objects.filter(workshop_id=workshop_id, process_key=PROCESS_KEY).delete()
    return (
        Presence.objects.filter(workshop_id=workshop_id, seen_at__gte=now - STALE_AFTER).aggregate(
            total=Sum("count")
        )["total"]
        or 0
    )


def room_count(workshop_id) -> int:
    """The presence count as a page load shows it."""
    since = timezone.now() - STALE_AFTER
    return (
        Presence.objects.filter(workshop_id=workshop_id, seen_at__gte=since).aggregate(
            total=Sum("count")
        )["total"]
        or 0
    )

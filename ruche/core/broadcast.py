"""Live events that leave only after the transaction that caused them commits.

Usage, inside an action::

    with transaction.atomic():
        note = Note.objects.create(...)
        broadcast_on_commit(session.group_name, "note.added", note_payload(note))

The event gets the group's next sequence number inside the same transaction (so a client
that sees seq N has seen every committed change up to N) and is stored in the Event log,
from which `events_since` serves clients that reconnect.
"""

import asyncio
import contextlib
import logging
import re
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.db.models import F

from ruche.core.models import Event, EventSequence

logger = logging.getLogger(__name__)

CHANNELS_MESSAGE_TYPE = "live.event"
# Channels group names allow only ASCII letters, digits, hyphens, underscores and periods,
# and fewer than 100 characters; checked up front so a bad name fails inside the action,
# not silently after commit.
GROUP_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,99}$")


def next_seq(group: str) -> int:
    """Allocate the group's next sequence number; the row lock serialises concurrent writers.

    One statement (UPDATE … RETURNING, PostgreSQL and SQLite ≥ 3.35) when the row exists:
    writers of a room queue on this lock, so every query inside it counts.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "core_eventsequence" SET "last_seq" = "last_seq" + 1 WHERE "group" = %s '
            'RETURNING "last_seq"',
            [group],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    EventSequence.objects.get_or_create(group=group)
    EventSequence.objects.filter(group=group).update(last_seq=F("last_seq") + 1)
    return EventSequence.objects.values_list("last_seq", flat=True).get(group=group)


def lock_group(group: str) -> None:
    """Serialise the group's writers from here to commit (the sequence row's lock).

    An action that checks something before writing (a dot budget, a duplicate) takes it
    first, so the check and the write see no concurrent change of the same group.
    """
    locked = EventSequence.objects.select_for_update().filter(group=group).values_list("pk")
    if not list(locked):
        EventSequence.objects.get_or_create(group=group)
        list(locked.all())


def broadcast_on_commit(group: str, event_type: str, payload: dict) -> Event:
    """Record `event_type` for `group` and send it to the group's sockets after commit."""
    if not transaction.get_connection().in_atomic_block:
        # Without a transaction the sequence number and the change would not be atomic.
        raise RuntimeError("broadcast_on_commit must be called inside transaction.atomic()")
    if not GROUP_NAME.match(group):
        raise ValueError(f"invalid live group name: {group!r}")
    event = Event.objects.create(group=group, seq=next_seq(group), type=event_type, payload=payload)
    message = {"type": CHANNELS_MESSAGE_TYPE, "event": event.as_message()}
    transaction.on_commit(lambda: send_to_group(group, message), robust=True)
    return event


_sender = threading.local()


@contextlib.contextmanager
def sending_from(loop: asyncio.AbstractEventLoop):
    """Inside, events committed on this thread are handed to `loop` (the server's, which
    runs this thread's caller) without waiting for it: a worker thread of a busy room
    would otherwise idle until the loop gets round to the send."""
    previous = getattr(_sender, "loop", None)
    _sender.loop = loop
    try:
        yield
    finally:
        _sender.loop = previous


def send_to_group(group: str, message: dict) -> None:
    channel_layer = get_channel_layer()
    if channel_layer is None:
        return
    loop = getattr(_sender, "loop", None)
    if loop is not None and not loop.is_closed():
        sent = asyncio.run_coroutine_threadsafe(channel_layer.group_send(group, message), loop)
        sent.add_done_callback(_log_failure)
        return
    async_to_sync(channel_layer.group_send)(group, message)


def _log_failure(sent) -> None:
    if not sent.cancelled() and sent.exception() is not None:
        logger.error("live event not sent", exc_info=sent.exception())


def events_since(group: str, seq: int, limit: int = 1000) -> list[dict]:
    """Events of `group` after `seq`, oldest first, for a client catching up."""
    events = Event.objects.filter(group=group, seq__gt=seq).order_by("seq")[:limit]
    return [event.as_message() for event in events]


def last_seq(group: str) -> int:
    return EventSequence.objects.filter(group=group).values_list("last_seq", flat=True).first() or 0

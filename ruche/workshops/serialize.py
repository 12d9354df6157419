"""Workshop objects as the client state holds them (see `live.py`): plain JSON dicts.

Notes have two faces: the full note (its text) and the masked one (only that it exists),
which is what the room sees before the facilitator reveals the ideation, and what
participants see of a note the facilitator hid.
"""

from ruche.workshops.live import Patch
from ruche.workshops.models import (
    Activity,
    Chantier,
    Cluster,
    Commitment,
    Note,
    Prompt,
    Workshop,
)


def workshop(obj: Workshop) -> dict:
    # Only what changes with a message, not with time: a running timer is its end time
    # (clients count down to it), a paused one its remaining seconds. So a state rebuilt
    # from events equals a fresh load even while the timer runs.
    running = obj.timer_ends_at is not None
    timer = {
        "running": running,
        "ends_at": obj.timer_ends_at.isoformat() if running else None,
        "remaining": None if running else obj.timer_remaining,
        "total": obj.timer_total,
    }
    return {
        "id": str(obj.pk),
        "title": obj.title,
        "code": obj.code,
        "state": obj.state,
        "current_activity": str(obj.current_activity_id) if obj.current_activity_id else None,
        "input_locked": obj.input_locked,
        "timer": timer,
    }


def activity(obj: Activity) -> dict:
    return {
        "id": str(obj.pk),
        "position": obj.position,
        "kind": obj.kind,
        "title": obj.title,
        "instructions": obj.instructions,
        "config": obj.config,
        "revealed": obj.revealed,
        "source": str(obj.source_id) if obj.source_id else None,
    }


def prompt(obj: Prompt) -> dict:
    return {
        "id": str(obj.pk),
        "activity": str(obj.activity_id),
        "position": obj.position,
        "text": obj.text,
    }


def note_full(obj: Note) -> dict:
    author_name = ""
    if obj.signed and obj.author is not None:
        author_name = obj.author.display_name
    return {
        "id": str(obj.pk),
        "activity": str(obj.activity_id),
        "prompt": str(obj.prompt_id),
        "text": obj.text,
        "author_name": author_name,
        "signed": obj.signed,
        "hidden": obj.hidden,
        "masked": False,
        "cluster": str(obj.cluster_id) if obj.cluster_id else None,
        "created_at": obj.created_at.isoformat(),
    }


def note_revealed(obj: Note) -> dict:
    """What a reveal changes in a masked note (`note_masked` updated with it is `note_full`)."""
    full = note_full(obj)
    return {key: full[key] for key in ("id", "text", "author_name", "signed", "masked")}


def note_masked(obj: Note) -> dict:
    return {
        "id": str(obj.pk),
        "activity": str(obj.activity_id),
        "prompt": str(obj.prompt_id),
        "text": None,
        "author_name": "",
        "signed": False,
        "hidden": obj.hidden,
        "masked": True,
        "cluster": str(obj.cluster_id) if obj.cluster_id else None,
        "created_at": obj.created_at.isoformat(),
    }


def put_note(patch: Patch, obj: Note, revealed: bool, *, mine: bool = True) -> None:
    """The note for everyone, plus its full face for its author and the facilitators.

    `mine=False` leaves out the author's "my_notes" mark, which never changes after the
    note's creation: a reveal of a room's notes is then one text for every socket, not one
    per author.
    """
    if revealed and not obj.hidden:
        patch.put("notes", note_full(obj))
    else:
        patch.put("notes", note_masked(obj))
        patch.only_for([obj.author_id], facilitators=True).put("notes", note_full(obj))
    if mine and obj.author_id:
        patch.only_for([obj.author_id]).put("my_notes", {"id": str(obj.pk)})


def cluster(obj: Cluster) -> dict:
    return {
        "id": str(obj.pk),
        "activity": str(obj.activity_id),
        "name": obj.name,
        "position": obj.position,
        "created_at": obj.created_at.isoformat(),
    }


def item_id(obj) -> str | None:
    """The item a dot, rating or chantier is about (a note's or a cluster's id)."""
    if obj.note_id:
        return str(obj.note_id)
    if obj.cluster_id:
        return str(obj.cluster_id)
    return None


def chantier(obj: Chantier) -> dict:
    return {
        "id": str(obj.pk),
        "activity": str(obj.activity_id),
        "item": item_id(obj),
        "title": obj.title,
        "pilot": obj.pilot,
        "contributors": obj.contributors,
        "first_steps": obj.first_steps,
        "due_on": obj.due_on.isoformat() if obj.due_on else None,
        "status": obj.status,
        "position": obj.position,
    }


def commitment(obj: Commitment) -> dict:
    return {
        "id": str(obj.pk),
        "chantier": str(obj.chantier_id),
        "name": obj.attendee.display_name,
        "role": obj.role,
    }

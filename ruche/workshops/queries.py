"""Reads with permission: who is looking at a workshop, and its state as they may see it."""

from ruche.accounts.models import Participant
from ruche.core import broadcast
from ruche.workshops import serialize
from ruche.workshops.activities import KINDS
from ruche.workshops.live import Patch, Viewer, apply, empty_state, for_viewer
from ruche.workshops.models import Workshop, WorkshopParticipant


def workshop_by_code(code: str) -> Workshop | None:
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return Workshop.objects.filter(code=code).first() if code else None


def participant_for(user, cookie_participant: Participant | None) -> Participant | None:
    """The participant acting: a signed-in user's own (earliest), else the cookie's identity
    when it belongs to no account (the same rule as consultations, without writing)."""
    if user is not None and user.is_authenticated:
        own = Participant.objects.filter(user=user).order_by("created_at").first()
        if own is not None:
            return own
        if cookie_participant is not None and cookie_participant.user_id in (None, user.pk):
            return cookie_participant
        return None
    if cookie_participant is not None and cookie_participant.user_id is None:
        return cookie_participant
    return None


def attendee_of(workshop: Workshop, participant: Participant | None):
    if participant is None:
        return None
    return WorkshopParticipant.objects.filter(workshop=workshop, participant=participant).first()


def viewer_of(user, workshop: Workshop, attendee) -> Viewer:
    return Viewer(
        attendee=str(attendee.pk) if attendee else None,
        facilitator=bool(user and user.has_perm("workshops.run_workshop", workshop)),
    )


def may_follow(user, workshop: Workshop, attendee) -> bool:
    """Facilitators and members always; someone who joined, once the room has opened."""
    if user is not None and user.has_perm("workshops.view_workshop", workshop):
        return True
    return attendee is not None and workshop.state != Workshop.State.DRAFT


def full_patch(workshop: Workshop, viewer: Viewer) -> Patch:
    patch = Patch().put("workshop", serialize.workshop(workshop))
    for activity in workshop.activities.select_related("source"):
        patch.put("activities", serialize.activity(activity))
        KINDS[activity.kind].state(activity, viewer, patch)
    return patch


def workshop_state(workshop: Workshop, viewer: Viewer) -> dict:
    """The state a fresh page load starts from, with the sequence number it is at least at.

    The number is read first: changes committed while the state is read may already be in
    it, and their events, replayed on top, only replace objects with the same versions.
    """
    seq = broadcast.last_seq(workshop.group_name)
    workshop = Workshop.objects.get(pk=workshop.pk)
    state = apply(empty_state(), for_viewer(full_patch(workshop, viewer).as_payload(), viewer))
    state["seq"] = seq
    return state

"""Reads with permission: who is looking at a workshop, and its state as they may see it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models.deletion import Collector
from django.http import Http404
from django.utils.translation import gettext as _

from ruche.accounts.models import Participant
from ruche.accounts.participation import own_participant
from ruche.core import broadcast
from ruche.workshops import serialize
from ruche.workshops.activities import KINDS
from ruche.workshops.live import Patch, Viewer, apply, empty_state, for_viewer
from ruche.workshops.models import (
    Activity,
    Chantier,
    Cluster,
    Commitment,
    Dot,
    Note,
    Rating,
    Workshop,
    WorkshopParticipant,
)


def workshop_by_code(code: str) -> Workshop | None:
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return Workshop.objects.filter(code=code).first() if code else None


def participant_for(user, cookie_participant: Participant | None) -> Participant | None:
    """The participant acting: a signed-in user's own (earliest), else the cookie's identity
    when it belongs to no account (the same rule as consultations, without writing)."""
    if user is not None and user.is_authenticated:
        own = own_participant(user)
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


def access_workshop(user, workshop_id, perm: str) -> Workshop:
    """The workshop if `user` holds `perm` on it; 404 for an unknown id, 403 otherwise."""
    try:
        workshop = Workshop.objects.select_related("organisation", "phase__process").get(
            pk=workshop_id
        )
    except (Workshop.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This workshop does not exist.")) from error
    if perm and not user.has_perm(perm, workshop):
        raise PermissionDenied(_("Only the organisation's facilitators can do this."))
    return workshop


def activity_of(workshop: Workshop, activity_id) -> Activity:
    try:
        return workshop.activities.get(pk=activity_id)
    except (Activity.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This activity does not exist.")) from error


# What the participants made, in the order a facilitator reads the list.
CONTRIBUTIONS = (Note, Cluster, Dot, Rating, Chantier, Commitment)


def deletion_summary(activity: Activity) -> list[tuple[str, int]]:
    """What deleting `activity` takes with it: (what, how many) for each sort of
    contribution, counted by Django's own deletion collector (the cascade the deletion will
    run, other activities' dots on its notes included) without deleting anything."""
    collector = Collector(using=router.db_for_write(Activity))
    collector.collect([activity])
    counts = {model: len(instances) for model, instances in collector.data.items()}
    for queryset in collector.fast_deletes:
        counts[queryset.model] = counts.get(queryset.model, 0) + queryset.count()
    return [
        (str(model._meta.verbose_name_plural).capitalize(), counts[model])
        for model in CONTRIBUTIONS
        if counts.get(model)
    ]


def workshops_of_organisations(organisations):
    return Workshop.objects.filter(organisation__in=organisations).select_related("phase__process")


def workshops_of_process(process, user) -> list[Workshop]:
    """The process's workshops this user may know of, each with its `abilities`.

    Facilitators see them all; others see those whose room has opened (a draft is work in
    progress), members with a link to follow them, visitors as a title and a state only.
    """
    from ruche.workshops.rules import workshop_abilities

    visible = []
    for workshop in Workshop.objects.filter(phase__process=process).order_by("created_at"):
        workshop.abilities = workshop_abilities(user, workshop)
        if workshop.state == Workshop.State.DRAFT and not workshop.abilities["run"]:
            continue
        visible.append(workshop)
    return visible


def dashboard_workshops_of(organisation, user, limit: int = 5) -> list[Workshop]:
    """The latest workshops of an organisation for its dashboard, live ones first; drafts
    only for those who may create (and so run) workshops there."""
    workshops = Workshop.objects.filter(organisation=organisation)
    if not user.has_perm("workshops.add_workshop", organisation):
        workshops = workshops.exclude(state=Workshop.State.DRAFT)
    return sorted(workshops[:50], key=lambda w: w.state != Workshop.State.LIVE)[:limit]


def replay_floor(workshop_id) -> int:
    """Resyncs must start at or after this sequence number (see Workshop.replay_floor)."""
    floor = Workshop.objects.filter(pk=workshop_id).values_list("replay_floor", flat=True)
    return max(0, (floor.first() or 0) - 1)

"""Action plan: chantiers with a pilot, contributors, first steps and a due date, and the
"qui peut faire quoi" matrix of who signs up on which chantier with which role."""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.workshops import serialize
from ruche.workshops.activities.base import (
    ActivityKind,
    Handler,
    WorkshopError,
    client_key,
    find,
    find_item,
    item_fields,
    text,
)
from ruche.workshops.live import Patch
from ruche.workshops.models import Chantier, Commitment, CommitmentRole

EDITABLE = {
    "title": 200,
    "pilot": 200,
    "contributors": 500,
    "first_steps": 2000,
}


def _due_on(message):
    value = message.get("due_on")
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise WorkshopError("invalid", _("The due date must be a date (YYYY-MM-DD).")) from None


def _fields(message, *, partial: bool) -> dict:
    fields = {}
    for name, max_length in EDITABLE.items():
        if partial and name not in message:
            continue
        fields[name] = text(message, name, max_length, required=name == "title")
    if not partial or "due_on" in message:
        fields["due_on"] = _due_on(message)
    return fields


def add_chantier(actor, activity, message) -> Patch:
    fields = _fields(message, partial=False)
    key = client_key(message)
    patch = Patch()
    existing = activity.chantiers.filter(client_key=key).first() if key else None
    if existing is not None:
        patch.result = {"chantier": str(existing.pk)}
        return patch
    item = {}
    if message.get("item") is not None:
        item = item_fields(find_item(activity, message.get("item")))
    last = activity.chantiers.aggregate(last=Max("position"))["last"]
    chantier = Chantier.objects.create(
        activity=activity, position=(last or 0) + 1, client_key=key, **item, **fields
    )
    patch.put("chantiers", serialize.chantier(chantier))
    patch.result = {"chantier": str(chantier.pk)}
    return patch


def edit_chantier(actor, activity, message) -> Patch:
    chantier = find(Chantier, message.get("chantier"), activity=activity)
    for name, value in _fields(message, partial=True).items():
        setattr(chantier, name, value)
    chantier.save()
    return Patch().put("chantiers", serialize.chantier(chantier))


def delete_chantier(actor, activity, message) -> Patch:
    chantier = find(Chantier, message.get("chantier"), activity=activity)
    patch = Patch().remove("chantiers", chantier.pk)
    for commitment in chantier.commitments.all():
        patch.remove("commitments", commitment.pk)
        patch.only_for([commitment.attendee_id]).remove("my_commitments", chantier.pk)
    chantier.delete()
    return patch


def set_commitment(actor, activity, message) -> Patch:
    """Sign up on a chantier with a role, change it, or withdraw (role null or "")."""
    attendee = actor.require_attendee()
    chantier = find(Chantier, message.get("chantier"), activity=activity)
    role = message.get("role") or ""
    if role and role not in CommitmentRole.values:
        raise WorkshopError("invalid", _("Unknown role."))
    existing = Commitment.objects.filter(chantier=chantier, attendee=attendee).first()
    patch = Patch()
    mine = patch.only_for([attendee.pk])
    if not role:
        if existing is not None:
            patch.remove("commitments", existing.pk)
            existing.delete()
        mine.remove("my_commitments", chantier.pk)
        return patch
    if existing is None:
        existing = Commitment.objects.create(chantier=chantier, attendee=attendee, role=role)
    else:
        existing.role = role
        existing.save(update_fields=["role", "updated_at"])
    patch.put("commitments", serialize.commitment(existing))
    mine.put("my_commitments", {"id": str(chantier.pk), "role": role})
    return patch


def replay_chantier(actor, workshop, key):
    if not actor.facilitator:
        return None
    chantier = Chantier.objects.filter(activity__workshop=workshop, client_key=key).first()
    return {"chantier": str(chantier.pk)} if chantier is not None else None


class ActionPlan(ActivityKind):
    kind = "actionplan"
    label = gettext_lazy("Action plan (chantiers)")
    source_kinds = ("ideation", "grouping")
    handlers = {
        "chantier.add": Handler(add_chantier, facilitator_only=True, replay=replay_chantier),
        "chantier.edit": Handler(edit_chantier, facilitator_only=True),
        "chantier.delete": Handler(delete_chantier, facilitator_only=True),
        "commitment.set": Handler(set_commitment),
    }

    @classmethod
    def state(cls, activity, viewer, patch):
        for chantier in activity.chantiers.all():
            patch.put("chantiers", serialize.chantier(chantier))
            for commitment in chantier.commitments.select_related("attendee"):
                patch.put("commitments", serialize.commitment(commitment))
                if viewer.attendee is not None and str(commitment.attendee_id) == viewer.attendee:
                    patch.only_for([viewer.attendee]).put(
                        "my_commitments", {"id": str(chantier.pk), "role": commitment.role}
                    )

    @classmethod
    def synthesis(cls, activity):
        roles = dict(CommitmentRole.choices)
        chantiers = []
        for chantier in activity.chantiers.all():
            people = [
                {"name": c.attendee.display_name or _("Anonymous"), "role": str(roles[c.role])}
                for c in chantier.commitments.select_related("attendee").order_by("role")
            ]
            chantiers.append(
                {
                    "title": chantier.title,
                    "pilot": chantier.pilot,
                    "contributors": chantier.contributors,
                    "first_steps": chantier.first_steps,
                    "due_on": chantier.due_on,
                    "people": people,
                }
            )
        return {"chantiers": chantiers}

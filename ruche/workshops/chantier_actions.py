"""Following chantiers up after the workshop: the only writes to them outside the room."""

from django.db import transaction

from ruche.core.broadcast import broadcast_on_commit, lock_group
from ruche.workshops import serialize
from ruche.workshops.live import Patch
from ruche.workshops.models import Chantier

FOLLOW_UP_FIELDS = {
    "title",
    "pilot",
    "contributors",
    "first_steps",
    "due_on",
    "status",
    "follow_up",
}


@transaction.atomic
def do_update_chantier(chantier: Chantier, **fields) -> Chantier:
    """Change a chantier's follow-up fields; a room still open on it sees the change live."""
    unknown = set(fields) - FOLLOW_UP_FIELDS
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} on a chantier")
    workshop = chantier.activity.workshop
    lock_group(workshop.group_name)
    chantier.refresh_from_db()  # under the lock: live edits made meanwhile are kept
    for name, value in fields.items():
        setattr(chantier, name, value)
    chantier.save(update_fields=[*fields, "updated_at"])
    broadcast_on_commit(
        workshop.group_name,
        "chantier.edit",
        Patch().put("chantiers", serialize.chantier(chantier)).as_payload(),
    )
    return chantier

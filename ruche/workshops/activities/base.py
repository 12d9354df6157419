"""What every activity kind shares: the actor, errors, message handlers and items.

An activity kind is one module in this package defining a subclass of `ActivityKind` and
registering it in `KINDS` (see `__init__.py`). A kind declares:

- `clean_config(config)`: its settings, validated, with defaults filled in;
- `handlers`: the WebSocket message types it accepts, each a function
  ``(actor, activity, message) -> Patch`` that validates the message, writes through the
  ORM inside the action's transaction (see `actions.run_message`) and returns the patch to
  broadcast; raise `WorkshopError` to refuse;
- `state(activity, viewer, patch)`: put the activity's objects in a full patch (snapshot);
- `synthesis(activity)`: its output for the synthesis page and the exports.
"""

from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ruche.workshops.live import Patch, Viewer
from ruche.workshops.models import Activity, Cluster, Note, Workshop, WorkshopParticipant


class WorkshopError(Exception):
    """A refused message: `code` for programs, `message` (translated) for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)


@dataclass
class Actor:
    """Who sends a message: the workshop (locked, fresh), their attendee row, their role."""

    workshop: Workshop
    attendee: WorkshopParticipant | None
    facilitator: bool

    @property
    def viewer(self) -> Viewer:
        return Viewer(
            attendee=str(self.attendee.pk) if self.attendee else None,
            facilitator=self.facilitator,
        )

    def require_facilitator(self):
        if not self.facilitator:
            raise WorkshopError("forbidden", _("Only the facilitator can do this."))

    def require_attendee(self) -> WorkshopParticipant:
        if self.attendee is None:
            raise WorkshopError("not_joined", _("Join the workshop first."))
        return self.attendee


@dataclass(frozen=True)
class Handler:
    function: object
    facilitator_only: bool = False
    # Participants may send it only while the activity is the current one and input is open.
    needs_open_input: bool = True
    # For creations with a client key: `(actor, workshop, key) -> ack fields or None`, what
    # the first copy made. Checked before anything else, so a creation resent after its
    # ack was lost is acknowledged even if input has closed since (it was accepted).
    replay: object = None


class ActivityKind:
    kind: ClassVar[str]
    label: ClassVar[str]
    # Kinds whose activities may be this one's source (its items come from there).
    source_kinds: ClassVar[tuple[str, ...]] = ()
    handlers: ClassVar[dict[str, Handler]] = {}

    @classmethod
    def clean_config(cls, config: dict) -> dict:
        return {}

    @classmethod
    def state(cls, activity: Activity, viewer: Viewer, patch: Patch) -> None:
        """Add what `viewer` may see of this activity to `patch` (besides the activity)."""

    @classmethod
    def synthesis(cls, activity: Activity) -> dict:
        return {}


# --- Helpers shared by kinds ---------------------------------------------------------------


def text(message: dict, key: str, max_length: int, *, required: bool = True) -> str:
    value = message.get(key, "")
    if not isinstance(value, str):
        raise WorkshopError("malformed", _("“%(key)s” must be text.") % {"key": key})
    if "\x00" in value:  # PostgreSQL cannot store it: refuse it as bad input
        raise WorkshopError("malformed", _("“%(key)s” contains a NUL character.") % {"key": key})
    value = value.strip()
    if required and not value:
        raise WorkshopError("empty", _("“%(key)s” cannot be empty.") % {"key": key})
    if len(value) > max_length:
        raise WorkshopError(
            "too_long",
            _("Too long: %(length)d characters, at most %(max)d.")
            % {"length": len(value), "max": max_length},
        )
    return value


def integer(message: dict, key: str, low: int, high: int) -> int:
    value = message.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise WorkshopError(
            "invalid",
            _("“%(key)s” must be a whole number from %(low)d to %(high)d.")
            % {"key": key, "low": low, "high": high},
        )
    return value


def client_key(message: dict) -> str:
    """The client's idempotency key: a retried creation returns what the first one made."""
    value = message.get("key", "")
    if not isinstance(value, str) or len(value) > 64 or "\x00" in value:
        raise WorkshopError("malformed", _("“key” must be text of at most 64 characters."))
    return value


def find(model, object_id, **filters):
    """The object with this id among `filters`, or a not_found error (never a 500)."""
    if not isinstance(object_id, str):
        raise WorkshopError("malformed", _("An identifier is missing."))
    try:
        return model.objects.get(pk=object_id, **filters)
    except (model.DoesNotExist, ValidationError, ValueError):
        raise WorkshopError("not_found", _("This item does not exist (any more).")) from None


# --- Items: what dot voting, the matrix and the action plan work on -----------------------


def items_of(activity: Activity) -> list[Note | Cluster]:
    """The source's clusters (a grouping) or visible notes (an ideation), in order."""
    source = activity.source
    if source is None:
        return []
    if source.kind == "grouping":
        return list(source.clusters.all())
    return list(source.notes.filter(hidden=False))


def find_item(activity: Activity, item_id, *, hidden: bool = False) -> Note | Cluster:
    """One of the activity's items; `hidden=True` also finds notes the facilitator hid
    (to take one's dots back from them)."""
    source = activity.source
    if source is None:
        raise WorkshopError("not_found", _("This activity has no items to work on."))
    if source.kind == "grouping":
        return find(Cluster, item_id, activity=source)
    if hidden:
        return find(Note, item_id, activity=source)
    return find(Note, item_id, activity=source, hidden=False)


def item_fields(item: Note | Cluster) -> dict:
    """Foreign-key arguments naming `item` on a Dot, Rating or Chantier."""
    return (
        {"note": item, "cluster": None}
        if isinstance(item, Note)
        else {"note": None, "cluster": item}
    )


def item_label(item: Note | Cluster) -> str:
    """What an item is called in results. A note the facilitator hid (it names someone,
    say) keeps its chantier, which must not carry its text on: it is called a hidden note."""
    if isinstance(item, Cluster):
        return item.name or _("Unnamed cluster")
    if item.hidden:
        return _("Hidden note")
    return item.text


# --- Forgetting what points at deleted items -----------------------------------------------


def forget_items(patch: Patch, notes=(), clusters=()):
    """Before deleting notes or clusters: remove from clients what the database cascade
    will delete with them (dots, ratings), or change (chantiers lose their item).

    Returns a function to call after the deletion, which adds the recomputed dot totals
    and the chantiers as they now are, so the clients' state stays what a page load shows.
    """
    from django.db.models import Q

    from ruche.workshops import serialize
    from ruche.workshops.models import Chantier, Dot, Rating

    note_ids = [note.pk for note in notes]
    cluster_ids = [cluster.pk for cluster in clusters]
    pointing = Q(note_id__in=note_ids) | Q(cluster_id__in=cluster_ids)
    dot_activities = set()
    for dot in Dot.objects.filter(pointing):
        key = f"{dot.activity_id}:{serialize.item_id(dot)}"
        patch.remove("dot_counts", key)
        patch.only_for([dot.voter_id]).remove("my_dots", key)
        dot_activities.add(dot.activity_id)
    for rating in Rating.objects.filter(pointing):
        key = f"{rating.activity_id}:{serialize.item_id(rating)}"
        patch.remove("rating_avgs", key)
        patch.only_for([rating.rater_id]).remove("my_ratings", key)
    chantier_ids = list(Chantier.objects.filter(pointing).values_list("pk", flat=True))

    def after_deletion():
        from ruche.workshops.activities.dotvote import totals

        for activity in Activity.objects.filter(pk__in=dot_activities):
            patch.put("dot_totals", totals(activity))
        for chantier in Chantier.objects.filter(pk__in=chantier_ids):
            patch.put("chantiers", serialize.chantier(chantier))

    return after_deletion


def forget_activity(patch: Patch, activity: Activity):
    """Before deleting an activity: remove everything of it from clients (see
    `forget_items`); returns the function to call after the deletion."""
    from ruche.workshops.serialize import item_id

    after_items = forget_items(patch, activity.notes.all(), activity.clusters.all())
    patch.remove("activities", activity.pk).remove("dot_totals", activity.pk)
    for prompt in activity.prompts.all():
        patch.remove("prompts", prompt.pk)
    for note in activity.notes.all():
        patch.remove("notes", note.pk)
        if note.author_id:
            patch.only_for([note.author_id]).remove("my_notes", note.pk)
    for cluster in activity.clusters.all():
        patch.remove("clusters", cluster.pk)
    for dot in activity.dots.all():
        key = f"{activity.pk}:{item_id(dot)}"
        patch.remove("dot_counts", key)
        patch.only_for([dot.voter_id]).remove("my_dots", key)
    for rating in activity.ratings.all():
        key = f"{activity.pk}:{item_id(rating)}"
        patch.remove("rating_avgs", key)
        patch.only_for([rating.rater_id]).remove("my_ratings", key)
    for chantier in activity.chantiers.all():
        patch.remove("chantiers", chantier.pk)
        for commitment in chantier.commitments.all():
            patch.remove("commitments", commitment.pk)
            patch.only_for([commitment.attendee_id]).remove("my_commitments", chantier.pk)
    dependants = list(Activity.objects.filter(source=activity).values_list("pk", flat=True))
    # Notes of another activity grouped in this one's clusters fall back to "not grouped".
    grouped = list(
        Note.objects.filter(cluster__activity=activity)
        .exclude(activity=activity)
        .values_list("pk", flat=True)
    )

    def after_deletion():
        from ruche.workshops import serialize

        after_items()
        for note in Note.objects.filter(pk__in=grouped).select_related("activity", "author"):
            serialize.put_note(patch, note, note.activity.revealed)
        for dependant in Activity.objects.filter(pk__in=dependants):
            patch.put("activities", serialize.activity(dependant))

    return after_deletion

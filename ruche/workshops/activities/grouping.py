"""Grouping: notes of an ideation gathered into named clusters, by the facilitator or all."""

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
    forget_items,
    text,
)
from ruche.workshops.live import Patch
from ruche.workshops.models import NAME_MAX_LENGTH, Cluster, Note

WHO = ("facilitator", "everyone")


def _check_who(actor, activity):
    """The facilitator always; when everyone groups, the people who joined (a member who
    only follows the room has no seat in it, as for notes, dots and sign-ups)."""
    if activity.config["who"] == "facilitator":
        actor.require_facilitator()
    elif not actor.facilitator:
        actor.require_attendee()


def _source_revealed(activity) -> bool:
    return activity.source is not None and activity.source.revealed


def _put_notes(patch: Patch, activity, notes) -> None:
    for note in notes:
        serialize.put_note(patch, note, _source_revealed(activity), mine=False)


def _notes_of_source(activity, ids) -> list[Note]:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 1000:
        raise WorkshopError("malformed", _("“notes” must be a list of note identifiers."))
    return [find(Note, note_id, activity=activity.source) for note_id in ids]


def _new_cluster(activity, name: str, key: str) -> Cluster:
    last = activity.clusters.aggregate(last=Max("position"))["last"]
    return Cluster.objects.create(
        activity=activity, name=name, position=(last or 0) + 1, client_key=key
    )


def add_cluster(actor, activity, message) -> Patch:
    _check_who(actor, activity)
    name = text(message, "name", NAME_MAX_LENGTH, required=False)
    key = client_key(message)
    notes = _notes_of_source(activity, message.get("notes", []))
    patch = Patch()
    existing = activity.clusters.filter(client_key=key).first() if key else None
    if existing is not None:
        patch.result = {"cluster": str(existing.pk)}
        return patch
    cluster = _new_cluster(activity, name, key)
    for note in notes:
        note.cluster = cluster
        note.save(update_fields=["cluster", "updated_at"])
    patch.put("clusters", serialize.cluster(cluster))
    _put_notes(patch, activity, notes)
    patch.result = {"cluster": str(cluster.pk)}
    return patch


def rename_cluster(actor, activity, message) -> Patch:
    _check_who(actor, activity)
    cluster = find(Cluster, message.get("cluster"), activity=activity)
    cluster.name = text(message, "name", NAME_MAX_LENGTH, required=False)
    cluster.save(update_fields=["name", "updated_at"])
    return Patch().put("clusters", serialize.cluster(cluster))


def delete_cluster(actor, activity, message) -> Patch:
    _check_who(actor, activity)
    cluster = find(Cluster, message.get("cluster"), activity=activity)
    notes = list(cluster.notes.all())
    patch = Patch()
    after_deletion = forget_items(patch, clusters=[cluster])
    patch.remove("clusters", cluster.pk)
    cluster.delete()  # its notes fall back to "not grouped" (SET_NULL)
    after_deletion()
    for note in notes:
        note.cluster = None
    _put_notes(patch, activity, notes)
    return patch


def merge_clusters(actor, activity, message) -> Patch:
    _check_who(actor, activity)
    cluster = find(Cluster, message.get("cluster"), activity=activity)
    into = find(Cluster, message.get("into"), activity=activity)
    if cluster.pk == into.pk:
        raise WorkshopError("invalid", _("A cluster cannot be merged into itself."))
    notes = list(cluster.notes.all())
    Note.objects.filter(cluster=cluster).update(cluster=into)
    for note in notes:
        note.cluster = into
    patch = Patch()
    # Dots and ratings on the merged cluster go with it: people vote again on the result.
    after_deletion = forget_items(patch, clusters=[cluster])
    patch.remove("clusters", cluster.pk)
    cluster.delete()
    after_deletion()
    _put_notes(patch, activity, notes)
    return patch


def split_cluster(actor, activity, message) -> Patch:
    """Take some notes out of a cluster into a new one."""
    _check_who(actor, activity)
    cluster = find(Cluster, message.get("cluster"), activity=activity)
    notes = _notes_of_source(activity, message.get("notes", []))
    if not notes or any(note.cluster_id != cluster.pk for note in notes):
        raise WorkshopError("invalid", _("Choose some notes of this cluster to split off."))
    message = {**message, "notes": [str(note.pk) for note in notes]}
    return add_cluster(actor, activity, message)


def move_note(actor, activity, message) -> Patch:
    _check_who(actor, activity)
    note = find(Note, message.get("note"), activity=activity.source)
    target = message.get("cluster")
    note.cluster = None if target is None else find(Cluster, target, activity=activity)
    note.save(update_fields=["cluster", "updated_at"])
    patch = Patch()
    _put_notes(patch, activity, [note])
    return patch


def replay_cluster(actor, workshop, key):
    cluster = Cluster.objects.filter(activity__workshop=workshop, client_key=key).first()
    return {"cluster": str(cluster.pk)} if cluster is not None else None


class Grouping(ActivityKind):
    kind = "grouping"
    label = gettext_lazy("Grouping into clusters")
    source_kinds = ("ideation",)
    handlers = {
        "cluster.add": Handler(add_cluster, replay=replay_cluster),
        "cluster.rename": Handler(rename_cluster),
        "cluster.delete": Handler(delete_cluster),
        "cluster.merge": Handler(merge_clusters),
        "cluster.split": Handler(split_cluster, replay=replay_cluster),
        "note.move": Handler(move_note),
    }

    @classmethod
    def clean_config(cls, config):
        who = config.get("who", "facilitator")
        return {"who": who if who in WHO else "facilitator"}

    @classmethod
    def state(cls, activity, viewer, patch):
        for cluster in activity.clusters.all():
            patch.put("clusters", serialize.cluster(cluster))

    @classmethod
    def synthesis(cls, activity):
        clusters = [
            {
                "name": cluster.name or _("Unnamed cluster"),
                "notes": [note.text for note in cluster.notes.filter(hidden=False)],
            }
            for cluster in activity.clusters.all()
        ]
        ungrouped = []
        if activity.source is not None:
            ungrouped = [
                note.text
                for note in activity.source.notes.filter(cluster__isnull=True, hidden=False)
            ]
        return {"clusters": clusters, "ungrouped": ungrouped}

"""Ideation: post-its in one or more prompt columns, private until the reveal."""

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
from ruche.workshops.models import NOTE_MAX_LENGTH, Note, Prompt

SIGNING = ("choice", "anonymous", "signed")


def _note_of(actor, activity, message) -> Note:
    note = find(Note, message.get("note"), activity=activity)
    if not actor.facilitator and (actor.attendee is None or note.author_id != actor.attendee.pk):
        raise WorkshopError("not_yours", _("You can only change your own notes."))
    return note


def add_note(actor, activity, message) -> Patch:
    attendee = actor.require_attendee()
    prompt = find(Prompt, message.get("prompt"), activity=activity)
    body = text(message, "text", NOTE_MAX_LENGTH)
    key = client_key(message)
    signing = activity.config["signing"]
    signed = signing == "signed" or (signing == "choice" and message.get("signed") is True)
    if signed and not attendee.display_name:
        signed = False  # an anonymous attendee has no name to sign with
    patch = Patch()
    if key:
        existing = Note.objects.filter(author=attendee, client_key=key).first()
        if existing is not None:
            patch.result = {"note": str(existing.pk)}
            return patch  # a retry: the first one was applied and broadcast
    note = Note.objects.create(
        activity=activity,
        prompt=prompt,
        author=attendee,
        text=body,
        signed=signed,
        client_key=key,
    )
    serialize.put_note(patch, note, activity.revealed)
    patch.result = {"note": str(note.pk)}
    return patch


def edit_note(actor, activity, message) -> Patch:
    note = _note_of(actor, activity, message)
    note.text = text(message, "text", NOTE_MAX_LENGTH)
    note.save(update_fields=["text", "updated_at"])
    patch = Patch()
    serialize.put_note(patch, note, activity.revealed)
    return patch


def delete_note(actor, activity, message) -> Patch:
    note = _note_of(actor, activity, message)
    patch = Patch()
    after_deletion = forget_items(patch, notes=[note])
    patch.remove("notes", note.pk)
    if note.author_id:
        patch.only_for([note.author_id]).remove("my_notes", note.pk)
    note.delete()
    after_deletion()
    return patch


def hide_note(actor, activity, message) -> Patch:
    note = find(Note, message.get("note"), activity=activity)
    hidden = message.get("hidden", True)
    if not isinstance(hidden, bool):
        raise WorkshopError("malformed", _("“hidden” must be true or false."))
    note.hidden = hidden
    note.save(update_fields=["hidden", "updated_at"])
    patch = Patch()
    serialize.put_note(patch, note, activity.revealed)
    return patch


def replay_note(actor, workshop, key):
    if actor.attendee is None:
        return None
    note = Note.objects.filter(author=actor.attendee, client_key=key).first()
    return {"note": str(note.pk)} if note is not None else None


class Ideation(ActivityKind):
    kind = "ideation"
    label = gettext_lazy("Ideation (post-its)")
    handlers = {
        "note.add": Handler(add_note, replay=replay_note),
        "note.edit": Handler(edit_note),
        "note.delete": Handler(delete_note),
        "note.hide": Handler(hide_note, facilitator_only=True),
    }

    @classmethod
    def clean_config(cls, config):
        signing = config.get("signing", "choice")
        if signing not in SIGNING:
            signing = "choice"
        return {"signing": signing}

    @classmethod
    def reveal(cls, activity, patch: Patch) -> None:
        notes = activity.notes.select_related("author")
        if not activity.revealed:  # hidden again: masked for everyone but author and us
            for note in notes:
                serialize.put_note(patch, note, False, mine=False)
            return
        # Everyone holds every note, masked: the texts are enough (hidden ones stay masked).
        for note in notes.filter(hidden=False):
            patch.change("notes", serialize.note_revealed(note))

    @classmethod
    def state(cls, activity, viewer, patch):
        for prompt in activity.prompts.all():
            patch.put("prompts", serialize.prompt(prompt))
        notes = activity.notes.select_related("author")
        if not activity.revealed and not viewer.facilitator:
            # Before the reveal a participant needs only the count and their own notes.
            for note in notes:
                if viewer.attendee is not None and str(note.author_id) == viewer.attendee:
                    serialize.put_note(patch, note, False)
                else:
                    patch.put("notes", serialize.note_masked(note))
            return
        for note in notes:
            serialize.put_note(patch, note, activity.revealed)

    @classmethod
    def synthesis(cls, activity):
        prompts = []
        for prompt in activity.prompts.all():
            notes = [
                {
                    "text": note.text,
                    "author": note.author.display_name if note.signed and note.author else "",
                    "cluster": note.cluster.name if note.cluster else "",
                }
                for note in prompt.notes.filter(hidden=False).select_related("author", "cluster")
            ]
            prompts.append({"prompt": prompt.text, "notes": notes})
        return {
            "prompts": prompts,
            "hidden": activity.notes.filter(hidden=True).count(),
        }

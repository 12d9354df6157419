"""Every write to a workshop. Live changes go through `run_message`, which takes the
workshop's lock, runs the message's handler and broadcasts its patch after commit."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.core.broadcast import broadcast_on_commit, lock_group
from ruche.workshops import serialize
from ruche.workshops.activities import KINDS, MESSAGE_TYPES
from ruche.workshops.activities.base import Actor, WorkshopError, find, forget_activity, integer
from ruche.workshops.live import Patch, Viewer
from ruche.workshops.models import Activity, Commitment, Prompt, Workshop, WorkshopParticipant

MAX_TIMER_SECONDS = 4 * 3600


# --- Preparing a workshop (HTTP forms, demo) -----------------------------------------------


@transaction.atomic
def do_create_workshop(*, organisation, title, phase=None, description="", created_by=None):
    return Workshop.objects.create(
        organisation=organisation,
        phase=phase,
        title=title,
        description=description,
        created_by=created_by,
    )


@transaction.atomic
def do_update_workshop(workshop: Workshop, **fields) -> Workshop:
    allowed = {"title", "description", "phase"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} on a workshop")
    lock_group(workshop.group_name)
    for name, value in fields.items():
        setattr(workshop, name, value)
    workshop.save()
    broadcast_on_commit(
        workshop.group_name,
        "workshop.updated",
        Patch().put("workshop", serialize.workshop(workshop)).as_payload(),
    )
    return workshop


@transaction.atomic
def do_add_activity(
    workshop: Workshop,
    *,
    kind: str,
    title: str,
    instructions: str = "",
    source=None,
    config=None,
    prompts=(),
) -> Activity:
    lock_group(workshop.group_name)
    if kind not in KINDS:
        raise ValueError(f"unknown activity kind {kind!r}")
    if source is not None and (
        source.workshop_id != workshop.pk or source.kind not in KINDS[kind].source_kinds
    ):
        raise ValueError("the source must be an earlier activity of a suitable kind")
    _check_one_grouping(kind, source)
    last = workshop.activities.aggregate(last=Max("position"))["last"]
    activity = Activity.objects.create(
        workshop=workshop,
        position=(last or 0) + 1,
        kind=kind,
        title=title,
        instructions=instructions,
        source=source,
        config=config or {},
    )
    for position, prompt_text in enumerate(prompts, start=1):
        Prompt.objects.create(activity=activity, position=position, text=prompt_text)
    patch = Patch().put("activities", serialize.activity(activity))
    # What a page load shows of a new activity (its prompts, zero totals…): nobody has
    # contributed yet, so the public view is everyone's.
    KINDS[kind].state(activity, Viewer(), patch)
    broadcast_on_commit(workshop.group_name, "activity.added", patch.as_payload())
    return activity


@transaction.atomic
def do_delete_activity(activity: Activity) -> None:
    """Delete an activity and all it holds; activities built on it lose their source."""
    workshop = activity.workshop
    lock_group(workshop.group_name)
    workshop.refresh_from_db()  # under the lock: which activity is current now
    patch = Patch()
    after_deletion = forget_activity(patch, activity)
    if workshop.current_activity_id == activity.pk:
        workshop.current_activity = None
        workshop.save(update_fields=["current_activity", "updated_at"])
        patch.put("workshop", serialize.workshop(workshop))
    activity.delete()
    after_deletion()
    event = broadcast_on_commit(workshop.group_name, "activity.deleted", patch.as_payload())
    _raise_replay_floor(workshop, event.seq)


@transaction.atomic
def do_set_state(workshop: Workshop, state: str) -> Workshop:
    """Open the room (live), or end the workshop (its contributions stay, read-only)."""
    lock_group(workshop.group_name)
    workshop.refresh_from_db()
    workshop.state = state
    if state == Workshop.State.LIVE and workshop.current_activity_id is None:
        workshop.current_activity = workshop.activities.first()
    if state == Workshop.State.ENDED and workshop.timer_ends_at is not None:
        workshop.timer_remaining = workshop.timer_state()["remaining"]
        workshop.timer_ends_at = None
    workshop.save()
    broadcast_on_commit(
        workshop.group_name,
        "workshop.updated",
        Patch().put("workshop", serialize.workshop(workshop)).as_payload(),
    )
    return workshop


@transaction.atomic
def do_join(workshop: Workshop, participant, display_name: str) -> WorkshopParticipant:
    """Join (or come back, changing the name shown); safe to repeat."""
    attendee, created = WorkshopParticipant.objects.get_or_create(
        workshop=workshop, participant=participant, defaults={"display_name": display_name}
    )
    if not created and attendee.display_name != display_name:
        lock_group(workshop.group_name)
        attendee.display_name = display_name
        attendee.save(update_fields=["display_name", "updated_at"])
        # Signed notes and sign-ups show the name: the room sees the new one.
        patch = Patch()
        for note in attendee.notes.filter(signed=True).select_related("activity", "author"):
            serialize.put_note(patch, note, note.activity.revealed)
        for commitment in Commitment.objects.filter(attendee=attendee).select_related("attendee"):
            patch.put("commitments", serialize.commitment(commitment))
        if not patch.is_empty():
            event = broadcast_on_commit(workshop.group_name, "attendee.renamed", patch.as_payload())
            _raise_replay_floor(workshop, event.seq)  # the old name stays in past events
    return attendee


# --- Live messages -------------------------------------------------------------------------


def _activity_of(workshop, message) -> Activity:
    activity_id = message.get("activity")
    if activity_id is None:
        if workshop.current_activity is None:
            raise WorkshopError("wrong_activity", _("No activity is running."))
        return workshop.current_activity
    return find(Activity, activity_id, workshop=workshop)


def _bool(message, key) -> bool:
    value = message.get(key)
    if not isinstance(value, bool):
        raise WorkshopError("malformed", _("“%(key)s” must be true or false.") % {"key": key})
    return value


def _ideation_behind(activity: Activity) -> Activity | None:
    source = activity.source
    if source is not None and source.kind == "grouping":
        source = source.source
    return source if source is not None and source.kind == "ideation" else None


def _open_activity(actor, message) -> Patch:
    workshop = actor.workshop
    activity = find(Activity, message.get("activity"), workshop=workshop)
    ideation = _ideation_behind(activity)
    patch = Patch()
    if activity.kind in {"dotvote", "matrix"} and ideation is not None and not ideation.revealed:
        # Voting on notes one cannot read makes no sense: opening the vote reveals them.
        ideation.revealed = True
        ideation.save(update_fields=["revealed", "updated_at"])
        patch.put("activities", serialize.activity(ideation))
        KINDS["ideation"].reveal(ideation, patch)
    workshop.current_activity = activity
    workshop.save(update_fields=["current_activity", "updated_at"])
    return patch.put("workshop", serialize.workshop(workshop))


def _reveal(actor, message) -> Patch:
    activity = find(Activity, message.get("activity"), workshop=actor.workshop)
    activity.revealed = _bool(message, "revealed")
    activity.save(update_fields=["revealed", "updated_at"])
    patch = Patch().put("activities", serialize.activity(activity))
    reveal = getattr(KINDS[activity.kind], "reveal", None)
    if reveal is not None:
        reveal(activity, patch)
    return patch


def _lock(actor, message) -> Patch:
    workshop = actor.workshop
    workshop.input_locked = _bool(message, "locked")
    workshop.save(update_fields=["input_locked", "updated_at"])
    return Patch().put("workshop", serialize.workshop(workshop))


def _timer(actor, message) -> Patch:
    workshop, now = actor.workshop, timezone.now()
    action = message["type"].removeprefix("timer.")
    remaining = workshop.timer_state()["remaining"] or 0
    if action == "start":
        seconds = integer(message, "seconds", 1, MAX_TIMER_SECONDS)
        workshop.timer_total = seconds
        workshop.timer_ends_at = now + datetime.timedelta(seconds=seconds)
        workshop.timer_remaining = None
    elif action == "pause":
        if workshop.timer_ends_at is not None:
            workshop.timer_remaining, workshop.timer_ends_at = remaining, None
    elif action == "resume":
        if workshop.timer_ends_at is None and workshop.timer_remaining:
            workshop.timer_ends_at = now + datetime.timedelta(seconds=workshop.timer_remaining)
            workshop.timer_remaining = None
    elif action == "add":
        seconds = integer(message, "seconds", -MAX_TIMER_SECONDS, MAX_TIMER_SECONDS)
        left = max(0, min(MAX_TIMER_SECONDS, remaining + seconds))
        workshop.timer_total = max(workshop.timer_total or 0, left)
        if workshop.timer_ends_at is not None and left > 0:
            workshop.timer_ends_at = now + datetime.timedelta(seconds=left)
        else:  # paused, or no time left: it stops
            workshop.timer_ends_at, workshop.timer_remaining = None, left
    elif action == "reset":
        workshop.timer_ends_at = workshop.timer_remaining = workshop.timer_total = None
    workshop.save(update_fields=["timer_ends_at", "timer_remaining", "timer_total", "updated_at"])
    return Patch().put("workshop", serialize.workshop(workshop))


# Messages about the whole workshop; all are the facilitator's.
WORKSHOP_MESSAGES = {
    "activity.open": _open_activity,
    "activity.reveal": _reveal,
    "workshop.lock": _lock,
    "timer.start": _timer,
    "timer.pause": _timer,
    "timer.resume": _timer,
    "timer.add": _timer,
    "timer.reset": _timer,
}
MESSAGE_TYPE_NAMES = frozenset(WORKSHOP_MESSAGES) | frozenset(MESSAGE_TYPES)


BATCH_EVENT = "batch"  # the type of an event that carries several messages' changes


def run_message(workshop_id, attendee_id, facilitator: bool, message: dict) -> dict:
    """Apply one live message for its sender; returns the acknowledgement's content.

    Raises WorkshopError (nothing written) when the message is refused.
    """
    (outcome,) = run_messages(workshop_id, [(attendee_id, facilitator, message)])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def run_messages(workshop_id, messages: list[tuple]) -> list:
    """Apply a room's queued messages, each ``(attendee_id, facilitator, message)``, in
    order, in one transaction under the workshop's lock (a burst of writes, such as a
    whole room placing its first dots, costs one lock and one commit, not one each).

    Returns, for each message, its acknowledgement's content or the exception that refused
    it; a refused message writes nothing and the others stand (each runs in a savepoint
    when there are several). Consecutive changes that compose (`Patch.absorb`) leave as
    one event, so a busy room sends each socket fewer events.
    """
    if len(messages) == 1:
        # Alone, the message's transaction is its savepoint: an error rolls it all back.
        try:
            return _run_batch(workshop_id, messages, savepoints=False)
        except Exception as error:
            return [error]
    return _run_batch(workshop_id, messages, savepoints=True)


def _run_batch(workshop_id, messages: list[tuple], *, savepoints: bool) -> list:
    with transaction.atomic():
        # Lock first (the group name is the id's), then read the workshop as it now is.
        lock_group(Workshop(pk=workshop_id).group_name)
        workshop = _locked_workshop(workshop_id)
        if workshop is None:
            return [WorkshopError("not_found", _("This workshop no longer exists."))] * len(
                messages
            )
        attendee_ids = {a for a, _facilitator, _message in messages if a is not None}
        attendees = {
            str(attendee.pk): attendee
            for attendee in WorkshopParticipant.objects.filter(
                pk__in=attendee_ids, workshop=workshop
            )
        }
        outcomes: list = []
        events: list[tuple[Patch, set, bool, list[int]]] = []  # patch, types, takes back, who
        for attendee_id, facilitator, message in messages:
            attendee = attendees.get(str(attendee_id)) if attendee_id is not None else None
            actor = Actor(workshop=workshop, attendee=attendee, facilitator=facilitator)
            try:
                if savepoints:
                    with transaction.atomic():
                        patch = _apply(actor, message)
                else:
                    patch = _apply(actor, message)
            except Exception as error:
                if not savepoints:
                    raise
                outcomes.append(error)
                workshop = _locked_workshop(workshop_id)  # as the savepoint left it
                continue
            if message.get("type") in WORKSHOP_MESSAGES:
                # The room changed (current activity, reveal…): later messages see it.
                workshop = _locked_workshop(workshop_id)
            outcomes.append(dict(patch.result))
            if patch.is_empty():
                continue
            takes_back = _takes_back(message)
            if events and events[-1][0].absorb(patch):
                events[-1][1].add(message["type"])
                events[-1][3].append(len(outcomes) - 1)
                events[-1] = (*events[-1][:2], events[-1][2] or takes_back, events[-1][3])
            else:
                events.append((patch, {message["type"]}, takes_back, [len(outcomes) - 1]))
        floor = None
        for patch, types, takes_back, who in events:
            event_type = next(iter(types)) if len(types) == 1 else BATCH_EVENT
            event = broadcast_on_commit(workshop.group_name, event_type, patch.as_payload())
            for index in who:
                outcomes[index]["seq"] = event.seq
            if takes_back:
                floor = event.seq
        if floor is not None:
            _raise_replay_floor(workshop, floor)
    return outcomes


def _locked_workshop(workshop_id) -> Workshop | None:
    return (
        Workshop.objects.select_related("current_activity__source").filter(pk=workshop_id).first()
    )


def _apply(actor: Actor, message: dict) -> Patch:
    """One message's checks and handler; raises WorkshopError when refused."""
    workshop = actor.workshop
    message_type = message["type"]
    if message_type not in MESSAGE_TYPE_NAMES:
        raise WorkshopError("unknown_type", _("Unknown message type."))
    handler = MESSAGE_TYPES.get(message_type, (None, None))[1]
    key = message.get("key")
    if (
        handler is not None
        and handler.replay is not None
        and isinstance(key, str)
        and key
        and "\x00" not in key  # refused below by the handler, never looked up
    ):
        first = handler.replay(actor, workshop, key)
        if first is not None:
            # A resent creation: the first copy was applied and broadcast.
            return Patch(result=first)
    if workshop.state == Workshop.State.ENDED:
        raise WorkshopError("ended", _("This workshop has ended: contributions are closed."))
    if message_type in WORKSHOP_MESSAGES:
        actor.require_facilitator()
        return WORKSHOP_MESSAGES[message_type](actor, message)
    kind, handler = MESSAGE_TYPES[message_type]
    if handler.facilitator_only:
        actor.require_facilitator()
    activity = _activity_of(workshop, message)
    if activity.kind != kind:
        raise WorkshopError(
            "wrong_activity",
            _("“%(type)s” does not belong to this activity (%(kind)s).")
            % {"type": message_type, "kind": KINDS[activity.kind].label},
        )
    if not actor.facilitator and handler.needs_open_input:
        if workshop.state != Workshop.State.LIVE:
            raise WorkshopError("not_live", _("The workshop has not started yet."))
        if activity.pk != workshop.current_activity_id:
            raise WorkshopError(
                "wrong_activity", _("This activity is not the current one any more.")
            )
        if workshop.input_locked:
            raise WorkshopError("locked", _("The facilitator has paused contributions."))
    return handler.function(actor, activity, message)


def _takes_back(message: dict) -> bool:
    """Whether this change withdraws from the room what earlier events showed."""
    if message["type"] in {"note.edit", "note.delete", "note.hide"}:
        return True
    return message["type"] == "activity.reveal" and message.get("revealed") is False


def _raise_replay_floor(workshop: Workshop, seq: int) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(replay_floor=seq)


# --- Editing an activity (the "préparer" page) ----------------------------------------------


def _check_one_grouping(kind: str, source, activity=None) -> None:
    """A note sits in one cluster: an ideation is grouped by one grouping activity only."""
    if kind != "grouping" or source is None:
        return
    others = Activity.objects.filter(kind="grouping", source=source)
    if activity is not None:
        others = others.exclude(pk=activity.pk)
    other = others.first()
    if other is not None:
        raise ValueError(
            _("“%(source)s” is already grouped in “%(other)s”: a note belongs to one group.")
            % {"source": source.title, "other": other.title}
        )


def _has_contributions(activity: Activity) -> bool:
    return (
        activity.dots.exists()
        or activity.ratings.exists()
        or activity.chantiers.exists()
        or activity.clusters.exists()  # a grouping's clusters hold its source's notes
    )


@transaction.atomic
def do_update_activity(
    activity: Activity,
    *,
    title: str,
    instructions: str = "",
    source=None,
    config=None,
    prompts=None,
) -> Activity:
    """Change an activity's texts, settings, source and (ideation) prompts.

    Prompts are matched by position: texts are updated in place, new lines add prompts,
    and a prompt that has notes cannot be removed (its notes would go with it). The
    source cannot change once the activity holds dots, ratings or chantiers: they point
    at the old source's items. Raises ValueError (nothing written) when refused.
    """
    workshop = activity.workshop
    lock_group(workshop.group_name)
    activity.refresh_from_db()  # under the lock: a reveal made meanwhile is kept
    kind = KINDS[activity.kind]
    if source is not None and (
        source.workshop_id != workshop.pk
        or source.kind not in kind.source_kinds
        or source.position >= activity.position
    ):
        raise ValueError("the source must be an earlier activity of a suitable kind")
    if source != activity.source and _has_contributions(activity):
        raise ValueError(_("The source cannot change: this activity already has contributions."))
    _check_one_grouping(activity.kind, source, activity)
    if config is not None and activity.kind == "dotvote" and activity.dots.exists():
        cleaned = kind.clean_config(config)
        if cleaned["dots"] < activity.config["dots"] or cleaned["cap"] < activity.config["cap"]:
            raise ValueError(
                _("Dots have been placed: the number of dots and the cap can only grow.")
            )
    patch = Patch()
    if prompts is not None:
        existing = list(activity.prompts.all())
        for prompt in existing[len(prompts) :]:
            if prompt.notes.exists():
                raise ValueError(
                    _("The prompt “%(text)s” has notes: it cannot be removed.")
                    % {"text": prompt.text}
                )
        for prompt in existing[len(prompts) :]:
            patch.remove("prompts", prompt.pk)
            prompt.delete()
        for position, prompt_text in enumerate(prompts, start=1):
            if position <= len(existing):
                prompt = existing[position - 1]
                if prompt.text != prompt_text or prompt.position != position:
                    prompt.text, prompt.position = prompt_text, position
                    prompt.save(update_fields=["text", "position", "updated_at"])
            else:
                prompt = Prompt.objects.create(
                    activity=activity, position=position, text=prompt_text
                )
            patch.put("prompts", serialize.prompt(prompt))
    activity.title = title
    activity.instructions = instructions
    activity.source = source
    activity.config = config if config is not None else activity.config
    activity.save()
    patch.put("activities", serialize.activity(activity))
    broadcast_on_commit(workshop.group_name, "activity.updated", patch.as_payload())
    return activity

"""A room's queued writes run together (`actions.run_messages`): in order, one transaction,
each refused message alone refused, and composed events that replay to the fresh state."""

import asyncio
import random

import pytest
from channels.db import database_sync_to_async
from freezegun import freeze_time

from ruche.core.broadcast import events_since
from ruche.workshops import actions
from ruche.workshops.activities import MESSAGE_TYPES
from ruche.workshops.activities.base import Handler, WorkshopError
from ruche.workshops.consumers import Room
from ruche.workshops.live import Viewer, apply, for_viewer
from ruche.workshops.models import Dot, Note
from ruche.workshops.queries import workshop_state
from tests.workshops.helpers import (
    Client,
    async_join,
    async_make_workshop,
    join,
    last_seq,
    make_workshop,
    run,
    viewer_for,
)
from tests.workshops.test_replay_consistency import PHASES, random_message, room

pytestmark = pytest.mark.django_db


def message(actor, message_type, **fields):
    viewer = viewer_for(actor)
    return (viewer.attendee, viewer.facilitator, {"type": message_type, **fields})


def prompt_of(w) -> str:
    return str(w["ideation"].prompts.order_by("position").first().pk)


def test_a_refused_message_writes_nothing_and_the_others_of_its_batch_stand():
    """Rule: in a batch, a refused message gets its error and writes nothing; the messages
    before and after it are applied and acknowledged."""
    w = make_workshop()
    _p, a = join(w["workshop"], "Camille")
    prompt = prompt_of(w)
    outcomes = actions.run_messages(
        w["workshop"].pk,
        [
            message(a, "note.add", prompt=prompt, text="Première"),
            message(a, "note.add", prompt=prompt, text="x" * 501),
            message(a, "dot.set", item="nope", count=1),  # not the current activity
            message(a, "note.add", prompt=prompt, text="Troisième"),
        ],
    )
    assert "note" in outcomes[0] and "note" in outcomes[3]
    assert isinstance(outcomes[1], WorkshopError) and outcomes[1].code == "too_long"
    assert isinstance(outcomes[2], WorkshopError) and outcomes[2].code == "wrong_activity"
    assert sorted(Note.objects.values_list("text", flat=True)) == ["Première", "Troisième"]


def test_an_unexpected_failure_is_that_message_s_alone(monkeypatch):
    """Rule: a message whose handler fails unexpectedly is rolled back to its savepoint and
    returned as the exception (the socket answers "internal"); the others stand."""
    w = make_workshop()
    _p, a = join(w["workshop"], "Camille")
    kind, handler = MESSAGE_TYPES["note.add"]

    def fragile(actor, activity, msg):
        patch = handler.function(actor, activity, msg)  # writes the note, then fails
        if msg["text"] == "boum":
            raise RuntimeError("boum")
        return patch

    monkeypatch.setitem(MESSAGE_TYPES, "note.add", (kind, Handler(fragile)))
    prompt = prompt_of(w)
    outcomes = actions.run_messages(
        w["workshop"].pk,
        [
            message(a, "note.add", prompt=prompt, text="avant"),
            message(a, "note.add", prompt=prompt, text="boum"),
            message(a, "note.add", prompt=prompt, text="après"),
        ],
    )
    assert isinstance(outcomes[1], RuntimeError)
    assert sorted(Note.objects.values_list("text", flat=True)) == ["après", "avant"]
    texts = [
        obj.get("text")
        for event in events_since(w["workshop"].group_name, 0)
        for part in event["payload"].get("_restricted", [])
        for obj in part.get("upsert", {}).get("notes", [])
    ]
    assert "boum" not in texts


def test_a_burst_of_dots_is_one_event_and_each_voter_sees_only_their_own():
    """Rule: dots placed by several people in one batch leave as one event (every ack
    carries its seq); each voter's own dots reach only them, and the totals are final."""
    w = make_workshop()
    workshop = w["workshop"]
    people = [join(workshop, f"Personne {i}")[1] for i in range(6)]
    run(workshop, people[0], "note.add", prompt=prompt_of(w), text="Une idée")
    note = Note.objects.get()
    cluster = run(
        workshop, "facilitator", "cluster.add", activity=str(w["grouping"].pk), notes=[str(note.pk)]
    )["cluster"]
    run(workshop, "facilitator", "activity.open", activity=str(w["dotvote"].pk))
    before = last_seq(workshop)
    outcomes = actions.run_messages(
        workshop.pk, [message(p, "dot.set", item=cluster, count=1) for p in people]
    )
    assert {o["seq"] for o in outcomes} == {before + 1} == {last_seq(workshop)}
    (event,) = events_since(workshop.group_name, before)
    assert event["type"] == "dot.set"
    mine = for_viewer(event["payload"], viewer_for(people[2]))
    assert [d["count"] for d in mine["upsert"]["my_dots"]] == [1]
    assert mine["upsert"]["dot_totals"][0]["dots"] == 6
    assert Dot.objects.count() == 6


def test_later_messages_of_a_batch_see_what_earlier_ones_changed():
    """Rule: a message runs against the room as the batch's earlier messages left it: the
    vote opened just before accepts dots, the ideation revealed just before gets notes
    shown to everyone, the input locked just before refuses notes."""
    w = make_workshop()
    workshop = w["workshop"]
    _p, a = join(workshop, "Camille")
    _p, b = join(workshop, "Dominique")
    prompt = prompt_of(w)
    outcomes = actions.run_messages(
        workshop.pk,
        [
            message(
                "facilitator", "activity.reveal", activity=str(w["ideation"].pk), revealed=True
            ),
            message(a, "note.add", prompt=prompt, text="Visible de tous"),
            message("facilitator", "workshop.lock", locked=True),
            message(a, "note.add", prompt=prompt, text="Trop tard"),
        ],
    )
    assert [type(o).__name__ for o in outcomes] == ["dict", "dict", "dict", "WorkshopError"]
    assert outcomes[3].code == "locked"
    state = {}
    for event in events_since(workshop.group_name, 0):
        apply(state, for_viewer(event["payload"], viewer_for(b)))
    assert [n.get("text") for n in state["notes"].values()] == ["Visible de tous"]


def test_a_resent_creation_in_the_same_batch_is_acknowledged_with_the_first_copy():
    """Rule: the idempotency key holds inside a batch too: the copy gets the first note's id
    and nothing more is created."""
    w = make_workshop()
    _p, a = join(w["workshop"], "Camille")
    prompt = prompt_of(w)
    first, copy = actions.run_messages(
        w["workshop"].pk,
        [message(a, "note.add", prompt=prompt, text="Une", key="k1")] * 2,
    )
    assert first["note"] == copy["note"]
    assert Note.objects.count() == 1


JOINED_FACILITATOR = "joined facilitator"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_batched_random_run_replays_to_the_fresh_state(seed):
    """Rule: old state + composed events == fresh state, for every viewer (a facilitator who
    also joined as an attendee included), after a random run of every activity whose
    messages went in batches."""
    with freeze_time("2026-11-22 10:00:00"):
        w = room()
        viewers = {
            "author": viewer_for(w["a"]),
            "other": viewer_for(w["b"]),
            "anonymous": viewer_for(w["c"]),
            "facilitator": viewer_for("facilitator"),
            "member": Viewer(),
            JOINED_FACILITATOR: Viewer(attendee=str(w["a"].pk), facilitator=True),
        }
        workshop = w["workshop"]
        before = {name: workshop_state(workshop, v) for name, v in viewers.items()}
        seq_before = last_seq(workshop)
        rng = random.Random(seed)
        acked = 0
        for phase in PHASES:
            run(workshop, "facilitator", "activity.open", activity=str(w[phase].pk))
            run(workshop, "facilitator", "workshop.lock", locked=False)
            for _ in range(6):
                batch = [
                    message(actor, message_type, **fields)
                    for actor, message_type, fields in (
                        random_message(w, rng, phase, anywhere=False)
                        for _ in range(rng.randint(1, 8))
                    )
                ]
                acked += sum(isinstance(o, dict) for o in actions.run_messages(workshop.pk, batch))
        events = events_since(workshop.group_name, seq_before, 100_000)
        assert acked > 100
        assert len(events) < acked  # some batches were composed into one event
        for name, viewer in viewers.items():
            state = before[name]
            for event in events:
                apply(state, for_viewer(event["payload"], viewer))
                state["seq"] = event["seq"]
            assert state == workshop_state(workshop, viewer), name


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_writes_queued_while_the_room_writes_go_in_one_batch(monkeypatch):
    """Rule: the room writes one batch at a time; the messages that reach it meanwhile go
    together in the next transaction (here all eight, queued before the first batch starts)."""
    w = await async_make_workshop()
    people = [(await async_join(w["workshop"], f"P{i}"))[1] for i in range(8)]
    prompt = await database_sync_to_async(prompt_of)(w)
    batches = []
    real = actions.run_messages

    def counted(workshop_id, messages):
        batches.append(len(messages))
        return real(workshop_id, messages)

    monkeypatch.setattr(actions, "run_messages", counted)
    room = Room(w["workshop"].group_name)
    await room.started
    try:
        outcomes = await asyncio.gather(
            *(
                room.write(
                    w["workshop"].pk,
                    str(a.pk),
                    False,
                    {"type": "note.add", "prompt": prompt, "text": f"Idée {i}"},
                )
                for i, a in enumerate(people)
            )
        )
    finally:
        await room.close()
    assert batches == [8]
    assert len({o["seq"] for o in outcomes}) == 1


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_sockets_writing_at_once_all_get_acks_and_every_note():
    """Rule: eight participants adding a note at the same moment (batched or not, as the
    timing falls) are all acknowledged, and every socket receives the eight notes."""
    w = await async_make_workshop()
    people = [await async_join(w["workshop"], f"P{i}") for i in range(8)]
    clients = [Client(w["workshop"], participant=p) for p, _a in people]
    for client in clients:
        await client.connect()
    prompt = await database_sync_to_async(prompt_of)(w)
    replies = await asyncio.gather(
        *(c.send("note.add", prompt=prompt, text=f"Idée {i}") for i, c in enumerate(clients))
    )
    assert [r["type"] for r in replies] == ["ack"] * 8
    for client in clients:
        notes = {}
        while len(notes) < 8:
            event = await client.receive("event")
            notes.update({n["id"]: n for n in event["payload"]["upsert"]["notes"]})
        await client.close()

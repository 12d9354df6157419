"""Bad input on the workshop socket: each refused message gets an error with its code and
the message's id, writes nothing, and leaves the socket working (the next valid message is
acknowledged)."""

import pytest
from channels.db import database_sync_to_async

from ruche.workshops import actions
from ruche.workshops.models import Note, Workshop
from tests.factories import MembershipFactory
from tests.workshops.helpers import (
    Client,
    async_first_prompt,
    async_join,
    async_make_workshop,
    async_row_counts,
    async_run,
    raw_reply,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """These tests are about the refusals, not the rate limit (tested in test_ws_rate_limit)."""
    settings.RUCHE_WORKSHOP_MESSAGES_PER_SECOND = 1000
    settings.RUCHE_WORKSHOP_MESSAGE_BURST = 1000


async def room(*, current="ideation"):
    """A live workshop on `current`, two connected participants and the facilitator."""
    w = await async_make_workshop()
    workshop = w["workshop"]
    w["pa"], w["a"] = await async_join(workshop, "Camille")
    w["pb"], w["b"] = await async_join(workshop, "Dominique")
    w["prompt"] = await async_first_prompt(w)
    w["me"] = Client(workshop, participant=w["pa"])
    w["them"] = Client(workshop, participant=w["pb"])
    w["fac"] = Client(workshop, user=w["facilitator"])
    for client in (w["me"], w["them"], w["fac"]):
        await client.connect()
    if current != "ideation":
        await w["fac"].send("activity.open", activity=str(w[current].pk))
    return w


async def close(w):
    for client in (w["me"], w["them"], w["fac"]):
        await client.close()


async def assert_refused(w, client, code, message_type, **fields):
    """`message_type` is refused with `code`, echoing its id, and writes nothing."""
    before = await async_row_counts(w["workshop"])
    reply = await client.send(message_type, **fields)
    assert reply["type"] == "error", reply
    assert reply["code"] == code, reply
    assert reply["id"] == f"m{client.counter}"
    assert reply["message"]
    assert await async_row_counts(w["workshop"]) == before


async def assert_still_works(w, client=None):
    """The socket still answers: a valid note gets an ack."""
    client = client or w["me"]
    reply = await client.send("note.add", prompt=w["prompt"], text="Toujours là")
    assert reply["type"] == "ack", reply


async def a_note(w, client=None, text="Une idée"):
    reply = await (client or w["me"]).send("note.add", prompt=w["prompt"], text=text)
    assert reply["type"] == "ack", reply
    return reply["note"]


# --- Texts ---------------------------------------------------------------------------------


async def test_a_note_over_500_characters_is_too_long():
    """A note of 501 characters is refused (too_long); nothing is written."""
    w = await room()
    await assert_refused(w, w["me"], "too_long", "note.add", prompt=w["prompt"], text="x" * 501)
    await assert_still_works(w)
    await close(w)


async def test_a_note_of_exactly_500_characters_is_accepted():
    """The limit is inclusive: 500 characters (after trimming spaces) are accepted."""
    w = await room()
    reply = await w["me"].send("note.add", prompt=w["prompt"], text=" " + "é" * 500 + " ")
    assert reply["type"] == "ack", reply
    await close(w)


async def test_an_edit_over_500_characters_is_too_long():
    """Editing a note into 501 characters is refused too, and the note keeps its text."""
    w = await room()
    note = await a_note(w)
    await assert_refused(w, w["me"], "too_long", "note.edit", note=note, text="x" * 501)
    assert (await Note.objects.aget(pk=note)).text == "Une idée"
    await assert_still_works(w)
    await close(w)


async def test_an_empty_note_is_refused():
    """A note of spaces only is refused (empty)."""
    w = await room()
    await assert_refused(w, w["me"], "empty", "note.add", prompt=w["prompt"], text="   ")
    await assert_still_works(w)
    await close(w)


async def test_a_text_that_is_not_a_string_is_malformed():
    """A note whose text is not a string (a number, a list) is malformed."""
    w = await room()
    await assert_refused(w, w["me"], "malformed", "note.add", prompt=w["prompt"], text=42)
    await assert_refused(w, w["me"], "malformed", "note.add", prompt=w["prompt"], text=["a"])
    await assert_still_works(w)
    await close(w)


# --- Wrong activity, not yours, forbidden ----------------------------------------------------


async def test_an_action_of_another_activity_is_refused():
    """dot.set during the ideation is refused (wrong_activity)."""
    w = await room()
    await assert_refused(w, w["me"], "wrong_activity", "dot.set", item=w["prompt"], count=1)
    await assert_still_works(w)
    await close(w)


async def test_a_participant_cannot_write_in_another_activity_than_the_current_one():
    """Naming an activity that is not the current one (even of the right kind) is refused
    for participants (wrong_activity)."""
    w = await room(current="grouping")
    await assert_refused(
        w, w["me"], "wrong_activity", "note.add",
        activity=str(w["ideation"].pk), prompt=w["prompt"], text="En retard",
    )  # fmt: skip
    await assert_refused(w, w["me"], "wrong_activity", "note.add", prompt=w["prompt"], text="x")
    await w["fac"].send("activity.open", activity=str(w["ideation"].pk))
    await assert_still_works(w)
    await close(w)


@pytest.mark.parametrize("message_type", ["note.edit", "note.delete"])
async def test_someone_elses_note_cannot_be_changed(message_type):
    """Editing or deleting another participant's note is refused (not_yours); it stays."""
    w = await room()
    note = await a_note(w, w["them"])
    await assert_refused(w, w["me"], "not_yours", message_type, note=note, text="À moi")
    assert (await Note.objects.aget(pk=note)).text == "Une idée"
    await assert_still_works(w)
    await close(w)


FACILITATOR_MESSAGES = [
    ("activity.open", lambda w: {"activity": str(w["grouping"].pk)}),
    ("activity.reveal", lambda w: {"activity": str(w["ideation"].pk), "revealed": True}),
    ("workshop.lock", lambda w: {"locked": True}),
    ("timer.start", lambda w: {"seconds": 60}),
    ("timer.pause", lambda w: {}),
    ("timer.resume", lambda w: {}),
    ("timer.add", lambda w: {"seconds": 60}),
    ("timer.reset", lambda w: {}),
    ("note.hide", lambda w: {"note": w["note"], "hidden": True}),
    ("chantier.add", lambda w: {"title": "Plan vélo", "activity": str(w["plan"].pk)}),
    ("chantier.edit", lambda w: {"chantier": w["chantier"], "title": "Autre"}),
    ("chantier.delete", lambda w: {"chantier": w["chantier"]}),
]


@pytest.mark.parametrize(
    ("message_type", "fields"), FACILITATOR_MESSAGES, ids=[m for m, _f in FACILITATOR_MESSAGES]
)
async def test_a_facilitator_action_from_a_participant_is_forbidden(message_type, fields):
    """Only the facilitator opens, reveals, locks, runs the timer, hides notes and manages
    chantiers: a participant gets forbidden, and nothing changes."""
    w = await room()
    w["note"] = await a_note(w, w["them"])
    plan = str(w["plan"].pk)
    chantier = await w["fac"].send("chantier.add", title="Plan vélo", activity=plan)
    w["chantier"] = chantier["chantier"]
    workshop_before = await Workshop.objects.aget(pk=w["workshop"].pk)
    await assert_refused(w, w["me"], "forbidden", message_type, **fields(w))
    workshop_after = await Workshop.objects.aget(pk=w["workshop"].pk)
    for field in ("current_activity_id", "input_locked", "timer_ends_at", "timer_total"):
        assert getattr(workshop_after, field) == getattr(workshop_before, field), field
    await assert_still_works(w)
    await close(w)


async def test_grouping_by_the_facilitator_only_is_forbidden_to_participants():
    """With grouping by the facilitator (who=facilitator), a participant's cluster.add is
    forbidden."""
    w = await async_make_workshop(who_groups="facilitator")
    workshop = w["workshop"]
    participant, _ = await async_join(workshop)
    me = Client(workshop, participant=participant)
    await me.connect()
    await async_run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk))
    w["me"] = me
    await assert_refused(w, me, "forbidden", "cluster.add", name="Mobilités", notes=[])
    await me.close()


async def test_a_member_who_has_not_joined_cannot_contribute():
    """A member following the workshop without an attendee row gets not_joined."""
    w = await room()
    member = await database_sync_to_async(
        lambda: MembershipFactory(organisation=w["workshop"].organisation, role="member").user
    )()
    client = Client(w["workshop"], user=member)
    await client.connect()
    await assert_refused(w, client, "not_joined", "note.add", prompt=w["prompt"], text="Moi")
    await client.close()
    await close(w)


# --- Malformed frames ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json at all", "malformed"),
        ('"just a string"', "malformed"),
        ("[1, 2, 3]", "malformed"),
        ("42", "malformed"),
        ("null", "malformed"),
        ('{"id": "m1", "text": "no type"}', "malformed"),
        ('{"type": 5}', "malformed"),
        ('{"type": null}', "malformed"),
        ('{"type": "note.explode", "id": "m1"}', "unknown_type"),
        ('{"type": "", "id": "m1"}', "unknown_type"),
        ('{"type": "hello", "id": "m1"}', "unknown_type"),
    ],
)
async def test_malformed_frames_get_an_error_and_keep_the_socket(frame, code):
    """Malformed JSON, a non-object, a missing or non-text type is malformed; an unknown
    type is unknown_type; nothing is written and the socket keeps working."""
    w = await room()
    before = await async_row_counts(w["workshop"])
    reply = await raw_reply(w["me"], text=frame)
    assert reply["type"] == "error", reply
    assert reply["code"] == code, reply
    assert await async_row_counts(w["workshop"]) == before
    await assert_still_works(w)
    await close(w)


async def test_a_binary_frame_gets_an_error_and_keeps_the_socket():
    """A binary frame is malformed; the socket keeps working."""
    w = await room()
    reply = await raw_reply(w["me"], data=b'{"type": "note.add"}')
    assert (reply["type"], reply["code"]) == ("error", "malformed")
    await assert_still_works(w)
    await close(w)


@pytest.mark.parametrize("message_id", [5, "x" * 65, ["m1"]])
async def test_a_bad_message_id_is_malformed(message_id):
    """The message id must be text of at most 64 characters; otherwise nothing is done."""
    w = await room()
    before = await async_row_counts(w["workshop"])
    await w["me"].communicator.send_json_to(
        {"type": "note.add", "id": message_id, "prompt": w["prompt"], "text": "Hop"}
    )
    reply = await w["me"].receive("ack", "error")
    assert (reply["type"], reply["code"]) == ("error", "malformed")
    assert await async_row_counts(w["workshop"]) == before
    await assert_still_works(w)
    await close(w)


# --- Bad ids ---------------------------------------------------------------------------------


async def test_an_id_that_is_not_a_uuid_is_not_found():
    """Ids that are not uuids are not_found (never a server error)."""
    w = await room()
    await a_note(w)
    await assert_refused(w, w["me"], "not_found", "note.edit", note="not-a-uuid", text="x")
    await assert_refused(w, w["me"], "not_found", "note.delete", note="123")
    await assert_refused(w, w["me"], "not_found", "note.add", prompt="nope", text="x")
    await assert_refused(w, w["fac"], "not_found", "activity.open", activity="nope")
    await assert_still_works(w)
    await close(w)


async def test_an_id_that_is_not_text_is_malformed():
    """An id given as a number or a list is malformed."""
    w = await room()
    await assert_refused(w, w["me"], "malformed", "note.delete", note=12)
    await assert_refused(w, w["me"], "malformed", "note.add", prompt=["x"], text="x")
    await assert_refused(w, w["me"], "malformed", "note.add", text="no prompt")
    await assert_still_works(w)
    await close(w)


async def test_another_workshops_objects_are_not_found():
    """A note, prompt or activity of another workshop is not_found, for participants and
    the facilitator alike."""
    w = await room()
    other = await async_make_workshop()
    _participant, stranger = await async_join(other["workshop"])
    other_prompt = await async_first_prompt(other)
    note = await async_run(other["workshop"], stranger, "note.add", prompt=other_prompt, text="x")
    foreign = note["note"]
    await assert_refused(w, w["me"], "not_found", "note.add", prompt=other_prompt, text="x")
    await assert_refused(w, w["fac"], "not_found", "note.edit", note=foreign, text="à moi")
    await assert_refused(w, w["fac"], "not_found", "note.hide", note=foreign, hidden=True)
    await assert_refused(
        w, w["fac"], "not_found", "activity.open", activity=str(other["grouping"].pk)
    )
    await assert_refused(
        w, w["fac"], "not_found", "activity.reveal",
        activity=str(other["ideation"].pk), revealed=True,
    )  # fmt: skip
    await w["fac"].send("activity.open", activity=str(w["dotvote"].pk))
    await assert_refused(w, w["me"], "not_found", "dot.set", item=foreign, count=1)
    await close(w)


# --- Closed input: locked, ended, not live ---------------------------------------------------


async def test_writes_while_locked_are_refused():
    """While the facilitator locks input, participants' writes are refused (locked); once
    unlocked they are accepted again."""
    w = await room()
    note = await a_note(w)
    reply = await w["fac"].send("workshop.lock", locked=True)
    assert reply["type"] == "ack"
    await assert_refused(w, w["me"], "locked", "note.add", prompt=w["prompt"], text="x")
    await assert_refused(w, w["me"], "locked", "note.edit", note=note, text="x")
    await assert_refused(w, w["me"], "locked", "note.delete", note=note)
    await w["fac"].send("workshop.lock", locked=False)
    await assert_still_works(w)
    await close(w)


async def test_the_facilitator_still_writes_while_locked():
    """The lock is for participants: the facilitator may hide notes and edit them."""
    w = await room()
    note = await a_note(w)
    await w["fac"].send("workshop.lock", locked=True)
    reply = await w["fac"].send("note.hide", note=note, hidden=True)
    assert reply["type"] == "ack", reply
    reply = await w["fac"].send("note.edit", note=note, text="Reformulée")
    assert reply["type"] == "ack", reply
    await close(w)


async def test_writes_in_an_ended_workshop_are_refused():
    """Once the workshop has ended, every write is refused (ended), the facilitator's too;
    the socket still answers (a snapshot)."""
    w = await room()
    note = await a_note(w)
    await database_sync_to_async(actions.do_set_state)(w["workshop"], "ended")
    await assert_refused(w, w["me"], "ended", "note.add", prompt=w["prompt"], text="x")
    await assert_refused(w, w["me"], "ended", "note.delete", note=note)
    await assert_refused(w, w["fac"], "ended", "timer.start", seconds=30)
    await assert_refused(w, w["fac"], "ended", "note.hide", note=note, hidden=True)
    await w["me"].communicator.send_json_to({"type": "snapshot", "id": "s1"})
    snapshot = await w["me"].receive("snapshot")
    assert snapshot["id"] == "s1"
    assert snapshot["state"]["workshop"][str(w["workshop"].pk)]["state"] == "ended"
    await close(w)


async def test_an_attendee_of_an_ended_workshop_connects_read_only():
    """An attendee opening the socket of an ended workshop follows it but cannot write."""
    w = await async_make_workshop(state="ended")
    participant, _ = await async_join(w["workshop"])
    me = Client(w["workshop"], participant=participant)
    await me.connect()
    w["me"] = me
    prompt = await async_first_prompt(w)
    await assert_refused(w, me, "ended", "note.add", prompt=prompt, text="Trop tard")
    await me.close()


async def test_participants_cannot_write_while_the_workshop_is_back_in_preparation():
    """A workshop put back in preparation (draft) refuses participants' writes (not_live)
    on sockets still open, while the facilitator may still try the activities."""
    w = await room()
    await database_sync_to_async(actions.do_set_state)(w["workshop"], "draft")
    await assert_refused(w, w["me"], "not_live", "note.add", prompt=w["prompt"], text="x")
    reply = await w["fac"].send("activity.open", activity=str(w["ideation"].pk))
    assert reply["type"] == "ack", reply
    await database_sync_to_async(actions.do_set_state)(w["workshop"], "live")
    await assert_still_works(w)
    await close(w)


# --- Dots and ratings out of range -----------------------------------------------------------


async def voting_room(current="dotvote"):
    """A room on `current` (dot vote: 3 dots, at most 2 per item) with two clusters."""
    w = await room()
    notes = [await a_note(w, text=f"Idée {i}") for i in range(2)]
    await w["fac"].send("activity.open", activity=str(w["grouping"].pk))
    w["c1"] = (await w["fac"].send("cluster.add", name="Un", notes=notes[:1]))["cluster"]
    w["c2"] = (await w["fac"].send("cluster.add", name="Deux", notes=notes[1:]))["cluster"]
    await w["fac"].send("activity.open", activity=str(w[current].pk))
    return w


async def test_dots_over_the_budget_are_refused():
    """With 3 dots, 2 on one item and 2 on another is one too many (no_dots_left); the
    first item keeps its 2 and a smaller count on the second is accepted."""
    w = await voting_room()
    assert (await w["me"].send("dot.set", item=w["c1"], count=2))["type"] == "ack"
    await assert_refused(w, w["me"], "no_dots_left", "dot.set", item=w["c2"], count=2)
    reply = await w["me"].send("dot.set", item=w["c2"], count=1)
    assert reply["type"] == "ack", reply
    await close(w)


@pytest.mark.parametrize("count", [3, -1, 1.5, "2", True, None])
async def test_dots_over_the_cap_or_not_a_count_are_invalid(count):
    """At most 2 dots on one item, a whole number from 0: anything else is invalid."""
    w = await voting_room()
    await assert_refused(w, w["me"], "invalid", "dot.set", item=w["c1"], count=count)
    assert (await w["me"].send("dot.set", item=w["c1"], count=2))["type"] == "ack"
    await close(w)


async def test_a_dot_on_an_item_of_another_source_is_not_found():
    """A dot on something that is not one of the vote's items (a note, when the vote is on
    clusters) is not_found."""
    w = await voting_room()
    note = await database_sync_to_async(
        lambda: str(w["ideation"].notes.values_list("pk", flat=True).first())
    )()
    await assert_refused(w, w["me"], "not_found", "dot.set", item=note, count=1)
    await close(w)


@pytest.mark.parametrize(
    ("impact", "ease"), [(11, 5), (5, 11), (-1, 5), (5, -1), (5.5, 5), ("5", 5), (None, 5)]
)
async def test_ratings_outside_0_to_10_are_invalid(impact, ease):
    """Impact and ease are whole numbers from 0 to 10; anything else is invalid."""
    w = await voting_room(current="matrix")
    rating = {"item": w["c1"], "impact": impact, "ease": ease}
    await assert_refused(w, w["me"], "invalid", "rating.set", **rating)
    reply = await w["me"].send("rating.set", item=w["c1"], impact=10, ease=0)
    assert reply["type"] == "ack", reply
    await close(w)


# --- Action plan ---------------------------------------------------------------------------


async def test_an_unknown_role_is_invalid():
    """A commitment's role is pilot, contributor, expert or informed (or "" to withdraw)."""
    w = await room(current="plan")
    chantier = (await w["fac"].send("chantier.add", title="Plan vélo"))["chantier"]
    await assert_refused(w, w["me"], "invalid", "commitment.set", chantier=chantier, role="boss")
    reply = await w["me"].send("commitment.set", chantier=chantier, role="expert")
    assert reply["type"] == "ack", reply
    await close(w)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": ""}, "empty"),
        ({"title": "x" * 201}, "too_long"),
        ({"title": "Vélo", "pilot": "x" * 201}, "too_long"),
        ({"title": "Vélo", "due_on": "31/12/2027"}, "invalid"),
        ({"title": "Vélo", "due_on": 20271231}, "invalid"),
        ({"title": "Vélo", "item": "nope"}, "not_found"),
        ({"title": "Vélo", "key": "k" * 65}, "malformed"),
    ],
)
async def test_a_bad_chantier_is_refused(fields, code):
    """A chantier needs a title of at most 200 characters, texts within their limits, a
    YYYY-MM-DD due date and an item of its source."""
    w = await room(current="plan")
    await assert_refused(w, w["fac"], code, "chantier.add", **fields)
    assert (await w["fac"].send("chantier.add", title="Vélo"))["type"] == "ack"
    await close(w)

"""Rules added after the independent review of the workshops: each states what went wrong."""

import json

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from ruche.workshops import actions
from ruche.workshops.models import Dot, Note
from tests.workshops.helpers import Client, first_prompt, join, make_workshop, run
from tests.workshops.test_replay_consistency import (
    assert_replay_matches,
    frozen,  # noqa: F401 (fixture)
    room,
    snapshot_all,
)


def ok(reply):
    assert reply["type"] == "ack", reply
    return reply


@pytest.mark.django_db
def test_deleting_a_grouping_ungroups_its_notes_for_everyone(frozen):  # noqa: F811
    """Deleting a grouping activity with clusters sends its notes back as not grouped: a
    live board equals a fresh load (clients kept the deleted cluster's id before)."""
    w = room()
    workshop, a = w["workshop"], w["a"]
    note = ok(run(workshop, a, "note.add", prompt=w["prompts"][0], text="Vélo", key="v"))["note"]
    ok(run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk)))
    ok(run(workshop, "facilitator", "cluster.add", name="Mobilités", notes=[note]))
    before = snapshot_all(w)
    actions.do_delete_activity(w["grouping"])
    assert Note.objects.get(pk=note).cluster_id is None
    assert_replay_matches(w, before)


@pytest.mark.django_db
def test_a_nul_character_is_bad_input():
    """PostgreSQL cannot store NUL: a note, a cluster name or a key holding one is refused
    as malformed (it used to fail inside the database with no answer to the client)."""
    w = make_workshop()
    a = join(w["workshop"])[1]
    prompt = first_prompt(w)
    reply = run(w["workshop"], a, "note.add", prompt=prompt, text="a\x00b")
    assert reply == {"type": "error", "code": "malformed"}
    reply = run(w["workshop"], a, "note.add", prompt=prompt, text="ab", key="k\x00")
    assert reply == {"type": "error", "code": "malformed"}
    assert not Note.objects.exists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_unexpected_failure_gets_an_internal_error_and_the_socket_stays(monkeypatch):
    """A message the server fails on (a bug) is answered with an error carrying its id, so
    the client does not keep it queued forever; the next message works."""
    w = await database_sync_to_async(make_workshop)()
    participant, _attendee = await database_sync_to_async(join)(w["workshop"])
    prompt = await database_sync_to_async(first_prompt)(w)
    client = Client(w["workshop"], participant=participant)
    await client.connect()
    from ruche.workshops.activities import ideation

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(ideation.Ideation.handlers, "note.add", ideation.Handler(broken))
    monkeypatch.setattr(
        "ruche.workshops.actions.MESSAGE_TYPES",
        {**actions.MESSAGE_TYPES, "note.add": ("ideation", ideation.Handler(broken))},
    )
    reply = await client.send("note.add", prompt=prompt, text="Vélo")
    assert (reply["type"], reply["code"], reply["id"]) == ("error", "internal", "m1")
    monkeypatch.undo()
    assert (await client.send("note.add", prompt=prompt, text="Vélo"))["type"] == "ack"
    await client.close()


@pytest.mark.django_db
def test_an_ideation_is_grouped_by_one_grouping_only():
    """A note sits in one cluster: a second grouping of the same ideation is refused (it
    would take notes out of the first one's clusters)."""
    w = make_workshop()
    with pytest.raises(ValueError, match=r"already grouped|déjà regroupé"):
        actions.do_add_activity(
            w["workshop"], kind="grouping", title="Encore", source=w["ideation"]
        )


@pytest.mark.django_db
def test_dots_and_cap_only_grow_once_dots_are_placed():
    """Lowering a dot vote's budget or cap after people voted would leave them over it:
    refused; raising it is fine."""
    w = make_workshop()
    workshop, a = w["workshop"], join(w["workshop"])[1]
    note = ok(run(workshop, a, "note.add", prompt=first_prompt(w), text="Vélo"))["note"]
    ok(run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk)))
    cluster = ok(run(workshop, "facilitator", "cluster.add", name="M", notes=[note]))["cluster"]
    ok(run(workshop, "facilitator", "activity.open", activity=str(w["dotvote"].pk)))
    ok(run(workshop, a, "dot.set", item=cluster, count=2))
    vote = w["dotvote"]
    with pytest.raises(ValueError, match=r"only grow|augmenter"):
        actions.do_update_activity(
            vote, title=vote.title, source=vote.source, config={"dots": 3, "cap": 1}
        )
    actions.do_update_activity(
        vote, title=vote.title, source=vote.source, config={"dots": 5, "cap": 3}
    )
    assert Dot.objects.get().count == 2


@pytest.mark.django_db
def test_opening_a_vote_reveals_the_notes_it_is_about():
    """Participants cannot vote on notes they cannot read: opening a dot vote (or a matrix)
    over an unrevealed ideation reveals it, in the same event."""
    w = make_workshop()
    workshop, a = w["workshop"], join(w["workshop"])[1]
    ok(run(workshop, a, "note.add", prompt=first_prompt(w), text="Vélo"))
    ok(run(workshop, "facilitator", "activity.open", activity=str(w["matrix"].pk)))
    w["ideation"].refresh_from_db()
    assert w["ideation"].revealed


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_resync_counts_against_the_message_rate():
    """A resync replays up to 1,000 events: a socket sending them in a loop is limited like
    any other message (it could starve the room before)."""
    w = await database_sync_to_async(make_workshop)()
    participant, _attendee = await database_sync_to_async(join)(w["workshop"])
    client = Client(w["workshop"], participant=participant)
    await client.connect()
    with override_settings(RUCHE_WORKSHOP_MESSAGES_PER_SECOND=1, RUCHE_WORKSHOP_MESSAGE_BURST=2):
        await client.close()
        client = Client(w["workshop"], participant=participant)
        await client.connect()
        for _ in range(4):
            await client.communicator.send_json_to({"type": "resync", "since": 0})
        codes = []
        while not await client.communicator.receive_nothing(timeout=0.5):
            message = await client.communicator.receive_json_from()
            if message["type"] == "error":
                codes.append(message["code"])
    assert "rate_limited" in codes, json.dumps(codes)
    await client.close()

"""Ideation: notes are private until the reveal (others see that a note exists, not its
text), signed or anonymous as configured, editable and deletable by their author, hidden by
the facilitator, and created once per idempotency key."""

import pytest

from ruche.workshops import actions
from ruche.workshops.models import Note
from tests.workshops.helpers import (
    Client,
    async_first_prompt,
    async_join,
    async_make_workshop,
    events_for,
    first_prompt,
    join,
    last_seq,
    make_workshop,
    row_counts,
    run,
    state_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = make_workshop()
    w["a"] = join(w["workshop"], "Camille")[1]
    w["b"] = join(w["workshop"], "Dominique")[1]
    w["prompt"] = first_prompt(w)
    return w


def add(w, actor, text="Des pistes cyclables", **fields):
    reply = run(w["workshop"], actor, "note.add", prompt=w["prompt"], text=text, **fields)
    assert reply["type"] == "ack", reply
    return reply["note"]


def notes_seen(w, actor, since) -> dict:
    """The last version of each note `actor` received after `since` (restricted parts
    resolved: a later full face replaces the masked one in the same event), or of the
    fields an update changed (a reveal sends only the texts)."""
    seen = {}
    for event in events_for(w["workshop"], actor, since):
        for note in event["payload"].get("upsert", {}).get("notes", []):
            seen[note["id"]] = note
        for fields in event["payload"].get("update", {}).get("notes", []):
            seen[fields["id"]] = {**seen.get(fields["id"], {}), **fields}
    return seen


def reveal(w, revealed=True):
    activity = str(w["ideation"].pk)
    run(w["workshop"], "facilitator", "activity.reveal", activity=activity, revealed=revealed)


# --- Privacy before the reveal -------------------------------------------------------------


def test_before_the_reveal_others_receive_the_note_masked(w):
    """Before the reveal, other participants and members receive the new note with text
    null, no author name and masked true; the author and the facilitator get the text."""
    since = last_seq(w["workshop"])
    note = add(w, w["a"], signed=True)
    for other in (w["b"], None):
        seen = notes_seen(w, other, since)[note]
        assert (seen["text"], seen["author_name"], seen["masked"]) == (None, "", True)
    for insider in (w["a"], "facilitator"):
        seen = notes_seen(w, insider, since)[note]
        assert (seen["text"], seen["author_name"]) == ("Des pistes cyclables", "Camille")
        assert seen["masked"] is False


def test_before_the_reveal_a_page_load_masks_others_notes(w):
    """A fresh state before the reveal shows each participant their own notes in full and
    the others' masked; the facilitator sees every text."""
    mine, theirs = add(w, w["a"], "À moi"), add(w, w["b"], "À l'autre")
    state = state_of(w["workshop"], w["a"])
    assert state["notes"][mine]["text"] == "À moi"
    assert state["notes"][theirs]["text"] is None
    assert set(state["my_notes"]) == {mine}
    facilitator = state_of(w["workshop"], "facilitator")
    assert {n["text"] for n in facilitator["notes"].values()} == {"À moi", "À l'autre"}
    assert facilitator["my_notes"] == {}


def test_the_reveal_gives_everyone_the_texts(w):
    """The reveal sends every note's text to everyone (names only on signed notes)."""
    signed, unsigned = add(w, w["a"], "Signée", signed=True), add(w, w["b"], "Anonyme")
    since = last_seq(w["workshop"])
    reveal(w)
    seen = notes_seen(w, None, since)
    assert (seen[signed]["text"], seen[signed]["author_name"]) == ("Signée", "Camille")
    assert (seen[unsigned]["text"], seen[unsigned]["author_name"]) == ("Anonyme", "")
    assert state_of(w["workshop"], w["b"])["notes"][signed]["text"] == "Signée"


def test_hiding_the_texts_again_masks_them_for_others(w):
    """Un-revealing masks the notes again for others; authors keep their own text."""
    note = add(w, w["a"], "Signée", signed=True)
    reveal(w)
    since = last_seq(w["workshop"])
    reveal(w, False)
    assert notes_seen(w, w["b"], since)[note]["text"] is None
    assert notes_seen(w, w["a"], since)[note]["text"] == "Signée"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_privacy_over_the_socket():
    """Over real sockets: another participant receives the note masked, the author and the
    facilitator receive its text."""
    w = await async_make_workshop()
    pa, _a = await async_join(w["workshop"], "Camille")
    pb, _b = await async_join(w["workshop"], "Dominique")
    me, them = Client(w["workshop"], participant=pa), Client(w["workshop"], participant=pb)
    fac = Client(w["workshop"], user=w["facilitator"])
    for client in (me, them, fac):
        await client.connect()
    prompt = await async_first_prompt(w)
    # The sender's own event may come before its ack: read both from the raw socket.
    await me.communicator.send_json_to(
        {"type": "note.add", "id": "n1", "prompt": prompt, "text": "Secret", "signed": True}
    )
    received = {}
    while len(received) < 2:
        message = await me.receive("ack", "event")
        received[message["type"]] = message
    note = received["ack"]["note"]
    events = {me: received["event"]}
    events[them], events[fac] = await them.receive("event"), await fac.receive("event")
    expected = {them: (None, ""), me: ("Secret", "Camille"), fac: ("Secret", "Camille")}
    for client, (text, name) in expected.items():
        event = events[client]
        assert event["event"] == "note.add"
        notes = {n["id"]: n for n in event["payload"]["upsert"]["notes"]}
        assert (notes[note]["text"], notes[note]["author_name"]) == (text, name)
        assert "_restricted" not in event["payload"]
        mine = event["payload"]["upsert"].get("my_notes", [])
        assert (mine == [{"id": note}]) == (client is me)
    for client in (me, them, fac):
        await client.close()


# --- Signing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signing", "asked", "signed"),
    [
        ("choice", True, True),
        ("choice", False, False),
        ("choice", None, False),
        ("anonymous", True, False),
        ("signed", False, True),
        ("signed", None, True),
    ],
)
def test_signing_follows_the_activity_setting(w, signing, asked, signed):
    """With signing "choice" the author decides; "anonymous" never shows names; "signed"
    always does."""
    w["ideation"].config = {"signing": signing}
    w["ideation"].save()
    fields = {} if asked is None else {"signed": asked}
    note = Note.objects.get(pk=add(w, w["a"], **fields))
    assert note.signed is signed
    reveal(w)
    shown = state_of(w["workshop"], w["b"])["notes"][str(note.pk)]
    assert shown["author_name"] == ("Camille" if signed else "")


def test_an_attendee_without_a_name_cannot_sign(w):
    """Someone who joined without a name posts unsigned notes even when asking to sign."""
    nameless = join(w["workshop"], "")[1]
    note = Note.objects.get(pk=add(w, nameless, signed=True))
    assert note.signed is False


# --- Editing, deleting, hiding -------------------------------------------------------------


def test_an_author_edits_their_note(w):
    """The author edits their note; the event carries the new text to insiders."""
    note = add(w, w["a"])
    since = last_seq(w["workshop"])
    assert run(w["workshop"], w["a"], "note.edit", note=note, text="Corrigée")["type"] == "ack"
    assert notes_seen(w, w["a"], since)[note]["text"] == "Corrigée"
    assert notes_seen(w, w["b"], since)[note]["text"] is None


def test_an_author_deletes_their_note(w):
    """The author deletes their note: the row goes and clients drop it and my_notes."""
    note = add(w, w["a"])
    since = last_seq(w["workshop"])
    assert run(w["workshop"], w["a"], "note.delete", note=note)["type"] == "ack"
    assert not Note.objects.filter(pk=note).exists()
    (event,) = events_for(w["workshop"], w["a"], since)
    assert note in event["payload"]["delete"]["notes"]
    assert note in event["payload"]["delete"]["my_notes"]
    assert note not in state_of(w["workshop"], w["a"])["my_notes"]


def test_the_facilitator_edits_and_deletes_any_note(w):
    """The facilitator may rephrase or delete anyone's note."""
    note = add(w, w["a"])
    reply = run(w["workshop"], "facilitator", "note.edit", note=note, text="Reformulée")
    assert reply["type"] == "ack"
    assert Note.objects.get(pk=note).text == "Reformulée"
    assert run(w["workshop"], "facilitator", "note.delete", note=note)["type"] == "ack"
    assert not Note.objects.filter(pk=note).exists()


def test_a_hidden_note_is_masked_for_others_after_the_reveal(w):
    """After the reveal, a note the facilitator hides is masked for other participants (its
    author and the facilitator still see it); unhiding shows it again."""
    note = add(w, w["a"], "Hors sujet")
    reveal(w)
    since = last_seq(w["workshop"])
    assert run(w["workshop"], "facilitator", "note.hide", note=note, hidden=True)["type"] == "ack"
    assert notes_seen(w, w["b"], since)[note]["text"] is None
    assert notes_seen(w, w["b"], since)[note]["hidden"] is True
    assert notes_seen(w, w["a"], since)[note]["text"] == "Hors sujet"
    assert state_of(w["workshop"], w["b"])["notes"][note]["text"] is None
    run(w["workshop"], "facilitator", "note.hide", note=note, hidden=False)
    assert state_of(w["workshop"], w["b"])["notes"][note]["text"] == "Hors sujet"


def test_hide_needs_a_boolean(w):
    """note.hide with a non-boolean "hidden" is malformed."""
    note = add(w, w["a"])
    reply = run(w["workshop"], "facilitator", "note.hide", note=note, hidden="yes")
    assert reply == {"type": "error", "code": "malformed"}


# --- Idempotency ---------------------------------------------------------------------------


def test_resending_a_note_with_the_same_key_creates_it_once(w):
    """A retried note.add with the same key writes one row and acks the same id; the
    retry broadcasts nothing (no seq in its ack)."""
    first = run(w["workshop"], w["a"], "note.add", prompt=w["prompt"], text="Une", key="k-1")
    counts = row_counts(w["workshop"])
    again = run(w["workshop"], w["a"], "note.add", prompt=w["prompt"], text="Une", key="k-1")
    assert again["note"] == first["note"]
    assert "seq" in first and "seq" not in again
    assert row_counts(w["workshop"]) == counts
    assert Note.objects.filter(client_key="k-1").count() == 1


def test_the_same_key_from_two_people_makes_two_notes(w):
    """Keys are per author: another participant's note with the same key is a new note."""
    mine = run(w["workshop"], w["a"], "note.add", prompt=w["prompt"], text="Une", key="k")
    theirs = run(w["workshop"], w["b"], "note.add", prompt=w["prompt"], text="Une", key="k")
    assert mine["note"] != theirs["note"]


def test_a_prompt_of_another_activity_is_not_found(w):
    """A note goes in a prompt of the current ideation: another workshop's prompt is not
    found."""
    other = make_workshop()
    reply = run(w["workshop"], w["a"], "note.add", prompt=first_prompt(other), text="x")
    assert reply == {"type": "error", "code": "not_found"}


def test_synthesis_lists_visible_notes_with_signed_names(w):
    """The ideation's synthesis lists visible notes by prompt, names only when signed, and
    counts hidden ones."""
    add(w, w["a"], "Signée", signed=True)
    add(w, w["b"], "Anonyme")
    hidden = add(w, w["b"], "Cachée")
    run(w["workshop"], "facilitator", "note.hide", note=hidden, hidden=True)
    synthesis = actions.KINDS["ideation"].synthesis(w["ideation"])
    first = synthesis["prompts"][0]
    assert {(n["text"], n["author"]) for n in first["notes"]} == {
        ("Signée", "Camille"),
        ("Anonyme", ""),
    }
    assert synthesis["hidden"] == 1

"""Writes that are resent (the ack was lost with the connection): a creation resent with
the same key answers with what the first one made, stored once."""

import pytest

from ruche.workshops.models import Cluster, Note
from tests.workshops.helpers import first_prompt, join, make_workshop, row_counts, run

pytestmark = pytest.mark.django_db


def room():
    w = make_workshop(who_groups="everyone")
    w["a"] = join(w["workshop"], "Camille")[1]
    w["prompt"] = first_prompt(w)
    return w


def test_a_resent_note_in_the_same_state_acks_the_first_note():
    """Resending note.add with the same key acks the first note's id; one row."""
    w = room()
    message = {"prompt": w["prompt"], "text": "Vélo", "key": "draft-1"}
    first = run(w["workshop"], w["a"], "note.add", **message)
    again = run(w["workshop"], w["a"], "note.add", **message)
    assert again == {"type": "ack", "note": first["note"]}
    assert Note.objects.filter(author=w["a"]).count() == 1


CHANGES = {
    "locked": ("workshop.lock", {"locked": True}),
    "next activity": ("activity.open", "grouping"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_resent_note_acks_the_first_note_even_after_input_closed(change):
    """A note stored before the facilitator locked input or moved on, resent because its
    ack was lost, is acknowledged with its id (it exists: the client must not show it as
    refused), and nothing more is written."""
    w = room()
    message = {"prompt": w["prompt"], "text": "Vélo", "key": "draft-1"}
    first = run(w["workshop"], w["a"], "note.add", **message)
    message_type, fields = CHANGES[change]
    if fields == "grouping":
        fields = {"activity": str(w["grouping"].pk)}
    assert run(w["workshop"], "facilitator", message_type, **fields)["type"] == "ack"
    before = row_counts(w["workshop"])
    again = run(w["workshop"], w["a"], "note.add", **message)
    assert row_counts(w["workshop"]) == before
    assert again == {"type": "ack", "note": first["note"]}


def test_a_resent_cluster_acks_the_first_cluster_after_the_activity_moved_on():
    """A cluster made by a participant, resent after the facilitator opened the next
    activity, is acknowledged with its id."""
    w = room()
    run(w["workshop"], "facilitator", "activity.open", activity=str(w["grouping"].pk))
    message = {"name": "Mobilités", "notes": [], "key": "c-1"}
    first = run(w["workshop"], w["a"], "cluster.add", **message)
    run(w["workshop"], "facilitator", "activity.open", activity=str(w["dotvote"].pk))
    again = run(w["workshop"], w["a"], "cluster.add", **message)
    assert Cluster.objects.filter(activity=w["grouping"]).count() == 1
    assert again == {"type": "ack", "cluster": first["cluster"]}


def test_a_resent_delete_of_a_gone_note_is_not_found():
    """Deleting a note twice: the second gets not_found (the client treats it as done)."""
    w = room()
    note = run(w["workshop"], w["a"], "note.add", prompt=w["prompt"], text="x")["note"]
    assert run(w["workshop"], w["a"], "note.delete", note=note)["type"] == "ack"
    assert run(w["workshop"], w["a"], "note.delete", note=note) == {
        "type": "error",
        "code": "not_found",
    }

"""Grouping: the ideation's notes gathered into clusters, by the facilitator only or by
everyone (config "who"); merge, split, delete (notes go back to "not grouped"), move."""

import pytest

from ruche.workshops import actions
from ruche.workshops.models import Cluster, Note
from tests.workshops.helpers import (
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

GROUPING_MESSAGES = (
    "cluster.add",
    "cluster.rename",
    "cluster.delete",
    "cluster.merge",
    "cluster.split",
    "note.move",
)


def room(who="everyone", reveal=True):
    """A workshop on its grouping activity, with three notes from two people."""
    w = make_workshop(who_groups=who)
    workshop = w["workshop"]
    w["a"], w["b"] = join(workshop, "Camille")[1], join(workshop, "Dominique")[1]
    prompt = first_prompt(w)
    w["notes"] = [
        run(workshop, author, "note.add", prompt=prompt, text=text)["note"]
        for author, text in ((w["a"], "Vélo"), (w["a"], "Bus"), (w["b"], "Marché"))
    ]
    if reveal:
        ideation = str(w["ideation"].pk)
        run(workshop, "facilitator", "activity.reveal", activity=ideation, revealed=True)
    run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk))
    return w


def send(w, actor, message_type, **fields):
    reply = run(w["workshop"], actor, message_type, **fields)
    assert reply["type"] == "ack", reply
    return reply


def cluster_of(note_id):
    cluster_id = Note.objects.get(pk=note_id).cluster_id
    return str(cluster_id) if cluster_id else None


def refused(who, sender, message_type) -> str:
    """The error code `sender` ("a": a participant who joined; None: a member following
    without having joined) gets for `message_type` in a grouping by `who`, having checked
    that it wrote nothing."""
    w = room(who=who)
    cluster = send(w, "facilitator", "cluster.add", name="Mobilités", notes=w["notes"][:2])
    other = send(w, "facilitator", "cluster.add", name="Autre")["cluster"]
    fields = {
        "name": "x",
        "cluster": cluster["cluster"],
        "into": other,
        "notes": w["notes"][:1],
        "note": w["notes"][2],
    }
    before = row_counts(w["workshop"])
    reply = run(w["workshop"], w[sender] if sender else None, message_type, **fields)
    assert row_counts(w["workshop"]) == before
    assert reply["type"] == "error"
    return reply["code"]


@pytest.mark.parametrize("message_type", GROUPING_MESSAGES)
def test_grouping_by_the_facilitator_is_forbidden_to_participants(message_type):
    """With who=facilitator, every grouping message from a participant is forbidden and
    writes nothing."""
    assert refused("facilitator", "a", message_type) == "forbidden"


@pytest.mark.parametrize("message_type", GROUPING_MESSAGES)
def test_grouping_by_everyone_needs_to_have_joined(message_type):
    """With who=everyone, a member who follows the room without having joined it (no seat,
    as for notes and dots) may not group: not_joined, and nothing written."""
    assert refused("everyone", None, message_type) == "not_joined"


def test_grouping_by_everyone_lets_participants_group():
    """With who=everyone, a participant makes, renames and fills clusters."""
    w = room(who="everyone")
    cluster = send(w, w["b"], "cluster.add", name="Mobilités", notes=w["notes"][:1])["cluster"]
    send(w, w["a"], "cluster.rename", cluster=cluster, name="Transports")
    send(w, w["a"], "note.move", note=w["notes"][1], cluster=cluster)
    assert Cluster.objects.get(pk=cluster).name == "Transports"
    assert {cluster_of(n) for n in w["notes"][:2]} == {cluster}


def test_a_new_cluster_takes_its_notes_and_the_room_sees_them():
    """cluster.add acks the new cluster's id; the event carries the cluster and its notes
    with their new cluster."""
    w = room()
    since = last_seq(w["workshop"])
    cluster = send(w, "facilitator", "cluster.add", name="Mobilités", notes=w["notes"][:2])
    (event,) = events_for(w["workshop"], w["b"], since)
    upsert = event["payload"]["upsert"]
    assert [c["id"] for c in upsert["clusters"]] == [cluster["cluster"]]
    assert {n["id"]: n["cluster"] for n in upsert["notes"]} == {
        w["notes"][0]: cluster["cluster"],
        w["notes"][1]: cluster["cluster"],
    }


def test_a_cluster_add_with_the_same_key_is_made_once():
    """A retried cluster.add with the same key acks the same cluster and writes nothing."""
    w = room()
    first = send(w, w["a"], "cluster.add", name="Mobilités", notes=[], key="c-1")
    before = row_counts(w["workshop"])
    again = send(w, w["a"], "cluster.add", name="Mobilités", notes=[], key="c-1")
    assert again["cluster"] == first["cluster"]
    assert row_counts(w["workshop"]) == before


def test_merging_moves_the_notes_and_removes_the_cluster():
    """cluster.merge puts the merged cluster's notes into the other and deletes it."""
    w = room()
    one = send(w, "facilitator", "cluster.add", name="Vélo", notes=w["notes"][:1])["cluster"]
    two = send(w, "facilitator", "cluster.add", name="Bus", notes=w["notes"][1:2])["cluster"]
    since = last_seq(w["workshop"])
    send(w, w["a"], "cluster.merge", cluster=one, into=two)
    assert not Cluster.objects.filter(pk=one).exists()
    assert {cluster_of(n) for n in w["notes"][:2]} == {two}
    (event,) = events_for(w["workshop"], w["b"], since)
    assert event["payload"]["delete"]["clusters"] == [one]
    assert state_of(w["workshop"], w["b"])["notes"][w["notes"][0]]["cluster"] == two


def test_a_cluster_cannot_be_merged_into_itself():
    """Merging a cluster into itself is invalid and changes nothing."""
    w = room()
    one = send(w, "facilitator", "cluster.add", name="Vélo", notes=w["notes"][:1])["cluster"]
    reply = run(w["workshop"], "facilitator", "cluster.merge", cluster=one, into=one)
    assert reply == {"type": "error", "code": "invalid"}
    assert cluster_of(w["notes"][0]) == one


def test_splitting_takes_notes_into_a_new_cluster():
    """cluster.split moves the chosen notes of a cluster into a new named cluster."""
    w = room()
    big = send(w, "facilitator", "cluster.add", name="Tout", notes=w["notes"])["cluster"]
    new = send(w, w["a"], "cluster.split", cluster=big, notes=w["notes"][2:], name="Marché")
    assert cluster_of(w["notes"][2]) == new["cluster"]
    assert {cluster_of(n) for n in w["notes"][:2]} == {big}
    assert Cluster.objects.get(pk=new["cluster"]).name == "Marché"


@pytest.mark.parametrize("which", ["none", "outside"])
def test_splitting_needs_notes_of_that_cluster(which):
    """A split with no notes, or with notes that are not in the cluster, is invalid."""
    w = room()
    one = send(w, "facilitator", "cluster.add", name="Vélo", notes=w["notes"][:1])["cluster"]
    notes = [] if which == "none" else w["notes"][1:2]
    before = row_counts(w["workshop"])
    reply = run(w["workshop"], "facilitator", "cluster.split", cluster=one, notes=notes)
    assert reply == {"type": "error", "code": "invalid"}
    assert row_counts(w["workshop"]) == before


def test_deleting_a_cluster_returns_its_notes_to_ungrouped():
    """cluster.delete removes the cluster; its notes stay, not grouped, and clients are
    told so in the same event."""
    w = room()
    one = send(w, "facilitator", "cluster.add", name="Vélo", notes=w["notes"][:2])["cluster"]
    since = last_seq(w["workshop"])
    send(w, w["b"], "cluster.delete", cluster=one)
    assert Note.objects.filter(pk__in=w["notes"]).count() == 3
    assert cluster_of(w["notes"][0]) is None
    (event,) = events_for(w["workshop"], w["a"], since)
    assert event["payload"]["delete"]["clusters"] == [one]
    assert {n["cluster"] for n in event["payload"]["upsert"]["notes"]} == {None}
    synthesis = actions.KINDS["grouping"].synthesis(w["grouping"])
    assert synthesis == {"clusters": [], "ungrouped": ["Vélo", "Bus", "Marché"]}


def test_moving_a_note_in_and_out_of_clusters():
    """note.move puts a note in a cluster, in another, and back to ungrouped (null)."""
    w = room()
    one = send(w, "facilitator", "cluster.add", name="Un")["cluster"]
    two = send(w, "facilitator", "cluster.add", name="Deux")["cluster"]
    note = w["notes"][0]
    send(w, w["a"], "note.move", note=note, cluster=one)
    assert cluster_of(note) == one
    send(w, w["a"], "note.move", note=note, cluster=two)
    assert cluster_of(note) == two
    send(w, w["a"], "note.move", note=note, cluster=None)
    assert cluster_of(note) is None


def test_moving_into_another_activitys_cluster_is_not_found():
    """A cluster of another workshop is not_found; so is a note that is not of the source."""
    w, other = room(), room()
    foreign = send(other, "facilitator", "cluster.add", name="Ailleurs")["cluster"]
    reply = run(w["workshop"], w["a"], "note.move", note=w["notes"][0], cluster=foreign)
    assert reply == {"type": "error", "code": "not_found"}
    reply = run(w["workshop"], w["a"], "note.move", note=other["notes"][0], cluster=None)
    assert reply == {"type": "error", "code": "not_found"}


def test_grouping_before_the_reveal_keeps_notes_masked():
    """When the ideation has not been revealed, grouping events still carry other people's
    notes masked (the facilitator sees the texts)."""
    w = room(reveal=False)
    since = last_seq(w["workshop"])
    send(w, "facilitator", "cluster.add", name="Vélo", notes=w["notes"][2:])
    (seen_by_a,) = events_for(w["workshop"], w["a"], since)
    assert [n["text"] for n in seen_by_a["payload"]["upsert"]["notes"]] == [None]
    (seen_by_fac,) = events_for(w["workshop"], "facilitator", since)
    assert "Marché" in [n["text"] for n in seen_by_fac["payload"]["upsert"]["notes"]]


def test_synthesis_lists_clusters_with_their_visible_notes():
    """The grouping's synthesis lists each cluster's visible notes and the ungrouped ones."""
    w = room()
    send(w, "facilitator", "cluster.add", name="Mobilités", notes=w["notes"][:2])
    hide = {"note": w["notes"][1], "hidden": True, "activity": str(w["ideation"].pk)}
    assert run(w["workshop"], "facilitator", "note.hide", **hide)["type"] == "ack"
    synthesis = actions.KINDS["grouping"].synthesis(w["grouping"])
    assert synthesis == {
        "clusters": [{"name": "Mobilités", "notes": ["Vélo"]}],
        "ungrouped": ["Marché"],
    }


def test_a_grouping_with_clusters_keeps_its_source():
    """A grouping whose clusters hold notes cannot take its notes from another ideation
    (its clusters would hold notes of an activity it no longer works on)."""
    from tests.factories import OrganisationFactory

    workshop = actions.do_create_workshop(organisation=OrganisationFactory(), title="Atelier")
    first = actions.do_add_activity(workshop, kind="ideation", title="Un", prompts=["?"])
    second = actions.do_add_activity(workshop, kind="ideation", title="Deux", prompts=["?"])
    grouping = actions.do_add_activity(workshop, kind="grouping", title="G", source=first)
    actions.do_set_state(workshop, "live")
    attendee = join(workshop)[1]
    prompt = str(first.prompts.get().pk)
    note = run(workshop, attendee, "note.add", prompt=prompt, text="Vélo")["note"]
    run(workshop, "facilitator", "activity.open", activity=str(grouping.pk))
    reply = run(workshop, "facilitator", "cluster.add", name="Mobilités", notes=[note])
    assert reply["type"] == "ack"
    with pytest.raises(ValueError):
        actions.do_update_activity(grouping, title="G", source=second)
    grouping.refresh_from_db()
    assert grouping.source_id == first.pk

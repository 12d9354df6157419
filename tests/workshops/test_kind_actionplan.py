"""Action plan: the facilitator writes chantiers (title, pilot, contributors, first steps,
due date, optional item); participants sign up with a role, change it, or withdraw (role
"" or null); each sees their own sign-ups (my_commitments)."""

import pytest

from ruche.workshops.activities.actionplan import ActionPlan
from ruche.workshops.models import Chantier, Commitment
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


@pytest.fixture
def w():
    w = make_workshop()
    workshop = w["workshop"]
    w["a"], w["b"] = join(workshop, "Camille")[1], join(workshop, "Dominique")[1]
    run(workshop, "facilitator", "activity.open", activity=str(w["plan"].pk))
    return w


def send(w, actor, message_type, **fields):
    reply = run(w["workshop"], actor, message_type, **fields)
    assert reply["type"] == "ack", reply
    return reply


def chantier(w, **fields):
    return send(w, "facilitator", "chantier.add", **{"title": "Plan vélo", **fields})["chantier"]


def test_a_chantier_with_all_its_fields(w):
    """chantier.add stores every field and the room receives it."""
    since = last_seq(w["workshop"])
    pk = chantier(
        w, pilot="DDT", contributors="Mairie, asso", first_steps="Réunir", due_on="2027-03-01"
    )
    row = state_of(w["workshop"], w["b"])["chantiers"][pk]
    assert (row["title"], row["pilot"]) == ("Plan vélo", "DDT")
    assert row["contributors"] == "Mairie, asso"
    assert (row["first_steps"], row["due_on"], row["item"]) == ("Réunir", "2027-03-01", None)
    (event,) = events_for(w["workshop"], w["b"], since)
    assert event["payload"]["upsert"]["chantiers"][0]["id"] == pk


def test_a_chantier_add_with_the_same_key_is_made_once(w):
    """A retried chantier.add with the same key acks the same chantier and writes nothing."""
    first = chantier(w, key="h-1")
    before = row_counts(w["workshop"])
    assert chantier(w, key="h-1") == first
    assert row_counts(w["workshop"]) == before


def test_editing_changes_only_the_given_fields(w):
    """chantier.edit changes the fields it names and keeps the others; due_on null clears
    the date."""
    pk = chantier(w, pilot="DDT", due_on="2027-03-01")
    send(w, "facilitator", "chantier.edit", chantier=pk, contributors="Région")
    row = Chantier.objects.get(pk=pk)
    assert (row.pilot, row.contributors, str(row.due_on)) == ("DDT", "Région", "2027-03-01")
    send(w, "facilitator", "chantier.edit", chantier=pk, due_on=None)
    assert Chantier.objects.get(pk=pk).due_on is None


def test_signing_up_changing_role_and_withdrawing(w):
    """A participant signs up as pilot, changes to expert (same sign-up, new role), then
    withdraws with role "": the sign-up goes, from the room and from my_commitments."""
    pk = chantier(w)
    send(w, w["a"], "commitment.set", chantier=pk, role="pilot")
    (commitment,) = Commitment.objects.filter(chantier_id=pk)
    send(w, w["a"], "commitment.set", chantier=pk, role="expert")
    assert list(Commitment.objects.filter(chantier_id=pk).values_list("pk", "role")) == [
        (commitment.pk, "expert")
    ]
    assert state_of(w["workshop"], w["a"])["my_commitments"] == {pk: {"id": pk, "role": "expert"}}
    since = last_seq(w["workshop"])
    send(w, w["a"], "commitment.set", chantier=pk, role="")
    assert not Commitment.objects.filter(chantier_id=pk).exists()
    (event,) = events_for(w["workshop"], w["a"], since)
    assert event["payload"]["delete"] == {
        "commitments": [str(commitment.pk)],
        "my_commitments": [pk],
    }
    assert state_of(w["workshop"], w["a"])["my_commitments"] == {}
    assert state_of(w["workshop"], w["b"])["commitments"] == {}


def test_withdrawing_with_null_also_works(w):
    """role null withdraws like ""."""
    pk = chantier(w)
    send(w, w["a"], "commitment.set", chantier=pk, role="informed")
    send(w, w["a"], "commitment.set", chantier=pk, role=None)
    assert not Commitment.objects.exists()


def test_own_sign_ups_go_to_their_author_only(w):
    """Everyone sees who signed up (commitments with names); my_commitments reach only the
    person concerned."""
    pk = chantier(w)
    send(w, w["a"], "commitment.set", chantier=pk, role="contributor")
    for_b = state_of(w["workshop"], w["b"])
    assert [c["name"] for c in for_b["commitments"].values()] == ["Camille"]
    assert for_b["my_commitments"] == {}
    assert state_of(w["workshop"], w["a"])["my_commitments"][pk]["role"] == "contributor"


def test_deleting_a_chantier_removes_its_sign_ups(w):
    """chantier.delete removes the chantier, its commitments and the people's own entries."""
    pk = chantier(w)
    send(w, w["a"], "commitment.set", chantier=pk, role="pilot")
    send(w, w["b"], "commitment.set", chantier=pk, role="expert")
    send(w, "facilitator", "chantier.delete", chantier=pk)
    assert not Commitment.objects.exists()
    for actor in (w["a"], w["b"]):
        state = state_of(w["workshop"], actor)
        assert state["chantiers"] == state["commitments"] == state["my_commitments"] == {}


def test_a_chantier_can_be_about_an_item(w):
    """A chantier may name one of the plan's items (a cluster of its source grouping)."""
    send(w, "facilitator", "activity.open", activity=str(w["ideation"].pk))
    note = send(w, w["a"], "note.add", prompt=first_prompt(w), text="Vélo")["note"]
    grouping = str(w["grouping"].pk)
    cluster = send(w, "facilitator", "cluster.add", name="Vélo", notes=[note], activity=grouping)
    pk = chantier(w, item=cluster["cluster"], activity=str(w["plan"].pk))
    assert state_of(w["workshop"], w["b"])["chantiers"][pk]["item"] == cluster["cluster"]


def test_the_synthesis_lists_chantiers_with_their_people(w):
    """The synthesis gives each chantier with who signed up and their role."""
    pk = chantier(w, pilot="DDT")
    send(w, w["a"], "commitment.set", chantier=pk, role="pilot")
    synthesis = ActionPlan.synthesis(w["plan"])
    (only,) = synthesis["chantiers"]
    assert (only["title"], only["pilot"]) == ("Plan vélo", "DDT")
    assert [p["name"] for p in only["people"]] == ["Camille"]

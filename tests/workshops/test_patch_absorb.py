"""Composing patches (`Patch.absorb`): one event carrying several changes gives every viewer
the state the changes give one after the other, or the patches stay separate events."""

import copy
import random

import pytest

from ruche.workshops.live import Patch, Viewer, apply, empty_state, for_viewer

A, B = "attendee-a", "attendee-b"
VIEWERS = [
    Viewer(),
    Viewer(attendee=A),
    Viewer(attendee=B),
    Viewer(facilitator=True),
    Viewer(attendee=A, facilitator=True),  # a facilitator who also joined
]


def obj(object_id, version):
    return {"id": object_id, "v": version}


def applied(patches, viewer):
    state = empty_state()
    for collection in ("notes", "my_dots"):  # objects held before, for updates to change
        state[collection] = {key: obj(key, "before") for key in "12"}
    for patch in patches:
        apply(state, for_viewer(copy.deepcopy(patch.as_payload()), viewer))
    return state


def test_later_change_of_one_object_wins_within_an_audience():
    """Rule: in the same audience, a later delete removes an earlier upsert, and a later
    upsert replaces an earlier one or an earlier delete."""
    first = Patch().put("notes", obj("1", 1)).put("notes", obj("2", 1)).remove("notes", "3")
    first.only_for([A]).put("my_notes", obj("1", 1))
    later = Patch().remove("notes", "1").put("notes", obj("2", 2)).put("notes", obj("3", 2))
    later.only_for([A]).remove("my_notes", "1")
    assert first.absorb(later)
    payload = first.as_payload()
    assert payload["upsert"]["notes"] == [obj("2", 2), obj("3", 2)]
    assert payload["delete"]["notes"] == ["1"]
    assert payload["_restricted"] == [
        {"to": [A], "facilitators": False, "delete": {"my_notes": ["1"]}}
    ]


def test_one_object_through_audiences_a_viewer_shares_is_not_composed():
    """Rule: when the same object is changed publicly in one patch and in a restricted part
    in the other, composing could lose the order for the viewers of that part: absorb
    refuses and leaves the first patch as it was."""
    first = Patch().put("notes", obj("1", "masked"))
    first.only_for([A], facilitators=True).put("notes", obj("1", "full"))
    before = copy.deepcopy(first.as_payload())
    later = Patch().remove("notes", "1")
    assert not first.absorb(later)
    assert first.as_payload() == before


def test_parts_for_different_attendees_compose_even_on_the_same_key():
    """Rule: each voter's own dots share a key ("activity:item") but no viewer receives two
    voters' parts: a burst of dots from several people is one event."""
    first = Patch().put("dot_totals", obj("act", 1))
    first.only_for([A]).put("my_dots", obj("act:x", 1))
    later = Patch().put("dot_totals", obj("act", 2))
    later.only_for([B]).put("my_dots", obj("act:x", 2))
    assert first.absorb(later)
    for viewer in VIEWERS:
        assert applied([first], viewer) == applied([_dots(A, 1), _dots(B, 2)], viewer), viewer


def _dots(voter, version):
    patch = Patch().put("dot_totals", obj("act", version))
    patch.only_for([voter]).put("my_dots", obj("act:x", version))
    return patch


def test_an_update_changes_held_objects_and_composes_with_upserts_and_deletes():
    """Rule: an update sets fields of an object held and leaves a missing one missing;
    after an upsert in the same patch it amends it, after a delete it is dropped."""
    state = {"notes": {"1": obj("1", "masked")}}
    apply(state, Patch().change("notes", {"id": "1", "text": "a"}).as_payload())
    apply(state, Patch().change("notes", {"id": "9", "text": "b"}).as_payload())
    assert state["notes"] == {"1": {"id": "1", "v": "masked", "text": "a"}}
    patch = Patch().put("notes", obj("2", 1)).change("notes", {"id": "2", "text": "c"})
    patch.remove("notes", "3").change("notes", {"id": "3", "text": "d"})
    assert patch.as_payload() == {
        "upsert": {"notes": [{"id": "2", "v": 1, "text": "c"}]},
        "delete": {"notes": ["3"]},
    }


def test_only_for_returns_the_existing_part_of_an_audience():
    """Rule: one part per audience, so changes to it compose in order."""
    patch = Patch()
    assert patch.only_for([A]) is patch.only_for([A])
    assert patch.only_for([A]) is not patch.only_for([A], facilitators=True)
    assert patch.only_for([B, A]) is patch.only_for([A, B])


AUDIENCES = [None, ((A,), False), ((B,), False), ((), True), ((A,), True)]


def random_patch(rng):
    patch = Patch()
    for _ in range(rng.randint(1, 4)):
        audience = rng.choice(AUDIENCES)
        part = patch if audience is None else patch.only_for(*audience)
        collection = rng.choice(["notes", "my_dots"])
        key = rng.choice("123")
        draw = rng.random()
        if draw < 0.25:
            part.remove(collection, key)
        elif draw < 0.5:
            part.change(collection, {"id": key, "extra": rng.randint(0, 99)})
        else:
            part.put(collection, obj(key, rng.randint(0, 99)))
    return patch


@pytest.mark.parametrize("seed", range(60))
def test_composed_events_give_every_viewer_the_state_of_the_patches_in_order(seed):
    """Rule: greedily absorbing a random sequence of patches (random audiences, keys shared
    between them, upserts, deletes and updates of held or missing objects) into as few
    events as absorb allows gives every viewer, including a facilitator who joined,
    exactly the state of applying the patches one by one."""
    rng = random.Random(seed)
    patches = [random_patch(rng) for _ in range(rng.randint(2, 12))]
    events = []
    for patch in copy.deepcopy(patches):
        if not (events and events[-1].absorb(patch)):
            events.append(patch)
    for viewer in VIEWERS:
        assert applied(events, viewer) == applied(patches, viewer), (viewer, len(events))

"""Dot voting: each person spends N dots, at most `cap` per item; the room sees how many
dots were cast (dot_totals) but not where (dot_counts) until the reveal, the facilitator
sees the counts all along; after the reveal the items are ranked."""

import pytest

from ruche.workshops.activities.dotvote import DotVote
from ruche.workshops.models import Dot
from tests.workshops.helpers import (
    events_for,
    first_prompt,
    join,
    last_seq,
    make_workshop,
    run,
    state_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    """A workshop on its dot vote (3 dots, at most 2 per item) over three clusters."""
    w = make_workshop()
    workshop = w["workshop"]
    w["a"], w["b"] = join(workshop, "Camille")[1], join(workshop, "Dominique")[1]
    prompt = first_prompt(w)
    notes = [
        run(workshop, w["a"], "note.add", prompt=prompt, text=t)["note"]
        for t in ("Vélo", "Bus", "Marché")
    ]
    run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk))
    w["items"] = [
        run(workshop, "facilitator", "cluster.add", name=name, notes=[note])["cluster"]
        for name, note in zip(("Vélo", "Bus", "Marché"), notes, strict=True)
    ]
    run(workshop, "facilitator", "activity.open", activity=str(w["dotvote"].pk))
    return w


def vote(w, actor, item, count):
    reply = run(w["workshop"], actor, "dot.set", item=item, count=count)
    assert reply["type"] == "ack", reply
    return reply


def collections_received(w, actor, since) -> set[str]:
    received = set()
    for event in events_for(w["workshop"], actor, since):
        for part in ("upsert", "delete"):
            received |= set(event["payload"].get(part, {}))
    return received


def reveal(w, revealed=True):
    activity = str(w["dotvote"].pk)
    run(w["workshop"], "facilitator", "activity.reveal", activity=activity, revealed=revealed)


def test_before_the_reveal_participants_get_totals_not_counts(w):
    """Before the reveal a participant's events carry dot_totals (and their own my_dots)
    but no dot_counts; the facilitator's carry dot_counts."""
    since = last_seq(w["workshop"])
    vote(w, w["a"], w["items"][0], 2)
    assert collections_received(w, w["b"], since) == {"dot_totals"}
    assert collections_received(w, w["a"], since) == {"dot_totals", "my_dots"}
    assert "dot_counts" in collections_received(w, "facilitator", since)
    totals = state_of(w["workshop"], w["b"])["dot_totals"][str(w["dotvote"].pk)]
    assert (totals["dots"], totals["voters"]) == (2, 1)
    assert state_of(w["workshop"], w["b"])["dot_counts"] == {}
    assert state_of(w["workshop"], "facilitator")["dot_counts"]


def test_my_dots_go_to_the_voter_only(w):
    """Each voter's own dots reach only them (my_dots), in events and page loads."""
    vote(w, w["a"], w["items"][0], 2)
    key = f"{w['dotvote'].pk}:{w['items'][0]}"
    assert state_of(w["workshop"], w["a"])["my_dots"][key]["count"] == 2
    assert state_of(w["workshop"], w["b"])["my_dots"] == {}
    assert state_of(w["workshop"], "facilitator")["my_dots"] == {}


def test_the_reveal_shows_the_counts_to_everyone(w):
    """The reveal sends the per-item counts to everyone; later votes update them for all."""
    vote(w, w["a"], w["items"][0], 2)
    since = last_seq(w["workshop"])
    reveal(w)
    assert "dot_counts" in collections_received(w, w["b"], since)
    vote(w, w["b"], w["items"][0], 1)
    counts = state_of(w["workshop"], w["b"])["dot_counts"]
    assert counts[f"{w['dotvote'].pk}:{w['items'][0]}"]["count"] == 3


def test_hiding_the_counts_again_takes_them_back(w):
    """Un-revealing removes the counts from participants (the facilitator keeps them)."""
    vote(w, w["a"], w["items"][0], 2)
    reveal(w)
    reveal(w, False)
    assert state_of(w["workshop"], w["b"])["dot_counts"] == {}
    assert state_of(w["workshop"], "facilitator")["dot_counts"]


def test_setting_zero_removes_the_dots(w):
    """dot.set with count 0 removes the row, my_dots entry and (if no one else voted) the
    item's count."""
    vote(w, w["a"], w["items"][0], 2)
    reveal(w)
    vote(w, w["a"], w["items"][0], 0)
    assert not Dot.objects.filter(activity=w["dotvote"]).exists()
    state = state_of(w["workshop"], w["a"])
    assert state["my_dots"] == {} and state["dot_counts"] == {}


def test_the_count_is_absolute_and_the_budget_counts_other_items(w):
    """dot.set sets the count on one item (not adds): moving a dot from one item to another
    stays within the budget of 3."""
    vote(w, w["a"], w["items"][0], 2)
    vote(w, w["a"], w["items"][1], 1)
    reply = run(w["workshop"], w["a"], "dot.set", item=w["items"][2], count=1)
    assert reply["type"] == "error" and reply["code"] == "no_dots_left"
    vote(w, w["a"], w["items"][0], 1)
    vote(w, w["a"], w["items"][2], 1)
    assert sorted(Dot.objects.filter(voter=w["a"]).values_list("count", flat=True)) == [1, 1, 1]


def test_voters_are_counted_once(w):
    """dot_totals counts dots and distinct voters."""
    vote(w, w["a"], w["items"][0], 1)
    vote(w, w["a"], w["items"][1], 2)
    vote(w, w["b"], w["items"][1], 1)
    totals = state_of(w["workshop"], None)["dot_totals"][str(w["dotvote"].pk)]
    assert (totals["dots"], totals["voters"]) == (4, 2)


def test_the_ranking_after_the_reveal(w):
    """The ranking lists every item by dots, most first; the synthesis gives it with the
    totals."""
    vote(w, w["a"], w["items"][1], 2)
    vote(w, w["b"], w["items"][1], 1)
    vote(w, w["b"], w["items"][2], 2)
    reveal(w)
    ranking = DotVote.ranking(w["dotvote"])
    assert [(row["label"], row["dots"]) for row in ranking] == [
        ("Bus", 3),
        ("Marché", 2),
        ("Vélo", 0),
    ]
    synthesis = DotVote.synthesis(w["dotvote"])
    assert (synthesis["voters"], synthesis["dots"]) == (2, 5)
    assert synthesis["ranking"][0] == {"label": "Bus", "dots": 3}


def test_the_facilitator_cannot_vote_without_joining(w):
    """Dots belong to attendees: a facilitator who has not joined gets not_joined."""
    reply = run(w["workshop"], "facilitator", "dot.set", item=w["items"][0], count=1)
    assert reply == {"type": "error", "code": "not_joined"}


def test_dots_on_a_note_hidden_later_can_be_taken_back():
    """Dots on a note the facilitator hides after the vote started are not lost: the voter
    can take them back (count 0) and spend them on another item."""
    from ruche.workshops import actions

    w = make_workshop()
    workshop = w["workshop"]
    vote_on_notes = actions.do_add_activity(
        workshop, kind="dotvote", title="Voter", source=w["ideation"], config={"dots": 2, "cap": 2}
    )
    a = join(workshop, "Camille")[1]
    prompt = first_prompt(w)
    first, second = (
        run(workshop, a, "note.add", prompt=prompt, text=text)["note"] for text in ("Un", "Deux")
    )
    run(workshop, "facilitator", "activity.open", activity=str(vote_on_notes.pk))
    vote(w, a, first, 2)
    hide = {"note": first, "hidden": True, "activity": str(w["ideation"].pk)}
    assert run(workshop, "facilitator", "note.hide", **hide)["type"] == "ack"
    assert run(workshop, a, "dot.set", item=first, count=0)["type"] == "ack"
    vote(w, a, second, 2)
